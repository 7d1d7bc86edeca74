import { BrokerError, type BrokerErrorCode } from '../errors';
import type { JoinGroupResult, SyncGroupResult } from './group-api';
import { EMPTY_BUFFER } from './member-metadata';

/** Error answers, shaped as Kafka's coordinator builds them (generation -1, no leader, no members). */

export function groupError(code: BrokerErrorCode, groupId: string, detail?: string): BrokerError {
  return new BrokerError(
    code,
    `Group ${JSON.stringify(groupId)}: ${detail ?? DEFAULT_MESSAGES[code] ?? code}`,
  );
}

export function joinError(memberId: string, error: BrokerError): JoinGroupResult {
  return {
    error,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    memberId,
    members: [],
    skipAssignment: false,
  };
}

export function syncError(error: BrokerError): SyncGroupResult {
  return { error, protocolType: null, protocolName: null, assignment: EMPTY_BUFFER };
}

const DEFAULT_MESSAGES: Partial<Record<BrokerErrorCode, string>> = {
  UNKNOWN_MEMBER_ID: 'unknown member id',
  MEMBER_ID_REQUIRED: 'a member id is required: rejoin with the member id in this response',
  ILLEGAL_GENERATION: 'stale generation',
  REBALANCE_IN_PROGRESS: 'a rebalance is in progress: rejoin the group',
  INCONSISTENT_GROUP_PROTOCOL: "the member's protocol type or protocols do not match the group's",
  FENCED_INSTANCE_ID: 'this group instance id has been taken over by a newer member',
  COORDINATOR_NOT_AVAILABLE: 'the group is being deleted',
  GROUP_MAX_SIZE_REACHED: 'the group has reached its maximum size',
  GROUP_ID_NOT_FOUND: 'no such group',
  NON_EMPTY_GROUP: 'the group still has members',
  INVALID_GROUP_ID: 'the group id must not be empty',
};
