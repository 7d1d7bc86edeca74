import type { GroupProtocol, JoinGroupMember, JoinGroupResult } from './group-api';
import { groupError, joinError, syncError } from './group-results';
import { assertTransition, type GroupState } from './group-state';
import type { GroupSnapshot } from './group-snapshot';
import type { MemberMetadata } from './member-metadata';
import { CONSUMER_PROTOCOL_TYPE, tryDecodeSubscription } from './consumer-protocol';
import type { RebalanceReason, RemovedMember } from './rebalance-record';
import type { Cancel } from './scheduler';

/** The rebalance being run, from its first trigger to Stable (or Empty). */
export interface RebalanceInProgress {
  reason: RebalanceReason;
  startedAt: number;
  /** The group as last stored (its previous Stable or Empty form). */
  before: GroupSnapshot;
}

/** Kafka's InitialDelayedJoin (waits the whole delay) or DelayedJoin (completes when all joined). */
export interface JoinTimer {
  kind: 'initial' | 'delayed';
  cancel: Cancel;
}

/**
 * The state of one classic group (Kafka's GroupMetadata): members, generation, chosen protocol,
 * leader, and the bookkeeping of the rebalance in progress. Pure data and local rules; the
 * GroupRebalancer drives it through time.
 */
export class GroupMetadata {
  readonly groupId: string;
  state: GroupState = 'Empty';
  stateTimestamp: number;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** In join order: the first is the leader by default and re-elected leaders follow that order. */
  readonly members = new Map<string, MemberMetadata>();
  private readonly staticMembers = new Map<string, string>();
  /** Members told MEMBER_ID_REQUIRED that have not rejoined yet, with their expiry timers. */
  private readonly pendingMembers = new Map<string, Cancel>();
  /** Members of this generation that have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  /** A member joined during the initial delay: extend it (Kafka's newMemberAdded). */
  newMemberAdded = false;
  /** Topics the members subscribe to; undefined when unknown (not "consumer", or undecodable). */
  subscribedTopics: ReadonlySet<string> | undefined;
  joinTimer: JoinTimer | undefined;
  syncTimer: Cancel | undefined;
  rebalance: RebalanceInProgress | undefined;
  removedSinceStable: RemovedMember[] = [];
  lastStored: GroupSnapshot;

  constructor(groupId: string, now: number) {
    this.groupId = groupId;
    this.stateTimestamp = now;
    this.lastStored = {
      version: 1,
      groupId,
      state: 'Empty',
      generationId: 0,
      protocolType: null,
      protocolName: null,
      leaderId: null,
      stateTimestamp: now,
      members: [],
    };
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  canRebalance(): boolean {
    return this.state === 'Stable' || this.state === 'CompletingRebalance' || this.state === 'Empty';
  }

  transitionTo(state: GroupState, now: number): void {
    assertTransition(this.groupId, this.state, state);
    this.state = state;
    this.stateTimestamp = now;
  }

  get size(): number {
    return this.members.size;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): MemberMetadata | undefined {
    return this.members.get(memberId);
  }

  allMembers(): MemberMetadata[] {
    return [...this.members.values()];
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: MemberMetadata, onJoined?: (result: JoinGroupResult) => void): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (this.leaderId === null) this.leaderId = member.memberId;
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    member.awaitingJoin = onJoined;
    this.removePendingMember(member.memberId);
  }

