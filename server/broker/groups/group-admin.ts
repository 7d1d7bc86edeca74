import { BrokerError } from '../errors';
import { describeOffsets } from './group-lag';
import { groupError } from './group-results';
import { askFailure, type GroupRuntime } from './group-runtime';
import type {
  DescribedGroup,
  GroupDeletion,
  GroupOffsetsDescription,
  ListedGroup,
  ListGroupsOptions,
} from './group-service-api';

// DescribeGroups, ListGroups and DeleteGroups, and the console's per-partition offsets and lag.

export async function describeGroups(
  rt: GroupRuntime,
  groupIds: readonly string[],
): Promise<DescribedGroup[]> {
  return Promise.all(
    groupIds.map(async (groupId): Promise<DescribedGroup> => {
      const dead = rt.nobody.describe(groupId);
      const error =
        rt.unavailable(groupId) ?? (groupId ? undefined : groupError('INVALID_GROUP_ID', groupId));
      if (error) return { ...dead, error };
      const entry = rt.directory.get(groupId);
      if (entry === undefined) return dead;
      try {
        return (await entry.ref.ask({ type: 'describe' }, rt.ctx.options.requestTimeoutMs)).description;
      } catch (e) {
        return { ...dead, error: askFailure(groupId, e) };
      }
    }),
  );
}

/** Kafka's ListGroups: every group but Dead ones, optionally only in the given states. */
export function listGroups(rt: GroupRuntime, options: ListGroupsOptions = {}): ListedGroup[] {
  const unavailable = rt.unavailable('');
  if (unavailable) throw new BrokerError(unavailable.code, unavailable.message.replace(/^Group "": /, ''));
  const states = options.states && options.states.length > 0 ? new Set(options.states) : undefined;
  const out: ListedGroup[] = [];
  for (const { groupId, state, protocolType } of rt.directory.all()) {
    if (state === 'Dead' || (states && !states.has(state))) continue;
    out.push({ groupId, protocolType, state });
  }
  return out.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
}

/** DeleteGroups: only groups without members; their offsets and metadata are tombstoned. */
export async function deleteGroups(rt: GroupRuntime, groupIds: readonly string[]): Promise<GroupDeletion[]> {
  return Promise.all(
    groupIds.map(async (groupId): Promise<GroupDeletion> => {
      const unavailable = rt.unavailable(groupId);
      if (unavailable) return { groupId, error: unavailable };
      const entry = rt.directory.get(groupId);
      if (entry === undefined) return { groupId, ...rt.nobody.delete(groupId) };
      try {
        const { error } = await (
          await entry.ref.ask({ type: 'delete' }, rt.ctx.options.requestTimeoutMs)
        ).result;
        if (error) return { groupId, error };
        rt.directory.retire(groupId);
        rt.ctx.metrics.removeGroup(groupId);
        return { groupId };
      } catch (e) {
        return { groupId, error: askFailure(groupId, e) };
      }
    }),
  );
}

/** Per partition: committed offset, end offset, lag and owner. GROUP_ID_NOT_FOUND for an unknown group. */
export async function describeGroupOffsets(
  rt: GroupRuntime,
  groupId: string,
): Promise<GroupOffsetsDescription> {
  const unavailable = rt.unavailable(groupId);
  if (unavailable) throw unavailable;
  const entry = rt.directory.get(groupId);
  if (entry === undefined) throw groupError('GROUP_ID_NOT_FOUND', groupId);
  let described;
  try {
    described = await entry.ref.ask({ type: 'describe' }, rt.ctx.options.requestTimeoutMs);
  } catch (e) {
    throw askFailure(groupId, e);
  }
  const stored = rt.store.snapshot(groupId) ?? described.stored;
  return describeOffsets(rt.ctx.registry, rt.store, described.description, stored);
}
