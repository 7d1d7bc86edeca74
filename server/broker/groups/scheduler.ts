/**
 * Time as the group logic sees it. The coordinator never reads the clock or sets a timer itself,
 * so that its host decides how timers run: an actor delivers each timer callback through its own
 * mailbox (so callbacks never interleave with requests), and tests drive a `ManualScheduler`.
 */
export type Cancel = () => void;

export interface Scheduler {
  now(): number;
  /** Runs `fn` once after `delayMs`; the returned function cancels it (idempotent). */
  schedule(delayMs: number, fn: () => void): Cancel;
}

/**
 * Wraps a scheduler so that a cancelled callback never runs, even when the host had already
 * queued it (an actor's timer message waiting in the mailbox behind the request that cancelled it).
 */
export function cancellationSafe(scheduler: Scheduler): Scheduler {
  return {
    now: () => scheduler.now(),
    schedule(delayMs, fn) {
      let cancelled = false;
      const cancel = scheduler.schedule(delayMs, () => {
        if (!cancelled) fn();
      });
      return () => {
        cancelled = true;
        cancel();
      };
    },
  };
}

interface ManualTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** A clock that only moves when told. Timers due at the same instant run in scheduling order. */
export class ManualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(startAt = 0) {
    this.time = startAt;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.time + Math.max(0, delayMs), seq, fn });
    return () => {
      this.timers.delete(seq);
    };
  }

  /** Moves the clock forward by `ms`, running every timer that falls due, in time order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next.seq);
      this.time = next.at;
      next.fn();
    }
    this.time = target;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  private nextDue(until: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at > until) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}
