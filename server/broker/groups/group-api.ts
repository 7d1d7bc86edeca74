import type { BrokerError } from '../errors';
import type { GroupState } from './group-state';
import type { GroupSnapshot } from './group-snapshot';
import type { RebalanceRecord } from './rebalance-record';

/** Requests and results of the GroupCoordinator, shaped after Kafka's group APIs. */

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  /** '' for a member joining for the first time. */
  memberId: string;
  groupInstanceId?: string | null;
  clientId: string;
  clientHost: string;
  protocolType: string;
  /** In the member's order of preference. */
  protocols: readonly GroupProtocol[];
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /** JoinGroup v4+ (KIP-394): a new dynamic member first gets MEMBER_ID_REQUIRED and its id. */
  requireKnownMemberId: boolean;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResult {
  error?: BrokerError;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  /** '' when there is none (errors). */
  leader: string;
  memberId: string;
  /** Every member's metadata for the chosen protocol, for the leader only; empty for the others. */
  members: JoinGroupMember[];
  /** KIP-814 (JoinGroup v9+); this coordinator never asks a leader to skip its assignment. */
  skipAssignment: boolean;
}

export interface SyncGroupRequest {
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
  /** SyncGroup v5+: checked against the group's when given. */
  protocolType?: string | null;
  protocolName?: string | null;
  /** The leader's assignment; empty from followers. */
  assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>;
}

export interface SyncGroupResult {
  error?: BrokerError;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  memberId: string;
  groupInstanceId?: string | null;
  generationId: number;
}

export interface HeartbeatResult {
  error?: BrokerError;
}

export interface LeaveGroupMember {
  /** '' with a groupInstanceId: an administrative removal of that static member. */
  memberId: string;
  groupInstanceId?: string | null;
}

export interface LeaveGroupResult {
  /** Group-level error (invalid group id, coordinator not available). */
  error?: BrokerError;
  members: Array<{ memberId: string; groupInstanceId: string | null; error?: BrokerError }>;
}

export interface OffsetCommitMember {
  memberId: string;
  groupInstanceId?: string | null;
  /** -1 for a "simple" commit by a consumer that does not use group management. */
  generationId: number;
}

export interface MemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** The metadata for the group's protocol; empty unless the group is Stable (as in Kafka). */
  metadata: Buffer;
  /** Empty unless the group is Stable (as in Kafka). */
  assignment: Buffer;
}

export interface GroupDescription {
  groupId: string;
  /** 'Dead' for an unknown group, as Kafka's DescribeGroups answers. */
  state: GroupState;
  protocolType: string;
  /** The chosen protocol; '' unless the group is Stable. */
  protocol: string;
  generationId: number;
  leader: string;
  members: MemberDescription[];
}

export interface GroupListing {
  groupId: string;
  protocolType: string;
  state: GroupState;
}

export interface GroupCoordinatorConfig {
  /** group.initial.rebalance.delay.ms */
  initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms */
  minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  maxSessionTimeoutMs: number;
  /** group.max.size */
  maxGroupSize: number;
  /** How long a new member may wait in a join phase before it is dropped (Kafka: 5 minutes). */
  newMemberJoinTimeoutMs: number;
}

export const DEFAULT_GROUP_COORDINATOR_CONFIG: Readonly<GroupCoordinatorConfig> = {
  initialRebalanceDelayMs: 3000,
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  maxGroupSize: 2_147_483_647,
  newMemberJoinTimeoutMs: 300_000,
};

/**
 * What the owner learns from the coordinator. Called synchronously, after the state change is
 * complete, from inside whichever call or timer caused it.
 */
export interface GroupCoordinatorListener {
  /** A rebalance completed (the group reached Stable, or Empty when no member was left). */
  onRebalance?(record: RebalanceRecord): void;
  /** Kafka's storeGroup: the group metadata record to persist (in __consumer_offsets). */
  onGroupStored?(snapshot: GroupSnapshot): void;
  /** The group was deleted: persist a tombstone. */
  onGroupRemoved?(groupId: string): void;
}
