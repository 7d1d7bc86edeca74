import type { BackoffOptions } from '../actors';
import type { BrokerError } from '../errors';
import type { GroupCoordinatorConfig, GroupDescription } from './group-api';
import type { GroupState } from './group-state';
import type { RebalanceRecord } from './rebalance-record';

/**
 * The broker's group API beyond the coordinator's own requests (join, sync, heartbeat, leave are
 * in group-api.ts): committed offsets, group administration, lag and rebalance history.
 *
 * Error channels, as in Kafka's responses: the Kafka-shaped calls (join, sync, heartbeat, leave,
 * describeGroups, deleteGroups, commitOffsets, fetchOffsets, deleteOffsets) answer client errors
 * in their results (`error` per group, member or partition) and reject only when the broker is not
 * running. The console-shaped calls (listGroups, describeGroupOffsets, resetOffsets,
 * rebalanceHistory) throw BrokerErrors. While `__consumer_offsets` is still loading after a start,
 * every group call answers COORDINATOR_LOAD_IN_PROGRESS (retriable, as Kafka answers; librdkafka
 * retries an OffsetFetch after it, where after NOT_COORDINATOR it only looks the coordinator up).
 */

export interface GroupServiceOptions {
  /** Coordinator timings and limits (group.initial.rebalance.delay.ms, session timeout bounds...). */
  coordinator?: Partial<GroupCoordinatorConfig>;
  /** Partitions of `__consumer_offsets` when the broker creates it (offsets.topic.num.partitions). Default 4. */
  offsetsTopicPartitions?: number;
  /** offset.metadata.max.bytes. Default 4 096. */
  maxOffsetMetadataBytes?: number;
  /** Rebalance records kept overall. Default 1 000. */
  rebalanceHistorySize?: number;
  /** Rebalance records kept per group, so that one flapping group cannot push out the others. Default 250. */
  rebalanceHistoryPerGroup?: number;
  /**
   * Restarts of a failing group actor: at most `maxRestarts` (default 10) within `withinMs`
   * (default 60 000), with backoff (default 50 ms doubling to 5 s; `null`: at once). Past the
   * limit the group goes offline alone until an operator restarts it.
   */
  supervision?: { maxRestarts?: number; withinMs?: number; backoff?: BackoffOptions | null };
}

export interface ResolvedGroupServiceOptions {
  readonly coordinator: GroupCoordinatorConfig;
  readonly offsetsTopicPartitions: number;
  readonly maxOffsetMetadataBytes: number;
  readonly rebalanceHistorySize: number;
  readonly rebalanceHistoryPerGroup: number;
  readonly supervision: {
    readonly maxRestarts: number;
    readonly withinMs: number;
    readonly backoff: BackoffOptions | undefined;
  };
}

// ---- offsets --------------------------------------------------------------------------------------

export interface OffsetCommitPartition {
  topic: string;
  partition: number;
  offset: number;
  /** -1 or absent when unknown. */
  leaderEpoch?: number;
  /** Free text the client attaches (offset.metadata.max.bytes applies); null is stored as ''. */
  metadata?: string | null;
}

export interface TopicPartitionError {
  topic: string;
  partition: number;
  /** UNKNOWN_TOPIC_OR_PARTITION, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS... */
  error?: BrokerError;
}

/** One stored commit (Kafka's OffsetAndMetadata). */
export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
}

export interface OffsetFetchTopic {
  topic: string;
  /** Absent: every partition of the topic the group committed. */
  partitions?: readonly number[];
}

export interface FetchedOffset {
  partition: number;
  /** -1 when the group has no commit for the partition (Kafka's answer). */
  offset: number;
  leaderEpoch: number;
  metadata: string;
  error?: BrokerError;
}

export interface OffsetFetchResult {
  /** Group-level: INVALID_GROUP_ID, COORDINATOR_LOAD_IN_PROGRESS while loading. */
  error?: BrokerError;
  topics: Array<{ topic: string; partitions: FetchedOffset[] }>;
}

export interface OffsetDeleteResult {
  /** Group-level: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP (non-consumer protocol), NOT_COORDINATOR... */
  error?: BrokerError;
  /** Per partition: GROUP_SUBSCRIBED_TO_TOPIC, UNKNOWN_TOPIC_OR_PARTITION. */
  partitions: TopicPartitionError[];
}

export type OffsetResetTo =
  | 'earliest'
  | 'latest'
  /** The first offset at or after the timestamp; the end offset when there is none. */
  | { timestamp: number }
  /** The same offset for every partition reset. */
  | { offset: number }
  /** Per partition; partitions not listed keep their commit. */
  | { offsets: ReadonlyArray<{ partition: number; offset: number }> };

export interface ResetOffsetsRequest {
  topic: string;
  /** Default: every partition of the topic. */
  partitions?: readonly number[];
  to: OffsetResetTo;
  /** Compute and return the new offsets, commit nothing. */
  dryRun?: boolean;
}

export interface ResetOffset {
  topic: string;
  partition: number;
  /** The offset before the reset; null when the group had none. */
  previousOffset: number | null;
  offset: number;
}

// ---- groups ---------------------------------------------------------------------------------------

export interface DescribedGroup extends GroupDescription {
  /** COORDINATOR_LOAD_IN_PROGRESS while loading, INVALID_GROUP_ID; an unknown group is 'Dead', no error. */
  error?: BrokerError;
}

export interface ListedGroup {
  groupId: string;
  /** '' for a group that only has committed offsets (simple consumers, admin resets). */
  protocolType: string;
  state: GroupState;
}

export interface ListGroupsOptions {
  /** Kafka's ListGroups v4 states filter; all states when absent or empty. */
  states?: readonly GroupState[];
}

export interface GroupDeletion {
  groupId: string;
  /** GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, INVALID_GROUP_ID, NOT_COORDINATOR. */
  error?: BrokerError;
}

/** For the console: per partition the committed offset, end offset, lag and owner. */
export interface GroupPartitionLag {
  topic: string;
  partition: number;
  /** null when the group never committed for this partition. */
  committedOffset: number | null;
  endOffset: number;
  /** endOffset - committedOffset (never below 0); null without a commit. */
  lag: number | null;
  /** The member the current assignment gives the partition to, if any. */
  memberId: string | null;
  clientId: string | null;
}

export interface GroupOffsetsDescription {
  groupId: string;
  state: GroupState;
  protocolType: string;
  protocol: string;
  generationId: number;
  /** Topics subscribed (consumer protocol), committed or assigned, sorted. */
  topics: string[];
  partitions: GroupPartitionLag[];
  totalLag: number;
}

// ---- rebalance history ---------------------------------------------------------------------------

/** A completed rebalance with its id: monotonically increasing, across restarts. */
export interface StoredRebalance extends RebalanceRecord {
  id: number;
}

export interface RebalanceHistoryQuery {
  groupId?: string;
  /** Only records with a larger id (resuming a stream), oldest first from there. */
  afterId?: number;
  /** Only rebalances that started at or after this time. */
  since?: number;
  /** At most this many: the first ones after `afterId`, else the newest ones. Default 100. */
  limit?: number;
}

export type RebalanceListener = (record: StoredRebalance) => void;
