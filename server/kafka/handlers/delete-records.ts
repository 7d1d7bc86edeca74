/**
 * DeleteRecords (key 21), versions 0-2.
 *
 * - Moves each partition's log start offset up to the given offset (-1: the high watermark);
 *   records below it are no longer served and whole segments below it are removed. The answer is
 *   the new low watermark (the log start offset).
 * - Per partition: an offset past the end, or below -1, is OFFSET_OUT_OF_RANGE; an unknown topic
 *   or partition UNKNOWN_TOPIC_OR_PARTITION. An offset below the current start changes nothing
 *   and answers the current start. The timeout is not used.
 */
import { KafkaError } from '../error-codes';
import { defineHandler, type RequestContext, type ResponseOf } from '../handler';
import { caught, safeNumber } from './caught';

type PartitionResult = ResponseOf<'DeleteRecords'>['topics'][number]['partitions'][number];

async function deleteBelow(
  topic: string,
  partitionIndex: number,
  offset: bigint,
  ctx: RequestContext,
): Promise<PartitionResult> {
  const target = safeNumber(offset);
  if (target === undefined || target < -1) {
    return { partitionIndex, lowWatermark: -1n, errorCode: KafkaError.OFFSET_OUT_OF_RANGE };
  }
  try {
    const [result] = await ctx.broker.deleteRecords(topic, [{ partition: partitionIndex, offset: target }]);
    return {
      partitionIndex,
      lowWatermark: BigInt(result?.lowWatermark ?? -1),
      errorCode: KafkaError.NONE,
    };
  } catch (error) {
    return {
      partitionIndex,
      lowWatermark: -1n,
      errorCode: caught(error, ctx, `${topic}-${partitionIndex}`).errorCode,
    };
  }
}

export const deleteRecordsHandler = defineHandler('DeleteRecords', {
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const topics = await Promise.all(
      request.topics.map(async (t) => ({
        name: t.name,
        partitions: await Promise.all(
          t.partitions.map((p) => deleteBelow(t.name, p.partitionIndex, p.offset, ctx)),
        ),
      })),
    );
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        lowWatermark: -1n,
        errorCode,
      })),
    })),
  }),
});
