/**
 * OffsetCommit (key 8), versions 0-8.
 *
 * - Commits are stored in `__consumer_offsets` before the answer. A member of the group commits
 *   with its generation and member id (v1+), v7+ with its groupInstanceId; generation -1 (and
 *   every v0 commit, which has neither) is a "simple" commit by a consumer that does not use
 *   group management, allowed while the group has no members (it creates the group).
 * - v1's per-partition commitTimestamp and v2-4's retentionTimeMs are accepted and ignored:
 *   offsets are kept until the group or the topic is deleted (Kafka 2.1+ expires them only with
 *   the group, and clients send -1 anyway). v6+ committedLeaderEpoch is stored and fetched back.
 * - Errors are per partition: an unknown topic or partition (UNKNOWN_TOPIC_OR_PARTITION), an
 *   offset that is not a safe integer or metadata over offset.metadata.max.bytes (INVALID_REQUEST)
 *   fail alone; the group's verdict (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS,
 *   FENCED_INSTANCE_ID, COORDINATOR_LOAD_IN_PROGRESS while loading...) goes to every other partition.
 */
import { defineHandler, type RequestOf, type ResponseOf } from '../handler';
import { caught, groupCode, safeNumber } from './caught';

type Topics = ResponseOf<'OffsetCommit'>['topics'];

function everyPartition(request: RequestOf<'OffsetCommit'>, errorCode: number): Topics {
  return request.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
  }));
}

export const offsetCommitHandler = defineHandler('OffsetCommit', {
  minVersion: 0,
  maxVersion: 8,
  async handle(request, ctx) {
    const version = ctx.header.apiVersion;
    const generationId = version >= 1 ? request.generationIdOrMemberEpoch : -1;
    const memberId = version >= 1 ? request.memberId : '';
    const offsets = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        // An offset past 2^53 cannot be a real one; the core refuses NaN as INVALID_REQUEST.
        offset: safeNumber(p.committedOffset) ?? Number.NaN,
        leaderEpoch: version >= 6 ? p.committedLeaderEpoch : -1,
        metadata: p.committedMetadata,
      })),
    );
    try {
      const results = await ctx.broker.commitOffsets(
        request.groupId,
        memberId,
        generationId,
        version >= 7 ? request.groupInstanceId : null,
        offsets,
      );
      let i = 0;
      const topics = request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: groupCode(results[i++]?.error),
        })),
      }));
      if (i !== results.length) throw new Error(`${results.length} commit results for ${i} offsets`);
      return { throttleTimeMs: 0, topics };
    } catch (error) {
      const { errorCode } = caught(error, ctx, `group ${request.groupId}`, 'group');
      return { throttleTimeMs: 0, topics: everyPartition(request, errorCode) };
    }
  },
  errorResponse: (request, errorCode) => ({ topics: everyPartition(request, errorCode) }),
});
