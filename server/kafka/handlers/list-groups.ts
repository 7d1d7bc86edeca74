/**
 * ListGroups (key 16), versions 0-4.
 *
 * - Every group the coordinator knows but Dead ones, sorted by id, with its protocol type
 *   ('consumer' for consumers; '' for a group that only has offsets, from simple commits or an
 *   admin reset), v4+ with its state.
 * - v4 (KIP-518) statesFilter: only groups in those states (names matched case-insensitively, as
 *   Kafka parses them); an empty filter lists all. A filter naming no known state matches nothing.
 * - While `__consumer_offsets` loads the answer is COORDINATOR_LOAD_IN_PROGRESS with no groups;
 *   while the broker stops, COORDINATOR_NOT_AVAILABLE.
 */
import { GROUP_STATES, type GroupState } from '../../broker/groups/group-state';
import { defineHandler } from '../handler';
import { caught } from './caught';

const BY_UPPER_NAME = new Map(GROUP_STATES.map((s) => [s.toUpperCase(), s] as const));

export const listGroupsHandler = defineHandler('ListGroups', {
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const filter = ctx.header.apiVersion >= 4 ? request.statesFilter : [];
    const states = filter
      .map((name) => BY_UPPER_NAME.get(name.toUpperCase()))
      .filter((s): s is GroupState => s !== undefined);
    if (filter.length > 0 && states.length === 0) return { throttleTimeMs: 0, errorCode: 0, groups: [] };
    try {
      const groups = ctx.broker.listGroups(states.length > 0 ? { states } : {});
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        groups: groups.map((g) => ({
          groupId: g.groupId,
          protocolType: g.protocolType,
          groupState: g.state,
        })),
      };
    } catch (error) {
      return {
        throttleTimeMs: 0,
        errorCode: caught(error, ctx, 'list groups', 'group').errorCode,
        groups: [],
      };
    }
  },
  errorResponse: (_request, errorCode) => ({ errorCode, groups: [] }),
});
