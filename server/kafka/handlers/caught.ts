/**
 * What the handlers do with an error they caught for one topic, partition or resource: the Kafka
 * code (and message) for the response, and a log line when it is not a BrokerError, because then
 * it is a bug or an unexpected failure that the client only sees as UNKNOWN_SERVER_ERROR.
 */
import { BrokerError } from '../../broker/errors';
import { KafkaError, kafkaErrorCode, kafkaErrorMessage, type ErrorScope } from '../error-codes';
import type { RequestContext } from '../handler';

export interface CaughtError {
  readonly errorCode: number;
  readonly errorMessage: string;
}

export function caught(
  error: unknown,
  ctx: RequestContext,
  subject: string,
  scope: ErrorScope = 'partition',
): CaughtError {
  if (!(error instanceof BrokerError)) {
    ctx.logger.error({ err: error, subject }, 'Kafka request failed unexpectedly');
  }
  return { errorCode: kafkaErrorCode(error, scope), errorMessage: kafkaErrorMessage(error) };
}

/**
 * The code of an error a group call answered with (`error` in the core's results), or NONE. The
 * `group` scope turns the core's "not right now" errors into COORDINATOR_NOT_AVAILABLE, which
 * consumers retry after finding the coordinator again.
 */
export function groupCode(error: unknown): number {
  return error === undefined ? KafkaError.NONE : kafkaErrorCode(error, 'group');
}

/** A protocol int64 as a JS number, or undefined when it is not a safe integer. */
export function safeNumber(value: bigint): number | undefined {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : undefined;
}
