/**
 * Test support for the client compatibility matrix (server/kafka/compat/): a broker with short
 * group timings, the records every client produces, and the checks every client must pass
 * (each key on its murmur2 partition, everything consumed and committed, one rebalance that
 * splits the partitions between two members).
 */
import { expect } from 'vitest';
import type { Broker, StoredRebalance } from '../../broker/broker';
import { partitionForKey } from '../../broker/partitioner/murmur2';
import { startBrokerListener, type BrokerListener, type BrokerListenerOptions } from './broker-listener';

export const RECORDS = 10_000;
export const PARTITIONS = 4;

/** A broker whose groups form fast: no initial rebalance delay to speak of, short sessions allowed. */
export function startCompatBroker(
  options: Pick<BrokerListenerOptions, 'wrap'> = {},
): Promise<BrokerListener> {
  return startBrokerListener({
    broker: {
      groups: { coordinator: { initialRebalanceDelayMs: 100, minSessionTimeoutMs: 1000 } },
    },
    ...options,
  });
}

/** `key-0` ... `key-<n-1>`, each with a value naming the client, as `key:value` pairs. */
export function keyedRecords(client: string, n = RECORDS, from = 0): { key: string; value: string }[] {
  return Array.from({ length: n }, (_, i) => ({ key: `key-${from + i}`, value: `${client}-${from + i}` }));
}

export interface ConsumedRecord {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

/**
 * Every record of `produced` consumed exactly once per key (at least once is allowed: duplicates
 * are dropped by offset), each on the partition Kafka's Java client puts its key.
 */
export function expectAllOnMurmur2(
  consumed: readonly ConsumedRecord[],
  produced: readonly { key: string; value: string }[],
  partitions = PARTITIONS,
): void {
  const unique = new Map(consumed.map((r) => [`${r.partition}/${r.offset}`, r]));
  const byKey = new Map([...unique.values()].map((r) => [r.key, r]));
  expect(unique.size, 'records consumed (distinct offsets)').toBe(produced.length);
  const wrong = [...unique.values()].filter(
    (r) => r.partition !== partitionForKey(Buffer.from(r.key), partitions),
  );
  expect(wrong.slice(0, 5), 'records off their murmur2 partition').toEqual([]);
  const missing = produced.filter((p) => byKey.get(p.key)?.value !== p.value);
  expect(missing.slice(0, 5), 'records produced but not consumed').toEqual([]);
}

/** Each partition's end offset (the log end), for "everything is committed". */
export async function endOffsets(broker: Broker, topic: string, partitions = PARTITIONS): Promise<number[]> {
  return Promise.all(
    Array.from({ length: partitions }, async (_, p) => (await broker.listOffsets(topic, p, 'latest')).offset),
  );
}

/** The group's committed offset per partition (-1 for none), as the coordinator answers OffsetFetch. */
export async function committedOffsets(
  broker: Broker,
  groupId: string,
  topic: string,
  partitions = PARTITIONS,
): Promise<number[]> {
  const wanted = Array.from({ length: partitions }, (_, p) => p);
  const result = await broker.fetchOffsets(groupId, [{ topic, partitions: wanted }]);
  expect(result.error).toBeUndefined();
  return (result.topics[0]?.partitions ?? []).map((p) => p.offset);
}

/** Polls (timers, not a hot loop) until `check` resolves truthy; fails with `what` after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The group's rebalances after `afterId` (all when absent), oldest first. */
export function rebalancesOf(broker: Broker, groupId: string, afterId?: number): StoredRebalance[] {
  return broker.rebalanceHistory({ groupId, ...(afterId !== undefined && { afterId }), limit: 1000 });
}

/** The newest rebalance id of the group (0 when none), to count the ones after it. */
export function lastRebalanceId(broker: Broker, groupId: string): number {
  return rebalancesOf(broker, groupId).at(-1)?.id ?? 0;
}

/** Partitions of `topic` per member in a rebalance record's new assignment (consumer protocol). */
export function assignmentsAfter(record: StoredRebalance, topic: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const a of record.assignmentsAfter) {
    expect(a.format, `assignment of ${a.memberId}`).toBe('consumer');
    if (a.format !== 'consumer') continue;
    const partitions = a.partitions.filter((tp) => tp.topic === topic).flatMap((tp) => tp.partitions);
    out.set(
      a.memberId,
      [...partitions].sort((x, y) => x - y),
    );
  }
  return out;
}

/**
 * A second member joined a Stable one-member group: exactly one rebalance since `afterId`, for
 * member-joined, one generation further, two members each given partitions, disjoint and together
 * covering the topic. Returns the two members' partitions.
 */
export function expectOneSplit(
  broker: Broker,
  groupId: string,
  topic: string,
  afterId: number,
  partitions = PARTITIONS,
): Map<string, number[]> {
  const after = rebalancesOf(broker, groupId, afterId);
  expect(
    after.map((r) => [r.reason, r.generationAfter - r.generationBefore]),
    'rebalances after the second member joined',
  ).toEqual([['member-joined', 1]]);
  const record = after[0] as StoredRebalance;
  expect(record.membersAfter).toHaveLength(2);
  const assigned = assignmentsAfter(record, topic);
  expect(assigned.size).toBe(2);
  expectPartitionsSplit([...assigned.values()], partitions);
  return assigned;
}

/** Each member has at least one partition; no partition twice; every partition once. */
export function expectPartitionsSplit(
  perMember: readonly (readonly number[])[],
  partitions = PARTITIONS,
): void {
  for (const mine of perMember) expect(mine.length, `partitions of a member: ${mine}`).toBeGreaterThan(0);
  const all = perMember.flat().sort((a, b) => a - b);
  expect(all, 'partitions of both members').toEqual(Array.from({ length: partitions }, (_, p) => p));
}

/** Waits until the group is Stable with `members` members and returns its rebalances after `afterId`. */
export async function waitForStable(
  broker: Broker,
  groupId: string,
  members: number,
  afterId: number,
  timeoutMs = 30_000,
): Promise<StoredRebalance[]> {
  return waitUntil(
    `group ${groupId} Stable with ${members} member(s)`,
    async () => {
      const [g] = await broker.describeGroups([groupId]);
      if (g?.state !== 'Stable' || g.members.length !== members) return undefined;
      const after = rebalancesOf(broker, groupId, afterId);
      return after.length > 0 ? after : undefined;
    },
    timeoutMs,
  );
}
