import type { TopicPartitions } from '../groups/consumer-protocol';
import { tpKey } from './client-support';
import type { ConsumerBroker, ConsumerStats, InProcessConsumerOptions } from './consumer-options';
import type { GroupMembership } from './group-membership';

// The in-process consumer's offsets: where each owned partition is read from (its position) and
// what was last committed for it.

export interface Position {
  topic: string;
  partition: number;
  offset: number;
}

export interface ConsumerOffsets {
  readonly broker: ConsumerBroker;
  readonly options: InProcessConsumerOptions;
  readonly membership: GroupMembership;
  readonly stats: ConsumerStats;
  readonly positions: Map<string, Position>;
  readonly committed: Map<string, number>;
}

/** Each new partition starts at its committed offset, else at autoOffsetReset. */
export async function initPositions(
  c: ConsumerOffsets,
  assignment: readonly TopicPartitions[],
): Promise<void> {
  const missing = assignment
    .map((tp) => ({
      topic: tp.topic,
      partitions: tp.partitions.filter((p) => !c.positions.has(tpKey(tp.topic, p))),
    }))
    .filter((tp) => tp.partitions.length > 0);
  if (missing.length === 0) return;
  const fetched = await c.broker.fetchOffsets(c.options.groupId, missing);
  if (fetched.error) throw fetched.error;
  for (const { topic, partitions } of fetched.topics) {
    for (const { partition, offset, error } of partitions) {
      if (error) throw error;
      let start = offset;
      if (start < 0) {
        start = (await c.broker.listOffsets(topic, partition, c.options.autoOffsetReset ?? 'latest')).offset;
      } else {
        c.committed.set(tpKey(topic, partition), offset);
      }
      c.positions.set(tpKey(topic, partition), { topic, partition, offset: start });
    }
  }
}

/** Commits the positions of the owned partitions that moved since their last commit. */
export async function commitPositions(c: ConsumerOffsets): Promise<void> {
  const m = c.membership;
  const offsets = [...c.positions.values()].filter(
    (p) => c.committed.get(tpKey(p.topic, p.partition)) !== p.offset,
  );
  if (offsets.length === 0 || !m.inGeneration) return;
  const snapshot = offsets.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset }));
  const results = await c.broker.commitOffsets(
    c.options.groupId,
    m.memberId,
    m.generationId,
    c.options.groupInstanceId ?? null,
    snapshot,
  );
  const done = snapshot.filter((_, i) => results[i]?.error === undefined);
  for (const p of done) c.committed.set(tpKey(p.topic, p.partition), p.offset);
  if (done.length > 0) {
    c.stats.commits++;
    c.options.onCommit?.(done);
  }
  const failure = results.find((r) => r.error !== undefined)?.error;
  if (failure === undefined) return;
  if (failure.code === 'UNKNOWN_MEMBER_ID') m.resetMember();
  if (
    ['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'].includes(
      failure.code,
    )
  ) {
    m.requestRejoin(failure.code);
  }
  throw failure;
}
