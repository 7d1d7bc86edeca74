/**
 * OffsetDelete (key 47), version 0 (KIP-496).
 *
 * - Deletes a group's committed offsets for the given partitions. A group with members may only
 *   lose offsets of topics it does not subscribe to: those partitions get
 *   GROUP_SUBSCRIBED_TO_TOPIC; an unknown topic or partition UNKNOWN_TOPIC_OR_PARTITION. Deleting
 *   an offset that was never committed succeeds.
 * - Group-level errors in the top-level code, with no partitions: GROUP_ID_NOT_FOUND,
 *   INVALID_GROUP_ID, COORDINATOR_LOAD_IN_PROGRESS while `__consumer_offsets` loads,
 *   COORDINATOR_NOT_AVAILABLE.
 * - Answers in request order, topic by topic.
 */
import type { OffsetDeleteResult } from '../../broker/broker';
import { KafkaError } from '../error-codes';
import { defineHandler } from '../handler';
import { caught, groupCode } from './caught';

export const offsetDeleteHandler = defineHandler('OffsetDelete', {
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    let result: OffsetDeleteResult;
    try {
      result = await ctx.broker.deleteOffsets(
        request.groupId,
        request.topics.flatMap((t) =>
          t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex })),
        ),
      );
    } catch (error) {
      const { errorCode } = caught(error, ctx, `group ${request.groupId}`, 'group');
      return { errorCode, throttleTimeMs: 0, topics: [] };
    }
    if (result.error !== undefined)
      return { errorCode: groupCode(result.error), throttleTimeMs: 0, topics: [] };
    const codes = new Map(result.partitions.map((p) => [`${p.partition}\0${p.topic}`, groupCode(p.error)]));
    return {
      errorCode: KafkaError.NONE,
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: codes.get(`${p.partitionIndex}\0${t.name}`) ?? KafkaError.NONE,
        })),
      })),
    };
  },
  errorResponse: (_request, errorCode) => ({ errorCode, throttleTimeMs: 0, topics: [] }),
});
