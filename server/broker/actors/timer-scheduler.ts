import type { ActorRef } from './actor-ref';
import type { Message } from './message';
import type { Scheduler, TimerHandle } from './scheduler';

/**
 * Akka's TimerScheduler: keyed timers that send a message to the actor itself, e.g. the retention
 * worker's periodic `{ type: 'tick' }`. Starting a key again replaces its timer. All timers are
 * cancelled when the actor restarts or stops, so an old incarnation's schedule never leaks.
 */
export interface TimerScheduler<M extends Message> {
  startSingleTimer(key: string, message: M, delayMs: number): void;
  /** Sends `message` every `intervalMs` (measured from the previous send). */
  startTimerWithFixedDelay(key: string, message: M, intervalMs: number): void;
  isTimerActive(key: string): boolean;
  cancel(key: string): void;
  cancelAll(): void;
}

interface Timer<M extends Message> {
  readonly owner: ActorTimers<M>;
  readonly key: string;
  readonly message: M;
  readonly intervalMs: number | undefined;
  handle: TimerHandle;
}

export class ActorTimers<M extends Message> implements TimerScheduler<M> {
  private readonly timers = new Map<string, Timer<M>>();

  constructor(
    private readonly self: ActorRef<M>,
    private readonly scheduler: Scheduler,
  ) {}

  startSingleTimer(key: string, message: M, delayMs: number): void {
    this.start(key, message, delayMs, undefined);
  }

  startTimerWithFixedDelay(key: string, message: M, intervalMs: number): void {
    if (!(intervalMs > 0)) throw new RangeError(`timer interval must be > 0, got ${intervalMs}`);
    this.start(key, message, intervalMs, intervalMs);
  }

  isTimerActive(key: string): boolean {
    return this.timers.has(key);
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    this.scheduler.clearTimeout(timer.handle);
    this.timers.delete(key);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) this.scheduler.clearTimeout(timer.handle);
    this.timers.clear();
  }

  private start(key: string, message: M, delayMs: number, intervalMs: number | undefined): void {
    this.cancel(key);
    const timer: Timer<M> = { owner: this, key, message, intervalMs, handle: undefined };
    timer.handle = this.scheduler.setTimeout(fire, delayMs, timer);
    this.timers.set(key, timer);
  }

  /** @internal */
  fired(timer: Timer<M>): void {
    if (this.timers.get(timer.key) !== timer) return;
    if (timer.intervalMs === undefined) this.timers.delete(timer.key);
    else timer.handle = this.scheduler.setTimeout(fire, timer.intervalMs, timer);
    try {
      this.self.tell(timer.message);
    } catch {
      // Overloaded or stopping: a tick is advisory and the next one comes, so it is simply skipped.
    }
  }
}

function fire<M extends Message>(timer: Timer<M>): void {
  timer.owner.fired(timer);
}
