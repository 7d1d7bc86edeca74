import type { BrokerContext } from '../broker-context';
import { BrokerError } from '../errors';
import type { CreateTopicRequest } from '../topic-manager/topic-manager';
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
import type { OffsetCommitEntry } from './group-actor';
import type { GroupEntry } from './group-directory';
import { describeOffsets, sampleGroupLag } from './group-lag';
import { groupError, joinError, syncError } from './group-results';
import { askFailure, GroupRuntime } from './group-runtime';
import type {
  DescribedGroup,
  FetchedOffset,
  GroupDeletion,
  GroupOffsetsDescription,
  GroupServiceOptions,
  ListedGroup,
  ListGroupsOptions,
  OffsetCommitPartition,
  OffsetDeleteResult,
  OffsetFetchResult,
  OffsetFetchTopic,
  RebalanceHistoryQuery,
  RebalanceListener,
  ResetOffset,
  ResetOffsetsRequest,
  StoredRebalance,
  TopicPartitionError,
} from './group-service-api';
import type { TopicPartition } from './offset-store';
import { planReset } from './offset-reset';

/**
 * The broker's group API (the Broker delegates to it; see group-service-api.ts for the error
 * channels). Requests for a group go to that group's actor; requests naming a group that does
 * not exist are answered by a coordinator that holds no group, so they get exactly the
 * coordinator's errors without creating anything. Committed offsets are read from the cache.
 */
export class GroupService {
  private readonly undoCollector: () => void;

  private constructor(private readonly rt: GroupRuntime) {
    const { ctx, store } = rt;
    this.undoCollector = ctx.metrics.addCollector(() => sampleGroupLag(ctx.registry, ctx.metrics, store));
  }

  static start(
    ctx: BrokerContext,
    createTopic: (name: string, request: CreateTopicRequest) => Promise<unknown>,
    options: GroupServiceOptions = {},
  ): GroupService {
    return new GroupService(GroupRuntime.start(ctx, createTopic, options));
  }

  private get timeout(): number {
    return this.rt.ctx.options.requestTimeoutMs;
  }

  /** Resolves once `__consumer_offsets` is loaded (or the broker stopped): group requests are served. */
  async whenLoaded(): Promise<void> {
    await this.rt.loaded;
  }

  /**
   * FindCoordinator: always this broker (the Kafka door answers node 0), except while it stops
   * (COORDINATOR_NOT_AVAILABLE). While loading it is found, and its group requests then answer
   * COORDINATOR_LOAD_IN_PROGRESS until the load is done, so clients retry.
   */
  findCoordinator(groupId: string): { error?: BrokerError } {
    if (this.rt.phase !== 'stopping') return {};
    return { error: groupError('COORDINATOR_NOT_AVAILABLE', groupId, 'the coordinator is stopping') };
  }

  /** 'loading' until `__consumer_offsets` is read, then 'ready'; 'stopping' once the broker stops. */
  get phase(): 'loading' | 'ready' | 'stopping' {
    return this.rt.phase;
  }

  // ---- membership -------------------------------------------------------------------------------

  async joinGroup(groupId: string, request: JoinGroupRequest): Promise<JoinGroupResult> {
    const unavailable = this.rt.unavailable(groupId);
    if (unavailable) return joinError(request.memberId, unavailable);
    let entry = this.rt.directory.get(groupId);
    if (entry === undefined) {
      if (!groupId || request.memberId !== '' || !this.startsGroup(request)) {
        return this.rt.nobody.join(groupId, request);
      }
      entry = await this.rt.directory.obtain(groupId);
    }
    try {
      return await (
        await entry.ref.ask({ type: 'join', request }, this.timeout)
      ).result;
    } catch (error) {
      return joinError(request.memberId, askFailure(groupId, error));
    }
  }

  /** The checks the coordinator makes before creating a group: a first join failing them creates nothing. */
  private startsGroup(request: JoinGroupRequest): boolean {
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.rt.options.coordinator;
    return (
      request.sessionTimeoutMs >= minSessionTimeoutMs &&
      request.sessionTimeoutMs <= maxSessionTimeoutMs &&
      typeof request.protocolType === 'string' &&
      request.protocolType.length > 0 &&
      Array.isArray(request.protocols) &&
      request.protocols.length > 0
    );
  }

  async syncGroup(groupId: string, request: SyncGroupRequest): Promise<SyncGroupResult> {
    const unavailable = this.rt.unavailable(groupId);
    if (unavailable) return syncError(unavailable);
    const entry = this.rt.directory.get(groupId);
    if (entry === undefined) return this.rt.nobody.sync(groupId, request);
    try {
      return await (
        await entry.ref.ask({ type: 'sync', request }, this.timeout)
      ).result;
    } catch (error) {
      return syncError(askFailure(groupId, error));
    }
  }

