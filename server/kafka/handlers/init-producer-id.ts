/**
 * InitProducerId (key 22), versions 0-4, for idempotent producers (no transactions).
 *
 * - transactionalId null: a new producer id with epoch 0, from blocks the core reserves on disk,
 *   so ids are never reused across restarts. transactionTimeoutMs is ignored (it only matters to a
 *   transaction coordinator).
 * - v3+ (KIP-360) with the producer's current (producerId, epoch): the epoch is bumped (a new id
 *   past epoch 32767); a retried bump gets the same answer; an older epoch is INVALID_PRODUCER_EPOCH.
 *   Only one of producerId and epoch set (the other -1) is INVALID_REQUEST, as in Kafka.
 * - A transactionalId (transactional producer) is refused with INVALID_REQUEST: Sluice has no
 *   transaction coordinator. The code is fatal for every client and names a request the broker
 *   will not serve; TRANSACTIONAL_ID_AUTHORIZATION_FAILED (Kafka's answer when it refuses a
 *   transactional id) would point at ACLs that do not exist, and COORDINATOR_NOT_AVAILABLE would
 *   make the producer retry for ever. An empty transactionalId is INVALID_REQUEST in Kafka too.
 */
import { KafkaError } from '../error-codes';
import { defineHandler } from '../handler';
import { caught, safeNumber } from './caught';

function failure(errorCode: number) {
  return { throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 };
}

export const initProducerIdHandler = defineHandler('InitProducerId', {
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    if (request.transactionalId !== null) {
      ctx.logger.info(
        { transactionalId: request.transactionalId.slice(0, 100) },
        'Refused a transactional producer: transactions are not supported',
      );
      return failure(KafkaError.INVALID_REQUEST);
    }
    const producerId = safeNumber(request.producerId);
    const { producerEpoch } = request;
    if (producerId === undefined || (producerId === -1) !== (producerEpoch === -1)) {
      return failure(KafkaError.INVALID_REQUEST);
    }
    try {
      const result = await ctx.broker.initProducerId(producerId === -1 ? {} : { producerId, producerEpoch });
      return {
        throttleTimeMs: 0,
        errorCode: KafkaError.NONE,
        producerId: BigInt(result.producerId),
        producerEpoch: result.producerEpoch,
      };
    } catch (error) {
      return failure(caught(error, ctx, 'InitProducerId').errorCode);
    }
  },
  errorResponse: (_request, errorCode) => failure(errorCode),
});
