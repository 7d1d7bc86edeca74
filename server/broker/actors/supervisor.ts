import { BrokerError } from '../errors';
import { ActorCell } from './actor-cell';
import type { ActorRef } from './actor-ref';
import { Cell, type Parent, type SystemContext } from './cell';
import { RestartLimitExceededError } from './failures';
import type { StopReason } from './lifecycle-events';
import type { Message } from './message';
import type { Props, SupervisorProps } from './props';
import { settlesWithin, sleep } from './scheduler';
import type { ActorSnapshot } from './snapshot';
import { affectedChildren, decide, oneForOne, type SupervisorStrategy } from './supervisor-strategy';

/** The public face of a supervisor: a node of the tree that owns children and their fate. */
export interface Supervisor {
  readonly path: string;
  readonly strategy: SupervisorStrategy;
  /** Starts an actor under this supervisor; it processes messages once its preStart is done. */
  spawn<M extends Message>(name: string, props: Props<M>): ActorRef<M>;
  spawnSupervisor(name: string, props?: SupervisorProps): Supervisor;
  hasChild(name: string): boolean;
  /** In start order. */
  childNames(): string[];
  /** Stops the child (and its subtree) and forgets it; false if there was none. */
  removeChild(name: string): Promise<boolean>;
  /** Operator restart: revives a stopped/offline child with a fresh restart budget, or restarts a live one. */
  restartChild(name: string): Promise<void>;
}

/**
 * A supervisor (Akka's supervising parent, OTP's supervisor): decides per child failure with its
 * strategy's decider, enforces restart intensity, spaces restarts with backoff, and stops its
 * children in reverse start order. It processes no messages itself.
 */
export class SupervisorCell extends Cell implements Supervisor, Parent {
  readonly kind = 'supervisor';
  readonly strategy: SupervisorStrategy;
  // Insertion order is start order: stops walk it backwards, group restarts forwards.
  private readonly children = new Map<string, Cell>();
  private readonly pauses = new Set<{ cancel(): void }>();
  private readonly childTokens = new Map<Cell, number>();
  private readonly stopTimeoutMs: number;
  private stopping: Promise<void> | undefined;

  constructor(
    name: string,
    parent: Parent | undefined,
    system: SystemContext,
    parentPath: string,
    props: SupervisorProps,
  ) {
    const strategy = props.strategy ?? oneForOne();
    super(name, parent, system, parentPath, props, parent?.strategy ?? strategy);
    this.strategy = strategy;
    this.stopTimeoutMs = props.stopTimeoutMs ?? Infinity;
  }

  // ---- the tree -----------------------------------------------------------------------------

  spawn<M extends Message>(name: string, props: Props<M>): ActorRef<M> {
    this.checkAdoptable(name);
    const cell = new ActorCell<M>(name, this, this.system, this.path, props);
    this.children.set(name, cell);
    void cell.start();
    return cell.self;
  }

  spawnSupervisor(name: string, props: SupervisorProps = {}): Supervisor {
    this.checkAdoptable(name);
    const cell = new SupervisorCell(name, this, this.system, this.path, props);
    this.children.set(name, cell);
    void cell.start();
    return cell;
  }

  hasChild(name: string): boolean {
    return this.children.has(name);
  }

  childNames(): string[] {
    return [...this.children.keys()];
  }

  /** @internal Path resolution for the system. */
  child(name: string): Cell | undefined {
    return this.children.get(name);
  }

  async removeChild(name: string): Promise<boolean> {
    const child = this.children.get(name);
    if (child === undefined) return false;
    await this.stopChild(child, 'removed');
    return true;
  }

  async restartChild(name: string): Promise<void> {
    const child = this.children.get(name);
    if (child === undefined) throw new BrokerError('INVALID_REQUEST', `No actor at ${this.path}/${name}`);
    if (child.isTerminated || child.state === 'stopping') return child.revive();
    const token = child.beginRestart(undefined, 0, 0);
    await child.teardown(token, undefined);
    await child.finishRestart(token);
  }

  private checkAdoptable(name: string): void {
    if (this.state === 'stopping' || this.isTerminated) throw this.unavailableError();
    if (name.length === 0 || name.includes('/')) {
      throw new BrokerError(
        'INVALID_REQUEST',
        `Invalid actor name '${name}': it must be non-empty and contain no '/'`,
      );
    }
    const existing = this.children.get(name);
    if (existing !== undefined && !existing.isTerminated) {
      throw new BrokerError('INVALID_REQUEST', `${this.path}/${name} already exists`);
    }
    // A terminated namesake (a deleted topic being re-created) is replaced and moves to the end.
    this.children.delete(name);
  }

  // ---- supervision --------------------------------------------------------------------------

  childFailed(child: Cell, error: Error): void {
    if (this.children.get(child.name) !== child || this.state === 'stopping' || this.isTerminated) return;
    const directive = decide(this.strategy, error, child);
    if (directive === 'resume') child.resume();
    else if (directive === 'restart') this.restart(child, error);
    else if (directive === 'stop') void this.stopAll(this.affected(child), child, error);
    else this.escalate(child, error);
  }

  childExited(child: Cell): void {
    if (this.children.get(child.name) !== child || this.state === 'stopping' || this.isTerminated) return;
    if (child.restartType === 'permanent') this.restart(child, undefined);
    else void this.stopChild(child, 'normal-exit');
  }

  private affected(child: Cell): Cell[] {
    return affectedChildren(this.strategy, [...this.children.values()], child);
  }

