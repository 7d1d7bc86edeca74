import type {
  GroupDescription,
  GroupPartitionOffset,
  GroupState,
  GroupSummary,
  MemberAssignment,
  RebalanceQuery,
  RebalanceReason,
  RebalanceRecord,
  ResetOffsetsRequest,
  TopicPartitions,
} from '../../cluster/types';
import { ClusterError } from '../../cluster/cluster';
import type { MemoryEvents } from './memory-events';
import { type MemoryTopic, notFound } from './memory-topics';

interface MemoryMember {
  memberId: string;
  clientId: string;
  assignment: TopicPartitions[];
}

interface MemoryGroup {
  groupId: string;
  topic: string;
  state: GroupState;
  generation: number;
  members: MemoryMember[];
  /** Committed offsets by "topic/partition". */
  offsets: Map<string, number>;
}

/** Kafka's range assignor over one topic: consecutive partitions, the first members get one more. */
function rangeAssign(members: MemoryMember[], topic: string, partitions: number): void {
  const sorted = [...members].sort((a, b) => a.memberId.localeCompare(b.memberId));
  const each = Math.floor(partitions / Math.max(sorted.length, 1));
  const extra = partitions % Math.max(sorted.length, 1);
  let next = 0;
  sorted.forEach((m, i) => {
    const count = each + (i < extra ? 1 : 0);
    m.assignment = [{ topic, partitions: Array.from({ length: count }, (_, k) => next + k) }];
    next += count;
  });
}

const snapshot = (g: MemoryGroup): MemberAssignment[] =>
  g.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, assignment: m.assignment }));

/** The group coordinator of the test double: membership, rebalances and committed offsets. */
export class MemoryGroups {
  readonly groups = new Map<string, MemoryGroup>();
  private readonly rebalances: RebalanceRecord[] = [];
  private memberSeq = 0;
  private rebalanceSeq = 0;

  constructor(
    private readonly now: () => number,
    private readonly events: MemoryEvents,
    private readonly topic: (name: string) => MemoryTopic | undefined,
  ) {}

  get(groupId: string): MemoryGroup {
    const group = this.groups.get(groupId);
    if (!group)
      throw new ClusterError('NOT_FOUND', `Consumer group '${groupId}' does not exist`, { field: 'groupId' });
    return group;
  }

