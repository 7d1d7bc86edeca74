import type { ActorState, EpochMillis } from './common';
import type { RebalanceRecord } from './groups';

/** The actor tree, its events (and rebalances) and fault injection. */

export type ActorKind = 'broker' | 'supervisor' | 'partition' | 'group' | 'worker';

export interface ActorNode {
  /** Unique, slash-separated from the root: "broker/topics/orders/2". */
  path: string;
  name: string;
  kind: ActorKind;
  state: ActorState;
  /** One-for-one, all-for-one, rest-for-one and its restart limit, for supervisors. */
  strategy: string | null;
  restarts: number;
  lastRestartAt: EpochMillis | null;
  /** While restarting: when the next attempt is due (backoff). */
  nextRestartAt: EpochMillis | null;
  lastError: { message: string; at: EpochMillis } | null;
  /** Queued messages; `stashed` are those held while the actor restarts. */
  mailbox: { size: number; capacity: number | null; stashed: number } | null;
  children: ActorNode[];
}

export type ActorEventType =
  | 'started'
  | 'failed'
  | 'restarting'
  | 'restarted'
  | 'resumed'
  | 'stopped'
  | 'escalated'
  | 'message-dropped'
  | 'stash-overflow'
  | 'fault-injected';

interface EventBase {
  /** Monotonically increasing across both kinds: the resume point of the events stream. */
  id: number;
  at: EpochMillis;
}

export interface ActorEvent extends EventBase {
  kind: 'actor';
  type: ActorEventType;
  path: string;
  /** The error for failed/escalated, the directive and delay for restarted, etc. */
  message: string;
  attempt?: number;
  delayMs?: number;
}

export interface RebalanceEvent extends EventBase {
  kind: 'rebalance';
  phase: 'started' | 'completed';
  rebalance: RebalanceRecord;
}

export type ClusterEvent = ActorEvent | RebalanceEvent;

export interface EventQuery {
  /** Only events with a larger id. */
  afterId?: number;
  kinds?: ClusterEvent['kind'][];
  limit: number;
}

export type FaultRequest =
  | { kind: 'crash'; path: string }
  | { kind: 'fail-writes'; path: string; count: number }
  | { kind: 'delay'; path: string; delayMs: number; durationMs: number }
  /** Removes the faults injected into an actor. */
  | { kind: 'clear'; path: string };
