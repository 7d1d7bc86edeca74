import type { GroupCoordinatorConfig, JoinGroupRequest, JoinGroupResult } from './group-api';
import type { GroupMetadata } from './group-metadata';
import type { GroupRebalancer } from './group-rebalancer';
import { groupError, joinError } from './group-results';
import { MemberMetadata } from './member-metadata';
import type { RebalanceReason } from './rebalance-record';

type Respond = (result: JoinGroupResult) => void;

/** A JoinGroup request after the door's checks, with `groupInstanceId` normalised to null. */
export type JoinRequest = Omit<JoinGroupRequest, 'groupInstanceId'> & { groupInstanceId: string | null };

/**
 * JoinGroup, as Kafka's GroupCoordinator.handleJoinGroup: new members (dynamic, with KIP-394's
 * MEMBER_ID_REQUIRED round trip, or static per KIP-345), and known members rejoining in each state.
 * The request is answered through `respond`, now (errors, no-op rejoins) or when the join phase ends.
 */
export class JoinGroupHandler {
  constructor(
    private readonly config: GroupCoordinatorConfig,
    private readonly rebalancer: GroupRebalancer,
    private readonly newMemberId: (clientId: string) => string,
  ) {}

  handle(group: GroupMetadata, req: JoinRequest, respond: Respond): void {
    if (!this.acceptJoiningMember(group, req.memberId)) {
      respond(joinError('', groupError('GROUP_MAX_SIZE_REACHED', group.groupId)));
    } else if (req.memberId === '') {
      this.doNewMemberJoin(group, req, respond);
    } else {
      this.doCurrentMemberJoin(group, req, respond);
    }
    if (group.is('PreparingRebalance')) this.rebalancer.tryCompleteJoin(group);
  }