  async heartbeat(groupId: string, request: HeartbeatRequest): Promise<HeartbeatResult> {
    const unavailable = this.rt.unavailable(groupId);
    if (unavailable) return { error: unavailable };
    const entry = this.rt.directory.get(groupId);
    if (entry === undefined) return this.rt.nobody.heartbeat(groupId, request);
    try {
      return await entry.ref.ask({ type: 'heartbeat', request }, this.timeout);
    } catch (error) {
      return { error: askFailure(groupId, error) };
    }
  }

  async leaveGroup(groupId: string, members: readonly LeaveGroupMember[]): Promise<LeaveGroupResult> {
    const unavailable = this.rt.unavailable(groupId);
    if (unavailable) return { error: unavailable, members: [] };
    const entry = this.rt.directory.get(groupId);
    if (entry === undefined) return this.rt.nobody.leave(groupId, members);
    try {
      return await entry.ref.ask({ type: 'leave', members }, this.timeout);
    } catch (error) {
      return { error: askFailure(groupId, error), members: [] };
    }
  }

  // ---- administration ---------------------------------------------------------------------------

  async describeGroups(groupIds: readonly string[]): Promise<DescribedGroup[]> {
    return Promise.all(
      groupIds.map(async (groupId): Promise<DescribedGroup> => {
        const dead = this.rt.nobody.describe(groupId);
        const error =
          this.rt.unavailable(groupId) ?? (groupId ? undefined : groupError('INVALID_GROUP_ID', groupId));
        if (error) return { ...dead, error };
        const entry = this.rt.directory.get(groupId);
        if (entry === undefined) return dead;
        try {
          return (await entry.ref.ask({ type: 'describe' }, this.timeout)).description;
        } catch (e) {
          return { ...dead, error: askFailure(groupId, e) };
        }
      }),
    );
  }

