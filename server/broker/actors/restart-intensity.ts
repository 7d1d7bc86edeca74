/**
 * OTP's restart intensity: at most `maxRestarts` restarts of one child within any `withinMs`
 * window. The restart that would exceed it is refused, and the supervisor takes the child offline
 * and escalates instead, so a crash loop cannot spin forever (or fill the event history).
 */
const MAX_REMEMBERED = 1024;

export class RestartIntensity {
  // Timestamps of the restarts still inside the window, oldest first; never longer than maxRestarts.
  private readonly times: number[] = [];

  constructor(
    readonly maxRestarts: number,
    readonly withinMs: number,
  ) {
    if (!(maxRestarts >= 0) || !(withinMs > 0)) {
      throw new RangeError(`restart intensity needs maxRestarts >= 0 and withinMs > 0`);
    }
  }

  /** Records a restart at `now` and returns true, or returns false if the limit is reached. */
  tryRestart(now: number): boolean {
    this.forgetBefore(now - this.withinMs);
    if (this.times.length >= this.maxRestarts) return false;
    // With an unlimited intensity the history only feeds `restartsWithin` (display), so cap it
    // rather than let a tight crash loop grow it without bound.
    if (this.times.length < MAX_REMEMBERED) this.times.push(now);
    return true;
  }

  /** How many restarts happened in the window ending at `now`. */
  restartsWithin(now: number): number {
    this.forgetBefore(now - this.withinMs);
    return this.times.length;
  }

  reset(): void {
    this.times.length = 0;
  }

  private forgetBefore(cutoff: number): void {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] as number) <= cutoff) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }
}
