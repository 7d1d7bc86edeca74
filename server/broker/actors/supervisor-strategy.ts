import { validateBackoff, type BackoffOptions } from './backoff';
import { always, type Decider, type Directive } from './directive';
import type { RestartType } from './props';

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

/** What the strategy needs to know about a failed child. */
export interface FailedChildInfo {
  readonly path: string;
  readonly name: string;
  readonly restartType: RestartType;
  /** It failed before it ever ran (factory or preStart): there is no state to resume. */
  readonly failedInStart: boolean;
}

/**
 * The directive for one failure: the decider's answer, corrected by what cannot apply. A decider
 * that throws escalates (a broken decider must not leave the child suspended forever); a temporary
 * child is never restarted; an actor that failed to start cannot be resumed, so it is restarted.
 */
export function decide(strategy: SupervisorStrategy, error: Error, child: FailedChildInfo): Directive {
  let directive: Directive;
  try {
    directive = strategy.decider(error, { path: child.path, name: child.name });
  } catch {
    directive = 'escalate';
  }
  if (directive === 'resume' && child.failedInStart) directive = 'restart';
  if (directive === 'restart' && child.restartType === 'temporary') directive = 'stop';
  return directive;
}

/**
 * The children a directive applies to, in start order: the failed one, all of them, or the failed
 * one and those started after it. Siblings already stopped or stopping are left alone.
 */
export function affectedChildren<C extends { readonly state: string }>(
  strategy: SupervisorStrategy,
  children: readonly C[],
  failed: C,
): C[] {
  if (strategy.kind === 'one-for-one') return [failed];
  const from = strategy.kind === 'all-for-one' ? 0 : Math.max(0, children.indexOf(failed));
  return children
    .slice(from)
    .filter(
      (c) => c === failed || (c.state !== 'stopped' && c.state !== 'offline' && c.state !== 'stopping'),
    );
}