  remove(memberId: string): MemberMetadata | undefined {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
        this.staticMembers.delete(member.groupInstanceId);
      }
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
    this.removePendingMember(memberId);
    this.pendingSyncMembers.delete(memberId);
    return member;
  }

  /** A known member rejoins, maybe with new protocols and timeouts. */
  updateMember(
    member: MemberMetadata,
    protocols: readonly GroupProtocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    onJoined: (result: JoinGroupResult) => void,
  ): void {
    member.supportedProtocols = protocols;
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    // A retried JoinGroup supersedes the previous one, whose client has given up on it.
    member.completeJoin(joinError(member.memberId, groupError('REBALANCE_IN_PROGRESS', this.groupId)));
    member.awaitingJoin = onJoined;
  }

  /** KIP-345: a new instance takes over a static member's slot; the old member id is fenced. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): MemberMetadata {
    const member = this.members.get(oldMemberId);
    if (!member) throw new Error(`Group ${this.groupId}: static member ${oldMemberId} is not a member`);
    const fenced = groupError('FENCED_INSTANCE_ID', this.groupId);
    member.completeJoin(joinError(oldMemberId, fenced));
    member.completeSync(syncError(fenced));
    // Keep the slot's place in join order (leader re-election follows it).
    const entries = [...this.members.entries()];
    this.members.clear();
    for (const [id, m] of entries) this.members.set(id === oldMemberId ? newMemberId : id, m);
    member.memberId = newMemberId;
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  currentStaticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  /** A request naming an instance id now held by another member id comes from a fenced instance. */
  isStaticMemberFenced(groupInstanceId: string | null | undefined, memberId: string): boolean {
    if (groupInstanceId === null || groupInstanceId === undefined) return false;
    const current = this.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  addPendingMember(memberId: string, expiry: Cancel): void {
    this.pendingMembers.set(memberId, expiry);
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId);
  }

  hasPendingMembers(): boolean {
    return this.pendingMembers.size > 0;
  }

  removePendingMember(memberId: string): boolean {
    const expiry = this.pendingMembers.get(memberId);
    if (!expiry) return false;
    expiry();
    this.pendingMembers.delete(memberId);
    return true;
  }

  clearPendingMembers(): void {
    for (const memberId of [...this.pendingMembers.keys()]) this.removePendingMember(memberId);
  }

  /** Protocols every member supports. */
  candidateProtocols(): Set<string> {
    const members = this.allMembers();
    const first = members[0];
    if (!first) return new Set();
    return new Set(first.protocolNames().filter((name) => members.every((m) => m.metadata(name))));
  }

  /**
   * Kafka's selectProtocol: each member votes for its most preferred candidate and the most voted
   * wins. Kafka leaves ties to hash order; here the protocol voted for first (in join order) wins.
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const vote = member.vote(candidates);
      votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestVotes = 0;
    for (const [name, count] of votes) {
      if (count > bestVotes) [best, bestVotes] = [name, count];
    }
    if (best === undefined)
      throw new Error(`Group ${this.groupId}: cannot select a protocol without members`);
    return best;
  }

  /** Whether a member with this protocol type and protocols may join (Kafka's supportsProtocols). */
  supportsProtocols(protocolType: string, protocolNames: readonly string[]): boolean {
    if (this.is('Empty')) return protocolType.length > 0 && protocolNames.length > 0;
    const members = this.allMembers();
    return (
      protocolType === this.protocolType &&
      protocolNames.some((name) => members.every((m) => m.metadata(name) !== undefined))
    );
  }

  /** The longest rebalance timeout among members: how long a join phase may last. */
  rebalanceTimeoutMs(): number {
    let timeout = 0;
    for (const m of this.members.values()) timeout = Math.max(timeout, m.rebalanceTimeoutMs);
    return timeout;
  }

  numAwaitingJoin(): number {
    let n = 0;
    for (const m of this.members.values()) if (m.isAwaitingJoin) n++;
    return n;
  }

  hasAllMembersJoined(): boolean {
    return this.numAwaitingJoin() === this.members.size && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): MemberMetadata[] {
    return this.allMembers().filter((m) => !m.isAwaitingJoin);
  }

  /** If the leader did not rejoin, any member that did becomes leader; false when none did. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.members.get(this.leaderId)?.isAwaitingJoin) return true;
    const joined = this.allMembers().find((m) => m.isAwaitingJoin);
    if (!joined) return false;
    this.leaderId = joined.memberId;
    return true;
  }

  initNextGeneration(now: number): void {
    this.generationId += 1;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = null;
      this.transitionTo('Empty', now);
    }
    this.subscribedTopics = this.computeSubscribedTopics();
    this.pendingSyncMembers.clear();
  }

  /** Every member's metadata for the chosen protocol, as the leader receives it. */
  currentMemberMetadata(): JoinGroupMember[] {
    const protocol = this.protocolName;
    if (protocol === null) throw new Error(`Group ${this.groupId}: no protocol chosen`);
    return this.allMembers().map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(protocol) ?? Buffer.alloc(0),
    }));
  }

  computeSubscribedTopics(): ReadonlySet<string> | undefined {
    const protocol = this.protocolName;
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE || protocol === null) return undefined;
    const topics = new Set<string>();
    for (const member of this.members.values()) {
      const metadata = member.metadata(protocol);
      const subscription = metadata && tryDecodeSubscription(metadata);
      if (!subscription) return undefined;
      for (const topic of subscription.topics) topics.add(topic);
    }
    return topics;
  }
}
