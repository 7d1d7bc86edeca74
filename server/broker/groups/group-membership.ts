import type {
  HeartbeatRequest,
  HeartbeatResult,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupMember,
  LeaveGroupResult,
  SyncGroupRequest,
  SyncGroupResult,
} from './group-api';
import { joinError, syncError } from './group-results';
import { askFailure, type GroupRuntime } from './group-runtime';

// JoinGroup, SyncGroup, Heartbeat and LeaveGroup, as GroupService serves them: to the group's
// actor, or to the coordinator that holds no group when the group does not exist.

export async function joinGroup(
  rt: GroupRuntime,
  groupId: string,
  request: JoinGroupRequest,
): Promise<JoinGroupResult> {
  const unavailable = rt.unavailable(groupId);
  if (unavailable) return joinError(request.memberId, unavailable);
  let entry = rt.directory.get(groupId);
  if (entry === undefined) {
    if (!groupId || request.memberId !== '' || !startsGroup(rt, request)) {
      return rt.nobody.join(groupId, request);
    }
    entry = await rt.directory.obtain(groupId);
  }
  try {
    return await (
      await entry.ref.ask({ type: 'join', request }, rt.ctx.options.requestTimeoutMs)
    ).result;
  } catch (error) {
    return joinError(request.memberId, askFailure(groupId, error));
  }
}

/** The checks the coordinator makes before creating a group: a first join failing them creates nothing. */
function startsGroup(rt: GroupRuntime, request: JoinGroupRequest): boolean {
  const { minSessionTimeoutMs, maxSessionTimeoutMs } = rt.options.coordinator;
  return (
    request.sessionTimeoutMs >= minSessionTimeoutMs &&
    request.sessionTimeoutMs <= maxSessionTimeoutMs &&
    typeof request.protocolType === 'string' &&
    request.protocolType.length > 0 &&
    Array.isArray(request.protocols) &&
    request.protocols.length > 0
  );
}

export async function syncGroup(
  rt: GroupRuntime,
  groupId: string,
  request: SyncGroupRequest,
): Promise<SyncGroupResult> {
  const unavailable = rt.unavailable(groupId);
  if (unavailable) return syncError(unavailable);
  const entry = rt.directory.get(groupId);
  if (entry === undefined) return rt.nobody.sync(groupId, request);
  try {
    return await (
      await entry.ref.ask({ type: 'sync', request }, rt.ctx.options.requestTimeoutMs)
    ).result;
  } catch (error) {
    return syncError(askFailure(groupId, error));
  }
}

export async function heartbeat(
  rt: GroupRuntime,
  groupId: string,
  request: HeartbeatRequest,
): Promise<HeartbeatResult> {
  const unavailable = rt.unavailable(groupId);
  if (unavailable) return { error: unavailable };
  const entry = rt.directory.get(groupId);
  if (entry === undefined) return rt.nobody.heartbeat(groupId, request);
  try {
    return await entry.ref.ask({ type: 'heartbeat', request }, rt.ctx.options.requestTimeoutMs);
  } catch (error) {
    return { error: askFailure(groupId, error) };
  }
}

export async function leaveGroup(
  rt: GroupRuntime,
  groupId: string,
  members: readonly LeaveGroupMember[],
): Promise<LeaveGroupResult> {
  const unavailable = rt.unavailable(groupId);
  if (unavailable) return { error: unavailable, members: [] };
  const entry = rt.directory.get(groupId);
  if (entry === undefined) return rt.nobody.leave(groupId, members);
  try {
    return await entry.ref.ask({ type: 'leave', members }, rt.ctx.options.requestTimeoutMs);
  } catch (error) {
    return { error: askFailure(groupId, error), members: [] };
  }
}
