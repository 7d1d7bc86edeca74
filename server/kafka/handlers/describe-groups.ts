/**
 * DescribeGroups (key 15), versions 0-5.
 *
 * - Each group: state (Kafka's names: Empty, PreparingRebalance, CompletingRebalance, Stable,
 *   Dead), protocol type, protocol (the chosen assignor, '' unless Stable), and its members with
 *   client id, client host (`/ip`), v4+ group instance id, and their protocol metadata and
 *   assignment bytes (empty unless the group is Stable, as in Kafka).
 * - An unknown group is described as Dead with no error (Kafka's answer up to v5).
 * - Errors per group (group scope): INVALID_GROUP_ID for '', COORDINATOR_LOAD_IN_PROGRESS while
 *   `__consumer_offsets` loads, COORDINATOR_NOT_AVAILABLE.
 * - authorizedOperations (v3+): -2147483648 ("not requested") unless asked for; when asked,
 *   READ, DELETE and DESCRIBE (a group's operations: there is no authorizer), as Kafka reports
 *   without one.
 */
import { defineHandler, type ResponseOf } from '../handler';
import { caught, groupCode } from './caught';

type Described = ResponseOf<'DescribeGroups'>['groups'][number];

const NOT_REQUESTED = -2147483648;
// AclOperation bits: READ 3, DELETE 6, DESCRIBE 8 (Kafka's supported operations on a group).
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

function failed(groupId: string, errorCode: number, authorizedOperations: number): Described {
  return {
    errorCode,
    groupId,
    groupState: '',
    protocolType: '',
    protocolData: '',
    members: [],
    authorizedOperations,
  };
}

export const describeGroupsHandler = defineHandler('DescribeGroups', {
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const ops = request.includeAuthorizedOperations ? GROUP_OPERATIONS : NOT_REQUESTED;
    try {
      const described = await ctx.broker.describeGroups(request.groups);
      const groups = described.map((g): Described =>
        g.error !== undefined
          ? failed(g.groupId, groupCode(g.error), ops)
          : {
              errorCode: 0,
              groupId: g.groupId,
              groupState: g.state,
              protocolType: g.protocolType,
              protocolData: g.protocol,
              members: g.members.map((m) => ({
                memberId: m.memberId,
                groupInstanceId: m.groupInstanceId,
                clientId: m.clientId,
                clientHost: m.clientHost,
                memberMetadata: m.metadata,
                memberAssignment: m.assignment,
              })),
              authorizedOperations: ops,
            },
      );
      return { throttleTimeMs: 0, groups };
    } catch (error) {
      const { errorCode } = caught(error, ctx, 'describe groups', 'group');
      return { throttleTimeMs: 0, groups: request.groups.map((id) => failed(id, errorCode, ops)) };
    }
  },
  errorResponse: (request, errorCode) => ({
    groups: request.groups.map((id) => failed(id, errorCode, NOT_REQUESTED)),
  }),
});
