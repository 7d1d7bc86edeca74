import { BrokerError } from '../errors';
import { ActorCell } from './actor-cell';
import type { Cell, SystemContext } from './cell';
import { EventBus } from './event-bus';
import type { Message } from './message';
import { systemScheduler, type Scheduler } from './scheduler';
import type { ActorSnapshot } from './snapshot';
import { SupervisorCell, type Supervisor } from './supervisor';
import type { SupervisorStrategy } from './supervisor-strategy';

export interface ActorSystemOptions {
  /** The root's path segment: `/broker/topics/orders/2`. Default `broker`. */
  readonly name?: string;
  /** Clock and timers; default the global ones (so `vi.useFakeTimers()` applies). */
  readonly scheduler?: Scheduler;
  /** Source of jitter in [0, 1); default Math.random. */
  readonly random?: () => number;
  /** Lifecycle events kept for replay. Default 1 000. */
  readonly eventHistorySize?: number;
  /** The root's strategy for its children (default `oneForOne()`). */
  readonly guardianStrategy?: SupervisorStrategy;
  /**
   * A failure escalated past the root. The runtime resumes the root afterwards, so the owner
   * decides what "fatal" means (log it, shut the broker down).
   */
  readonly onFatal?: (error: Error) => void;
}

export type CrashMode = 'next-message' | 'now';

/**
 * The root of a supervision tree: owns the clock, the event bus and the root supervisor, resolves
 * paths for the console and for fault injection, and shuts the whole tree down in order.
 */
export class ActorSystem {
  readonly events: EventBus;
  readonly scheduler: Scheduler;
  private readonly guardian: SupervisorCell;

  constructor(options: ActorSystemOptions = {}) {
    this.scheduler = options.scheduler ?? systemScheduler;
    const scheduler = this.scheduler;
    this.events = new EventBus(options.eventHistorySize ?? 1000, () => scheduler.now());
    const onFatal = options.onFatal;
    const context: SystemContext = {
      scheduler,
      random: options.random ?? Math.random,
      bus: this.events,
      guardianFailed: (error) => {
        onFatal?.(error);
        this.guardian.resume();
      },
    };
    const strategy = options.guardianStrategy;
    this.guardian = new SupervisorCell(
      options.name ?? 'broker',
      undefined,
      context,
      '',
      strategy ? { strategy } : {},
    );
    void this.guardian.start();
  }

  /** The root supervisor, e.g. `system.root.spawnSupervisor('topics')`. */
  get root(): Supervisor {
    return this.guardian;
  }

  /** The whole tree, for the console's supervision page. */
  snapshot(): ActorSnapshot {
    return this.guardian.snapshot();
  }

  /** Whether an actor or supervisor lives at `path` (in any state). */
  has(path: string): boolean {
    return this.find(path) !== undefined;
  }

  /**
   * Fault injection: crash the actor at `path`, either on its next message (that message fails
   * with `error` instead of reaching its handler) or `now` (a failure reported to its supervisor
   * at once; for a supervisor, this is the only mode).
   */
  injectCrash(path: string, options: { mode?: CrashMode; error?: Error | string } = {}): void {
    const cell = this.resolve(path);
    const mode = options.mode ?? 'next-message';
    const error =
      options.error instanceof Error
        ? options.error
        : new Error(options.error ?? `Injected crash (${mode}) at ${path}`);
    if (mode === 'next-message' && !(cell instanceof ActorCell)) {
      throw new BrokerError(
        'INVALID_REQUEST',
        `${path} is a supervisor and processes no messages; crash it 'now'`,
      );
    }
    if (mode === 'now' && cell.state !== 'running') {
      throw new BrokerError('INVALID_REQUEST', `${path} is ${cell.state}, not running`);
    }
    // Announced before it happens: a crash 'now' fails and restarts the actor synchronously, and
    // the timeline must show the cause before its effects.
    this.events.publish(path, cell.kind, {
      type: 'fault-injected',
      fault: 'crash',
      detail: `${mode}: ${error.message}`,
    });
    if (mode === 'next-message') (cell as ActorCell<Message>).crashOnNextMessage(error);
    else cell.crashNow(error);
  }

  /** Fault injection: each message of the actor at `path` waits `delayMs` first (0 turns it off). */
  injectDelay(path: string, delayMs: number): void {
    const cell = this.resolve(path);
    if (!(cell instanceof ActorCell)) throw new BrokerError('INVALID_REQUEST', `${path} is a supervisor`);
    (cell as ActorCell<Message>).delayEachMessage(delayMs);
    this.events.publish(path, cell.kind, {
      type: 'fault-injected',
      fault: 'delay',
      detail: `${delayMs} ms per message`,
    });
  }

  /** Removes a pending next-message crash and any injected delay. */
  clearFaults(path: string): void {
    const cell = this.resolve(path);
    if (cell instanceof ActorCell) {
      const actor = cell as ActorCell<Message>;
      actor.delayEachMessage(0);
      actor.clearInjectedCrash();
    }
    this.events.publish(path, cell.kind, {
      type: 'fault-injected',
      fault: 'clear',
      detail: 'faults cleared',
    });
  }

  /**
   * Operator restart of the actor or supervisor at `path` (any depth): a stopped or offline one
   * comes back with a fresh restart budget, a live one is restarted. The root cannot be.
   */
  restart(path: string): Promise<void> {
    const parts = typeof path === 'string' ? path.split('/') : [];
    const name = parts.pop() ?? '';
    const parent = this.find(parts.join('/'));
    if (!(parent instanceof SupervisorCell) || !parent.hasChild(name)) {
      return Promise.reject(new BrokerError('INVALID_REQUEST', `No actor at ${String(path)}`));
    }
    return parent.restartChild(name);
  }

  /** Ordered shutdown of the whole tree: children in reverse start order, each within its timeout. */
  stop(): Promise<void> {
    return this.guardian.stop('shutdown');
  }

  private resolve(path: string): Cell {
    const cell = this.find(path);
    if (cell === undefined) throw new BrokerError('INVALID_REQUEST', `No actor at ${path}`);
    return cell;
  }

  private find(path: string): Cell | undefined {
    const [empty, rootName, ...rest] = path.split('/');
    if (empty !== '' || rootName !== this.guardian.name) return undefined;
    let cell: Cell = this.guardian;
    for (const name of rest) {
      if (!(cell instanceof SupervisorCell)) return undefined;
      const next: Cell | undefined = cell.child(name);
      if (next === undefined) return undefined;
      cell = next;
    }
    return cell;
  }
}
