/**
 * DeleteGroups (key 42), versions 0-2.
 *
 * - Deletes groups that have no members, with their committed offsets (tombstones in
 *   `__consumer_offsets`); each group gets its own answer, in request order.
 * - Errors per group (group scope): NON_EMPTY_GROUP (members still joined: stop them first),
 *   GROUP_ID_NOT_FOUND, INVALID_GROUP_ID, COORDINATOR_LOAD_IN_PROGRESS while `__consumer_offsets`
 *   loads, COORDINATOR_NOT_AVAILABLE.
 */
import { defineHandler } from '../handler';
import { caught, groupCode } from './caught';

export const deleteGroupsHandler = defineHandler('DeleteGroups', {
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    try {
      const deleted = await ctx.broker.deleteGroups(request.groupsNames);
      return {
        throttleTimeMs: 0,
        results: deleted.map((d) => ({ groupId: d.groupId, errorCode: groupCode(d.error) })),
      };
    } catch (error) {
      const { errorCode } = caught(error, ctx, 'delete groups', 'group');
      return { throttleTimeMs: 0, results: request.groupsNames.map((groupId) => ({ groupId, errorCode })) };
    }
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.groupsNames.map((groupId) => ({ groupId, errorCode })),
  }),
});
