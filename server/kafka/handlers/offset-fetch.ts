/**
 * OffsetFetch (key 9), versions 1-8.
 *
 * - The group's committed offsets, from the coordinator's cache of `__consumer_offsets`. A
 *   partition without a commit (or of an unknown topic) answers offset -1, leader epoch -1 and
 *   empty metadata, without an error, as Kafka does.
 * - topics null (v2+) asks for every partition the group has committed.
 * - Group-level errors (INVALID_GROUP_ID, COORDINATOR_LOAD_IN_PROGRESS while `__consumer_offsets`
 *   loads, COORDINATOR_NOT_AVAILABLE): v1 puts them on each requested partition (it has no top-level
 *   code), v2-7 in the top-level errorCode, v8 in each group's errorCode.
 * - v8 (KIP-709) asks for several groups at once, each answered on its own.
 * - v5+ returns committed leader epochs. v7+ requireStable is accepted: Sluice has no
 *   transactions, so no offset is ever pending (UNSTABLE_OFFSET_COMMIT never happens).
 */
import type { OffsetFetchResult } from '../../broker/broker';
import { KafkaError } from '../error-codes';
import { defineHandler, type RequestContext } from '../handler';
import { caught, groupCode } from './caught';

interface WantedTopic {
  name: string;
  partitionIndexes: readonly number[];
}

interface PartitionOut {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

interface GroupOut {
  errorCode: number;
  topics: { name: string; partitions: PartitionOut[] }[];
}

function noOffset(partitionIndex: number, errorCode: number): PartitionOut {
  return { partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode };
}

async function fetchGroup(
  groupId: string,
  topics: readonly WantedTopic[] | null,
  ctx: RequestContext,
): Promise<GroupOut> {
  let result: OffsetFetchResult;
  try {
    result = await ctx.broker.fetchOffsets(
      groupId,
      topics?.map((t) => ({ topic: t.name, partitions: t.partitionIndexes })) ?? null,
    );
  } catch (error) {
    return { errorCode: caught(error, ctx, `group ${groupId}`, 'group').errorCode, topics: [] };
  }
  if (result.error !== undefined) return { errorCode: groupCode(result.error), topics: [] };
  return {
    errorCode: KafkaError.NONE,
    topics: result.topics.map((t) => ({
      name: t.topic,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partition,
        committedOffset: BigInt(p.offset),
        committedLeaderEpoch: p.leaderEpoch,
        metadata: p.metadata,
        errorCode: groupCode(p.error),
      })),
    })),
  };
}

/** v1 has no top-level code: the group's error goes on every requested partition. */
function onEveryPartition(topics: readonly WantedTopic[] | null, errorCode: number): GroupOut['topics'] {
  return (topics ?? []).map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((p) => noOffset(p, errorCode)),
  }));
}

export const offsetFetchHandler = defineHandler('OffsetFetch', {
  minVersion: 1,
  maxVersion: 8,
  async handle(request, ctx) {
    const version = ctx.header.apiVersion;
    if (version >= 8) {
      const groups = await Promise.all(
        request.groups.map(async (g) => ({
          groupId: g.groupId,
          ...(await fetchGroup(g.groupId, g.topics, ctx)),
        })),
      );
      return { throttleTimeMs: 0, groups };
    }
    const { errorCode, topics } = await fetchGroup(request.groupId, request.topics, ctx);
    if (version === 1 && errorCode !== KafkaError.NONE) {
      return { topics: onEveryPartition(request.topics, errorCode) };
    }
    return { throttleTimeMs: 0, errorCode, topics };
  },
  errorResponse: (request, errorCode, ctx) => {
    const version = ctx.header.apiVersion;
    if (version >= 8) {
      return { groups: request.groups.map((g) => ({ groupId: g.groupId, errorCode, topics: [] })) };
    }
    return version === 1
      ? { topics: onEveryPartition(request.topics, errorCode) }
      : { errorCode, topics: [] };
  },
});
