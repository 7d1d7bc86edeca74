import type { ActorRef } from './actor-ref';
import type { Handlers, Message } from './message';
import type { Scheduler } from './scheduler';
import type { TimerScheduler } from './timer-scheduler';

/**
 * One incarnation of an actor: its state lives in the object the factory returns, so a restart
 * (a new object from the factory) starts from clean state, as in Akka.
 */
export interface Actor<M extends Message> {
  readonly receive: Handlers<M>;
  /**
   * Runs before the first message of each incarnation (open files, recover the log). Messages sent
   * meanwhile wait in the mailbox. A throw or rejection is a failure like any other.
   */
  preStart?(): void | Promise<void>;
  /** Runs on the old incarnation before a restart caused by `error`, before postStop. */
  preRestart?(error: Error): void | Promise<void>;
  /**
   * Runs when the incarnation is discarded: on stop and on every restart (close files). It also
   * runs for an incarnation whose preStart failed, so partial setup can be undone. If the
   * in-flight message (or preStart) did not finish within the stop timeout, it runs only once that
   * work settles, with `abandoned` set (the work may have stopped half-way), and a restart's next
   * incarnation starts only after it.
   */
  postStop?(stop: PostStop): void | Promise<void>;
}

export interface PostStop {
  /** The incarnation was given up on while work was running; postStop ran after it settled. */
  readonly abandoned: boolean;
}

/** What the runtime gives an actor; the same object for all its incarnations. */
export interface ActorContext<M extends Message> {
  readonly self: ActorRef<M>;
  readonly path: string;
  /** The runtime's clock and timers (fake in tests). */
  readonly scheduler: Scheduler;
  /** Timers that deliver messages to self; cancelled on restart and stop. */
  readonly timers: TimerScheduler<M>;
  /**
   * Terminates normally once the current message is done; what happens next depends on the restart
   * type (a permanent actor is restarted, a transient one stays stopped, a temporary one is removed).
   */
  stopSelf(): void;
}

export type ActorFactory<M extends Message> = (context: ActorContext<M>) => Actor<M>;
