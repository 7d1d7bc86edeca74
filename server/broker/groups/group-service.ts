import type { BrokerContext } from '../broker-context';
import type { BrokerError } from '../errors';
import type { CreateTopicRequest } from '../topic-manager/topic-manager';
import { describeGroupOffsets, describeGroups, deleteGroups, listGroups } from './group-admin';
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
import { sampleGroupLag } from './group-lag';
import { heartbeat, joinGroup, leaveGroup, syncGroup } from './group-membership';
import { commitOffsets, deleteOffsets, fetchOffsets, resetOffsets } from './group-offsets';
import { groupError } from './group-results';
import { GroupRuntime } from './group-runtime';
import type {
  DescribedGroup,
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

  // ---- membership (group-membership.ts) ----------------------------------------------------------

  joinGroup(groupId: string, request: JoinGroupRequest): Promise<JoinGroupResult> {
    return joinGroup(this.rt, groupId, request);
  }

  syncGroup(groupId: string, request: SyncGroupRequest): Promise<SyncGroupResult> {
    return syncGroup(this.rt, groupId, request);
  }

  heartbeat(groupId: string, request: HeartbeatRequest): Promise<HeartbeatResult> {
    return heartbeat(this.rt, groupId, request);
  }

  leaveGroup(groupId: string, members: readonly LeaveGroupMember[]): Promise<LeaveGroupResult> {
    return leaveGroup(this.rt, groupId, members);
  }

  // ---- administration (group-admin.ts) ------------------------------------------------------------

  describeGroups(groupIds: readonly string[]): Promise<DescribedGroup[]> {
    return describeGroups(this.rt, groupIds);
  }

  listGroups(options: ListGroupsOptions = {}): ListedGroup[] {
    return listGroups(this.rt, options);
  }

  deleteGroups(groupIds: readonly string[]): Promise<GroupDeletion[]> {
    return deleteGroups(this.rt, groupIds);
  }

  // ---- committed offsets (group-offsets.ts) -------------------------------------------------------

  commitOffsets(
    groupId: string,
    memberId: string,
    generationId: number,
    groupInstanceId: string | null,
    offsets: readonly OffsetCommitPartition[],
  ): Promise<TopicPartitionError[]> {
    return commitOffsets(this.rt, groupId, memberId, generationId, groupInstanceId, offsets);
  }

  fetchOffsets(groupId: string, topics: readonly OffsetFetchTopic[] | null): Promise<OffsetFetchResult> {
    return fetchOffsets(this.rt, groupId, topics);
  }

  deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<OffsetDeleteResult> {
    return deleteOffsets(this.rt, groupId, partitions);
  }

  resetOffsets(groupId: string, request: ResetOffsetsRequest): Promise<ResetOffset[]> {
    return resetOffsets(this.rt, groupId, request);
  }

  // ---- console ------------------------------------------------------------------------------------

  describeGroupOffsets(groupId: string): Promise<GroupOffsetsDescription> {
    return describeGroupOffsets(this.rt, groupId);
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
