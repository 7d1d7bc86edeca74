/**
 * Compatibility matrix: @platformatic/kafka 1.x (flexible versions only: JoinGroup v6, SyncGroup
 * v4, OffsetCommit v8, OffsetFetch v8, DescribeGroups v5, ListGroups v4...) against a real
 * Broker. Producer, a consumer group of two members with autocommit, admin group calls.
 */
import {
  Admin,
  compatibilityPartitioner,
  Consumer,
  Producer,
  stringDeserializers,
  stringSerializers,
  type MessagesStream,
} from '@platformatic/kafka';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerListener } from '../testing/broker-listener';
import {
  committedOffsets,
  endOffsets,
  expectAllOnMurmur2,
  expectOneSplit,
  expectPartitionsSplit,
  keyedRecords,
  lastRebalanceId,
  PARTITIONS,
  RECORDS,
  startCompatBroker,
  waitForStable,
  waitUntil,
  type ConsumedRecord,
} from '../testing/group-checks';

const TOPIC = 'platformatic-matrix';
const GROUP = 'platformatic-group';
const BOOT = () => ({ clientId: 'plt-matrix', bootstrapBrokers: [s.bootstrap], retries: 5, retryDelay: 200 });

let s: BrokerListener;
/** Clients to close after each test, in order (a consumer's stream before the consumer). */
const open: { close(): Promise<void> }[] = [];

async function closeAll(): Promise<void> {
  for (const c of open.splice(0)) {
    try {
      await c.close();
    } catch {
      // closed already, or failed: the broker stops anyway
    }
  }
}

beforeAll(async () => {
  s = await startCompatBroker();
});

afterEach(closeAll);

afterAll(async () => {
  await s.stop();
});

type Stream = MessagesStream<string, string, string, string>;

/** A group member consuming TOPIC from its committed offsets (earliest without), autocommitting. */
async function member(consumed: ConsumedRecord[]): Promise<{ assigned: () => number[] | undefined }> {
  const consumer = new Consumer({
    ...BOOT(),
    groupId: GROUP,
    deserializers: stringDeserializers,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 10_000,
    maxWaitTime: 200,
  });
  open.push(consumer);
  let assigned: number[] | undefined;
  consumer.on(
    'consumer:group:join',
    (payload: { assignments?: { topic: string; partitions: number[] }[] }) => {
      const mine = payload.assignments?.find((a) => a.topic === TOPIC)?.partitions ?? [];
      assigned = [...mine].sort((a, b) => a - b);
    },
  );
  const stream: Stream = await consumer.consume({
    topics: [TOPIC],
    mode: 'committed',
    fallbackMode: 'earliest',
    autocommit: 200,
  });
  stream.on('data', (m) => {
    consumed.push({ partition: m.partition, offset: Number(m.offset), key: m.key, value: m.value });
  });
  // platformatic refuses to leave the group while a stream consumes: the stream closes first.
  open.splice(open.indexOf(consumer), 0, stream);
  return { assigned: () => assigned };
}

