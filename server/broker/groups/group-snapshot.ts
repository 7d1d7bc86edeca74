import { z } from 'zod';
import { BrokerError } from '../errors';
import { GroupMetadata } from './group-metadata';
import { MemberMetadata } from './member-metadata';

/**
 * The persisted form of a group, as Kafka's GroupMetadata record in __consumer_offsets: written
 * when a group reaches Stable (with the assignment) or Empty, and when a static member is replaced.
 * Plain JSON: buffers are base64. A group is only ever stored between rebalances, so a restored
 * group is Stable (with members) or Empty.
 */
export interface MemberSnapshot {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** All the member's protocols in preference order, metadata base64. */
  protocols: Array<{ name: string; metadata: string }>;
  /** base64 */
  assignment: string;
}

export interface GroupSnapshot {
  version: 1;
  groupId: string;
  state: 'Empty' | 'Stable';
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null;
  stateTimestamp: number;
  members: MemberSnapshot[];
}

/** The group's current form; only meaningful when it is Stable or Empty. */
export function buildGroupSnapshot(group: GroupMetadata): GroupSnapshot {
  return {
    version: 1,
    groupId: group.groupId,
    state: group.members.size > 0 ? 'Stable' : 'Empty',
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leaderId: group.leaderId,
    stateTimestamp: group.stateTimestamp,
    members: group.allMembers().map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      protocols: m.supportedProtocols.map((p) => ({ name: p.name, metadata: p.metadata.toString('base64') })),
      assignment: m.assignment.toString('base64'),
    })),
  };
}

/** Rebuilds the group's state; timers are the coordinator's business (it restarts sessions). */
export function groupFromSnapshot(snapshot: GroupSnapshot): GroupMetadata {
  const group = new GroupMetadata(snapshot.groupId, snapshot.stateTimestamp);
  for (const m of snapshot.members) {
    const member = new MemberMetadata({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      protocolType: snapshot.protocolType ?? '',
      protocols: m.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata, 'base64') })),
    });
    member.assignment = Buffer.from(m.assignment, 'base64');
    group.add(member);
  }
  group.protocolType = snapshot.protocolType;
  group.generationId = snapshot.generationId;
  if (group.members.size > 0) {
    group.state = 'Stable';
    group.protocolName = snapshot.protocolName ?? group.selectProtocol();
    if (snapshot.leaderId !== null && group.has(snapshot.leaderId)) group.leaderId = snapshot.leaderId;
  }
  group.subscribedTopics = group.computeSubscribedTopics();
  group.lastStored = buildGroupSnapshot(group);
  return group;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const timeout = z.number().int().nonnegative();

const memberSnapshotSchema = z.object({
  memberId: z.string().min(1),
  groupInstanceId: z.string().min(1).nullable(),
  clientId: z.string(),
  clientHost: z.string(),
  rebalanceTimeoutMs: timeout,
  sessionTimeoutMs: timeout,
  protocols: z.array(z.object({ name: z.string().min(1), metadata: base64 })).min(1),
  assignment: base64,
});

const groupSnapshotSchema = z.object({
  version: z.literal(1),
  groupId: z.string().min(1),
  state: z.enum(['Empty', 'Stable']),
  generationId: z.number().int().nonnegative(),
  protocolType: z.string().nullable(),
  protocolName: z.string().nullable(),
  leaderId: z.string().nullable(),
  stateTimestamp: z.number(),
  members: z.array(memberSnapshotSchema),
});

/** Validates a snapshot read back from disk; a bad one is a storage error, not a crash. */
export function parseGroupSnapshot(value: unknown): GroupSnapshot {
  const parsed = groupSnapshotSchema.safeParse(value);
  if (!parsed.success) {
    throw new BrokerError('KAFKA_STORAGE_ERROR', `Invalid group snapshot: ${z.prettifyError(parsed.error)}`);
  }
  const snapshot = parsed.data;
  if ((snapshot.state === 'Stable') !== snapshot.members.length > 0) {
    throw new BrokerError(
      'KAFKA_STORAGE_ERROR',
      `Invalid group snapshot: state ${snapshot.state} does not match its members`,
    );
  }
  if (snapshot.state === 'Stable' && snapshot.protocolName === null) {
    throw new BrokerError('KAFKA_STORAGE_ERROR', 'Invalid group snapshot: a Stable group without a protocol');
  }
  const ids = new Set(snapshot.members.map((m) => m.memberId));
  if (ids.size !== snapshot.members.length) {
    throw new BrokerError('KAFKA_STORAGE_ERROR', 'Invalid group snapshot: duplicate member ids');
  }
  return snapshot;
}
