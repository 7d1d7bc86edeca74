import { validateBackoff, type BackoffOptions } from './backoff';
import { always, type Decider } from './directive';

/**
 * Which children a directive applies to (OTP's restart strategies):
 * - `one-for-one`: only the failed child;
 * - `all-for-one`: all children (they depend on each other);
 * - `rest-for-one`: the failed child and the children started after it (they depend on it).
 */
export type StrategyKind = 'one-for-one' | 'all-for-one' | 'rest-for-one';

export interface SupervisorStrategy {
  readonly kind: StrategyKind;
  readonly decider: Decider;
  /** Restart intensity per child: at most `maxRestarts` restarts within `withinMs`. */
  readonly maxRestarts: number;
  readonly withinMs: number;
  /** Delay between restarts; undefined restarts at once. */
  readonly backoff: BackoffOptions | undefined;
}

export interface StrategyOptions {
  /** Default: restart on every failure (Akka's default for ordinary exceptions). */
  readonly decider?: Decider;
  /** Default 10. */
  readonly maxRestarts?: number;
  /** Default 60 000 ms. */
  readonly withinMs?: number;
  readonly backoff?: BackoffOptions;
}

export const DEFAULT_MAX_RESTARTS = 10;
export const DEFAULT_RESTART_WINDOW_MS = 60_000;

function strategy(kind: StrategyKind, options: StrategyOptions): SupervisorStrategy {
  const maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  const withinMs = options.withinMs ?? DEFAULT_RESTART_WINDOW_MS;
  if (!(maxRestarts >= 0) || !(withinMs > 0)) {
    throw new RangeError(`supervisor strategy needs maxRestarts >= 0 and withinMs > 0`);
  }
  if (options.backoff !== undefined) validateBackoff(options.backoff);
  return {
    kind,
    decider: options.decider ?? always('restart'),
    maxRestarts,
    withinMs,
    backoff: options.backoff,
  };
}

export function oneForOne(options: StrategyOptions = {}): SupervisorStrategy {
  return strategy('one-for-one', options);
}

export function allForOne(options: StrategyOptions = {}): SupervisorStrategy {
  return strategy('all-for-one', options);
}

export function restForOne(options: StrategyOptions = {}): SupervisorStrategy {
  return strategy('rest-for-one', options);
}
