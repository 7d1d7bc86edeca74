/**
 * Heartbeat (key 12), versions 0-4.
 *
 * - Keeps a member's session alive (session timeout from its JoinGroup). REBALANCE_IN_PROGRESS
 *   is how a member of the current generation learns that it must rejoin; the heartbeat still
 *   counts for its session.
 * - v3+ groupInstanceId: a static member whose instance was taken over is FENCED_INSTANCE_ID.
 * - Errors (group scope): UNKNOWN_MEMBER_ID (expired or never joined), ILLEGAL_GENERATION,
 *   INVALID_GROUP_ID, COORDINATOR_LOAD_IN_PROGRESS while `__consumer_offsets` loads,
 *   COORDINATOR_NOT_AVAILABLE.
 */
import { defineHandler } from '../handler';
import { caught, groupCode } from './caught';

export const heartbeatHandler = defineHandler('Heartbeat', {
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    try {
      const { error } = await ctx.broker.heartbeat(request.groupId, {
        memberId: request.memberId,
        groupInstanceId: ctx.header.apiVersion >= 3 ? request.groupInstanceId : null,
        generationId: request.generationId,
      });
      return { throttleTimeMs: 0, errorCode: groupCode(error) };
    } catch (error) {
      return { errorCode: caught(error, ctx, `group ${request.groupId}`, 'group').errorCode };
    }
  },
  errorResponse: (_request, errorCode) => ({ errorCode }),
});
