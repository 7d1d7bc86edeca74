import { BrokerError } from '../errors';
import type { OffsetCommitEntry } from './group-actor';
import type { GroupEntry } from './group-directory';
import { groupError } from './group-results';
import { askFailure, type GroupRuntime } from './group-runtime';
import type {
  FetchedOffset,
  OffsetCommitPartition,
  OffsetDeleteResult,
  OffsetFetchResult,
  OffsetFetchTopic,
  ResetOffset,
  ResetOffsetsRequest,
  TopicPartitionError,
} from './group-service-api';
import type { TopicPartition } from './offset-store';
import { planReset } from './offset-reset';

// A group's committed offsets: OffsetCommit, OffsetFetch (from the cache), OffsetDelete, and the
// console's reset. Writes go through the group's actor to `__consumer_offsets`.

function groupLevelError(rt: GroupRuntime, groupId: string): BrokerError | undefined {
  return rt.unavailable(groupId) ?? (groupId ? undefined : groupError('INVALID_GROUP_ID', groupId));
}

/**
 * OffsetCommit. Unknown topics or partitions, bad offsets and oversized metadata fail alone;
 * the group's verdict (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS...) applies
 * to every other partition. A generation of -1 is a "simple" commit, allowed while the group
 * has no members (it creates the group). Resolves once the commit is in `__consumer_offsets`.
 */
export async function commitOffsets(
  rt: GroupRuntime,
  groupId: string,
  memberId: string,
  generationId: number,
  groupInstanceId: string | null,
  offsets: readonly OffsetCommitPartition[],
): Promise<TopicPartitionError[]> {
  const results: TopicPartitionError[] = offsets.map((o) => ({ topic: o.topic, partition: o.partition }));
  const groupLevel = groupLevelError(rt, groupId);
  if (groupLevel) return results.map((r) => ({ ...r, error: groupLevel }));
  const valid: { index: number; commit: OffsetCommitEntry }[] = [];
  const now = rt.ctx.options.clock();
  offsets.forEach((o, index) => {
    const error = checkCommit(rt, o);
    if (error) (results[index] as TopicPartitionError).error = error;
    else {
      const value = {
        offset: o.offset,
        leaderEpoch: o.leaderEpoch ?? -1,
        metadata: o.metadata ?? '',
        commitTimestamp: now,
      };
      valid.push({ index, commit: { topic: o.topic, partition: o.partition, value } });
    }
  });
  if (valid.length === 0) return results;
  const member = { memberId, groupInstanceId, generationId };
  let error: BrokerError | undefined;
  let entry: GroupEntry | undefined = rt.directory.get(groupId);
  if (entry === undefined && generationId >= 0) {
    error = rt.nobody.validateOffsetCommit(groupId, member).error;
  } else {
    entry ??= await rt.directory.obtain(groupId);
    try {
      const commits = valid.map((v) => v.commit);
      error = (
        await (
          await entry.ref.ask({ type: 'commit', member, commits }, rt.ctx.options.requestTimeoutMs)
        ).result
      ).error;
    } catch (e) {
      error = askFailure(groupId, e);
    }
  }
  if (error) for (const { index } of valid) (results[index] as TopicPartitionError).error = error;
  return results;
}

function checkCommit(rt: GroupRuntime, o: OffsetCommitPartition): BrokerError | undefined {
  const handle = rt.ctx.registry.get(o.topic)?.partitions[o.partition];
  if (handle === undefined) {
    return new BrokerError(
      'UNKNOWN_TOPIC_OR_PARTITION',
      `Cannot commit an offset for partition ${String(o.partition)} of '${String(o.topic)}': it does not exist`,
    );
  }
  // Any integer, as Kafka stores it: kafkajs's resetOffsets commits -2 (earliest) or -1 (latest)
  // and its consumers resolve them; lag treats a negative commit as no position.
  if (!Number.isSafeInteger(o.offset)) {
    return new BrokerError(
      'INVALID_REQUEST',
      `Committed offset of ${handle.name} must be an integer, got ${String(o.offset)}`,
    );
  }
  const metadata = o.metadata ?? '';
  if (typeof metadata !== 'string' || Buffer.byteLength(metadata) > rt.options.maxOffsetMetadataBytes) {
    return new BrokerError(
      'INVALID_REQUEST',
      `Offset metadata of ${handle.name} is longer than offset.metadata.max.bytes (${rt.options.maxOffsetMetadataBytes})`,
    );
  }
  return undefined;
}