describe('@platformatic/kafka 1.x', () => {
  it('admin creates the topic; the producer writes 10,000 keyed records (compatibilityPartitioner)', async () => {
    const admin = new Admin(BOOT());
    open.push(admin);
    await admin.createTopics({ topics: [TOPIC], partitions: PARTITIONS, replicas: 1 });
    const producer = new Producer({
      ...BOOT(),
      serializers: stringSerializers,
      partitioner: compatibilityPartitioner,
      idempotent: true,
    });
    open.push(producer);
    const records = keyedRecords('plt');
    for (let i = 0; i < records.length; i += 1000) {
      await producer.send({ messages: records.slice(i, i + 1000).map((r) => ({ topic: TOPIC, ...r })) });
    }
    const ends = await endOffsets(s.broker, TOPIC);
    expect(ends.reduce((x, y) => x + y, 0)).toBe(RECORDS);
  });

  it('a group member reads everything back and commits; a second joins: one rebalance, partitions split', async () => {
    const first: ConsumedRecord[] = [];
    const a = await member(first);
    await waitUntil('10,000 records consumed', () => first.length >= RECORDS);
    expectAllOnMurmur2(first, keyedRecords('plt'));
    expect(a.assigned()).toEqual([0, 1, 2, 3]);
    const ends = await endOffsets(s.broker, TOPIC);
    await waitUntil('offsets committed up to the end', async () => {
      const committed = await committedOffsets(s.broker, GROUP, TOPIC);
      return committed.every((c, p) => c === ends[p]);
    });
    await waitForStable(s.broker, GROUP, 1, 0);
    const before = lastRebalanceId(s.broker, GROUP);

    const second: ConsumedRecord[] = [];
    const b = await member(second);
    await waitForStable(s.broker, GROUP, 2, before);
    const split = expectOneSplit(s.broker, GROUP, TOPIC, before);
    const mine = await waitUntil('both members know their partitions', () => {
      const x = a.assigned();
      const y = b.assigned();
      return x && y && x.length < PARTITIONS ? [x, y] : undefined;
    });
    expectPartitionsSplit(mine);
    expect([...split.values()].sort()).toEqual([...mine].sort());

    const more = keyedRecords('plt-more', 400, RECORDS);
    const producer = new Producer({
      ...BOOT(),
      serializers: stringSerializers,
      partitioner: compatibilityPartitioner,
    });
    open.push(producer);
    await producer.send({ messages: more.map((r) => ({ topic: TOPIC, ...r })) });
    const fresh = (list: ConsumedRecord[]) => list.filter((r) => r.value.startsWith('plt-more'));
    await waitUntil(
      'the new records consumed',
      () => fresh(first).length + fresh(second).length >= more.length,
    );
    // The second member started from the group's commits: no old record again.
    expect(second.filter((r) => !r.value.startsWith('plt-more'))).toEqual([]);
    // Each member reads its own partitions. (The first may also return records of partitions it
    // just gave away, from a fetch it sent before the rebalance: at least once, as in Kafka.)
    const partitionsOf = (list: ConsumedRecord[]) => [...new Set(fresh(list).map((r) => r.partition))].sort();
    expect(partitionsOf(second)).toEqual(mine[1]);
    expect(partitionsOf(first).filter((p) => mine[0]?.includes(p))).toEqual(mine[0]);
    expectAllOnMurmur2([...fresh(first), ...fresh(second)], more);
    const newEnds = await endOffsets(s.broker, TOPIC);
    await waitUntil('the new records committed', async () => {
      const committed = await committedOffsets(s.broker, GROUP, TOPIC);
      return committed.every((c, p) => c === newEnds[p]);
    });
    expect(s.errors()).toEqual([]);
  });

  it('admin: listGroups, describeGroups, listConsumerGroupOffsets, deleteGroups, deleteTopics', async () => {
    const admin = new Admin(BOOT());
    open.push(admin);
    const consumed: ConsumedRecord[] = [];
    await member(consumed);
    await waitForStable(s.broker, GROUP, 1, 0);

    const listed = await admin.listGroups();
    expect(listed.get(GROUP)).toMatchObject({ id: GROUP, state: 'STABLE', protocolType: 'consumer' });
    const stable = await admin.listGroups({ states: ['STABLE'] });
    expect([...stable.keys()]).toEqual([GROUP]);
    expect((await admin.listGroups({ states: ['EMPTY'] })).size).toBe(0);

    const described = (await admin.describeGroups({ groups: [GROUP] })).get(GROUP);
    expect(described).toMatchObject({ id: GROUP, state: 'STABLE', protocolType: 'consumer' });
    const members = [...(described?.members.values() ?? [])];
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ clientId: 'plt-matrix', clientHost: '/127.0.0.1' });
    expect(members[0]?.metadata?.topics).toEqual([TOPIC]);
    expect(members[0]?.assignments?.get(TOPIC)?.partitions).toEqual([0, 1, 2, 3]);

    const ends = await endOffsets(s.broker, TOPIC);
    const [offsets] = await admin.listConsumerGroupOffsets({ groups: [GROUP] });
    expect(offsets?.groupId).toBe(GROUP);
    const partitions = offsets?.topics.find((t) => t.name === TOPIC)?.partitions ?? [];
    expect(partitions.map((p) => [p.partitionIndex, Number(p.committedOffset)])).toEqual(
      ends.map((end, p) => [p, end]),
    );

    // Not while it has a member (NON_EMPTY_GROUP); then the member leaves and it can go.
    await expect(admin.deleteGroups({ groups: [GROUP] })).rejects.toThrow();
    for (const c of open.splice(1)) await c.close();
    await waitUntil(
      'the group empty',
      async () => (await s.broker.describeGroups([GROUP]))[0]?.state === 'Empty',
    );
    await admin.deleteGroups({ groups: [GROUP] });
    expect((await admin.listGroups()).has(GROUP)).toBe(false);
    await admin.deleteTopics({ topics: [TOPIC] });
    expect(await admin.listTopics()).not.toContain(TOPIC);
    expect(s.errors()).toEqual([]);
  });
});
