import { CONSUMER_PROTOCOL_TYPE, tryDecodeAssignment, type TopicPartitions } from './consumer-protocol';
import type { GroupSnapshot } from './group-snapshot';

/**
 * Why a rebalance started. A rebalance caused by several events (a member leaves, another joins
 * before the join phase ends) keeps the first one.
 *
 * - `initial`               the first member(s) joined an Empty group (a new group, or one all of
 *                           whose members had left)
 * - `member-joined`         a new member joined a group that had members, or a restarted static
 *                           member came back with different protocols (or during a sync phase)
 * - `member-rejoined`       a known member rejoined with changed metadata (e.g. a new
 *                           subscription), or the leader rejoined a Stable group (clients do this
 *                           when they see topic metadata change)
 * - `member-left`           LeaveGroup
 * - `session-expired`       a member sent no heartbeat within its session timeout
 * - `sync-timeout`          members sent no SyncGroup within the rebalance timeout after a join
 *                           phase (they are removed and the group rebalances again)
 * - `topic-metadata-change` the broker reported partitions added to, or the deletion of, a topic
 *                           the group subscribes to
 */
export type RebalanceReason =
  | 'initial'
  | 'member-joined'
  | 'member-rejoined'
  | 'member-left'
  | 'session-expired'
  | 'sync-timeout'
  | 'topic-metadata-change';

/**
 * Why a member left the group during (or as the trigger of) a rebalance. `rebalance-timeout`: a
 * dynamic member did not rejoin before the join phase ended on its rebalance timeout.
 */
export type MemberRemovalCause = 'left' | 'session-expired' | 'rebalance-timeout' | 'sync-timeout';

export interface RecordedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
}

export interface RemovedMember extends RecordedMember {
  cause: MemberRemovalCause;
  at: number;
}

/** Decoded when the group's protocol type is "consumer" and the bytes decode; raw base64 otherwise. */
export type RecordedAssignment =
  | { memberId: string; format: 'consumer'; partitions: TopicPartitions[]; userData: string | null }
  | { memberId: string; format: 'raw'; bytes: string };

/** One completed rebalance. Plain JSON, so the owner can persist it as it is. */
export interface RebalanceRecord {
  groupId: string;
  reason: RebalanceReason;
  protocolType: string | null;
  protocolBefore: string | null;
  protocolAfter: string | null;
  generationBefore: number;
  generationAfter: number;
  leaderBefore: string | null;
  leaderAfter: string | null;
  membersBefore: RecordedMember[];
  membersAfter: RecordedMember[];
  assignmentsBefore: RecordedAssignment[];
  assignmentsAfter: RecordedAssignment[];
  /** Members removed by the trigger or during the rebalance, with why. */
  removedMembers: RemovedMember[];
  startedAt: number;
  endedAt: number;
  durationMs: number;
}

export function buildRebalanceRecord(args: {
  reason: RebalanceReason;
  before: GroupSnapshot;
  after: GroupSnapshot;
  removedMembers: RemovedMember[];
  startedAt: number;
  endedAt: number;
}): RebalanceRecord {
  const { before, after } = args;
  return {
    groupId: after.groupId,
    reason: args.reason,
    protocolType: after.protocolType ?? before.protocolType,
    protocolBefore: before.protocolName,
    protocolAfter: after.protocolName,
    generationBefore: before.generationId,
    generationAfter: after.generationId,
    leaderBefore: before.leaderId,
    leaderAfter: after.leaderId,
    membersBefore: recordedMembers(before),
    membersAfter: recordedMembers(after),
    assignmentsBefore: recordedAssignments(before),
    assignmentsAfter: recordedAssignments(after),
    removedMembers: args.removedMembers,
    startedAt: args.startedAt,
    endedAt: args.endedAt,
    durationMs: args.endedAt - args.startedAt,
  };
}

function recordedMembers(snapshot: GroupSnapshot): RecordedMember[] {
  return snapshot.members.map((m) => ({
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId,
    clientId: m.clientId,
    clientHost: m.clientHost,
  }));
}

function recordedAssignments(snapshot: GroupSnapshot): RecordedAssignment[] {
  return snapshot.members.map((m) => {
    const decoded =
      snapshot.protocolType === CONSUMER_PROTOCOL_TYPE
        ? tryDecodeAssignment(Buffer.from(m.assignment, 'base64'))
        : undefined;
    if (!decoded) return { memberId: m.memberId, format: 'raw', bytes: m.assignment };
    return {
      memberId: m.memberId,
      format: 'consumer',
      partitions: decoded.assignedPartitions,
      userData: decoded.userData?.toString('base64') ?? null,
    };
  });
}
