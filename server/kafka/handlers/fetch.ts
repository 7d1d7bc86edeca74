/**
 * Fetch (key 1), versions 4-13.
 *
 * - v13 (KIP-516) names topics by id, in the request and the response; an id that names no topic
 *   gets UNKNOWN_TOPIC_ID on its partitions. (@platformatic/kafka's consumer needs v13: it sends
 *   topic ids whatever the version, so below v13 its ids would be read as names.)
 * - The stored batches are returned as the log holds them (Buffers read from the segment, never
 *   copied or re-encoded); the first batch may start before the fetch offset (clients skip).
 * - Long poll through the core: with fewer than minBytes available the request waits up to
 *   maxWaitMs for appends to the requested partitions (woken by the appends, not a timer loop).
 *   maxBytes bounds the response, partitionMaxBytes each partition (KIP-74: the first batch is
 *   returned whole even when larger, so a consumer always progresses). The wait ends early when
 *   the connection closes or the listener stops (ctx.signal). Negative limits count as 0.
 * - Per partition: highWatermark = lastStableOffset = the log end offset (no transactions, so
 *   nothing is unstable); logStartOffset (v5+); abortedTransactions null, or an empty list for
 *   READ_COMMITTED (isolationLevel 1, accepted); preferredReadReplica -1 (v11+); errors such as
 *   OFFSET_OUT_OF_RANGE, UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER (partition restarting).
 * - Fetch sessions (v7+, KIP-227) are not kept: the response's sessionId is always 0 and every
 *   request is served as a full fetch, which KIP-227 allows (a client that asked for a session and
 *   got 0 keeps sending full requests). Since no session id is ever handed out, a request naming
 *   one gets FETCH_SESSION_ID_NOT_FOUND, and a sessionless request with an epoch other than 0 or
 *   -1 INVALID_FETCH_SESSION_EPOCH, as Kafka answers; forgotten topics are ignored.
 * - Leader epochs are not checked (there is only epoch 0); replicaId is ignored.
 */
import { KafkaError } from '../error-codes';
import {
  defineHandler,
  type KafkaFetchPartitionResult,
  type RequestContext,
  type ResponseOf,
} from '../handler';
import { caught, safeNumber } from './caught';

type FetchResponse = ResponseOf<'Fetch'>;
type PartitionData = FetchResponse['responses'][number]['partitions'][number];

const EMPTY = Buffer.alloc(0);
const READ_COMMITTED = 1;

function emptyPartition(
  partitionIndex: number,
  errorCode: number,
  version: number,
  isolationLevel: number,
): PartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: isolationLevel === READ_COMMITTED ? [] : null,
    ...(version >= 11 && { preferredReadReplica: -1 }),
    records: EMPTY,
  };
}

/** The topic each request entry names: itself below v13, its id's topic from v13 (or undefined). */
function topicNames(
  topics: readonly { topic: string; topicId: string }[],
  version: number,
  ctx: RequestContext,
): (string | undefined)[] {
  if (version < 13) return topics.map((t) => t.topic);
  const byId = new Map(ctx.broker.listTopics({ includeInternal: true }).map((t) => [t.topicId, t.name]));
  return topics.map((t) => byId.get(t.topicId));
}

function nonNegative(n: number): number {
  return n > 0 ? n : 0;
}

export const fetchHandler = defineHandler('Fetch', {
  minVersion: 4,
  maxVersion: 13,
  async handle(request, ctx) {
    const version = ctx.header.apiVersion;
    // v13: each requested topic id as its name (undefined for an unknown id).
    const names = topicNames(request.topics, version, ctx);
    const { isolationLevel } = request;
    const sessionError =
      version < 7
        ? KafkaError.NONE
        : request.sessionId !== 0
          ? KafkaError.FETCH_SESSION_ID_NOT_FOUND
          : request.sessionEpoch !== 0 && request.sessionEpoch !== -1
            ? KafkaError.INVALID_FETCH_SESSION_EPOCH
            : KafkaError.NONE;
    if (sessionError !== KafkaError.NONE) {
      return { throttleTimeMs: 0, errorCode: sessionError, sessionId: 0, responses: [] };
    }

    // Offsets past 2^53 cannot exist in this log: answered without asking the core.
    const wanted: { topic: string; partition: number; offset: number; maxBytes: number }[] = [];
    request.topics.forEach((t, i) => {
      const topic = names[i];
      if (topic === undefined) return;
      for (const p of t.partitions) {
        const offset = safeNumber(p.fetchOffset);
        if (offset !== undefined) {
          wanted.push({
            topic,
            partition: p.partition,
            offset,
            maxBytes: nonNegative(p.partitionMaxBytes),
          });
        }
      }
    });
    const results = new Map<string, KafkaFetchPartitionResult>();
    if (wanted.length > 0) {
      const fetched = await ctx.broker.fetch({
        partitions: wanted,
        maxWaitMs: nonNegative(request.maxWaitMs),
        minBytes: nonNegative(request.minBytes),
        maxBytes: nonNegative(request.maxBytes),
        signal: ctx.signal,
      });
      for (const r of fetched.partitions) results.set(`${r.partition}:${r.topic}`, r);
    }

    const responses = request.topics.map((t, i) => ({
      topic: t.topic,
      topicId: t.topicId,
      partitions: t.partitions.map((p): PartitionData => {
        const topic = names[i];
        if (topic === undefined) {
          return emptyPartition(p.partition, KafkaError.UNKNOWN_TOPIC_ID, version, isolationLevel);
        }
        const r = results.get(`${p.partition}:${topic}`);
        if (r === undefined) {
          return emptyPartition(p.partition, KafkaError.OFFSET_OUT_OF_RANGE, version, isolationLevel);
        }
        const errorCode =
          r.error === undefined ? KafkaError.NONE : caught(r.error, ctx, `${topic}-${p.partition}`).errorCode;
        return {
          ...emptyPartition(p.partition, errorCode, version, isolationLevel),
          highWatermark: BigInt(r.highWatermark),
          lastStableOffset: BigInt(r.highWatermark),
          logStartOffset: BigInt(r.logStartOffset),
          records: r.records,
        };
      }),
    }));
    return { throttleTimeMs: 0, errorCode: KafkaError.NONE, sessionId: 0, responses };
  },
  errorResponse: (request, errorCode, ctx) => ({
    throttleTimeMs: 0,
    errorCode,
    sessionId: 0,
    responses: request.topics.map((t) => ({
      topic: t.topic,
      topicId: t.topicId,
      partitions: t.partitions.map((p) =>
        emptyPartition(p.partition, errorCode, ctx.header.apiVersion, request.isolationLevel),
      ),
    })),
  }),
});
