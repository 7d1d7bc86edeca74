/**
 * What the handlers do with an error they caught for one topic, partition or resource: the Kafka
 * code (and message) for the response, and a log line when it is not a BrokerError, because then
 * it is a bug or an unexpected failure that the client only sees as UNKNOWN_SERVER_ERROR.
 */
import { BrokerError } from '../../broker/errors';
import { kafkaErrorCode, kafkaErrorMessage } from '../error-codes';
import type { RequestContext } from '../handler';

export interface CaughtError {
  readonly errorCode: number;
  readonly errorMessage: string;
}

export function caught(error: unknown, ctx: RequestContext, subject: string): CaughtError {
  if (!(error instanceof BrokerError)) {
    ctx.logger.error({ err: error, subject }, 'Kafka request failed unexpectedly');
  }
  return { errorCode: kafkaErrorCode(error), errorMessage: kafkaErrorMessage(error) };
}

/** A protocol int64 as a JS number, or undefined when it is not a safe integer. */
export function safeNumber(value: bigint): number | undefined {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : undefined;
}
