import { randomUUID } from 'node:crypto';
import type { BrokerError, BrokerErrorCode } from '../errors';
import {
  DEFAULT_GROUP_COORDINATOR_CONFIG,
  type GroupCoordinatorConfig,
  type GroupCoordinatorListener,
  type GroupDescription,
  type GroupListing,
  type HeartbeatRequest,
  type HeartbeatResult,
  type JoinGroupRequest,
  type JoinGroupResult,
  type LeaveGroupMember,
  type LeaveGroupResult,
  type OffsetCommitMember,
  type SyncGroupRequest,
  type SyncGroupResult,
} from './group-api';
import { GroupMetadata } from './group-metadata';
import { GroupRebalancer, type CoordinatorContext } from './group-rebalancer';
import { groupError, joinError, syncError } from './group-results';
import { groupFromSnapshot, type GroupSnapshot } from './group-snapshot';
import { JoinGroupHandler } from './join-group';
import { EMPTY_BUFFER } from './member-metadata';
import { cancellationSafe, type Scheduler } from './scheduler';

export interface GroupCoordinatorOptions {
  scheduler: Scheduler;
  config?: Partial<GroupCoordinatorConfig>;
  listener?: GroupCoordinatorListener;
  /** Kafka's form is `${clientId}-${uuid}`; tests may want predictable ids. */
  newMemberId?: (clientId: string) => string;
}

