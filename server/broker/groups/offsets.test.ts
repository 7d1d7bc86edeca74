import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../broker';
import { startGroupBroker, testConsumer } from '../client/test-support/group-fixtures';
import { eventually, readAll, startBroker, tempDataDir } from '../test-support/broker-fixtures';
import type { StoredRebalance } from './group-service-api';
import {
  decodeOffsetsKey,
  decodeOffsetValue,
  javaStringHashCode,
  OFFSETS_TOPIC,
  offsetKey,
  partitionForGroup,
} from './offsets-format';
import { REBALANCES_TOPIC } from './rebalance-history';

/** Committed offsets, rebalance history and lag across restarts, topic and group deletion. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const temp = tempDataDir();
  cleanups.push(temp.cleanup);
  return temp.dir;
}

async function open(dir: string): Promise<Broker> {
  const b = await startGroupBroker(dir);
  cleanups.push(() => b.stop());
  return b;
}

const commit = (b: Broker, groupId: string, topic: string, offsets: number[]) =>
  b.commitOffsets(
    groupId,
    '',
    -1,
    null,
    offsets.map((offset, partition) => ({ topic, partition, offset, metadata: `m${partition}` })),
  );

const offsetsOf = async (b: Broker, groupId: string) =>
  (await b.fetchOffsets(groupId, null)).topics.map((t) => [t.topic, t.partitions.map((p) => p.offset)]);

describe('__consumer_offsets format', () => {
  it("places a group on Kafka's partition: abs(Java hashCode) % partitions", () => {
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648); // Integer.MIN_VALUE: abs is 0
    expect(partitionForGroup('polygenelubricants', 50)).toBe(0);
    expect(partitionForGroup('hello', 50)).toBe(99162322 % 50);
    expect(partitionForGroup('é-group', 4)).toBe(Math.abs(javaStringHashCode('é-group')) % 4);
  });

  it('writes versioned JSON keys and values', () => {
    expect(JSON.parse(offsetKey('g', 't', 3).toString())).toEqual({
      v: 1,
      kind: 'offset',
      group: 'g',
      topic: 't',
      partition: 3,
    });
    expect(decodeOffsetsKey(offsetKey('g', 't', 3))).toEqual({
      kind: 'offset',
      group: 'g',
      topic: 't',
      partition: 3,
    });
    expect(() => decodeOffsetsKey(Buffer.from('{"v":2}'))).toThrow(/Invalid key/);
    expect(() => decodeOffsetValue(Buffer.from('nope'))).toThrow(/not JSON/);
  });
});

describe('committed offsets', () => {
  it('survive a restart; unreadable records are skipped; requests during the load get COORDINATOR_LOAD_IN_PROGRESS', async () => {
    const dir = dataDir();
    let b = await open(dir);
    await b.createTopic('t', { partitions: 3 });
    expect((await commit(b, 'g', 't', [3, 1, 4])).every((r) => r.error === undefined)).toBe(true);
    await commit(b, 'g', 't', [5, 9]);
    const groupPartition = partitionForGroup('g', b.partitionCount(OFFSETS_TOPIC) ?? 0);
    await b.produceRecords(OFFSETS_TOPIC, [{ key: 'garbage', value: 'x', partition: groupPartition }]);
    await b.stop();

    b = await startBroker(dir); // not waiting for the load
    cleanups.push(() => b.stop());
    const early = await b.fetchOffsets('g', null);
    expect(early.error?.code).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(
      (
        await b.joinGroup('g', {
          memberId: '',
          clientId: 'c',
          clientHost: 'h',
          protocolType: 'consumer',
          protocols: [],
          sessionTimeoutMs: 10_000,
          rebalanceTimeoutMs: 10_000,
          requireKnownMemberId: true,
        })
      ).error?.code,
    ).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    await b.groups.whenLoaded();
    expect(await offsetsOf(b, 'g')).toEqual([['t', [5, 9, 4]]]);
    const fetched = await b.fetchOffsets('g', [{ topic: 't', partitions: [0, 2] }]);
    expect(fetched.topics[0]?.partitions.map((p) => p.metadata)).toEqual(['m0', 'm2']);
    expect(b.listGroups()).toEqual([{ groupId: 'g', protocolType: '', state: 'Empty' }]);
  });

  it('are removed for every group when their topic is deleted, and stay removed after a restart', async () => {
    const dir = dataDir();
    let b = await open(dir);
    await b.createTopic('gone', { partitions: 2 });
    await b.createTopic('kept', { partitions: 1 });
    await commit(b, 'a', 'gone', [1, 2]);
    await commit(b, 'a', 'kept', [7]);
    await commit(b, 'b', 'gone', [3]);
    await b.deleteTopic('gone');
    expect(await offsetsOf(b, 'a')).toEqual([['kept', [7]]]);
    expect(await offsetsOf(b, 'b')).toEqual([]);
    await b.stop();
    b = await open(dir);
    expect(await offsetsOf(b, 'a')).toEqual([['kept', [7]]]);
    expect(await offsetsOf(b, 'b')).toEqual([]);
    // Tombstones, not just a cache: they are in the log.
    const tombstones = (await readAll(b, OFFSETS_TOPIC, partitionForGroup('b', 4))).filter(
      (r) => r.value === null,
    );
    expect(tombstones.map((r) => JSON.parse(r.key ?? '{}').group)).toContain('b');
  });

  it('are tombstoned with the group metadata when the group is deleted', async () => {
    const dir = dataDir();
    let b = await open(dir);
    await b.createTopic('t', { partitions: 2 });
    await commit(b, 'doomed', 't', [1, 2]);
    await commit(b, 'other', 't', [3]);
    expect((await b.deleteGroups(['doomed']))[0]?.error).toBeUndefined();
    await b.stop();
    b = await open(dir);
    expect(await offsetsOf(b, 'doomed')).toEqual([]);
    expect(b.listGroups().map((g) => g.groupId)).toEqual(['other']);
  });

  it('are reset to earliest, latest, a timestamp or an offset, with a dry run', async () => {
    const b = await open(dataDir());
    await b.createTopic('t', { partitions: 2 });
    const t0 = Date.now();
    await b.produceRecords('t', [
      { value: 'a', partition: 0, timestamp: t0 },
      { value: 'b', partition: 0, timestamp: t0 + 10 },
      { value: 'c', partition: 0, timestamp: t0 + 20 },
      { value: 'd', partition: 1, timestamp: t0 },
    ]);
    await b.deleteRecords('t', [{ partition: 0, offset: 1 }]);
    const offsets = async () => (await b.fetchOffsets('g', null)).topics[0]?.partitions.map((p) => p.offset);
    await b.resetOffsets('g', { topic: 't', to: 'earliest' });
    expect(await offsets()).toEqual([1, 0]);
    const planned = await b.resetOffsets('g', { topic: 't', to: 'latest', dryRun: true });
    expect(planned.map((p) => [p.previousOffset, p.offset])).toEqual([
      [1, 3],
      [0, 1],
    ]);
    expect(await offsets()).toEqual([1, 0]);
    await b.resetOffsets('g', { topic: 't', to: { timestamp: t0 + 15 } });
    expect(await offsets()).toEqual([2, 1]);
    await b.resetOffsets('g', { topic: 't', partitions: [1], to: { offset: 0 } });
    expect(await offsets()).toEqual([2, 0]);
    await b.resetOffsets('g', { topic: 't', to: { offsets: [{ partition: 0, offset: 3 }] } });
    expect(await offsets()).toEqual([3, 0]);
    await expect(b.resetOffsets('g', { topic: 't', to: { offset: 99 } })).rejects.toMatchObject({
      code: 'OFFSET_OUT_OF_RANGE',
    });
    await expect(b.resetOffsets('g', { topic: 't', partitions: [5], to: 'latest' })).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it('give lag series that move with produce and commits, and per-partition lag with owners', async () => {
    const b = await open(dataDir());
    await b.createTopic('t', { partitions: 2 });
    await b.produceRecords(
      't',
      Array.from({ length: 10 }, (_, i) => ({ value: `${i}`, partition: i % 2 })),
    );
    await commit(b, 'g', 't', [1, 2]);
    const lag = (partition: number) =>
      b.metrics.latest({ kind: 'group_partition', group: 'g', topic: 't', partition, metric: 'lag' });
    b.metrics.sample();
    expect([lag(0), lag(1)]).toEqual([4, 3]);
    expect(b.metrics.latest({ kind: 'group', group: 'g', metric: 'lag' })).toBe(7);
    await b.produceRecords('t', [{ value: 'x', partition: 0 }]);
    b.metrics.sample();
    expect(lag(0)).toBe(5);
    await commit(b, 'g', 't', [6, 5]);
    b.metrics.sample();
    expect([lag(0), lag(1)]).toEqual([0, 0]);
    const history = b.metrics.history({ kind: 'group', group: 'g', metric: 'lag' });
    expect(history?.v.slice(-3)).toEqual([7, 8, 0]);

    const consumer = testConsumer(b, { groupId: 'live', topics: ['t'] });
    void consumer.run(() => undefined);
    cleanups.push(() => consumer.kill());
    await eventually(() => consumer.assignment().length === 1, 'an assignment');
    await consumer.commit();
    const described = await b.describeGroupOffsets('live');
    expect(described).toMatchObject({ state: 'Stable', protocol: 'range', topics: ['t'], totalLag: 0 });
    expect(described.partitions.map((p) => [p.partition, p.endOffset, p.memberId])).toEqual([
      [0, 6, consumer.memberId],
      [1, 5, consumer.memberId],
    ]);
  });
});

describe('negative commits', () => {
  // Kafka stores any offset; kafkajs's admin.resetOffsets commits -2 (earliest) or -1 (latest)
  // and its consumers resolve them to a position.
  it('are stored and fetched back as Kafka does, and count as no position for lag', async () => {
    const b = await open(dataDir());
    await b.createTopic('t', { partitions: 2 });
    await b.produceRecords('t', [{ value: 'a', partition: 0 }]);
    await commit(b, 'g', 't', [1, 0]);
    b.metrics.sample();
    const lag = (partition: number) =>
      b.metrics.latest({ kind: 'group_partition', group: 'g', topic: 't', partition, metric: 'lag' });
    expect(lag(0)).toBe(0);
    const results = await commit(b, 'g', 't', [-2, -1]);
    expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(await offsetsOf(b, 'g')).toEqual([['t', [-2, -1]]]);
    b.metrics.sample();
    expect(lag(0)).toBeUndefined();
    const described = await b.describeGroupOffsets('g');
    expect(described.partitions.map((p) => [p.committedOffset, p.lag])).toEqual([
      [null, null],
      [null, null],
    ]);
    // Not a number, or not an integer, is still refused.
    const refused = await commit(b, 'g', 't', [Number.NaN, 1.5]);
    expect(refused.map((r) => r.error?.code)).toEqual(['INVALID_REQUEST', 'INVALID_REQUEST']);
  });
});

describe('rebalance history', () => {
  it('survives a restart, ids go on increasing, and a subscription resumes after an id', async () => {
    const dir = dataDir();
    let b = await open(dir);
    await b.createTopic('t', { partitions: 2 });
    const live: StoredRebalance[] = [];
    const unsubscribe = b.subscribeRebalances((r) => live.push(r));
    for (const groupId of ['g1', 'g2']) {
      const consumer = testConsumer(b, { groupId, topics: ['t'] });
      void consumer.run(() => undefined);
      await eventually(() => consumer.generationId === 1, `${groupId} joined`);
      await consumer.close();
    }
    unsubscribe();
    const before = b.rebalanceHistory();
    expect(before.map((r) => [r.id, r.groupId, r.reason])).toEqual([
      [1, 'g1', 'initial'],
      [2, 'g1', 'member-left'],
      [3, 'g2', 'initial'],
      [4, 'g2', 'member-left'],
    ]);
    expect(live).toEqual(before);
    await b.stop();

    b = await open(dir);
    expect(b.rebalanceHistory()).toEqual(before);
    expect(b.rebalanceHistory({ groupId: 'g2' }).map((r) => r.id)).toEqual([3, 4]);
    expect(b.rebalanceHistory({ afterId: 2, limit: 1 }).map((r) => r.id)).toEqual([3]);
    expect(b.rebalanceHistory({ limit: 1 }).map((r) => r.id)).toEqual([4]);
    const resumed: number[] = [];
    b.subscribeRebalances((r) => resumed.push(r.id), { afterId: 2 });
    const consumer = testConsumer(b, { groupId: 'g3', topics: ['t'] });
    void consumer.run(() => undefined);
    cleanups.push(() => consumer.kill());
    await eventually(() => consumer.generationId === 1, 'g3 joined');
    expect(resumed).toEqual([3, 4, 5]);
    expect(b.listTopics({ includeInternal: true }).map((t) => t.name)).toContain(REBALANCES_TOPIC);
  });

  it('keeps a bounded history, overall and per group, tombstoning what it drops', async () => {
    const dir = dataDir();
    const options = {
      groups: {
        coordinator: { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 100 },
        rebalanceHistorySize: 5,
        rebalanceHistoryPerGroup: 3,
      },
    };
    let b = await startBroker(dir, options);
    await b.groups.whenLoaded();
    await b.createTopic('t', { partitions: 1 });
    for (const groupId of ['a', 'a', 'a', 'b', 'b']) {
      const consumer = testConsumer(b, { groupId, topics: ['t'] });
      void consumer.run(() => undefined);
      await eventually(() => consumer.generationId >= 1, 'joined');
      await consumer.close();
    }
    // 10 rebalances (join + leave each); 'a' had 6, 'b' 4.
    const kept = b.rebalanceHistory({ limit: 100 });
    // Per group at most 3 ('a' loses 1-3, 'b' loses 7), overall at most 5 (4 goes).
    expect(kept.map((r) => `${r.groupId}${r.id}`)).toEqual(['a5', 'a6', 'b8', 'b9', 'b10']);
    await b.stop();
    b = await startBroker(dir, options);
    cleanups.push(() => b.stop());
    await b.groups.whenLoaded();
    expect(b.rebalanceHistory({ limit: 100 })).toEqual(kept);
  });
});
