import { BrokerError } from '../errors';
import type { Actor, ActorContext } from './actor';
import { LocalActorRef, type ActorRef, type MessageReceiver } from './actor-ref';
import { Cell, type Parent, type SystemContext } from './cell';
import { toError } from './failures';
import type { StopReason } from './lifecycle-events';
import { Mailbox, type Handler } from './mailbox';
import type { Message } from './message';
import { PendingReply } from './pending-reply';
import {
  DEFAULT_ACTOR_STOP_TIMEOUT_MS,
  DEFAULT_MAILBOX_CAPACITY,
  DEFAULT_STASH_CAPACITY,
  type Props,
} from './props';
import { settlesWithin } from './scheduler';
import type { ActorSnapshot } from './snapshot';
import { Stash } from './stash';
import { ActorTimers } from './timer-scheduler';

/**
 * The runtime around one actor (Akka's ActorCell): routes incoming messages to the mailbox, the
 * restart stash or a refusal depending on the state, and runs the actor's lifecycle across its
 * incarnations as its supervisor directs.
 */
export class ActorCell<M extends Message> extends Cell implements MessageReceiver<M> {
  readonly kind = 'actor';
  readonly self: ActorRef<M>;
  private readonly mailbox: Mailbox<M>;
  private readonly stash: Stash<M>;
  private readonly timers: ActorTimers<M>;
  private readonly context: ActorContext<M>;
  private readonly stopTimeoutMs: number;
  private instance: Actor<M> | undefined;
  private lifecycleOp: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private stopRequested = false;
  // The type of the message whose failure suspended the actor: reported as dropped on restart/stop.
  private droppedType: string | undefined;
  private stashOverflowReported = false;
  // Work given up on at a stop timeout (a message, a preStart) that may still use the instance.
  private abandoned: Promise<unknown>[] = [];
  // The postStop of an incarnation discarded while such work ran: it runs once the work settles,
  // and the next incarnation starts only after it (never two owners of one resource).
  private lateCleanup: Promise<void> | undefined;

  constructor(
    name: string,
    parent: Parent,
    system: SystemContext,
    parentPath: string,
    private readonly props: Props<M>,
  ) {
    super(name, parent, system, parentPath, props, parent.strategy);
    this.stopTimeoutMs = props.stopTimeoutMs ?? DEFAULT_ACTOR_STOP_TIMEOUT_MS;
    this.mailbox = new Mailbox<M>(
      props.mailboxCapacity ?? DEFAULT_MAILBOX_CAPACITY,
      this.path,
      system.scheduler,
      (error, reply, messageType) => this.messageFailed(error, reply, messageType),
    );
    this.stash = new Stash<M>(props.stashCapacity ?? DEFAULT_STASH_CAPACITY);
    this.self = new LocalActorRef<M>(this);
    this.timers = new ActorTimers<M>(this.self, system.scheduler);
    this.context = {
      self: this.self,
      path: this.path,
      scheduler: system.scheduler,
      timers: this.timers,
      stopSelf: () => this.requestStop(),
    };
  }

  tell(message: M): void {
    const refused = this.accept(message, undefined);
    if (refused !== undefined) throw refused;
  }

