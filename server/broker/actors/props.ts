import type { ActorFactory } from './actor';
import type { Message } from './message';
import type { SupervisorStrategy } from './supervisor-strategy';
import type { UnavailableErrorFactory } from './unavailable';

/**
 * OTP's child restart types:
 * - `permanent`: always restarted, even after it stops itself normally;
 * - `transient`: restarted only after a failure; a normal stop leaves it stopped;
 * - `temporary`: never restarted; once it terminates it is removed from its supervisor.
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

export interface ChildOptions {
  /** Default `permanent`. */
  readonly restart?: RestartType;
  /**
   * How long a stop may wait for the in-flight message and postStop (default 5 000 ms for actors,
   * unlimited for supervisors, whose children have their own).
   */
  readonly stopTimeoutMs?: number;
  /** The error senders get once it is stopped or offline (default BROKER_NOT_AVAILABLE). */
  readonly unavailableError?: UnavailableErrorFactory;
}

/** How to create an actor (Akka's Props). */
export interface Props<M extends Message> extends ChildOptions {
  /** Called for the first start and for every restart: each incarnation starts from fresh state. */
  readonly factory: ActorFactory<M>;
  /** Bound on queued messages; beyond it senders get OVERLOADED. Default 1 000. */
  readonly mailboxCapacity?: number;
  /** Bound on messages held while restarting; beyond it senders get OVERLOADED. Default 1 000. */
  readonly stashCapacity?: number;
}

export interface SupervisorProps extends ChildOptions {
  /** Default `oneForOne()`: restart, at most 10 restarts in 60 s per child, no backoff. */
  readonly strategy?: SupervisorStrategy;
}

export const DEFAULT_MAILBOX_CAPACITY = 1000;
export const DEFAULT_STASH_CAPACITY = 1000;
export const DEFAULT_ACTOR_STOP_TIMEOUT_MS = 5000;
