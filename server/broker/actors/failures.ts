/**
 * The failures the runtime itself raises while supervising. Errors from actors pass through
 * unchanged (a BrokerError from the log reaches the asker as is); these only describe supervision.
 */

/** Turns anything thrown into an Error, so deciders, events and askers always get one. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : `Non-error thrown: ${String(thrown)}`);
}

/**
 * What a supervisor escalates to its parent after taking a child offline because it exceeded its
 * restart intensity. The parent's decider can match it with `instanceof`.
 */
export class RestartLimitExceededError extends Error {
  constructor(
    readonly childPath: string,
    readonly restarts: number,
    readonly withinMs: number,
    readonly lastError: Error,
  ) {
    super(`${childPath} exceeded ${restarts} restarts in ${formatDuration(withinMs)}: ${lastError.message}`, {
      cause: lastError,
    });
    this.name = 'RestartLimitExceededError';
  }
}

/** Formats a duration as an operator reads it: 750ms, 60s, 5m, 1.5h. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 120_000) return `${trim(ms / 1000)}s`;
  if (ms < 7_200_000) return `${trim(ms / 60_000)}m`;
  return `${trim(ms / 3_600_000)}h`;
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
