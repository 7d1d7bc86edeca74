/**
 * JoinGroup (key 11), versions 0-6.
 *
 * - The answer waits for the join phase to end (every known member rejoined, or the rebalance
 *   timeout, or group.initial.rebalance.delay.ms for a new group), which can take as long as the
 *   group's rebalance timeout. Requests pipelined behind it on the connection are dispatched at
 *   once, and their answers are written after this one: responses go out in request order, which
 *   is what clients expect (Kafka even reads nothing more from a connection until it answered).
 * - v0 has no rebalance timeout: the session timeout is used, as Kafka does.
 * - v4+ (KIP-394): a member joining without an id gets MEMBER_ID_REQUIRED and its id, and joins
 *   again with it (no ghost member if the first answer is lost). v0-3 members get their id with
 *   the join result. v5+ (KIP-345) groupInstanceId makes a static member: a restarted instance
 *   takes its slot back, and an old one is FENCED_INSTANCE_ID.
 * - Protocol metadata is passed as opaque bytes; the leader gets every member's metadata for the
 *   chosen protocol (with their instance ids, v5+), the followers an empty list.
 * - clientHost is `/<ip>` as Kafka's (InetAddress.toString), shown by DescribeGroups.
 * - Errors (group scope, so that clients retry what is retriable): INVALID_GROUP_ID,
 *   INVALID_SESSION_TIMEOUT, INCONSISTENT_GROUP_PROTOCOL, UNKNOWN_MEMBER_ID, GROUP_MAX_SIZE_REACHED,
 *   COORDINATOR_LOAD_IN_PROGRESS while `__consumer_offsets` loads, COORDINATOR_NOT_AVAILABLE...;
 *   an error answer has generation -1, no leader, no protocol and no members.
 */
import { defineHandler, type RequestContext, type ResponseOf } from '../handler';
import { caught, groupCode } from './caught';

type JoinGroupResponse = ResponseOf<'JoinGroup'>;

function failed(memberId: string, errorCode: number): JoinGroupResponse {
  return { errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}

/** `/127.0.0.1` from `127.0.0.1:52341`, `/::1` from `[::1]:52341`, as Kafka shows a client host. */
export function kafkaClientHost(ctx: RequestContext): string {
  const address = ctx.clientAddress;
  const colon = address.lastIndexOf(':');
  const host = colon > 0 ? address.slice(0, colon) : address;
  return `/${host.replace(/^\[(.*)\]$/, '$1')}`;
}

export const joinGroupHandler = defineHandler('JoinGroup', {
  minVersion: 0,
  maxVersion: 6,
  async handle(request, ctx) {
    const version = ctx.header.apiVersion;
    try {
      const result = await ctx.broker.joinGroup(request.groupId, {
        memberId: request.memberId,
        groupInstanceId: version >= 5 ? request.groupInstanceId : null,
        clientId: ctx.header.clientId ?? '',
        clientHost: kafkaClientHost(ctx),
        protocolType: request.protocolType,
        protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
        sessionTimeoutMs: request.sessionTimeoutMs,
        rebalanceTimeoutMs: version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
        requireKnownMemberId: version >= 4,
      });
      if (result.error !== undefined) return failed(result.memberId, groupCode(result.error));
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        generationId: result.generationId,
        protocolName: result.protocolName ?? '',
        leader: result.leader,
        memberId: result.memberId,
        members: result.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          metadata: m.metadata,
        })),
      };
    } catch (error) {
      return failed(request.memberId, caught(error, ctx, `group ${request.groupId}`, 'group').errorCode);
    }
  },
  errorResponse: (request, errorCode) => failed(request.memberId, errorCode),
});