  /** Counting members awaiting the join phase lets the last rejoining members be turned away. */
  private acceptJoiningMember(group: GroupMetadata, memberId: string): boolean {
    const max = this.config.maxGroupSize;
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        return (group.get(memberId)?.isAwaitingJoin ?? false) || group.numAwaitingJoin() < max;
      case 'CompletingRebalance':
      case 'Stable':
        return group.has(memberId) || group.size < max;
    }
  }

  private doNewMemberJoin(group: GroupMetadata, req: JoinRequest, respond: Respond): void {
    if (group.is('Dead'))
      return respond(joinError('', groupError('COORDINATOR_NOT_AVAILABLE', group.groupId)));
    if (
      !group.supportsProtocols(
        req.protocolType,
        req.protocols.map((p) => p.name),
      )
    ) {
      return respond(joinError('', groupError('INCONSISTENT_GROUP_PROTOCOL', group.groupId)));
    }
    const memberId = this.newMemberId(req.clientId);
    if (req.groupInstanceId !== null) {
      const oldMemberId = group.currentStaticMemberId(req.groupInstanceId);
      if (oldMemberId === undefined) return this.addMemberAndRebalance(group, req, memberId, respond);
      return this.updateStaticMemberAndRebalance(
        group,
        req,
        req.groupInstanceId,
        oldMemberId,
        memberId,
        respond,
      );
    }
    if (req.requireKnownMemberId) {
      // KIP-394: the member learns its id first, so that a retried join cannot leave a ghost member.
      this.rebalancer.addPendingMember(group, memberId, req.sessionTimeoutMs);
      return respond(joinError(memberId, groupError('MEMBER_ID_REQUIRED', group.groupId)));
    }
    this.addMemberAndRebalance(group, req, memberId, respond);
  }

  private doCurrentMemberJoin(group: GroupMetadata, req: JoinRequest, respond: Respond): void {
    const fail = (code: Parameters<typeof groupError>[0]) =>
      respond(joinError(req.memberId, groupError(code, group.groupId)));
    if (group.is('Dead')) return fail('COORDINATOR_NOT_AVAILABLE');
    if (
      !group.supportsProtocols(
        req.protocolType,
        req.protocols.map((p) => p.name),
      )
    ) {
      return fail('INCONSISTENT_GROUP_PROTOCOL');
    }
    if (group.isPendingMember(req.memberId)) {
      // Pending ids are only given to dynamic members.
      if (req.groupInstanceId !== null) return fail('UNKNOWN_MEMBER_ID');
      return this.addMemberAndRebalance(group, req, req.memberId, respond);
    }
    if (group.isStaticMemberFenced(req.groupInstanceId, req.memberId)) return fail('FENCED_INSTANCE_ID');
    const member = group.get(req.memberId);
    const instanceUnknown =
      req.groupInstanceId !== null && group.currentStaticMemberId(req.groupInstanceId) === undefined;
    if (!member || instanceUnknown) return fail('UNKNOWN_MEMBER_ID');

    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, req, respond);
      case 'CompletingRebalance':
        // Same metadata: the member lost the join response; give it this generation again.
        if (member.matches(req.protocols)) return respond(this.currentGeneration(group, member.memberId));
        return this.updateMemberAndRebalance(group, member, req, respond);
      case 'Stable':
        // A leader's rejoin forces a rebalance: that is how clients react to changes the
        // metadata does not show (e.g. more partitions). A follower's no-op rejoin does not.
        if (group.isLeader(member.memberId) || !member.matches(req.protocols)) {
          return this.updateMemberAndRebalance(group, member, req, respond);
        }
        return respond({ ...this.currentGeneration(group, member.memberId), members: [] });
      case 'Empty':
      case 'Dead':
        return fail('UNKNOWN_MEMBER_ID');
    }
  }

  private currentGeneration(group: GroupMetadata, memberId: string): JoinGroupResult {
    return {
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId,
      members: group.isLeader(memberId) ? group.currentMemberMetadata() : [],
      skipAssignment: false,
    };
  }

  private addMemberAndRebalance(
    group: GroupMetadata,
    req: JoinRequest,
    memberId: string,
    respond: Respond,
  ): void {
    const member = new MemberMetadata({ ...req, memberId });
    member.isNew = true;
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, respond);
    // A new member cannot heartbeat before its first join completes, so its timer is the join timeout.
    this.rebalancer.scheduleHeartbeat(group, member, this.config.newMemberJoinTimeoutMs);
    this.rebalancer.maybePrepareRebalance(group, 'member-joined');
  }

  private updateMemberAndRebalance(
    group: GroupMetadata,
    member: MemberMetadata,
    req: JoinRequest,
    respond: Respond,
    reason: RebalanceReason = 'member-rejoined',
  ): void {
    group.updateMember(member, req.protocols, req.rebalanceTimeoutMs, req.sessionTimeoutMs, respond);
    this.rebalancer.maybePrepareRebalance(group, reason);
  }

  /**
   * KIP-345: a restarted static member takes over its slot under a new member id. In a Stable
   * group whose protocol would not change, it gets the current generation (and, through
   * SyncGroup, its previous assignment) without a rebalance.
   */
  private updateStaticMemberAndRebalance(
    group: GroupMetadata,
    req: JoinRequest,
    groupInstanceId: string,
    oldMemberId: string,
    newMemberId: string,
    respond: Respond,
  ): void {
    const currentLeader = group.leaderId ?? '';
    const previousProtocol = group.protocolName;
    const member = group.replaceStaticMember(groupInstanceId, oldMemberId, newMemberId);
    const protocolsUnchanged = member.matches(req.protocols);
    member.clientId = req.clientId;
    member.clientHost = req.clientHost;
    this.rebalancer.scheduleHeartbeat(group, member);
    group.updateMember(member, req.protocols, req.rebalanceTimeoutMs, req.sessionTimeoutMs, respond);

    switch (group.state) {
      case 'Stable':
        if (protocolsUnchanged && group.selectProtocol() === previousProtocol) {
          this.rebalancer.storeGroup(group);
          // The old leader id is returned even if this member held it: a Stable group would not
          // hand out a new assignment, so this member must not compute one.
          member.completeJoin({
            ...this.currentGeneration(group, newMemberId),
            leader: currentLeader,
            members: [],
          });
        } else {
          this.rebalancer.prepareRebalance(group, 'member-joined');
        }
        return;
      case 'CompletingRebalance':
        // The leader may be assigning to the old member id: start over.
        return this.rebalancer.prepareRebalance(group, 'member-joined');
      case 'PreparingRebalance':
        return;
      case 'Empty':
      case 'Dead':
        throw new Error(`Group ${group.groupId}: static member ${oldMemberId} in a ${group.state} group`);
    }
  }
}
