/**
 * ListOffsets (key 2), versions 1-7 (v0, the old multi-offset form, is not served).
 *
 * - Timestamp -1: the latest offset (the log end offset); -2: the earliest (the log start offset);
 *   -3 (v7+, KIP-734): the offset and timestamp of the record with the largest timestamp; any
 *   other value >= 0: the first offset whose timestamp is at or after it, or offset -1 and
 *   timestamp -1 when there is none. Earliest and latest come with timestamp -1, as in Kafka.
 * - -3 below v7 is UNSUPPORTED_VERSION (clients that know it send v7); other negative values are
 *   INVALID_REQUEST. A partition asked for twice in one request is INVALID_REQUEST on both, as Kafka does.
 * - leaderEpoch 0 (v4+); currentLeaderEpoch is not checked (there is only epoch 0); the isolation
 *   level (v2+) is accepted and changes nothing (no transactions: everything is stable).
 * - Errors per partition: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER while restarting...
 */
import { KafkaError } from '../error-codes';
import { defineHandler, type KafkaOffsetSpec, type RequestContext, type ResponseOf } from '../handler';
import { caught, safeNumber } from './caught';

type PartitionResponse = ResponseOf<'ListOffsets'>['topics'][number]['partitions'][number];

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;

function failed(partitionIndex: number, errorCode: number, version: number): PartitionResponse {
  return {
    partitionIndex,
    errorCode,
    timestamp: -1n,
    offset: -1n,
    ...(version >= 4 && { leaderEpoch: -1 }),
  };
}

function specFor(timestamp: bigint, version: number): KafkaOffsetSpec | number {
  if (timestamp === LATEST) return 'latest';
  if (timestamp === EARLIEST) return 'earliest';
  if (timestamp === MAX_TIMESTAMP) return version >= 7 ? 'max-timestamp' : KafkaError.UNSUPPORTED_VERSION;
  const ts = safeNumber(timestamp);
  return ts === undefined || ts < 0 ? KafkaError.INVALID_REQUEST : { timestamp: ts };
}

async function listOffset(
  topic: string,
  partitionIndex: number,
  timestamp: bigint,
  ctx: RequestContext,
): Promise<PartitionResponse> {
  const version = ctx.header.apiVersion;
  const spec = specFor(timestamp, version);
  if (typeof spec === 'number') return failed(partitionIndex, spec, version);
  try {
    const found = await ctx.broker.listOffsets(topic, partitionIndex, spec);
    const plain = spec === 'latest' || spec === 'earliest';
    return {
      partitionIndex,
      errorCode: KafkaError.NONE,
      timestamp: plain ? -1n : BigInt(found.timestamp),
      offset: BigInt(found.offset),
      ...(version >= 4 && { leaderEpoch: 0 }),
    };
  } catch (error) {
    return failed(partitionIndex, caught(error, ctx, `${topic}-${partitionIndex}`).errorCode, version);
  }
}

export const listOffsetsHandler = defineHandler('ListOffsets', {
  minVersion: 1,
  maxVersion: 7,
  async handle(request, ctx) {
    const seen = new Map<string, number>();
    for (const t of request.topics) {
      for (const p of t.partitions) {
        const key = `${p.partitionIndex}:${t.name}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
    const topics = await Promise.all(
      request.topics.map(async (t) => ({
        name: t.name,
        partitions: await Promise.all(
          t.partitions.map((p) =>
            (seen.get(`${p.partitionIndex}:${t.name}`) ?? 0) > 1
              ? failed(p.partitionIndex, KafkaError.INVALID_REQUEST, ctx.header.apiVersion)
              : listOffset(t.name, p.partitionIndex, p.timestamp, ctx),
          ),
        ),
      })),
    );
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode, ctx) => ({
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => failed(p.partitionIndex, errorCode, ctx.header.apiVersion)),
    })),
  }),
});
