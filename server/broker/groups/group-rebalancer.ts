import type { BrokerError } from '../errors';
import type { GroupCoordinatorConfig, GroupCoordinatorListener } from './group-api';
import type { GroupMetadata } from './group-metadata';
import { groupError, joinError, syncError } from './group-results';
import { buildGroupSnapshot } from './group-snapshot';
import { EMPTY_BUFFER, type MemberMetadata } from './member-metadata';
import { buildRebalanceRecord, type MemberRemovalCause, type RebalanceReason } from './rebalance-record';
import type { Scheduler } from './scheduler';

export interface CoordinatorContext {
  readonly scheduler: Scheduler;
  readonly config: GroupCoordinatorConfig;
  readonly listener: GroupCoordinatorListener;
}

const REASON_FOR_REMOVAL: Record<MemberRemovalCause, RebalanceReason> = {
  left: 'member-left',
  'session-expired': 'session-expired',
  'rebalance-timeout': 'member-left',
  'sync-timeout': 'sync-timeout',
};

/**
 * Drives groups through a rebalance over time: the join phase and its timers (Kafka's
 * InitialDelayedJoin and DelayedJoin), the sync phase and its timer (DelayedSync), member session
 * timers (DelayedHeartbeat), and the rebalance record. The code follows Kafka's GroupCoordinator
 * (prepareRebalance, onCompleteJoin, onExpireHeartbeat, onExpirePendingSync...) step by step.
 */
export class GroupRebalancer {
  constructor(private readonly ctx: CoordinatorContext) {}

  private now(): number {
    return this.ctx.scheduler.now();
  }

