/** Values the types of every feature refer to: time, and the actors serving partitions and groups. */

/** Milliseconds since the Unix epoch. */
export type EpochMillis = number;

/**
 * The supervision runtime's states: `starting` (preStart), `running`, `suspended` (failed, awaiting
 * its supervisor's directive), `restarting` (waiting out its backoff), `stopping`, `stopped`, and
 * `offline` (stopped because of failures: requests get a retriable unavailable error).
 */
export type ActorState =
  'starting' | 'running' | 'suspended' | 'restarting' | 'stopping' | 'stopped' | 'offline';

/** The actor serving a partition or a group; null where the cluster has no actors. */
export interface ActorRef {
  path: string;
  state: ActorState;
  restarts: number;
}
