import { BrokerError } from '../errors';
import { RestartBackoff } from './backoff';
import type { EventBus } from './event-bus';
import type { ActorKind, FailurePhase, LifecycleEventBody, StopReason } from './lifecycle-events';
import type { ChildOptions, RestartType } from './props';
import { RestartIntensity } from './restart-intensity';
import type { Scheduler } from './scheduler';
import { settlesWithin } from './scheduler';
import type { ActorSnapshot, ActorState } from './snapshot';
import type { SupervisorStrategy } from './supervisor-strategy';
import { defaultUnavailableError, type UnavailableErrorFactory } from './unavailable';

/** The services every cell shares, owned by the ActorSystem. */
export interface SystemContext {
  readonly scheduler: Scheduler;
  readonly random: () => number;
  readonly bus: EventBus;
  /** The root supervisor failed (its own strategy escalated): the end of the line. */
  guardianFailed(error: Error): void;
}

/** What a cell needs from its supervisor; an interface to keep cells free of supervisor imports. */
export interface Parent {
  readonly strategy: SupervisorStrategy;
  childFailed(child: Cell, error: Error): void;
  childExited(child: Cell): void;
}

/**
 * What actors and supervisors have in common as nodes of the supervision tree: identity, state,
 * the per-child restart bookkeeping (intensity, backoff; Akka's ChildRestartStats), and the phased
 * lifecycle a supervisor drives. Restarts are phased so that a group (all-for-one, rest-for-one)
 * can be torn down in reverse start order and started again in start order.
 *
 * Every asynchronous step carries the `restartToken` it was started under; a stop or a newer
 * restart bumps the token, which turns the older step into a no-op instead of a race.
 */
export abstract class Cell {
  abstract readonly kind: ActorKind;
  readonly path: string;
  readonly restartType: RestartType;
  readonly intensity: RestartIntensity;
  readonly backoff: RestartBackoff;
  state: ActorState = 'starting';
  /** The last failure happened before this incarnation ever ran (factory or preStart). */
  failedInStart = false;
  restartCount = 0;
  lastError: Error | undefined;
  protected lastErrorAt = 0;
  protected nextRestartAt: number | undefined;
  protected backoffMs: number | undefined;
  protected restartToken = 0;
  protected stopReason: StopReason = 'shutdown';
  private unavailable: BrokerError | undefined;
  private readonly unavailableFactory: UnavailableErrorFactory;

  protected constructor(
    readonly name: string,
    readonly parent: Parent | undefined,
    protected readonly system: SystemContext,
    parentPath: string,
    options: ChildOptions,
    strategy: SupervisorStrategy,
  ) {
    this.path = `${parentPath}/${name}`;
    this.restartType = options.restart ?? 'permanent';
    this.unavailableFactory = options.unavailableError ?? defaultUnavailableError;
    this.intensity = new RestartIntensity(strategy.maxRestarts, strategy.withinMs);
    // Without a configured backoff the attempt counter still resets, after the intensity window.
    const quietMs = strategy.backoff?.resetAfterMs ?? strategy.backoff?.maxBackoffMs ?? strategy.withinMs;
    this.backoff = new RestartBackoff(strategy.backoff, quietMs);
  }

  /** First start after spawn. Resolves once running or once a start failure has been reported. */
  abstract start(): Promise<void>;
  /** Restart phase 1 (synchronous): from now on messages are stashed. Returns the restart's token. */
  abstract beginRestart(cause: Error | undefined, attempt: number, delayMs: number): number;
  /** Restart phase 2: discard the current incarnation (after its in-flight message). */
  abstract teardown(token: number, cause: Error | undefined): Promise<void>;
  /** Restart phase 3, after the backoff: the new incarnation. Resolves once running or failed. */
  abstract finishRestart(token: number): Promise<void>;
  /** The supervisor chose `resume` (or a parent resumed an escalating supervisor). */
  abstract resume(): void;
  /** Ordered stop; never rejects. `cause` makes it `offline` (stopped because of failures). */
  abstract stop(reason: StopReason, cause?: Error): Promise<void>;
  /** An operator asked for a stopped or offline cell to come back (a no-op otherwise). */
  abstract revive(): Promise<void>;
  /** Fault injection: fail right now, as if a message handler had thrown `error`. */
  abstract crashNow(error: Error): void;
  abstract snapshot(): ActorSnapshot;

