import type { Broker } from '../broker';
import { BrokerError, type BrokerErrorCode } from '../errors';
import {
  CONSUMER_PROTOCOL_TYPE,
  decodeAssignment,
  tryDecodeSubscription,
  type TopicPartitions,
} from '../groups/consumer-protocol';
import { performAssignment, subscriptionMetadata } from './assignors/leader-assignment';
import type { PartitionAssignor } from './assignors/partition-assignor';
import { abortableSleep, unlessAborted } from './client-support';

/**
 * A consumer's side of the classic group protocol (Kafka's ConsumerCoordinator), over exactly
 * the broker calls a Kafka client's requests reach: JoinGroup (with the KIP-394
 * MEMBER_ID_REQUIRED round trip), the leader's assignment with the chosen assignor, SyncGroup,
 * heartbeats on a timer (which is how a member learns it must rejoin), LeaveGroup.
 */
export type GroupBroker = Pick<
  Broker,
  'joinGroup' | 'syncGroup' | 'heartbeat' | 'leaveGroup' | 'partitionCount' | 'state'
>;

export interface MembershipConfig {
  groupId: string;
  clientId: string;
  groupInstanceId: string | null;
  topics: readonly string[];
  assignors: readonly PartitionAssignor[];
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  retryBackoffMs: number;
}

/** Errors after which the same request is simply tried again after a pause. */
const RETRY: ReadonlySet<BrokerErrorCode> = new Set<BrokerErrorCode>([
  'NOT_COORDINATOR',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'OVERLOADED',
  'REQUEST_TIMED_OUT',
]);

export class GroupMembership {
  memberId = '';
  generationId = -1;
  protocolName: string | null = null;
  leaderId = '';
  rejoinNeeded = true;
  /** The assignment of the current generation (what the member owns). */
  owned: TopicPartitions[] = [];
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeating = false;

  constructor(
    private readonly broker: GroupBroker,
    private readonly config: MembershipConfig,
    /** Called when the group needs this member to rejoin (the consumer stops fetching). */
    private readonly onRejoinNeeded: (reason: string) => void,
  ) {}

  /** KIP-429: cooperative when every configured assignor supports it (Kafka's rule). */
  get cooperative(): boolean {
    return this.config.assignors.every((a) => a.supportedProtocols.includes('cooperative'));
  }

  get inGeneration(): boolean {
    return this.memberId !== '' && this.generationId >= 0;
  }

  requestRejoin(reason: string): void {
    if (this.rejoinNeeded) return;
    this.rejoinNeeded = true;
    this.onRejoinNeeded(reason);
  }

  /** The member's identity lost (UNKNOWN_MEMBER_ID, FENCED): join again from scratch. */
  resetMember(): void {
    this.memberId = '';
    this.generationId = -1;
  }

  /** Joins and syncs until a generation hands this member its assignment. */
  async joinAndSync(signal: AbortSignal): Promise<TopicPartitions[]> {
    const { groupId, groupInstanceId } = this.config;
    for (;;) {
      this.rejoinNeeded = false;
      const joined = await unlessAborted(this.broker.joinGroup(groupId, this.joinRequest()), signal);
      if (joined.error) {
        if (joined.error.code === 'MEMBER_ID_REQUIRED') {
          this.memberId = joined.memberId;
          continue;
        }
        await this.onError(joined.error, signal);
        continue;
      }
      this.memberId = joined.memberId;
      this.generationId = joined.generationId;
      this.protocolName = joined.protocolName;
      this.leaderId = joined.leader;
      const assignments = this.leaderId === this.memberId ? this.assign(joined.members) : [];
      const synced = await unlessAborted(
        this.broker.syncGroup(groupId, {
          generationId: this.generationId,
          memberId: this.memberId,
          groupInstanceId,
          protocolType: CONSUMER_PROTOCOL_TYPE,
          protocolName: this.protocolName,
          assignments,
        }),
        signal,
      );
      if (synced.error) {
        await this.onError(synced.error, signal);
        continue;
      }
      return synced.assignment.length === 0 ? [] : decodeAssignment(synced.assignment).assignedPartitions;
    }
  }

