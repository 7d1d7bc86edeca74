import type { ActorKind } from './lifecycle-events';
import type { RestartType } from './props';
import type { StrategyKind } from './supervisor-strategy';

/**
 * - `starting`: preStart running (first start or after a restart); messages queue in the mailbox;
 * - `running`: processing messages;
 * - `suspended`: failed, waiting for its supervisor's directive (or an escalation's outcome);
 * - `restarting`: torn down and waiting out its backoff; messages go to the stash;
 * - `stopping`: finishing its in-flight message and postStop; messages are refused;
 * - `stopped` / `offline`: refused with the owner's unavailable error (offline = after failures).
 */
export type ActorState =
  'starting' | 'running' | 'suspended' | 'restarting' | 'stopping' | 'stopped' | 'offline';

/** One node of the supervision tree as the console's supervision page renders it. */
export interface ActorSnapshot {
  readonly path: string;
  readonly name: string;
  readonly kind: ActorKind;
  readonly state: ActorState;
  readonly restartType: RestartType;
  /** Restarts since spawn (including operator restarts). */
  readonly restartCount: number;
  /** Consecutive restarts since the last quiet period (drives the backoff). */
  readonly restartAttempt: number;
  /** While restarting: when the next attempt is due (epoch ms) and the backoff chosen for it. */
  readonly nextRestartAt: number | undefined;
  readonly backoffMs: number | undefined;
  readonly lastError: { readonly message: string; readonly at: number } | undefined;
  readonly mailboxSize: number;
  readonly stashSize: number;
  /** A message is being processed right now. */
  readonly processing: boolean;
  /** Supervisors only. */
  readonly strategy: StrategyKind | undefined;
  readonly children: readonly ActorSnapshot[];
}
