import { isBrokerError, type BrokerErrorCode } from '../errors';

/**
 * What a supervisor does with a failed child (Akka's Directive):
 * - `resume`: keep the child's state and go on with the next message (the failing message's asker
 *   already has the error);
 * - `restart`: discard the instance, create a fresh one from the factory (the failing message is
 *   dropped), subject to restart intensity and backoff;
 * - `stop`: stop the child for good; it goes offline and its senders get its offline error;
 * - `escalate`: fail the supervisor itself and let its own parent decide.
 */
export type Directive = 'resume' | 'restart' | 'stop' | 'escalate';

export interface FailedChild {
  readonly path: string;
  readonly name: string;
}

/** Chooses a directive per failure. Must not throw; if it does, the failure is escalated. */
export type Decider = (error: Error, child: FailedChild) => Directive;

/** A decider that always answers `directive`. */
export function always(directive: Directive): Decider {
  return () => directive;
}

/**
 * A decider keyed by BrokerError code, with a fallback for other codes and for plain errors, e.g.
 * `byErrorCode({ KAFKA_STORAGE_ERROR: 'restart', CORRUPT_MESSAGE: 'resume' }, 'escalate')`.
 */
export function byErrorCode(
  directives: Partial<Record<BrokerErrorCode, Directive>>,
  otherwise: Directive,
): Decider {
  return (error) => (isBrokerError(error) ? (directives[error.code] ?? otherwise) : otherwise);
}
