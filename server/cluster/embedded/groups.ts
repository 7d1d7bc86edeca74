import type { Broker } from '../../broker/broker';
import { tryDecodeAssignment, type GroupOffsetsDescription, type OffsetResetTo } from '../../broker/groups';
import { parseSeriesKey } from '../../broker/metrics/series-key';
import { ClusterError } from '../cluster';
import type * as T from '../types';
import { hasActor } from './actor-tree';
import { guard, toClusterError, type FieldRules } from './errors';
import { toClusterPath } from './paths';
import { toRebalanceRecord } from './rebalances';

/**
 * Consumer groups over the broker's group service: summaries and descriptions with per-partition
 * committed offset, end offset, lag and owner; offset resets (with dry run); deletion; rebalance
 * history.
 */

const GROUP_FIELDS: FieldRules = {
  GROUP_ID_NOT_FOUND: 'groupId',
  INVALID_GROUP_ID: 'groupId',
  UNKNOWN_TOPIC_OR_PARTITION: (m) => (/^Partition /.test(m) ? 'partitions' : 'topic'),
  OFFSET_OUT_OF_RANGE: 'offsets',
  INVALID_REQUEST: (m) => (/timestamp/i.test(m) ? 'timestamp' : /offset/i.test(m) ? 'offsets' : undefined),
};

function toOffsets(description: GroupOffsetsDescription): T.GroupPartitionOffset[] {
  return description.partitions.map((p) => ({
    topic: p.topic,
    partition: p.partition,
    committedOffset: p.committedOffset,
    endOffset: p.endOffset,
    lag: p.lag,
    memberId: p.memberId,
  }));
}

function toSummary(description: GroupOffsetsDescription, members: number): T.GroupSummary {
  return {
    groupId: description.groupId,
    state: description.state,
    protocolType: description.protocolType,
    protocol: description.protocol,
    generation: description.generationId,
    members,
    topics: description.topics,
    totalLag: description.totalLag,
  };
}

/** A member's partitions: its assignment as the group's leader wrote it, else as the offsets show. */
function assignmentOf(
  memberId: string,
  bytes: Buffer,
  offsets: T.GroupPartitionOffset[],
): T.TopicPartitions[] {
  const decoded = bytes.length > 0 ? tryDecodeAssignment(bytes) : undefined;
  if (decoded !== undefined) return decoded.assignedPartitions;
  const byTopic = new Map<string, number[]>();
  for (const o of offsets) {
    if (o.memberId !== memberId) continue;
    byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o.partition]);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

export class EmbeddedGroups {
  constructor(private readonly broker: Broker) {}

  private async describeOffsets(groupId: string): Promise<GroupOffsetsDescription> {
    return guard(() => this.broker.describeGroupOffsets(groupId), GROUP_FIELDS);
  }

  private async members(groupId: string) {
    const [described] = await guard(() => this.broker.describeGroups([groupId]));
    if (described?.error !== undefined) throw toClusterError(described.error, GROUP_FIELDS);
    return described?.members ?? [];
  }

  async list(options?: { topic?: string }): Promise<T.GroupSummary[]> {
    const listed = await guard(() => this.broker.listGroups());
    const summaries = await Promise.all(
      listed.map(async ({ groupId }) => {
        try {
          const [offsets, members] = await Promise.all([
            this.describeOffsets(groupId),
            this.members(groupId),
          ]);
          return toSummary(offsets, members.length);
        } catch (error) {
          // Deleted between the list and the describe: it is simply not there any more.
          if (error instanceof ClusterError && error.code === 'NOT_FOUND') return undefined;
          throw error;
        }
      }),
    );
    return summaries.filter(
      (s): s is T.GroupSummary =>
        s !== undefined && (options?.topic === undefined || s.topics.includes(options.topic)),
    );
  }

  async describe(groupId: string): Promise<T.GroupDescription> {
    const [description, members] = await Promise.all([this.describeOffsets(groupId), this.members(groupId)]);
    const offsets = toOffsets(description);
    const path = `/broker/groups/${encodeURIComponent(groupId)}`;
    const tree = this.broker.supervisionTree();
    const node = hasActor(tree, path) ? findNode(tree, path) : undefined;
    return {
      ...toSummary(description, members.length),
      members: members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignment: assignmentOf(m.memberId, m.assignment, offsets),
      })),
      offsets,
      actor:
        node === undefined
          ? null
          : { path: toClusterPath(node.path), state: node.state, restarts: node.restartCount },
    };
  }

  async resetOffsets(request: T.ResetOffsetsRequest): Promise<T.GroupPartitionOffset[]> {
    const to: OffsetResetTo =
      request.target.kind === 'earliest' || request.target.kind === 'latest'
        ? request.target.kind
        : request.target.kind === 'timestamp'
          ? { timestamp: request.target.timestamp }
          : { offsets: request.target.offsets };
    const reset = await guard(
      () =>
        this.broker.resetOffsets(request.groupId, {
          topic: request.topic,
          to,
          dryRun: request.dryRun,
          ...(request.partitions === undefined ? {} : { partitions: request.partitions }),
        }),
      GROUP_FIELDS,
    );
    const ends = await guard(() =>
      Promise.all(reset.map((r) => this.broker.listOffsets(r.topic, r.partition, 'latest'))),
    );
    return reset
      .map((r, i) => {
        const endOffset = ends[i]?.offset ?? r.offset;
        return {
          topic: r.topic,
          partition: r.partition,
          committedOffset: r.offset,
          endOffset,
          lag: Math.max(0, endOffset - r.offset),
          memberId: null,
        };
      })
      .sort((a, b) => a.partition - b.partition);
  }

  async delete(groupId: string): Promise<void> {
    const [result] = await guard(() => this.broker.deleteGroups([groupId]));
    if (result?.error !== undefined) throw toClusterError(result.error, GROUP_FIELDS);
  }

  /** Newest first. */
  history(query: T.RebalanceQuery): Promise<T.RebalanceRecord[]> {
    return guard(() =>
      this.broker
        .rebalanceHistory({
          limit: query.limit,
          ...(query.groupId === undefined ? {} : { groupId: query.groupId }),
          ...(query.since === undefined ? {} : { since: query.since }),
        })
        .map(toRebalanceRecord)
        .reverse(),
    );
  }

  /** The topics a group has lag series for (what its throughput chart shows). */
  topicsOf(groupId: string): string[] {
    const topics = new Set<string>();
    for (const id of this.broker.metrics.seriesIds(`group_partition/${encodeURIComponent(groupId)}/`)) {
      const key = parseSeriesKey(id);
      if (key.kind === 'group_partition' && key.group === groupId) topics.add(key.topic);
    }
    return [...topics].sort();
  }

  /** NOT_FOUND unless the broker knows the group. */
  requireGroup(groupId: string): void {
    const known = this.broker.listGroups().some((g) => g.groupId === groupId);
    if (!known) {
      throw new ClusterError('NOT_FOUND', `Group ${JSON.stringify(groupId)}: no such group`, {
        field: 'groupId',
      });
    }
  }
}

function findNode<N extends { path: string; children: readonly N[] }>(node: N, path: string): N | undefined {
  if (node.path === path) return node;
  for (const child of node.children) {
    if (path === child.path || path.startsWith(`${child.path}/`)) return findNode(child, path);
  }
  return undefined;
}
