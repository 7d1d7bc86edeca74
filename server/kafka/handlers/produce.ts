/**
 * Produce (key 0), versions 3-9 (RecordBatch v2 only, as Kafka requires from v3).
 *
 * - acks 1 and -1 answer once the batch is in the log (fsynced first when the topic asks for it);
 *   on a single broker "all replicas" is the leader. acks 0 appends the same way and sends no
 *   response (NO_RESPONSE). Any other acks value: INVALID_REQUIRED_ACKS on every partition.
 * - Each partition's data must be exactly one RecordBatch; the core checks magic, length, CRC and
 *   record count, max.message.bytes, and idempotent producers' sequences and epochs (producerId
 *   >= 0: a retried batch gets its original offsets and is not written again; a gap is
 *   OUT_OF_ORDER_SEQUENCE_NUMBER; an old epoch INVALID_PRODUCER_EPOCH).
 * - A batch that fails validation is INVALID_RECORD from v8; below v8, where clients do not know
 *   that code, it is CORRUPT_MESSAGE, as Kafka sends. Control batches (only a transaction
 *   coordinator writes those) are refused the same way. zstd below v7 is UNSUPPORTED_COMPRESSION_TYPE.
 * - Transactions are not supported: a request with a transactionalId, or a batch with the
 *   transactional bit, gets INVALID_REQUEST on its partitions. Kafka itself answers
 *   TRANSACTIONAL_ID_AUTHORIZATION_FAILED when transactional data is not authorized, which would
 *   send an operator looking for ACLs that do not exist; a retriable code (COORDINATOR_NOT_AVAILABLE)
 *   would make the client retry forever. INVALID_REQUEST is fatal in every client and, from v8,
 *   comes with an error message saying why.
 * - The broker's own topics (`__consumer_offsets`, `__sluice_rebalances`) are refused with
 *   INVALID_TOPIC_EXCEPTION, "Cannot append to internal topic", as Kafka refuses client appends to
 *   internal topics: a forged record there would change committed offsets or the rebalance history
 *   when they are loaded at the next start.
 * - timeoutMs is not passed on: in Kafka it bounds the wait for replicas, never the leader's own
 *   append, and a client deadline on the append could time out a batch that is still queued and
 *   then written, so that the client's retry duplicates it. The core's request deadline applies.
 * - Response: baseOffset, logAppendTime (the broker's time on LogAppendTime topics, else -1),
 *   logStartOffset (v5+); v8+ recordErrors empty (a batch is accepted or refused whole) and the
 *   error message for a refused partition. Errors are per partition (kafkaErrorCode).
 */
import { ATTR, BATCH } from '../../broker/log/batch-header';
import { isInternalTopicName } from '../../broker/topics/topic-name';
import { KafkaError } from '../error-codes';
import { defineHandler, NO_RESPONSE, type RequestContext, type ResponseOf } from '../handler';
import { caught } from './caught';

type PartitionResponse = ResponseOf<'Produce'>['responses'][number]['partitionResponses'][number];

const ZSTD = 4;

class Refused {
  constructor(
    readonly errorCode: number,
    readonly errorMessage: string,
  ) {}
}

function refused(index: number, version: number, errorCode: number, errorMessage: string): PartitionResponse {
  return {
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    ...(version >= 8 && { errorMessage }),
  };
}

/** The invalid-record code this version knows. */
function invalidRecord(version: number): number {
  return version >= 8 ? KafkaError.INVALID_RECORD : KafkaError.CORRUPT_MESSAGE;
}

/** What the door refuses before the core sees the batch. */
function precheck(records: Buffer | null, version: number): Refused | undefined {
  if (records === null || records.length < BATCH.HEADER_SIZE) {
    return new Refused(
      invalidRecord(version),
      'A produce request must hold exactly one record batch (magic 2)',
    );
  }
  const attributes = records.readInt16BE(BATCH.ATTRIBUTES);
  if ((attributes & ATTR.TRANSACTIONAL) !== 0) {
    return new Refused(KafkaError.INVALID_REQUEST, 'Transactional batches are not supported by Sluice');
  }
  if ((attributes & ATTR.CONTROL) !== 0) {
    return new Refused(invalidRecord(version), 'Clients may not write control batches');
  }
  if ((attributes & ATTR.COMPRESSION_MASK) === ZSTD && version < 7) {
    return new Refused(
      KafkaError.UNSUPPORTED_COMPRESSION_TYPE,
      'zstd-compressed batches need Produce v7 or later',
    );
  }
  return undefined;
}

async function producePartition(
  topic: string,
  index: number,
  records: Buffer | null,
  acks: 0 | 1 | -1,
  ctx: RequestContext,
): Promise<PartitionResponse> {
  const version = ctx.header.apiVersion;
  if (isInternalTopicName(topic)) {
    return refused(
      index,
      version,
      KafkaError.INVALID_TOPIC_EXCEPTION,
      `Cannot append to internal topic ${topic}`,
    );
  }
  const early = precheck(records, version);
  if (early !== undefined) return refused(index, version, early.errorCode, early.errorMessage);
  try {
    const result = await ctx.broker.produce(topic, index, records as Buffer, { acks });
    return {
      index,
      errorCode: KafkaError.NONE,
      baseOffset: BigInt(result.baseOffset),
      logAppendTimeMs: BigInt(result.logAppendTime),
      logStartOffset: BigInt(result.logStartOffset),
    };
  } catch (error) {
    const { errorCode, errorMessage } = caught(error, ctx, `${topic}-${index}`);
    const code = errorCode === KafkaError.INVALID_RECORD ? invalidRecord(version) : errorCode;
    return refused(index, version, code, errorMessage);
  }
}

export const produceHandler = defineHandler('Produce', {
  minVersion: 3,
  maxVersion: 9,
  async handle(request, ctx) {
    const version = ctx.header.apiVersion;
    const { acks } = request;
    let refusal: Refused | undefined;
    if (acks !== 0 && acks !== 1 && acks !== -1) {
      refusal = new Refused(KafkaError.INVALID_REQUIRED_ACKS, `acks must be 0, 1 or -1 (all), got ${acks}`);
    } else if (request.transactionalId !== null) {
      refusal = new Refused(
        KafkaError.INVALID_REQUEST,
        'Transactions are not supported by Sluice: use an idempotent producer without transactional.id',
      );
    }
    const responses = await Promise.all(
      request.topicData.map(async (topic) => ({
        name: topic.name,
        partitionResponses: await Promise.all(
          topic.partitionData.map((p) =>
            refusal === undefined
              ? producePartition(topic.name, p.index, p.records, acks as 0 | 1 | -1, ctx)
              : Promise.resolve(refused(p.index, version, refusal.errorCode, refusal.errorMessage)),
          ),
        ),
      })),
    );
    if (acks === 0) {
      // Kafka closes the connection of an acks=0 producer whose data was refused, so that it
      // refreshes its metadata; a handler cannot close, so the refusal is at least logged.
      const failures = responses.flatMap((t) => t.partitionResponses.filter((p) => p.errorCode !== 0));
      if (failures.length > 0) {
        ctx.logger.debug({ failures: failures.length }, 'acks=0 produce refused; no response is sent');
      }
      return NO_RESPONSE;
    }
    return { responses, throttleTimeMs: 0 };
  },
  errorResponse: (request, errorCode, ctx) => ({
    responses: request.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) =>
        refused(p.index, ctx.header.apiVersion, errorCode, 'The request failed'),
      ),
    })),
  }),
});
