/**
 * SyncGroup (key 14), versions 0-4.
 *
 * - The leader sends every member's assignment (opaque bytes), the followers none; each member's
 *   answer waits for the leader's sync, then carries that member's assignment (empty when the
 *   leader gave it nothing). A member of a Stable group syncing again gets its assignment at once.
 * - v3+ groupInstanceId: a static member whose instance was taken over is FENCED_INSTANCE_ID.
 *   (protocolType and protocolName are v5+, outside this range: nothing to check.)
 * - Errors (group scope): UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS (a member
 *   joined meanwhile: rejoin), INVALID_GROUP_ID, COORDINATOR_LOAD_IN_PROGRESS while
 *   `__consumer_offsets` loads, COORDINATOR_NOT_AVAILABLE; an error answer has an empty assignment.
 */
import { defineHandler } from '../handler';
import { caught, groupCode } from './caught';

const EMPTY = Buffer.alloc(0);

export const syncGroupHandler = defineHandler('SyncGroup', {
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    try {
      const result = await ctx.broker.syncGroup(request.groupId, {
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: ctx.header.apiVersion >= 3 ? request.groupInstanceId : null,
        assignments: request.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
      });
      if (result.error !== undefined) return { errorCode: groupCode(result.error), assignment: EMPTY };
      return { throttleTimeMs: 0, errorCode: 0, assignment: result.assignment };
    } catch (error) {
      const { errorCode } = caught(error, ctx, `group ${request.groupId}`, 'group');
      return { errorCode, assignment: EMPTY };
    }
  },
  errorResponse: (_request, errorCode) => ({ errorCode, assignment: EMPTY }),
});
