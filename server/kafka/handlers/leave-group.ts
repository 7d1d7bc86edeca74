/**
 * LeaveGroup (key 13), versions 0-4.
 *
 * - v0-2: one member leaves by id; its error (UNKNOWN_MEMBER_ID...) is the response's error.
 * - v3+ (KIP-345): a batch of members, by member id and/or group instance id; a member id of ''
 *   with an instance id removes that static member (the admin "remove members" call). Each member
 *   gets its own error; the top-level error is for the group only (INVALID_GROUP_ID,
 *   COORDINATOR_LOAD_IN_PROGRESS while `__consumer_offsets` loads, COORDINATOR_NOT_AVAILABLE).
 * - A member leaving starts a rebalance for the others (reason member-left).
 */
import { KafkaError } from '../error-codes';
import { defineHandler } from '../handler';
import { caught, groupCode } from './caught';

export const leaveGroupHandler = defineHandler('LeaveGroup', {
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const version = ctx.header.apiVersion;
    const leaving =
      version >= 3
        ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
        : [{ memberId: request.memberId, groupInstanceId: null }];
    try {
      const result = await ctx.broker.leaveGroup(request.groupId, leaving);
      const groupError = groupCode(result.error);
      const members = result.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        errorCode: groupCode(m.error),
      }));
      if (version >= 3) return { throttleTimeMs: 0, errorCode: groupError, members };
      // v0-2 have one error: the group's, else the member's (Kafka's getError).
      const memberError = members.find((m) => m.errorCode !== KafkaError.NONE)?.errorCode;
      return { throttleTimeMs: 0, errorCode: groupError || (memberError ?? KafkaError.NONE) };
    } catch (error) {
      return { errorCode: caught(error, ctx, `group ${request.groupId}`, 'group').errorCode, members: [] };
    }
  },
  errorResponse: (_request, errorCode) => ({ errorCode, members: [] }),
});
