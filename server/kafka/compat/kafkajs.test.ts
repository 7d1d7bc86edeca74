/**
 * Compatibility matrix: kafkajs 2.x (never uses flexible versions) against a real Broker.
 * Idempotent producer, a consumer group of two members (eachMessage, then eachBatch) with
 * commits, and the admin client's topic and group calls.
 */
import { AssignerProtocol, Kafka, logLevel, Partitioners, type Admin, type Consumer } from 'kafkajs';
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

const TOPIC = 'kafkajs-matrix';
const GROUP = 'kafkajs-group';

let s: BrokerListener;
let kafka: Kafka;
const open: { disconnect(): Promise<void> }[] = [];

beforeAll(async () => {
  s = await startCompatBroker();
  kafka = new Kafka({
    clientId: 'kafkajs-matrix',
    brokers: [s.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 },
  });
});

afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((c) => c.disconnect()));
});

afterAll(async () => {
  await s.stop();
});

async function admin(): Promise<Admin> {
  const a = kafka.admin();
  open.push(a);
  await a.connect();
  return a;
}

function consumer(): Consumer {
  const c = kafka.consumer({
    groupId: GROUP,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 10_000,
    maxWaitTimeInMs: 200,
  });
  open.push(c);
  return c;
}

/** The partitions of TOPIC a member was given, from its GROUP_JOIN event. */
function joined(c: Consumer): () => number[] | undefined {
  let assigned: number[] | undefined;
  c.on(c.events.GROUP_JOIN, (e) => {
    assigned = [...(e.payload.memberAssignment[TOPIC] ?? [])].sort((a, b) => a - b);
  });
  return () => assigned;
}

