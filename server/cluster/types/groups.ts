import type { ActorRef, EpochMillis } from './common';

/** Consumer groups, their offsets and their rebalances. */

/** Kafka's classic group protocol states. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupSummary {
  groupId: string;
  state: GroupState;
  /** 'consumer' for Kafka consumers; other protocol types are listed but not interpreted. */
  protocolType: string;
  /** The assignor the members agreed on (range, roundrobin, cooperative-sticky...). */
  protocol: string;
  generation: number;
  members: number;
  topics: string[];
  /** Sum of per-partition lag over partitions with a committed offset. */
  totalLag: number;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  assignment: TopicPartitions[];
}

export interface GroupPartitionOffset {
  topic: string;
  partition: number;
  /** null when the group never committed for this partition. */
  committedOffset: number | null;
  endOffset: number;
  lag: number | null;
  /** The member currently assigned this partition, if any. */
  memberId: string | null;
}

export interface GroupDescription extends Omit<GroupSummary, 'members'> {
  /** The summary's member count is members.length here. */
  members: GroupMember[];
  offsets: GroupPartitionOffset[];
  actor: ActorRef | null;
}

export type OffsetResetTarget =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'timestamp'; timestamp: EpochMillis }
  | { kind: 'explicit'; offsets: { partition: number; offset: number }[] };

export interface ResetOffsetsRequest {
  groupId: string;
  topic: string;
  /** Restrict to these partitions; all of the topic's when absent. */
  partitions?: number[];
  target: OffsetResetTarget;
  /** Compute and return the new offsets without committing them. */
  dryRun: boolean;
}

export type RebalanceReason = 'join' | 'leave' | 'session-expiry' | 'topic-change' | 'other';

export interface MemberAssignment {
  memberId: string;
  clientId: string;
  assignment: TopicPartitions[];
}

/** One rebalance of one group (DESIGN "Producers, consumers, groups"). */
export interface RebalanceRecord {
  id: number;
  groupId: string;
  generationBefore: number;
  /** null while the rebalance is in progress. */
  generationAfter: number | null;
  reason: RebalanceReason;
  /** Who joined, left or expired, in words. */
  reasonDetail: string;
  membersBefore: MemberAssignment[];
  membersAfter: MemberAssignment[];
  startedAt: EpochMillis;
  endedAt: EpochMillis | null;
  durationMs: number | null;
}

export interface RebalanceQuery {
  groupId?: string;
  /** Only rebalances that started at or after this time. */
  since?: EpochMillis;
  limit: number;
}