/**
 * Kafka's classic group coordinator as a single-threaded state machine: no I/O, no clock, no
 * timers of its own (all through the Scheduler). Client errors come back in results, never as
 * throws; a throw is a bug.
 *
 * Hosting it (e.g. in a group actor): every call, and every Scheduler callback, must run one at a
 * time; join() and sync() return promises that settle when the group reaches the point the member
 * waits for (other members' requests, or a timer), so a host hands them to the caller and must
 * never await them before taking its next message. On stop or restart call shutdown(), then
 * rebuild from the snapshots it was given through onGroupStored.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, GroupMetadata>();
  private readonly ctx: CoordinatorContext;
  private readonly rebalancer: GroupRebalancer;
  private readonly joins: JoinGroupHandler;

  constructor(options: GroupCoordinatorOptions) {
    const config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...options.config };
    this.ctx = { scheduler: cancellationSafe(options.scheduler), config, listener: options.listener ?? {} };
    this.rebalancer = new GroupRebalancer(this.ctx);
    const newMemberId = options.newMemberId ?? ((clientId: string) => `${clientId}-${randomUUID()}`);
    this.joins = new JoinGroupHandler(config, this.rebalancer, newMemberId);
  }

  join(groupId: string, request: JoinGroupRequest): Promise<JoinGroupResult> {
    const { promise, resolve } = deferred<JoinGroupResult>();
    const req = { ...request, groupInstanceId: request.groupInstanceId || null };
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.ctx.config;
    if (!groupId) {
      resolve(joinError(req.memberId, groupError('INVALID_GROUP_ID', groupId)));
    } else if (req.sessionTimeoutMs < minSessionTimeoutMs || req.sessionTimeoutMs > maxSessionTimeoutMs) {
      const detail = `session timeout ${req.sessionTimeoutMs} ms is outside [${minSessionTimeoutMs}, ${maxSessionTimeoutMs}]`;
      resolve(joinError(req.memberId, groupError('INVALID_SESSION_TIMEOUT', groupId, detail)));
    } else {
      const existing = this.groups.get(groupId);
      const group = existing ?? (req.memberId === '' ? this.createGroup(groupId) : undefined);
      if (!group) {
        resolve(joinError(req.memberId, groupError('UNKNOWN_MEMBER_ID', groupId)));
      } else {
        this.joins.handle(group, req, resolve);
        // A rejected first join must not leave an empty group behind.
        if (!existing && group.is('Empty') && group.size === 0 && !group.hasPendingMembers()) {
          this.groups.delete(groupId);
        }
      }
    }
    return promise;
  }

  sync(groupId: string, req: SyncGroupRequest): Promise<SyncGroupResult> {
    const { promise, resolve } = deferred<SyncGroupResult>();
    const fail = (code: BrokerErrorCode) => resolve(syncError(groupError(code, groupId)));
    const group = this.groups.get(groupId);
    const member = group?.get(req.memberId);
    if (!groupId) fail('INVALID_GROUP_ID');
    else if (!group) fail('UNKNOWN_MEMBER_ID');
    else if (group.is('Dead')) fail('COORDINATOR_NOT_AVAILABLE');
    else if (group.isStaticMemberFenced(req.groupInstanceId, req.memberId)) fail('FENCED_INSTANCE_ID');
    else if (!member) fail('UNKNOWN_MEMBER_ID');
    else if (req.generationId !== group.generationId) fail('ILLEGAL_GENERATION');
    else if (req.protocolType != null && req.protocolType !== group.protocolType)
      fail('INCONSISTENT_GROUP_PROTOCOL');
    else if (req.protocolName != null && req.protocolName !== group.protocolName)
      fail('INCONSISTENT_GROUP_PROTOCOL');
    else if (group.is('Empty')) fail('UNKNOWN_MEMBER_ID');
    else if (group.is('PreparingRebalance')) fail('REBALANCE_IN_PROGRESS');
    else if (group.is('CompletingRebalance')) {
      member.completeSync(syncError(groupError('REBALANCE_IN_PROGRESS', groupId))); // a superseded retry
      member.awaitingSync = resolve;
      this.rebalancer.removePendingSyncMember(group, member.memberId);
      if (group.isLeader(member.memberId)) {
        const assignments = new Map(req.assignments.map((a) => [a.memberId, a.assignment] as const));
        this.rebalancer.completeSync(group, assignments);
      }
    } else {
      // Stable: the assignment was handed out already (or kept by a restarted static member).
      this.rebalancer.removePendingSyncMember(group, member.memberId);
      resolve({
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        assignment: member.assignment,
      });
      this.rebalancer.scheduleHeartbeat(group, member);
    }
    return promise;
  }

  heartbeat(groupId: string, req: HeartbeatRequest): HeartbeatResult {
    const fail = (code: BrokerErrorCode): HeartbeatResult => ({ error: groupError(code, groupId) });
    const group = this.groups.get(groupId);
    const member = group?.get(req.memberId);
    if (!groupId) return fail('INVALID_GROUP_ID');
    if (!group) return fail('UNKNOWN_MEMBER_ID');
    if (group.is('Dead')) return fail('COORDINATOR_NOT_AVAILABLE');
    if (group.isStaticMemberFenced(req.groupInstanceId, req.memberId)) return fail('FENCED_INSTANCE_ID');
    if (!member) return fail('UNKNOWN_MEMBER_ID');
    if (req.generationId !== group.generationId) return fail('ILLEGAL_GENERATION');
    if (group.is('Empty')) return fail('UNKNOWN_MEMBER_ID');
    this.rebalancer.scheduleHeartbeat(group, member);
    // The heartbeat is how members learn that they must rejoin.
    return group.is('PreparingRebalance') ? fail('REBALANCE_IN_PROGRESS') : {};
  }

  /** LeaveGroup v3+ (a batch); a member id of '' with an instance id removes that static member. */
  leave(groupId: string, members: readonly LeaveGroupMember[]): LeaveGroupResult {
    if (!groupId) return { error: groupError('INVALID_GROUP_ID', groupId), members: [] };
    const group = this.groups.get(groupId);
    if (group?.is('Dead')) return { error: groupError('COORDINATOR_NOT_AVAILABLE', groupId), members: [] };
    return {
      members: members.map((leaving) => {
        const groupInstanceId = leaving.groupInstanceId || null;
        const code = group ? this.leaveOne(group, leaving.memberId, groupInstanceId) : 'UNKNOWN_MEMBER_ID';
        const error = code ? groupError(code, groupId) : undefined;
        return { memberId: leaving.memberId, groupInstanceId, ...(error && { error }) };
      }),
    };
  }

  private leaveOne(
    group: GroupMetadata,
    memberId: string,
    groupInstanceId: string | null,
  ): BrokerErrorCode | undefined {
    if (memberId === '') {
      const current = groupInstanceId === null ? undefined : group.currentStaticMemberId(groupInstanceId);
      const member = current === undefined ? undefined : group.get(current);
      if (!member) return 'UNKNOWN_MEMBER_ID';
      this.rebalancer.removeMemberAndUpdateGroup(group, member, 'left');
      return undefined;
    }
    if (group.removePendingMember(memberId)) {
      this.rebalancer.tryCompleteJoin(group);
      return undefined;
    }
    if (group.isStaticMemberFenced(groupInstanceId, memberId)) return 'FENCED_INSTANCE_ID';
    const member = group.get(memberId);
    if (!member) return 'UNKNOWN_MEMBER_ID';
    this.rebalancer.removeMemberAndUpdateGroup(group, member, 'left');
    return undefined;
  }

  /**
   * Checks that an OffsetCommit comes from a current member (Kafka's handleCommitOffsets). A
   * commit with generation -1 into an unknown or Empty group is a "simple" commit, allowed; it
   * creates the group, as in Kafka. Storing the offsets is the caller's business.
   */
  validateOffsetCommit(groupId: string, req: OffsetCommitMember): { error?: BrokerError } {
    const fail = (code: BrokerErrorCode) => ({ error: groupError(code, groupId) });
    if (!groupId) return fail('INVALID_GROUP_ID');
    let group = this.groups.get(groupId);
    if (!group) {
      if (req.generationId >= 0) return fail('ILLEGAL_GENERATION');
      group = this.createGroup(groupId);
    }
    if (group.is('Dead')) return fail('COORDINATOR_NOT_AVAILABLE');
    if (group.isStaticMemberFenced(req.groupInstanceId, req.memberId)) return fail('FENCED_INSTANCE_ID');
    if (req.generationId < 0 && group.is('Empty')) return {};
    const member = group.get(req.memberId);
    if (!member) return fail('UNKNOWN_MEMBER_ID');
    if (req.generationId !== group.generationId) return fail('ILLEGAL_GENERATION');
    if (group.is('CompletingRebalance')) return fail('REBALANCE_IN_PROGRESS');
    this.rebalancer.scheduleHeartbeat(group, member);
    return {};
  }

  /** A topic the broker changed (partitions added, topic deleted): rebalance the groups reading it. */
  onTopicMetadataChange(topics: Iterable<string>): string[] {
    const changed = new Set(topics);
    const rebalanced: string[] = [];
    for (const group of this.groups.values()) {
      if (!group.is('Stable') && !group.is('CompletingRebalance')) continue;
      const subscribed = group.subscribedTopics;
      if (!subscribed || ![...changed].some((t) => subscribed.has(t))) continue;
      this.rebalancer.prepareRebalance(group, 'topic-metadata-change');
      rebalanced.push(group.groupId);
    }
    return rebalanced;
  }

  describe(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (!group) {
      return {
        groupId,
        state: 'Dead',
        protocolType: '',
        protocol: '',
        generationId: -1,
        leader: '',
        members: [],
      };
    }
    const stable = group.is('Stable') && group.protocolName !== null;
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocol: stable ? (group.protocolName ?? '') : '',
      generationId: group.generationId,
      leader: group.leaderId ?? '',
      members: group.allMembers().map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? (m.metadata(group.protocolName ?? '') ?? EMPTY_BUFFER) : EMPTY_BUFFER,
        assignment: stable ? m.assignment : EMPTY_BUFFER,
      })),
    };
  }

  /** The topics the group's members subscribe to (consumer protocol); undefined when unknown. */
  subscribedTopics(groupId: string): ReadonlySet<string> | undefined {
    return this.groups.get(groupId)?.subscribedTopics;
  }

  list(): GroupListing[] {
    return [...this.groups.values()]
      .filter((g) => !g.is('Dead'))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.state }));
  }

  /** DeleteGroups: only a group without members. The caller deletes its committed offsets. */
  delete(groupId: string): { error?: BrokerError } {
    if (!groupId) return { error: groupError('INVALID_GROUP_ID', groupId) };
    const group = this.groups.get(groupId);
    if (!group) return { error: groupError('GROUP_ID_NOT_FOUND', groupId) };
    if (!group.is('Empty') && !group.is('Dead')) return { error: groupError('NON_EMPTY_GROUP', groupId) };
    this.rebalancer.unload(group, groupError('COORDINATOR_NOT_AVAILABLE', groupId));
    group.transitionTo('Dead', this.ctx.scheduler.now());
    this.groups.delete(groupId);
    this.ctx.listener.onGroupRemoved?.(groupId);
    return {};
  }

  /** The group as last stored (its latest Stable or Empty form), for __consumer_offsets. */
  toSnapshot(groupId: string): GroupSnapshot | undefined {
    return this.groups.get(groupId)?.lastStored;
  }

  snapshots(): GroupSnapshot[] {
    return [...this.groups.values()].map((g) => g.lastStored);
  }

  /** Loads a stored group (validate it with parseGroupSnapshot first); its members' sessions restart now. */
  restore(snapshot: GroupSnapshot): void {
    if (this.groups.has(snapshot.groupId)) throw new Error(`Group ${snapshot.groupId} is already loaded`);
    const group = groupFromSnapshot(snapshot);
    this.groups.set(group.groupId, group);
    for (const member of group.members.values()) this.rebalancer.scheduleHeartbeat(group, member);
  }

  /** Cancels every timer and answers parked requests with NOT_COORDINATOR (host stopping). */
  shutdown(): void {
    for (const group of this.groups.values()) {
      this.rebalancer.unload(
        group,
        groupError('NOT_COORDINATOR', group.groupId, 'the coordinator is stopping'),
      );
    }
  }

  private createGroup(groupId: string): GroupMetadata {
    const group = new GroupMetadata(groupId, this.ctx.scheduler.now());
    this.groups.set(groupId, group);
    return group;
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
