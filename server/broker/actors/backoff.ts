/**
 * Exponential backoff with jitter between restarts (Akka's BackoffSupervisor formula): the n-th
 * consecutive restart (n from 0) waits min(maxBackoffMs, minBackoffMs * 2^n) * (1 + r * randomFactor)
 * with r uniform in [0, 1). Jitter keeps many partitions that failed together (a full disk) from
 * retrying in lockstep. The counter resets once the child has run for `resetAfterMs` without
 * failing, so a rare crash restarts fast again.
 */
export interface BackoffOptions {
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** 0 for no jitter; 0.2 adds up to 20%. */
  readonly randomFactor: number;
  /** Quiet period of uninterrupted running after which the attempt counter resets; default maxBackoffMs. */
  readonly resetAfterMs?: number;
}

export function validateBackoff(options: BackoffOptions): void {
  const { minBackoffMs, maxBackoffMs, randomFactor, resetAfterMs } = options;
  if (!(minBackoffMs >= 0) || !(maxBackoffMs >= minBackoffMs) || !(randomFactor >= 0)) {
    throw new RangeError('backoff needs 0 <= minBackoffMs <= maxBackoffMs and randomFactor >= 0');
  }
  if (resetAfterMs !== undefined && !(resetAfterMs >= 0)) {
    throw new RangeError('backoff resetAfterMs must be >= 0');
  }
}

/** The delay before restart number `attempt` (0-based), given a random draw in [0, 1). */
export function backoffDelay(options: BackoffOptions, attempt: number, random: number): number {
  const base = Math.min(options.maxBackoffMs, options.minBackoffMs * 2 ** attempt);
  return Math.round(base * (1 + random * options.randomFactor));
}

/** Per-child backoff state: the consecutive-restart counter and when the child last became healthy. */
export class RestartBackoff {
  private attempts = 0;
  // When the current incarnation reached `running`; undefined while starting or restarting, so
  // that a child failing in preStart again and again never counts as having been quiet.
  private runningSince: number | undefined;

  constructor(
    private readonly options: BackoffOptions | undefined,
    private readonly quietPeriodMs: number,
  ) {}

  /** Consecutive restarts so far (for display). */
  get attempt(): number {
    return this.attempts;
  }

  /** Called on each restart decision: returns the 1-based attempt and the delay to wait. */
  next(now: number, random: () => number): { attempt: number; delayMs: number } {
    if (this.runningSince !== undefined && now - this.runningSince >= this.quietPeriodMs) this.attempts = 0;
    this.runningSince = undefined;
    const delayMs = this.options === undefined ? 0 : backoffDelay(this.options, this.attempts, random());
    this.attempts++;
    return { attempt: this.attempts, delayMs };
  }

  onRunning(now: number): void {
    this.runningSince = now;
  }

  reset(): void {
    this.attempts = 0;
    this.runningSince = undefined;
  }
}