/** OffsetFetch: `null` topics = every committed partition. Uncommitted partitions answer -1. */
export async function fetchOffsets(
  rt: GroupRuntime,
  groupId: string,
  topics: readonly OffsetFetchTopic[] | null,
): Promise<OffsetFetchResult> {
  const error = groupLevelError(rt, groupId);
  if (error) return { error, topics: [] };
  const committed = rt.store.committed(groupId);
  const wanted =
    topics ?? [...(committed?.keys() ?? [])].sort().map((topic): OffsetFetchTopic => ({ topic }));
  return {
    topics: wanted.map(({ topic, partitions }) => {
      const byPartition = committed?.get(topic);
      const list = partitions ?? [...(byPartition?.keys() ?? [])].sort((a, b) => a - b);
      return {
        topic,
        partitions: list.map((partition): FetchedOffset => {
          const c = byPartition?.get(partition);
          return c
            ? { partition, offset: c.offset, leaderEpoch: c.leaderEpoch, metadata: c.metadata }
            : { partition, offset: -1, leaderEpoch: -1, metadata: '' };
        }),
      };
    }),
  };
}

/** OffsetDelete: only partitions of topics the group does not subscribe to while it has members. */
export async function deleteOffsets(
  rt: GroupRuntime,
  groupId: string,
  partitions: readonly TopicPartition[],
): Promise<OffsetDeleteResult> {
  const error = groupLevelError(rt, groupId);
  if (error) return { error, partitions: [] };
  const entry = rt.directory.get(groupId);
  if (entry === undefined) return { error: groupError('GROUP_ID_NOT_FOUND', groupId), partitions: [] };
  const known: TopicPartition[] = [];
  const unknown: TopicPartitionError[] = [];
  for (const tp of partitions) {
    if (rt.ctx.registry.get(tp.topic)?.partitions[tp.partition] === undefined) {
      const msg = `Partition ${tp.partition} of '${tp.topic}' does not exist`;
      unknown.push({ ...tp, error: new BrokerError('UNKNOWN_TOPIC_OR_PARTITION', msg) });
    } else known.push({ topic: tp.topic, partition: tp.partition });
  }
  try {
    const result = await (
      await entry.ref.ask({ type: 'deleteOffsets', partitions: known }, rt.ctx.options.requestTimeoutMs)
    ).result;
    for (const r of result.partitions) {
      if (!r.error) rt.ctx.metrics.removeGroupPartition(groupId, r.topic, r.partition);
    }
    return result.error ? result : { partitions: [...result.partitions, ...unknown] };
  } catch (e) {
    return { error: askFailure(groupId, e), partitions: [] };
  }
}

/**
 * Moves a group's committed offsets (the console's reset, kafka-consumer-groups
 * --reset-offsets). Only while the group has no members: NON_EMPTY_GROUP otherwise, dry run or
 * not. Returns the new offsets (proposed ones for a dry run).
 */
export async function resetOffsets(
  rt: GroupRuntime,
  groupId: string,
  request: ResetOffsetsRequest,
): Promise<ResetOffset[]> {
  const unavailable = groupLevelError(rt, groupId);
  if (unavailable) throw unavailable;
  const plan = await planReset(rt.ctx, rt.store, groupId, request);
  const existing = rt.directory.get(groupId);
  if (existing !== undefined && existing.state !== 'Empty' && existing.state !== 'Dead') {
    throw groupError(
      'NON_EMPTY_GROUP',
      groupId,
      `the group is ${existing.state}: stop its consumers before resetting its offsets`,
    );
  }
  if (request.dryRun === true || plan.length === 0) return plan;
  const entry = existing ?? (await rt.directory.obtain(groupId));
  const now = rt.ctx.options.clock();
  const commits = plan.map((p) => ({
    topic: p.topic,
    partition: p.partition,
    value: { offset: p.offset, leaderEpoch: -1, metadata: '', commitTimestamp: now },
  }));
  let error: BrokerError | undefined;
  try {
    error = (await (await entry.ref.ask({ type: 'reset', commits }, rt.ctx.options.requestTimeoutMs)).result)
      .error;
  } catch (e) {
    error = askFailure(groupId, e);
  }
  if (error) throw error;
  return plan;
}