  /** Kafka's ListGroups: every group but Dead ones, optionally only in the given states. */
  listGroups(options: ListGroupsOptions = {}): ListedGroup[] {
    const unavailable = this.rt.unavailable('');
    if (unavailable) throw new BrokerError(unavailable.code, unavailable.message.replace(/^Group "": /, ''));
    const states = options.states && options.states.length > 0 ? new Set(options.states) : undefined;
    const out: ListedGroup[] = [];
    for (const { groupId, state, protocolType } of this.rt.directory.all()) {
      if (state === 'Dead' || (states && !states.has(state))) continue;
      out.push({ groupId, protocolType, state });
    }
    return out.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /** DeleteGroups: only groups without members; their offsets and metadata are tombstoned. */
  async deleteGroups(groupIds: readonly string[]): Promise<GroupDeletion[]> {
    return Promise.all(
      groupIds.map(async (groupId): Promise<GroupDeletion> => {
        const unavailable = this.rt.unavailable(groupId);
        if (unavailable) return { groupId, error: unavailable };
        const entry = this.rt.directory.get(groupId);
        if (entry === undefined) return { groupId, ...this.rt.nobody.delete(groupId) };
        try {
          const { error } = await (await entry.ref.ask({ type: 'delete' }, this.timeout)).result;
          if (error) return { groupId, error };
          this.rt.directory.retire(groupId);
          this.rt.ctx.metrics.removeGroup(groupId);
          return { groupId };
        } catch (e) {
          return { groupId, error: askFailure(groupId, e) };
        }
      }),
    );
  }

  // ---- committed offsets ------------------------------------------------------------------------

  /**
   * OffsetCommit. Unknown topics or partitions, bad offsets and oversized metadata fail alone;
   * the group's verdict (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS...) applies
   * to every other partition. A generation of -1 is a "simple" commit, allowed while the group
   * has no members (it creates the group). Resolves once the commit is in `__consumer_offsets`.
   */
  async commitOffsets(
    groupId: string,
    memberId: string,
    generationId: number,
    groupInstanceId: string | null,
    offsets: readonly OffsetCommitPartition[],
  ): Promise<TopicPartitionError[]> {
    const results: TopicPartitionError[] = offsets.map((o) => ({ topic: o.topic, partition: o.partition }));
    const groupLevel =
      this.rt.unavailable(groupId) ?? (groupId ? undefined : groupError('INVALID_GROUP_ID', groupId));
    if (groupLevel) return results.map((r) => ({ ...r, error: groupLevel }));
    const valid: { index: number; commit: OffsetCommitEntry }[] = [];
    const now = this.rt.ctx.options.clock();
    offsets.forEach((o, index) => {
      const error = this.checkCommit(o);
      if (error) (results[index] as TopicPartitionError).error = error;
      else {
        const value = {
          offset: o.offset,
          leaderEpoch: o.leaderEpoch ?? -1,
          metadata: o.metadata ?? '',
          commitTimestamp: now,
        };
        valid.push({ index, commit: { topic: o.topic, partition: o.partition, value } });
      }
    });
    if (valid.length === 0) return results;
    const member = { memberId, groupInstanceId, generationId };
    let error: BrokerError | undefined;
    let entry: GroupEntry | undefined = this.rt.directory.get(groupId);
    if (entry === undefined && generationId >= 0) {
      error = this.rt.nobody.validateOffsetCommit(groupId, member).error;
    } else {
      entry ??= await this.rt.directory.obtain(groupId);
      try {
        const commits = valid.map((v) => v.commit);
        error = (await (await entry.ref.ask({ type: 'commit', member, commits }, this.timeout)).result).error;
      } catch (e) {
        error = askFailure(groupId, e);
      }
    }
    if (error) for (const { index } of valid) (results[index] as TopicPartitionError).error = error;
    return results;
  }

  private checkCommit(o: OffsetCommitPartition): BrokerError | undefined {
    const handle = this.rt.ctx.registry.get(o.topic)?.partitions[o.partition];
    if (handle === undefined) {
      return new BrokerError(
        'UNKNOWN_TOPIC_OR_PARTITION',
        `Cannot commit an offset for partition ${String(o.partition)} of '${String(o.topic)}': it does not exist`,
      );
    }
    // Any integer, as Kafka stores it: kafkajs's resetOffsets commits -2 (earliest) or -1 (latest)
    // and its consumers resolve them; lag treats a negative commit as no position.
    if (!Number.isSafeInteger(o.offset)) {
      return new BrokerError(
        'INVALID_REQUEST',
        `Committed offset of ${handle.name} must be an integer, got ${String(o.offset)}`,
      );
    }
    const metadata = o.metadata ?? '';
    if (
      typeof metadata !== 'string' ||
      Buffer.byteLength(metadata) > this.rt.options.maxOffsetMetadataBytes
    ) {
      return new BrokerError(
        'INVALID_REQUEST',
        `Offset metadata of ${handle.name} is longer than offset.metadata.max.bytes (${this.rt.options.maxOffsetMetadataBytes})`,
      );
    }
    return undefined;
  }

  /** OffsetFetch: `null` topics = every committed partition. Uncommitted partitions answer -1. */
  async fetchOffsets(
    groupId: string,
    topics: readonly OffsetFetchTopic[] | null,
  ): Promise<OffsetFetchResult> {
    const error =
      this.rt.unavailable(groupId) ?? (groupId ? undefined : groupError('INVALID_GROUP_ID', groupId));
    if (error) return { error, topics: [] };
    const committed = this.rt.store.committed(groupId);
    const wanted =
      topics ?? [...(committed?.keys() ?? [])].sort().map((topic): OffsetFetchTopic => ({ topic }));
    return {
      topics: wanted.map(({ topic, partitions }) => {
        const byPartition = committed?.get(topic);
        const list = partitions ?? [...(byPartition?.keys() ?? [])].sort((a, b) => a - b);
        return {
          topic,
          partitions: list.map((partition): FetchedOffset => {
            const c = byPartition?.get(partition);
            return c
              ? { partition, offset: c.offset, leaderEpoch: c.leaderEpoch, metadata: c.metadata }
              : { partition, offset: -1, leaderEpoch: -1, metadata: '' };
          }),
        };
      }),
    };
  }

  /** OffsetDelete: only partitions of topics the group does not subscribe to while it has members. */
  async deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<OffsetDeleteResult> {
    const error =
      this.rt.unavailable(groupId) ?? (groupId ? undefined : groupError('INVALID_GROUP_ID', groupId));
    if (error) return { error, partitions: [] };
    const entry = this.rt.directory.get(groupId);
    if (entry === undefined) return { error: groupError('GROUP_ID_NOT_FOUND', groupId), partitions: [] };
    const known: TopicPartition[] = [];
    const unknown: TopicPartitionError[] = [];
    for (const tp of partitions) {
      if (this.rt.ctx.registry.get(tp.topic)?.partitions[tp.partition] === undefined) {
        const msg = `Partition ${tp.partition} of '${tp.topic}' does not exist`;
        unknown.push({ ...tp, error: new BrokerError('UNKNOWN_TOPIC_OR_PARTITION', msg) });
      } else known.push({ topic: tp.topic, partition: tp.partition });
    }
    try {
      const result = await (
        await entry.ref.ask({ type: 'deleteOffsets', partitions: known }, this.timeout)
      ).result;
      for (const r of result.partitions) {
        if (!r.error) this.rt.ctx.metrics.removeGroupPartition(groupId, r.topic, r.partition);
      }
      return result.error ? result : { partitions: [...result.partitions, ...unknown] };
    } catch (e) {
      return { error: askFailure(groupId, e), partitions: [] };
    }
  }

  /**
   * Moves a group's committed offsets (the console's reset, kafka-consumer-groups
   * --reset-offsets). Only while the group has no members: NON_EMPTY_GROUP otherwise, dry run or
   * not. Returns the new offsets (proposed ones for a dry run).
   */
  async resetOffsets(groupId: string, request: ResetOffsetsRequest): Promise<ResetOffset[]> {
    const unavailable =
      this.rt.unavailable(groupId) ?? (groupId ? undefined : groupError('INVALID_GROUP_ID', groupId));
    if (unavailable) throw unavailable;
    const plan = await planReset(this.rt.ctx, this.rt.store, groupId, request);
    const existing = this.rt.directory.get(groupId);
    if (existing !== undefined && existing.state !== 'Empty' && existing.state !== 'Dead') {
      throw groupError(
        'NON_EMPTY_GROUP',
        groupId,
        `the group is ${existing.state}: stop its consumers before resetting its offsets`,
      );
    }
    if (request.dryRun === true || plan.length === 0) return plan;
    const entry = existing ?? (await this.rt.directory.obtain(groupId));
    const now = this.rt.ctx.options.clock();
    const commits = plan.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      value: { offset: p.offset, leaderEpoch: -1, metadata: '', commitTimestamp: now },
    }));
    let error: BrokerError | undefined;
    try {
      error = (await (await entry.ref.ask({ type: 'reset', commits }, this.timeout)).result).error;
    } catch (e) {
      error = askFailure(groupId, e);
    }
    if (error) throw error;
    return plan;
  }

  // ---- console ------------------------------------------------------------------------------------

  /** Per partition: committed offset, end offset, lag and owner. GROUP_ID_NOT_FOUND for an unknown group. */
  async describeGroupOffsets(groupId: string): Promise<GroupOffsetsDescription> {
    const unavailable = this.rt.unavailable(groupId);
    if (unavailable) throw unavailable;
    const entry = this.rt.directory.get(groupId);
    if (entry === undefined) throw groupError('GROUP_ID_NOT_FOUND', groupId);
    let described;
    try {
      described = await entry.ref.ask({ type: 'describe' }, this.timeout);
    } catch (e) {
      throw askFailure(groupId, e);
    }
    const stored = this.rt.store.snapshot(groupId) ?? described.stored;
    return describeOffsets(this.rt.ctx.registry, this.rt.store, described.description, stored);
  }

  rebalanceHistory(query: RebalanceHistoryQuery = {}): StoredRebalance[] {
    return this.rt.history.query(query);
  }

  subscribeRebalances(listener: RebalanceListener, options: { afterId?: number } = {}): () => void {
    return this.rt.history.subscribe(listener, options);
  }

  // ---- broker events ----------------------------------------------------------------------------

  /** Partitions were added to a topic: groups subscribed to it rebalance. */
  onTopicsChanged(topics: readonly string[]): void {
    if (this.rt.phase !== 'ready') return;
    this.rt.directory.broadcast({ type: 'topicsChanged', topics });
  }

  /** A topic was deleted: groups subscribed to it rebalance, every group's offsets for it go. */
  async onTopicDeleted(topic: string): Promise<void> {
    // While loading, the load drops offsets of missing topics itself.
    if (this.rt.phase !== 'ready') return;
    this.rt.directory.broadcast({ type: 'topicsChanged', topics: [topic] });
    await this.rt.store.deleteTopic(topic);
  }

  // ---- lifecycle ----------------------------------------------------------------------------------

  /** Registers work to do while the broker still serves, when it stops (in-process clients). */
  onStop(hook: () => Promise<void> | void): () => void {
    return this.rt.onStop(hook);
  }

  closeClients(): Promise<void> {
    return this.rt.closeClients();
  }

  async stop(): Promise<void> {
    await this.rt.stop();
    this.undoCollector();
  }
}