  private restart(child: Cell, cause: Error | undefined): void {
    const now = this.system.scheduler.now();
    if (!child.intensity.tryRestart(now)) {
      const lastError = cause ?? new Error(`${child.path} kept exiting`);
      const restarts = child.intensity.restartsWithin(now);
      void this.stopChild(child, 'restart-limit', lastError);
      this.escalate(
        child,
        new RestartLimitExceededError(child.path, restarts, child.intensity.withinMs, lastError),
      );
      return;
    }
    const { attempt, delayMs } = child.backoff.next(now, this.system.random);
    const scope: Cell[] = [];
    for (const c of this.affected(child)) {
      // OTP: temporary siblings are not restarted with the group, they are terminated.
      if (c !== child && c.restartType === 'temporary') void this.stopChild(c, 'supervisor-stop');
      else scope.push(c);
    }
    const tokens = scope.map((c) => c.beginRestart(cause, attempt, delayMs));
    void this.runRestart(scope, tokens, cause, delayMs);
  }

  /** Tear down in reverse start order, wait out the backoff, start again in start order. */
  private async runRestart(
    scope: Cell[],
    tokens: number[],
    cause: Error | undefined,
    delayMs: number,
  ): Promise<void> {
    // The backoff runs from the failure, concurrently with the teardown.
    const pause = sleep(this.system.scheduler, delayMs);
    this.pauses.add(pause);
    for (let i = scope.length - 1; i >= 0; i--) await (scope[i] as Cell).teardown(tokens[i] as number, cause);
    const completed = await pause.done;
    this.pauses.delete(pause);
    if (!completed) return;
    for (let i = 0; i < scope.length; i++) await (scope[i] as Cell).finishRestart(tokens[i] as number);
  }

  private escalate(child: Cell, error: Error): void {
    this.emit({ type: 'escalated', error: error.message, childPath: child.path });
    // Already waiting on its own parent: that outcome (resume, restart, stop) will cover this child.
    if (this.state === 'suspended') return;
    this.reportToParent(error);
  }

  private async stopAll(scope: Cell[], failed: Cell, cause: Error): Promise<void> {
    for (const c of [...scope].reverse())
      await this.stopChild(c, 'supervisor-stop', c === failed ? cause : undefined);
  }

  private async stopChild(child: Cell, reason: StopReason, cause?: Error): Promise<void> {
    await child.stop(reason, cause);
    const forget = reason === 'removed' || child.restartType === 'temporary';
    if (forget && this.children.get(child.name) === child) this.children.delete(child.name);
  }

  // ---- own lifecycle, driven by the parent --------------------------------------------------

  async start(): Promise<void> {
    this.state = 'running';
    this.backoff.onRunning(this.system.scheduler.now());
    this.emit({ type: 'started' });
  }

  resume(): void {
    if (this.state !== 'suspended') return;
    this.state = 'running';
    this.emit({ type: 'resumed' });
    for (const child of this.children.values()) if (child.state === 'suspended') child.resume();
  }

  /** A supervisor restart restarts its whole subtree with fresh restart budgets. */
  beginRestart(cause: Error | undefined, attempt: number, delayMs: number): number {
    this.cancelPauses();
    this.noteRestarting(cause, attempt, delayMs);
    this.childTokens.clear();
    for (const child of this.children.values()) {
      if (child.restartType === 'temporary' || child.state === 'stopping') continue;
      child.resetRestartStats();
      this.childTokens.set(child, child.beginRestart(cause, 1, delayMs));
    }
    return this.restartToken;
  }

  async teardown(token: number, cause: Error | undefined): Promise<void> {
    for (const child of [...this.children.values()].reverse()) {
      if (token !== this.restartToken) return;
      const childToken = this.childTokens.get(child);
      if (childToken !== undefined) await child.teardown(childToken, cause);
      else if (child.restartType === 'temporary') await this.stopChild(child, 'parent-stopped');
      else await child.stop('parent-stopped'); // joins a stop already under way (restart limit)
    }
  }

  async finishRestart(token: number): Promise<void> {
    if (token !== this.restartToken || this.state !== 'restarting') return;
    this.state = 'starting';
    for (const child of [...this.children.values()]) {
      const childToken = this.childTokens.get(child);
      if (childToken !== undefined) await child.finishRestart(childToken);
      else if (child.restartType !== 'temporary') await child.revive();
      if (token !== this.restartToken) return;
    }
    this.state = 'running';
    this.backoff.onRunning(this.system.scheduler.now());
    this.emit({ type: 'restarted', attempt: this.backoff.attempt });
  }

  async revive(): Promise<void> {
    if (this.stopping !== undefined) await this.stopping;
    if (!this.isTerminated) return;
    this.resetRestartStats();
    const token = this.beginRestart(undefined, 0, 0);
    await this.finishRestart(token);
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
    this.cancelPauses();
    const childReason: StopReason =
      reason === 'shutdown' || reason === 'removed' ? 'shutdown' : 'parent-stopped';
    const stopChildren = async (): Promise<void> => {
      for (const child of [...this.children.values()].reverse())
        await this.stopChild(child, childReason, cause);
    };
    const finished = await settlesWithin(this.system.scheduler, stopChildren(), this.stopTimeoutMs);
    this.state = cause === undefined ? 'stopped' : 'offline';
    this.emit({
      type: 'stopped',
      state: this.state,
      reason,
      ...(cause === undefined ? {} : { error: cause.message }),
      timedOut: !finished,
    });
  }

  private cancelPauses(): void {
    for (const pause of this.pauses) pause.cancel();
    this.pauses.clear();
  }

  crashNow(error: Error): void {
    this.fail(error, 'injected');
  }

  snapshot(): ActorSnapshot {
    return {
      ...this.baseSnapshot(),
      mailboxSize: 0,
      stashSize: 0,
      processing: false,
      strategy: this.strategy.kind,
      children: [...this.children.values()].map((child) => child.snapshot()),
    };
  }
}
