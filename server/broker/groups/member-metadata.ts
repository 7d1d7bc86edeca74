import type { GroupProtocol, JoinGroupResult, SyncGroupResult } from './group-api';
import type { Cancel } from './scheduler';

export const EMPTY_BUFFER: Buffer = Buffer.alloc(0);

export interface MemberInit {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: readonly GroupProtocol[];
}

/**
 * One member of a classic group (Kafka's MemberMetadata). A member awaiting the end of a join
 * phase holds `awaitingJoin`; one awaiting the leader's assignment holds `awaitingSync`: these are
 * the resolvers of the promises returned by join() and sync().
 */
export class MemberMetadata {
  /** Changes when a static member is replaced by a new instance (its slot keeps the object). */
  memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  readonly protocolType: string;
  supportedProtocols: readonly GroupProtocol[];
  assignment: Buffer = EMPTY_BUFFER;
  /** Joined during the current join phase and never completed one. */
  isNew = false;
  awaitingJoin: ((result: JoinGroupResult) => void) | undefined;
  awaitingSync: ((result: SyncGroupResult) => void) | undefined;
  heartbeatTimer: Cancel | undefined;

  constructor(init: MemberInit) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocolType = init.protocolType;
    this.supportedProtocols = init.protocols;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== undefined;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== undefined;
  }

  protocolNames(): string[] {
    return this.supportedProtocols.map((p) => p.name);
  }

  metadata(protocol: string): Buffer | undefined {
    return this.supportedProtocols.find((p) => p.name === protocol)?.metadata;
  }

  /** The member's most preferred protocol among the candidates (Kafka's MemberMetadata.vote). */
  vote(candidates: ReadonlySet<string>): string {
    const choice = this.supportedProtocols.find((p) => candidates.has(p.name));
    if (!choice) throw new Error(`Member ${this.memberId} supports none of ${[...candidates].join(', ')}`);
    return choice.name;
  }

  /** Same protocols, same order, same metadata bytes. */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.supportedProtocols[i];
      return mine !== undefined && mine.name === p.name && mine.metadata.equals(p.metadata);
    });
  }

  /** Resolves a pending join; false when none was pending. */
  completeJoin(result: JoinGroupResult): boolean {
    const respond = this.awaitingJoin;
    if (!respond) return false;
    this.awaitingJoin = undefined;
    respond(result);
    return true;
  }

  /** Resolves a pending sync; false when none was pending. */
  completeSync(result: SyncGroupResult): boolean {
    const respond = this.awaitingSync;
    if (!respond) return false;
    this.awaitingSync = undefined;
    respond(result);
    return true;
  }

  cancelHeartbeat(): void {
    this.heartbeatTimer?.();
    this.heartbeatTimer = undefined;
  }
}