  private joinRequest() {
    const { clientId, groupInstanceId, topics, assignors } = this.config;
    return {
      memberId: this.memberId,
      groupInstanceId,
      clientId,
      clientHost: 'in-process',
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocols: assignors.map((a) => ({
        name: a.name,
        metadata: subscriptionMetadata(a, topics, this.owned, this.generationId),
      })),
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      rebalanceTimeoutMs: this.config.rebalanceTimeoutMs,
      requireKnownMemberId: true,
    };
  }

  /** The leader's part: every member's subscription through the chosen assignor. */
  private assign(
    members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>,
  ) {
    const assignor = this.config.assignors.find((a) => a.name === this.protocolName);
    if (assignor === undefined) {
      throw new BrokerError(
        'INCONSISTENT_GROUP_PROTOCOL',
        `The group chose unknown assignor ${this.protocolName}`,
      );
    }
    const partitionsPerTopic = new Map<string, number>();
    for (const m of members) {
      for (const topic of tryDecodeSubscription(m.metadata)?.topics ?? []) {
        const count = this.broker.partitionCount(topic);
        if (count !== undefined) partitionsPerTopic.set(topic, count);
      }
    }
    return performAssignment(assignor, members, partitionsPerTopic);
  }

  /** What a join or sync error means for the next attempt (Kafka's JoinGroup/SyncGroup handlers). */
  private async onError(error: BrokerError, signal: AbortSignal): Promise<void> {
    switch (error.code) {
      case 'UNKNOWN_MEMBER_ID':
      case 'ILLEGAL_GENERATION':
        if (error.code === 'UNKNOWN_MEMBER_ID') this.resetMember();
        return;
      case 'REBALANCE_IN_PROGRESS':
        return;
      default:
        if (!RETRY.has(error.code)) throw error;
        await abortableSleep(this.config.retryBackoffMs, signal);
    }
  }

  // ---- heartbeats -------------------------------------------------------------------------------

  startHeartbeats(): void {
    this.heartbeating = true;
    this.scheduleHeartbeat();
  }

  stopHeartbeats(): void {
    this.heartbeating = false;
    if (this.heartbeatTimer !== undefined) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private scheduleHeartbeat(): void {
    if (!this.heartbeating) return;
    this.heartbeatTimer = setTimeout(() => void this.beat(), this.config.heartbeatIntervalMs);
  }

  private async beat(): Promise<void> {
    this.heartbeatTimer = undefined;
    const generationId = this.generationId;
    const memberId = this.memberId;
    try {
      const { error } = await this.broker.heartbeat(this.config.groupId, {
        memberId,
        groupInstanceId: this.config.groupInstanceId,
        generationId,
      });
      if (!this.heartbeating || generationId !== this.generationId || memberId !== this.memberId) return;
      if (error) this.onHeartbeatError(error);
    } catch {
      // the broker is stopping (its loop notices on its next call), or the heartbeat failed:
      // the next one tries again, and the session timeout decides
    }
    this.scheduleHeartbeat();
  }

  private onHeartbeatError(error: BrokerError): void {
    switch (error.code) {
      case 'REBALANCE_IN_PROGRESS':
      case 'ILLEGAL_GENERATION':
        this.requestRejoin(error.code);
        break;
      case 'UNKNOWN_MEMBER_ID':
      case 'FENCED_INSTANCE_ID':
        this.resetMember();
        this.requestRejoin(error.code);
        break;
      default:
        break; // coordinator loading or busy: the next heartbeat tries again
    }
  }

  /** LeaveGroup (dynamic members; a static member keeps its slot until its session expires). */
  async leave(): Promise<void> {
    this.stopHeartbeats();
    if (this.memberId === '' || this.config.groupInstanceId !== null) return;
    const memberId = this.memberId;
    this.resetMember();
    await this.broker.leaveGroup(this.config.groupId, [{ memberId }]);
  }
}