  maybePrepareRebalance(group: GroupMetadata, reason: RebalanceReason): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason);
  }

  prepareRebalance(group: GroupMetadata, reason: RebalanceReason): void {
    // Members waiting for an assignment of the generation being abandoned must rejoin.
    if (group.is('CompletingRebalance')) {
      this.resetAndPropagateAssignmentError(group, groupError('REBALANCE_IN_PROGRESS', group.groupId));
    }
    this.cancelSyncTimer(group);
    const fromEmpty = group.is('Empty');
    group.rebalance ??= {
      reason: fromEmpty ? 'initial' : reason,
      startedAt: this.now(),
      before: group.lastStored,
    };
    group.transitionTo('PreparingRebalance', this.now());
    this.cancelJoinTimer(group);
    if (fromEmpty) {
      // Wait for more of the members starting together, so that they get one generation, not N.
      const delay = this.ctx.config.initialRebalanceDelayMs;
      this.scheduleInitialJoin(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
    } else {
      this.scheduleDelayedJoin(group);
      this.tryCompleteJoin(group);
    }
  }

  /** Ends the join phase early once every member (and no pending one) has joined. */
  tryCompleteJoin(group: GroupMetadata): void {
    if (!group.is('PreparingRebalance') || group.joinTimer?.kind === 'initial') return;
    if (!group.hasAllMembersJoined()) return;
    this.cancelJoinTimer(group);
    this.onCompleteJoin(group);
  }

  private scheduleInitialJoin(group: GroupMetadata, delayMs: number, remainingMs: number): void {
    const cancel = this.ctx.scheduler.schedule(delayMs, () => {
      group.joinTimer = undefined;
      if (!group.is('PreparingRebalance')) return;
      if (group.newMemberAdded && remainingMs !== 0) {
        group.newMemberAdded = false;
        const next = Math.min(this.ctx.config.initialRebalanceDelayMs, remainingMs);
        this.scheduleInitialJoin(group, next, Math.max(remainingMs - delayMs, 0));
      } else {
        this.onCompleteJoin(group);
      }
    });
    group.joinTimer = { kind: 'initial', cancel };
  }

  private scheduleDelayedJoin(group: GroupMetadata): void {
    const cancel = this.ctx.scheduler.schedule(group.rebalanceTimeoutMs(), () => {
      group.joinTimer = undefined;
      if (group.is('PreparingRebalance')) this.onCompleteJoin(group);
    });
    group.joinTimer = { kind: 'delayed', cancel };
  }

  private onCompleteJoin(group: GroupMetadata): void {
    // Dynamic members that did not rejoin in time are dropped; static ones keep their slot until
    // their session expires (KIP-345).
    for (const member of group.notYetRejoinedMembers()) {
      if (!member.isStatic) this.removeMember(group, member, 'rebalance-timeout');
    }
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members remain and none rejoined: wait another round for them to rejoin or expire.
      this.scheduleDelayedJoin(group);
      return;
    }
    group.initNextGeneration(this.now());
    if (group.is('Empty')) {
      this.completeRebalance(group);
      return;
    }
    const common = {
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
    };
    for (const member of group.allMembers()) {
      const members = group.isLeader(member.memberId) ? group.currentMemberMetadata() : [];
      member.completeJoin({ ...common, memberId: member.memberId, members });
      this.scheduleHeartbeat(group, member);
      member.isNew = false;
      group.pendingSyncMembers.add(member.memberId);
    }
    this.schedulePendingSync(group);
  }

  /** The leader's SyncGroup: hand out the assignment, the group is Stable. */
  completeSync(group: GroupMetadata, assignments: ReadonlyMap<string, Buffer>): void {
    for (const member of group.members.values()) {
      member.assignment = assignments.get(member.memberId) ?? EMPTY_BUFFER;
    }
    this.propagateAssignment(group);
    group.transitionTo('Stable', this.now());
    this.completeRebalance(group);
  }

  private resetAndPropagateAssignmentError(group: GroupMetadata, error: BrokerError): void {
    for (const member of group.members.values()) member.assignment = EMPTY_BUFFER;
    this.propagateAssignment(group, error);
  }

  private propagateAssignment(group: GroupMetadata, error?: BrokerError): void {
    for (const member of group.members.values()) {
      const result = error
        ? { ...syncError(error), protocolType: group.protocolType, protocolName: group.protocolName }
        : {
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            assignment: member.assignment,
          };
      // A session that ran out while the member waited was ignored: restart it now.
      if (member.completeSync(result)) this.scheduleHeartbeat(group, member);
    }
  }

  private completeRebalance(group: GroupMetadata): void {
    const rebalance = group.rebalance;
    const removedMembers = group.removedSinceStable;
    group.rebalance = undefined;
    group.removedSinceStable = [];
    this.storeGroup(group);
    if (!rebalance) return;
    this.ctx.listener.onRebalance?.(
      buildRebalanceRecord({
        reason: rebalance.reason,
        before: rebalance.before,
        after: group.lastStored,
        removedMembers,
        startedAt: rebalance.startedAt,
        endedAt: this.now(),
      }),
    );
  }

  storeGroup(group: GroupMetadata): void {
    group.lastStored = buildGroupSnapshot(group);
    this.ctx.listener.onGroupStored?.(group.lastStored);
  }

  /** Kafka's completeAndScheduleNextHeartbeatExpiration. */
  scheduleHeartbeat(group: GroupMetadata, member: MemberMetadata, timeoutMs = member.sessionTimeoutMs): void {
    member.cancelHeartbeat();
    member.heartbeatTimer = this.ctx.scheduler.schedule(timeoutMs, () => {
      member.heartbeatTimer = undefined;
      this.onHeartbeatExpired(group, member);
    });
  }

  private onHeartbeatExpired(group: GroupMetadata, member: MemberMetadata): void {
    if (group.get(member.memberId) !== member) return;
    // A known member parked in a join or sync phase is alive by definition; the phase's end
    // restarts its session. A new member's timer is its join timeout.
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return;
    this.removeMemberAndUpdateGroup(group, member, 'session-expired');
  }

  addPendingMember(group: GroupMetadata, memberId: string, sessionTimeoutMs: number): void {
    const expiry = this.ctx.scheduler.schedule(sessionTimeoutMs, () => {
      if (group.removePendingMember(memberId)) this.tryCompleteJoin(group);
    });
    group.addPendingMember(memberId, expiry);
  }

  removeMemberAndUpdateGroup(group: GroupMetadata, member: MemberMetadata, cause: MemberRemovalCause): void {
    this.removeMember(group, member, cause);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(group, REASON_FOR_REMOVAL[cause]);
        break;
      case 'PreparingRebalance':
        this.tryCompleteJoin(group);
        break;
      case 'Empty':
      case 'Dead':
        break;
    }
  }

  private removeMember(group: GroupMetadata, member: MemberMetadata, cause: MemberRemovalCause): void {
    member.cancelHeartbeat();
    // The member may still have a request parked here: answer it so that it rejoins from scratch.
    const unknown = groupError('UNKNOWN_MEMBER_ID', group.groupId);
    member.completeJoin(joinError('', unknown));
    member.completeSync(syncError(unknown));
    group.remove(member.memberId);
    group.removedSinceStable.push({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      cause,
      at: this.now(),
    });
    this.removePendingSyncMember(group, member.memberId);
  }

  private schedulePendingSync(group: GroupMetadata): void {
    this.cancelSyncTimer(group);
    const generationId = group.generationId;
    group.syncTimer = this.ctx.scheduler.schedule(group.rebalanceTimeoutMs(), () => {
      group.syncTimer = undefined;
      this.onExpirePendingSync(group, generationId);
    });
  }

  private onExpirePendingSync(group: GroupMetadata, generationId: number): void {
    if (generationId !== group.generationId) return;
    if (!group.is('CompletingRebalance') && !group.is('Stable')) return;
    const pending = [...group.pendingSyncMembers];
    if (pending.length === 0) return;
    for (const memberId of pending) {
      const member = group.get(memberId);
      if (member) this.removeMember(group, member, 'sync-timeout');
    }
    this.prepareRebalance(group, 'sync-timeout');
  }

  removePendingSyncMember(group: GroupMetadata, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) this.cancelSyncTimer(group);
  }

  private cancelJoinTimer(group: GroupMetadata): void {
    group.joinTimer?.cancel();
    group.joinTimer = undefined;
  }

  private cancelSyncTimer(group: GroupMetadata): void {
    group.syncTimer?.();
    group.syncTimer = undefined;
  }

  /** Stops every timer of the group and answers its parked requests (deletion, shutdown). */
  unload(group: GroupMetadata, error: BrokerError): void {
    this.cancelJoinTimer(group);
    this.cancelSyncTimer(group);
    group.clearPendingMembers();
    for (const member of group.members.values()) {
      member.cancelHeartbeat();
      member.completeJoin(joinError(member.memberId, error));
      member.completeSync(syncError(error));
    }
  }
}