describe('kafkajs 2.x', () => {
  it('admin creates the topic; an idempotent producer writes 10,000 keyed records', async () => {
    const a = await admin();
    expect(await a.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] })).toBe(true);
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    open.push(producer);
    await producer.connect();
    const records = keyedRecords('kafkajs');
    for (let i = 0; i < records.length; i += 1000) {
      await producer.send({ topic: TOPIC, acks: -1, messages: records.slice(i, i + 1000) });
    }
    const ends = await endOffsets(s.broker, TOPIC);
    expect(ends.reduce((x, y) => x + y, 0)).toBe(RECORDS);
  });

  it('a group member reads everything back and commits; a second joins: one rebalance, partitions split', async () => {
    const consumed: ConsumedRecord[] = [];
    const collect = (partition: number, m: { offset: string; key: Buffer | null; value: Buffer | null }) =>
      consumed.push({
        partition,
        offset: Number(m.offset),
        key: m.key?.toString() ?? '',
        value: m.value?.toString() ?? '',
      });

    const first = consumer();
    const firstAssigned = joined(first);
    await first.connect();
    await first.subscribe({ topic: TOPIC, fromBeginning: true });
    const firstPartitions = new Set<number>();
    await first.run({
      eachMessage: async ({ partition, message }) => {
        firstPartitions.add(partition);
        collect(partition, message);
      },
    });
    await waitUntil('10,000 records consumed', () => consumed.length >= RECORDS);
    expectAllOnMurmur2(consumed, keyedRecords('kafkajs'));
    expect(firstAssigned()).toEqual([0, 1, 2, 3]);
    // eachMessage commits as it goes (autoCommit): the commits reach the end of every partition.
    const ends = await endOffsets(s.broker, TOPIC);
    await waitUntil('offsets committed up to the end', async () => {
      const committed = await committedOffsets(s.broker, GROUP, TOPIC);
      return committed.every((c, p) => c === ends[p]);
    });
    await waitForStable(s.broker, GROUP, 1, 0);
    const before = lastRebalanceId(s.broker, GROUP);

    const second = consumer();
    const secondAssigned = joined(second);
    await second.connect();
    await second.subscribe({ topic: TOPIC, fromBeginning: true });
    const secondPartitions = new Set<number>();
    const batchRecords: ConsumedRecord[] = [];
    await second.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const m of batch.messages) {
          secondPartitions.add(batch.partition);
          batchRecords.push({
            partition: batch.partition,
            offset: Number(m.offset),
            key: m.key?.toString() ?? '',
            value: m.value?.toString() ?? '',
          });
          resolveOffset(m.offset);
        }
        await heartbeat();
      },
    });
    await waitForStable(s.broker, GROUP, 2, before);
    const split = expectOneSplit(s.broker, GROUP, TOPIC, before);
    const mine = await waitUntil('both members know their partitions', () => {
      const a = firstAssigned();
      const b = secondAssigned();
      return a && b && a.length < PARTITIONS ? [a, b] : undefined;
    });
    expectPartitionsSplit(mine);
    expect([...split.values()].sort()).toEqual([...mine].sort());

    // New records go to whichever member owns their partition; the second starts from the
    // committed offsets, so it reads no old record again.
    firstPartitions.clear();
    const more = keyedRecords('kafkajs-more', 400, RECORDS);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    open.push(producer);
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: more });
    const fresh = () => consumed.filter((r) => r.offset >= 0 && r.value.startsWith('kafkajs-more'));
    await waitUntil('the new records consumed', () => fresh().length + batchRecords.length >= more.length);
    expect(batchRecords.every((r) => r.value.startsWith('kafkajs-more'))).toBe(true);
    expect([...secondPartitions].sort()).toEqual(mine[1]);
    expect([...firstPartitions].sort()).toEqual(mine[0]);
    expectAllOnMurmur2([...fresh(), ...batchRecords], more);
    expect(s.errors()).toEqual([]);
  });

  it('admin: listGroups, describeGroups, fetchOffsets, resetOffsets and setOffsets on the empty group, deleteGroups', async () => {
    const a = await admin();
    const c = consumer();
    await c.connect();
    await c.subscribe({ topic: TOPIC });
    await c.run({ eachMessage: async () => undefined });
    await waitForStable(s.broker, GROUP, 1, 0);

    expect((await a.listGroups()).groups).toContainEqual({ groupId: GROUP, protocolType: 'consumer' });
    const { groups } = await a.describeGroups([GROUP]);
    expect(groups).toHaveLength(1);
    const [group] = groups;
    expect(group).toMatchObject({ groupId: GROUP, state: 'Stable', protocolType: 'consumer', errorCode: 0 });
    expect(group?.protocol).toMatch(/^(RoundRobinAssigner|RangeAssigner)$/);
    expect(group?.members).toHaveLength(1);
    const member = group?.members[0];
    expect(member?.clientId).toBe('kafkajs-matrix');
    expect(member?.clientHost).toBe('/127.0.0.1');
    const metadata = AssignerProtocol.MemberMetadata.decode(member?.memberMetadata as Buffer);
    expect(metadata?.topics).toEqual([TOPIC]);
    const assignment = AssignerProtocol.MemberAssignment.decode(member?.memberAssignment as Buffer);
    expect(assignment?.assignment).toEqual({ [TOPIC]: [0, 1, 2, 3] });

    const ends = await endOffsets(s.broker, TOPIC);
    const fetched = await a.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    expect(fetched).toEqual([
      {
        topic: TOPIC,
        partitions: ends.map((end, partition) => ({ partition, offset: String(end), metadata: null })),
      },
    ]);

    // Offsets of a group with members cannot be moved.
    await expect(
      a.setOffsets({ groupId: GROUP, topic: TOPIC, partitions: [{ partition: 0, offset: '0' }] }),
    ).rejects.toThrow(/no running instances/);
    await c.disconnect();
    await waitUntil(
      'the group empty',
      async () => (await s.broker.describeGroups([GROUP]))[0]?.state === 'Empty',
    );

    await a.setOffsets({
      groupId: GROUP,
      topic: TOPIC,
      partitions: [
        { partition: 0, offset: '5' },
        { partition: 1, offset: '7' },
      ],
    });
    expect((await committedOffsets(s.broker, GROUP, TOPIC)).slice(0, 2)).toEqual([5, 7]);
    await a.resetOffsets({ groupId: GROUP, topic: TOPIC, earliest: true });
    const reset = await a.fetchOffsets({ groupId: GROUP, topics: [TOPIC], resolveOffsets: true });
    expect(reset[0]?.partitions.map((p) => p.offset)).toEqual(['0', '0', '0', '0']);

    // Deleting the group removes it and its offsets; the topic goes with the admin client too.
    expect(await a.deleteGroups([GROUP])).toEqual([{ groupId: GROUP, errorCode: 0 }]);
    expect((await a.listGroups()).groups.map((g) => g.groupId)).not.toContain(GROUP);
    expect(await committedOffsets(s.broker, GROUP, TOPIC)).toEqual([-1, -1, -1, -1]);
    await a.deleteTopics({ topics: [TOPIC] });
    expect(await a.listTopics()).not.toContain(TOPIC);
    expect(s.errors()).toEqual([]);
  });
});