  ask(message: M, timeoutMs: number | undefined): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const reply = new PendingReply(resolve, reject, this.system.scheduler);
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs))
        reply.startTimer(timeoutMs, this.path, message.type);
      const refused = this.accept(message, reply);
      if (refused !== undefined) reply.reject(refused);
    });
  }

  private accept(message: M, reply: PendingReply | undefined): BrokerError | undefined {
    const state = this.state;
    if (state === 'running' || state === 'starting' || state === 'suspended') {
      return this.mailbox.offer(message, reply)
        ? undefined
        : this.overloaded('mailbox', this.mailbox.capacity);
    }
    if (state === 'restarting') {
      if (this.stash.stash(message, reply)) return undefined;
      if (!this.stashOverflowReported) {
        // Once per restart: a producer hammering a restarting partition must not flood the history.
        this.stashOverflowReported = true;
        this.emit({ type: 'stash-overflow', capacity: this.stash.capacity });
      }
      return this.overloaded('restart stash', this.stash.capacity);
    }
    return this.unavailableError();
  }

  private overloaded(queue: string, capacity: number): BrokerError {
    return new BrokerError(
      'OVERLOADED',
      `${this.path} is overloaded: its ${queue} is full (${capacity} messages)`,
    );
  }

  /** The asker of the failing message always gets the error, whatever the directive. */
  private messageFailed(error: Error, reply: PendingReply | undefined, messageType: string): void {
    reply?.reject(error);
    if (this.state === 'running') {
      this.droppedType = messageType;
      this.mailbox.suspend();
    }
    this.fail(error, 'message', messageType);
  }

  private requestStop(): void {
    if (this.stopRequested || this.state !== 'running') return;
    this.stopRequested = true;
    this.mailbox.suspend();
    void this.mailbox.whenIdle().then(() => {
      if (this.stopRequested && this.state === 'running') this.parent?.childExited(this);
    });
  }

  // ---- lifecycle, driven by the supervisor --------------------------------------------------

  start(): Promise<void> {
    return this.startIncarnation(this.restartToken, false);
  }

  beginRestart(cause: Error | undefined, attempt: number, delayMs: number): number {
    this.mailbox.suspend();
    this.timers.cancelAll();
    this.stopRequested = false;
    this.stashOverflowReported = false;
    if (this.droppedType !== undefined) {
      this.emit({ type: 'message-dropped', count: 1, reason: 'failed', messageType: this.droppedType });
      this.droppedType = undefined;
    }
    this.noteRestarting(cause, attempt, delayMs);
    return this.restartToken;
  }

  async teardown(token: number, cause: Error | undefined): Promise<void> {
    const op = this.lifecycleOp;
    if (op !== undefined && !(await settlesWithin(this.system.scheduler, op, this.stopTimeoutMs)))
      this.abandoned.push(op);
    if (!(await this.mailbox.settleInFlight(this.stopTimeoutMs))) this.noteAbandonedMessage();
    if (token !== this.restartToken) return;
    const instance = this.detachInstance();
    if (instance === undefined) {
      this.abandoned = [];
      return;
    }
    // Hooks never run while abandoned work may still be using the instance: postStop comes later.
    if (this.deferPostStop(instance)) return;
    if (cause !== undefined && instance.preRestart !== undefined) {
      await this.runHook('preRestart', () => instance.preRestart?.(cause), this.stopTimeoutMs);
    }
    if (instance.postStop !== undefined)
      await this.runHook('postStop', () => instance.postStop?.({ abandoned: false }), this.stopTimeoutMs);
  }

  private noteAbandonedMessage(): void {
    const work = this.mailbox.takeAbandoned();
    if (work !== undefined) this.abandoned.push(work);
  }

  /**
   * With abandoned work outstanding, schedules the instance's postStop for when it settles and
   * returns true. The next incarnation's preStart waits for that postStop.
   */
  private deferPostStop(instance: Actor<M>): boolean {
    if (this.abandoned.length === 0) return false;
    const work = this.abandoned;
    this.abandoned = [];
    const previous = this.lateCleanup ?? Promise.resolve();
    const cleanup = Promise.all([previous, Promise.allSettled(work)]).then(async () => {
      if (instance.postStop !== undefined)
        await this.runHook('postStop', () => instance.postStop?.({ abandoned: true }), this.stopTimeoutMs);
    });
    this.lateCleanup = cleanup;
    void cleanup.finally(() => {
      if (this.lateCleanup === cleanup) this.lateCleanup = undefined;
    });
    return true;
  }

  async finishRestart(token: number): Promise<void> {
    if (token !== this.restartToken || this.state !== 'restarting') return;
    await this.startIncarnation(token, true);
  }

  /** An operator asked for a stopped or offline actor to come back: it starts afresh. */
  async revive(): Promise<void> {
    if (this.stopping !== undefined) await this.stopping;
    if (!this.isTerminated) return;
    this.resetRestartStats();
    await this.finishRestart(this.beginRestart(undefined, 0, 0));
  }

  private startIncarnation(token: number, restarted: boolean): Promise<void> {
    this.state = 'starting';
    // Stashed messages go behind what was already queued and ahead of anything arriving from now on.
    this.stash.unstashAll(this.mailbox);
    const op = this.runPreStart(token, restarted);
    this.lifecycleOp = op;
    return op.finally(() => {
      if (this.lifecycleOp === op) this.lifecycleOp = undefined;
    });
  }

  private async runPreStart(token: number, restarted: boolean): Promise<void> {
    if (this.lateCleanup !== undefined) {
      await this.lateCleanup;
      if (token !== this.restartToken) return;
    }
    try {
      const instance = this.props.factory(this.context);
      // Attached before preStart so that a failed preStart still gets its postStop at teardown.
      this.instance = instance;
      this.mailbox.handlers = instance.receive as unknown as Readonly<Record<string, Handler>>;
      if (instance.preStart !== undefined) await instance.preStart();
    } catch (error) {
      if (token === this.restartToken) this.fail(toError(error), 'preStart');
      return;
    }
    if (token !== this.restartToken) return;
    this.state = 'running';
    this.backoff.onRunning(this.system.scheduler.now());
    this.emit(restarted ? { type: 'restarted', attempt: this.backoff.attempt } : { type: 'started' });
    this.mailbox.resume();
  }

  resume(): void {
    if (this.state !== 'suspended') return;
    this.droppedType = undefined;
    this.state = 'running';
    this.emit({ type: 'resumed' });
    this.mailbox.resume();
  }

  stop(reason: StopReason, cause?: Error): Promise<void> {
    if (this.stopping !== undefined) return this.stopping;
    if (this.isTerminated) return Promise.resolve();
    this.stopping = this.runStop(reason, cause).finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  private async runStop(reason: StopReason, cause: Error | undefined): Promise<void> {
    this.restartToken++;
    this.prepareUnavailable(reason, cause);
    this.state = 'stopping';
    this.mailbox.suspend();
    this.timers.cancelAll();
    const refuse = (_message: M, reply: PendingReply | undefined): void =>
      reply?.reject(this.unavailableError());
    const queued = this.mailbox.drainTo(refuse) + this.stash.drainTo(refuse);
    const dropped = queued + (this.droppedType === undefined ? 0 : 1);
    if (dropped > 0) this.emit({ type: 'message-dropped', count: dropped, reason: 'stopped' });
    this.droppedType = undefined;
    const deadline = this.system.scheduler.now() + this.stopTimeoutMs;
    const left = (): number => Math.max(0, deadline - this.system.scheduler.now());
    let finished = true;
    const op = this.lifecycleOp;
    if (op !== undefined) {
      finished = await settlesWithin(this.system.scheduler, op, left());
      if (!finished) this.abandoned.push(op);
    }
    if (finished) {
      finished = await this.mailbox.settleInFlight(left());
      if (!finished) this.noteAbandonedMessage();
    }
    const instance = this.detachInstance();
    if (instance === undefined) this.abandoned = [];
    else if (this.deferPostStop(instance)) finished = false;
    else if (instance?.postStop !== undefined) {
      finished = await this.runHook('postStop', () => instance.postStop?.({ abandoned: false }), left());
    }
    this.state = cause === undefined ? 'stopped' : 'offline';
    this.emit({
      type: 'stopped',
      state: this.state,
      reason,
      ...(cause === undefined ? {} : { error: cause.message }),
      timedOut: !finished,
    });
  }

  private detachInstance(): Actor<M> | undefined {
    const instance = this.instance;
    this.instance = undefined;
    this.mailbox.handlers = undefined;
    return instance;
  }

  // ---- fault injection and introspection ----------------------------------------------------

  crashNow(error: Error): void {
    if (this.state === 'running') this.mailbox.suspend();
    this.fail(error, 'injected');
  }

  crashOnNextMessage(error: Error): void {
    this.mailbox.crashOnNextMessage(error);
  }

  clearInjectedCrash(): void {
    this.mailbox.crashOnNextMessage(undefined);
  }

  delayEachMessage(delayMs: number): void {
    this.mailbox.delayEachMessage(delayMs);
  }

  snapshot(): ActorSnapshot {
    return {
      ...this.baseSnapshot(),
      mailboxSize: this.mailbox.size,
      stashSize: this.stash.size,
      processing: this.mailbox.processing,
      strategy: undefined,
      children: [],
    };
  }
}
