import type { RebalanceReason as BrokerReason, RecordedMember, StoredRebalance } from '../../broker/groups';
import type { MemberAssignment, RebalanceReason, RebalanceRecord } from '../types';

/** The broker's rebalance records (one per completed rebalance) in the Cluster's shape. */

const REASONS: Record<BrokerReason, RebalanceReason> = {
  initial: 'join',
  'member-joined': 'join',
  'member-rejoined': 'join',
  'member-left': 'leave',
  'session-expired': 'session-expiry',
  'sync-timeout': 'other',
  'topic-metadata-change': 'topic-change',
};

const nameOf = (m: RecordedMember) => m.clientId || m.memberId;

function list(names: string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * Why, and who joined, left or expired, in words ("billing-member-4 joined"). A rebalance keeps
 * the reason that started it; members who joined or left while it ran are named too.
 */
export function reasonDetail(record: StoredRebalance): string {
  const before = new Set(record.membersBefore.map((m) => m.memberId));
  const joined = record.membersAfter.filter((m) => !before.has(m.memberId)).map(nameOf);
  const removed = record.removedMembers.map((m) => `${nameOf(m)} ${m.cause.replace('-', ' ')}`);
  const parts: string[] = [];
  switch (record.reason) {
    case 'initial':
      parts.push(`first members joined: ${list(joined) || 'none'}`);
      break;
    case 'member-joined':
      parts.push(joined.length > 0 ? `${list(joined)} joined` : 'a member joined');
      break;
    case 'member-rejoined':
      parts.push('a member rejoined with new metadata');
      break;
    case 'topic-metadata-change':
      parts.push('the partitions of a subscribed topic changed');
      break;
    default:
      parts.push(removed.length > 0 ? list(removed) : record.reason.replace(/-/g, ' '));
  }
  const joinedToo = record.reason !== 'initial' && record.reason !== 'member-joined';
  const removedToo = !['member-left', 'session-expired', 'sync-timeout'].includes(record.reason);
  if (joinedToo && joined.length > 0) parts.push(`${list(joined)} joined`);
  if (removedToo && removed.length > 0) parts.push(list(removed));
  return parts.join('; ');
}

function assignments(
  members: RecordedMember[],
  recorded: StoredRebalance['assignmentsAfter'],
): MemberAssignment[] {
  return members.map((m) => {
    const entry = recorded.find((a) => a.memberId === m.memberId);
    return {
      memberId: m.memberId,
      clientId: m.clientId,
      assignment: entry?.format === 'consumer' ? entry.partitions : [],
    };
  });
}

export function toRebalanceRecord(record: StoredRebalance): RebalanceRecord {
  return {
    id: record.id,
    groupId: record.groupId,
    generationBefore: record.generationBefore,
    generationAfter: record.generationAfter,
    reason: REASONS[record.reason],
    reasonDetail: reasonDetail(record),
    membersBefore: assignments(record.membersBefore, record.assignmentsBefore),
    membersAfter: assignments(record.membersAfter, record.assignmentsAfter),
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    durationMs: record.durationMs,
  };
}