  get isTerminated(): boolean {
    return this.state === 'stopped' || this.state === 'offline';
  }

  /** The error for messages sent while stopping, stopped or offline (built once per stop). */
  unavailableError(): BrokerError {
    this.unavailable ??= this.buildUnavailable(this.stopReason, this.lastError, this.state === 'offline');
    return this.unavailable;
  }

  /** Fixes the unavailable error at the start of a stop, before its final state is reached. */
  protected prepareUnavailable(reason: StopReason, cause: Error | undefined): void {
    this.stopReason = reason;
    if (cause !== undefined) this.recordError(cause);
    this.unavailable = this.buildUnavailable(reason, cause, cause !== undefined);
  }

  /** A fresh restart budget: after an operator's revive, or when its supervisor restarts. */
  resetRestartStats(): void {
    this.intensity.reset();
    this.backoff.reset();
  }

  protected recordError(error: Error): void {
    this.lastError = error;
    this.lastErrorAt = this.system.scheduler.now();
  }

  protected emit(body: LifecycleEventBody): void {
    this.system.bus.publish(this.path, this.kind, body);
  }

  /**
   * Reports a failure to the supervisor (or, at the root, to the system). Only a running or
   * starting cell reports: a failure while already restarting or stopping is already handled.
   */
  protected fail(error: Error, phase: FailurePhase, messageType?: string): void {
    this.recordError(error);
    this.failedInStart = this.state === 'starting';
    this.emit({
      type: 'failed',
      error: error.message,
      phase,
      ...(messageType === undefined ? {} : { messageType }),
    });
    if (this.state === 'running' || this.state === 'starting') this.reportToParent(error);
  }

  /** Suspends this cell and hands `error` to its supervisor for a directive. */
  protected reportToParent(error: Error): void {
    this.state = 'suspended';
    if (this.parent !== undefined) this.parent.childFailed(this, error);
    else this.system.guardianFailed(error);
  }

  /** Marks the restart in the cell's own stats and publishes it. */
  protected noteRestarting(cause: Error | undefined, attempt: number, delayMs: number): void {
    this.restartToken++;
    this.unavailable = undefined;
    this.state = 'restarting';
    this.restartCount++;
    this.backoffMs = delayMs;
    this.nextRestartAt = this.system.scheduler.now() + delayMs;
    this.emit({
      type: 'restarting',
      attempt,
      delayMs,
      ...(cause === undefined ? {} : { cause: cause.message }),
    });
  }

  /** Runs a lifecycle hook within `timeoutMs`; its failure is published, not supervised. */
  protected async runHook(
    phase: 'preRestart' | 'postStop',
    hook: () => void | Promise<void>,
    timeoutMs: number,
  ): Promise<boolean> {
    let work: Promise<void>;
    try {
      work = Promise.resolve(hook());
    } catch (error) {
      work = Promise.reject(error);
    }
    work.catch((error: unknown) =>
      this.emit({ type: 'failed', error: error instanceof Error ? error.message : String(error), phase }),
    );
    return settlesWithin(this.system.scheduler, work, timeoutMs);
  }

  protected baseSnapshot(): Omit<
    ActorSnapshot,
    'mailboxSize' | 'stashSize' | 'processing' | 'strategy' | 'children'
  > {
    const restarting = this.state === 'restarting';
    return {
      path: this.path,
      name: this.name,
      kind: this.kind,
      state: this.state,
      restartType: this.restartType,
      restartCount: this.restartCount,
      restartAttempt: this.backoff.attempt,
      nextRestartAt: restarting ? this.nextRestartAt : undefined,
      backoffMs: restarting ? this.backoffMs : undefined,
      lastError:
        this.lastError === undefined ? undefined : { message: this.lastError.message, at: this.lastErrorAt },
    };
  }

  private buildUnavailable(reason: StopReason, cause: Error | undefined, offline: boolean): BrokerError {
    return this.unavailableFactory({
      path: this.path,
      name: this.name,
      state: offline ? 'offline' : 'stopped',
      reason,
      restarts: this.intensity.restartsWithin(this.system.scheduler.now()),
      withinMs: this.intensity.withinMs,
      lastError: cause ?? this.lastError,
    });
  }
}