  ensure(groupId: string, topic: string): MemoryGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { groupId, topic, state: 'Empty', generation: 0, members: [], offsets: new Map() };
      this.groups.set(groupId, group);
    }
    return group;
  }

  join(groupId: string, topic: string, clientId: string): string {
    const group = this.ensure(groupId, topic);
    const memberId = `${clientId}-${++this.memberSeq}`;
    this.rebalance(group, 'join', `${memberId} joined`, () =>
      group.members.push({ memberId, clientId, assignment: [] }),
    );
    return memberId;
  }

  leave(groupId: string, memberId: string, reason: RebalanceReason = 'leave'): void {
    const group = this.get(groupId);
    const verb = reason === 'session-expiry' ? 'session expired' : 'left';
    this.rebalance(group, reason, `${memberId} ${verb}`, () => {
      group.members = group.members.filter((m) => m.memberId !== memberId);
    });
  }

  private rebalance(group: MemoryGroup, reason: RebalanceReason, detail: string, change: () => void): void {
    const record: RebalanceRecord = {
      id: ++this.rebalanceSeq,
      groupId: group.groupId,
      generationBefore: group.generation,
      generationAfter: null,
      reason,
      reasonDetail: detail,
      membersBefore: snapshot(group),
      membersAfter: [],
      startedAt: this.now(),
      endedAt: null,
      durationMs: null,
    };
    change();
    group.state = 'PreparingRebalance';
    this.events.emit({ kind: 'rebalance', phase: 'started', rebalance: { ...record } });
    rangeAssign(group.members, group.topic, this.topic(group.topic)?.logs.length ?? 0);
    group.generation++;
    group.state = group.members.length > 0 ? 'Stable' : 'Empty';
    const endedAt = this.now();
    Object.assign(record, {
      generationAfter: group.generation,
      membersAfter: snapshot(group),
      endedAt,
      durationMs: endedAt - record.startedAt,
    });
    this.rebalances.push(record);
    if (this.rebalances.length > 1000) this.rebalances.shift();
    this.events.emit({ kind: 'rebalance', phase: 'completed', rebalance: record });
  }

  commit(groupId: string, topic: string, partition: number, offset: number): void {
    this.get(groupId).offsets.set(`${topic}/${partition}`, offset);
  }

  private partitionOffsets(group: MemoryGroup): GroupPartitionOffset[] {
    const logs = this.topic(group.topic)?.logs ?? [];
    return logs.map((log, partition) => {
      const committed = group.offsets.get(`${group.topic}/${partition}`) ?? null;
      const owner = group.members.find((m) => m.assignment.some((a) => a.partitions.includes(partition)));
      return {
        topic: group.topic,
        partition,
        committedOffset: committed,
        endOffset: log.endOffset,
        lag: committed === null ? null : Math.max(0, log.endOffset - committed),
        memberId: owner?.memberId ?? null,
      };
    });
  }

  summary(group: MemoryGroup): GroupSummary {
    const totalLag = this.partitionOffsets(group).reduce((s, o) => s + (o.lag ?? 0), 0);
    return {
      groupId: group.groupId,
      state: group.state,
      protocolType: 'consumer',
      protocol: group.members.length > 0 ? 'range' : '',
      generation: group.generation,
      members: group.members.length,
      topics: [group.topic],
      totalLag,
    };
  }

  list(topic?: string): GroupSummary[] {
    return [...this.groups.values()].filter((g) => !topic || g.topic === topic).map((g) => this.summary(g));
  }

  describe(groupId: string): GroupDescription {
    const group = this.get(groupId);
    const members = group.members.map((m) => ({ ...m, groupInstanceId: null, clientHost: '/127.0.0.1' }));
    return { ...this.summary(group), members, offsets: this.partitionOffsets(group), actor: null };
  }

  private requireEmpty(group: MemoryGroup, what: string): void {
    if (group.state !== 'Empty') {
      throw new ClusterError(
        'FAILED_PRECONDITION',
        `Group '${group.groupId}' has ${group.members.length} active members: stop its consumers before ${what}`,
      );
    }
  }

  reset(request: ResetOffsetsRequest): GroupPartitionOffset[] {
    const group = this.get(request.groupId);
    this.requireEmpty(group, 'resetting its offsets');
    const topic = this.topic(request.topic);
    if (!topic) throw notFound(request.topic);
    const partitions = request.partitions ?? topic.logs.map((_, i) => i);
    const target = request.target;
    const planned = partitions.map((partition) => {
      const log = topic.logs[partition];
      if (!log)
        throw new ClusterError('NOT_FOUND', `Partition ${partition} does not exist`, { field: 'partitions' });
      let offset: number;
      if (target.kind === 'earliest') offset = log.startOffset;
      else if (target.kind === 'latest') offset = log.endOffset;
      else if (target.kind === 'timestamp') offset = log.offsetForTimestamp(target.timestamp);
      else {
        const explicit = target.offsets.find((o) => o.partition === partition);
        offset = explicit?.offset ?? group.offsets.get(`${request.topic}/${partition}`) ?? log.startOffset;
        if (offset > log.endOffset || offset < log.startOffset) {
          throw new ClusterError(
            'OUT_OF_RANGE',
            `Offset ${offset} is outside partition ${partition} (${log.startOffset} to ${log.endOffset})`,
            { field: 'offsets' },
          );
        }
      }
      return { partition, offset, end: log.endOffset };
    });
    if (!request.dryRun)
      for (const p of planned) group.offsets.set(`${request.topic}/${p.partition}`, p.offset);
    return planned.map((p) => ({
      topic: request.topic,
      partition: p.partition,
      committedOffset: p.offset,
      endOffset: p.end,
      lag: p.end - p.offset,
      memberId: null,
    }));
  }

  delete(groupId: string): void {
    this.requireEmpty(this.get(groupId), 'deleting it');
    this.groups.delete(groupId);
  }

  history(query: RebalanceQuery): RebalanceRecord[] {
    return this.rebalances
      .filter(
        (r) =>
          (!query.groupId || r.groupId === query.groupId) &&
          (query.since === undefined || r.startedAt >= query.since),
      )
      .slice(-query.limit)
      .reverse();
  }
}
