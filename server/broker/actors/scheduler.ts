/**
 * The runtime's only source of time. Everything that waits (ask timeouts, restart backoff, stop
 * timeouts, actor timers) goes through a `Scheduler` so that tests can swap in fake timers and so
 * that the runtime never captures `Date.now`/`setTimeout` at import time.
 */

/** Opaque: whatever the underlying timer facility returns. */
export type TimerHandle = unknown;

export interface Scheduler {
  /** Milliseconds since the epoch (event timestamps, restart windows, backoff reset). */
  now(): number;
  /**
   * Calls `callback(arg)` after `delayMs`. The explicit argument lets hot callers (ask timeouts)
   * pass a static function plus their state instead of allocating a closure per call.
   */
  setTimeout<A>(callback: (arg: A) => void, delayMs: number, arg: A): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * Looks the globals up on every call (not once at import) so that `vi.useFakeTimers()` installed
 * after this module loaded still takes effect.
 */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs, arg) => globalThis.setTimeout(callback, delayMs, arg),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Resolves `true` when `work` settles within `timeoutMs`, `false` otherwise. Never rejects: callers
 * use it for best-effort waits (stop, teardown) where a hook's own failure is reported elsewhere.
 */
export function settlesWithin(
  scheduler: Scheduler,
  work: Promise<unknown>,
  timeoutMs: number,
): Promise<boolean> {
  const settled = work.then(
    () => true,
    () => true,
  );
  if (!Number.isFinite(timeoutMs)) return settled;
  return new Promise<boolean>((resolve) => {
    const timer = scheduler.setTimeout(resolve, Math.max(0, timeoutMs), false);
    void settled.then(() => {
      scheduler.clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A cancellable sleep; `cancel()` resolves it early with `false` so no timer outlives a shutdown. */
export function sleep(scheduler: Scheduler, delayMs: number): { done: Promise<boolean>; cancel(): void } {
  let resolveDone: (completed: boolean) => void = () => {};
  const done = new Promise<boolean>((resolve) => (resolveDone = resolve));
  if (delayMs <= 0) {
    resolveDone(true);
    return { done, cancel: () => {} };
  }
  const timer = scheduler.setTimeout(resolveDone, delayMs, true);
  return {
    done,
    cancel: () => {
      scheduler.clearTimeout(timer);
      resolveDone(false);
    },
  };
}
