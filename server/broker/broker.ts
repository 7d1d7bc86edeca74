import { type ActorSnapshot, type ActorState, type EventHistory, type LifecycleListener } from './actors';
import { browse } from './browse/browse';
import type { BrowsedRecord, BrowsePage, BrowseRequest, GetRecordOptions } from './browse/browse-types';
import { getRecord } from './browse/get-record';
import { brokerHealth, type BrokerHealth } from './broker-health';
import { startRuntime, stopRuntime, type BrokerRuntime } from './broker-runtime';
import * as topicAdmin from './broker-topics';
import { resolveBrokerOptions, type BrokerOptions, type ResolvedBrokerOptions } from './broker-options';
import { BrokerError } from './errors';
import type { FaultInjection } from './faults';
import { fetch, type FetchRequest, type FetchResponse } from './fetch/fetch';
import { FetchWaiters } from './fetch/fetch-waiter';
import type { GroupService } from './groups/group-service';
import { MetricsRegistry } from './metrics/metrics-registry';
import { requestPartition } from './partition/partition-call';
import type { OffsetAndTimestamp, OffsetSpec } from './partition/partition-protocol';
import { DefaultPartitioner } from './partitioner/default-partitioner';
import { produce, type ProduceOptions, type ProduceResult } from './produce/produce';
import {
  produceRecords,
  type ProducedRecord,
  type ProduceRecordInput,
  type ProduceRecordsOptions,
} from './produce/produce-records';
import type { InitProducerIdRequest, ProducerIdAndEpoch } from './producers/producer-id-manager';
import { restartActor } from './supervision/broker-actors';
import { partitionPath } from './supervision/broker-supervision';
import type { TopicDescription, TopicSummary } from './topic-manager/topic-describe';
import type { CreateTopicRequest, LowWatermark, PartitionOffset } from './topic-manager/topic-manager';
import { TopicRegistry } from './topic-manager/topic-registry';
import type { TopicConfigEntry } from './topics/topic-config';
import type { AlterConfigsRequest } from './topics/topic-store';
import type { WorkerPassSummary } from './workers/partition-worker';

type Lifecycle = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

export type { BrokerHealth } from './broker-health';

/**
 * The broker core as a library (DESIGN "Architecture"): topics, produce, fetch, browsing,
 * metrics, supervision and fault injection, with typed BrokerErrors. No HTTP, no Kafka wire
 * format beyond the RecordBatch bytes it stores. Files live under `dataDir`:
 * `logs/<topic>-<partition>/` and `meta/` (topic registry, producer id blocks).
 */
export class Broker {
  readonly options: ResolvedBrokerOptions;
  readonly metrics: MetricsRegistry;
  private lifecycle: Lifecycle = 'new';
  private running: BrokerRuntime | undefined;
  private stopped: Promise<void> | undefined;
  private readonly registry = new TopicRegistry();
  private readonly waiters: FetchWaiters;
  private readonly partitioner = new DefaultPartitioner();
  private readonly liveRuntime = (): BrokerRuntime => this.live;

  constructor(options: BrokerOptions) {
    this.options = resolveBrokerOptions(options);
    this.metrics = new MetricsRegistry({
      intervalMs: this.options.metricsIntervalMs,
      historySize: this.options.metricsHistorySize,
      now: this.options.clock,
    });
    this.waiters = new FetchWaiters(this.options.scheduler);
  }

  get state(): Lifecycle {
    return this.lifecycle;
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Opens the registry and every partition (recovering logs after a crash), starts workers and metrics. */
  async start(): Promise<void> {
    if (this.lifecycle !== 'new') {
      throw new BrokerError('INVALID_REQUEST', `The broker is ${this.lifecycle}; create a new one`);
    }
    this.lifecycle = 'starting';
    try {
      this.running = await startRuntime({
        options: this.options,
        registry: this.registry,
        metrics: this.metrics,
        stopping: () => this.lifecycle === 'stopping' || this.lifecycle === 'stopped',
      });
    } catch (error) {
      this.lifecycle = 'stopped';
      throw error;
    }
    this.lifecycle = 'running';
    this.options.logger.info({ dataDir: this.options.dataDir, topics: this.registry.size }, 'Broker started');
  }

  /**
   * Finishes admin changes, answers waiting fetches, stops every actor (closing logs cleanly).
   * Every call resolves once the broker has stopped, not just the first.
   */
  stop(): Promise<void> {
    const running = this.running;
    if (this.stopped === undefined) {
      if (this.lifecycle !== 'running' || running === undefined) return Promise.resolve();
      this.stopped = this.runStop(running);
    }
    return this.stopped;
  }

  private async runStop(running: BrokerRuntime): Promise<void> {
    // In-process clients (consumers, workload) commit and leave while the broker still serves.
    await running.groups.closeClients();
    this.lifecycle = 'stopping';
    await stopRuntime(running, this.waiters);
    this.lifecycle = 'stopped';
    this.options.logger.info({}, 'Broker stopped');
  }

  private get live(): BrokerRuntime {
    if (this.lifecycle !== 'running' || this.running === undefined) {
      throw new BrokerError('BROKER_NOT_AVAILABLE', `The broker is not running (it is ${this.lifecycle})`);
    }
    return this.running;
  }

  // ---- topics (broker-topics.ts) ------------------------------------------------------------------

  async createTopic(name: string, request: CreateTopicRequest): Promise<TopicDescription> {
    return topicAdmin.createTopic(this.liveRuntime, name, request);
  }

  /** CreateTopics validateOnly: throws what create would throw, changes nothing. */
  validateCreateTopic(name: string, request: CreateTopicRequest): void {
    this.live.topics.validateCreate(name, request);
  }

  async describeTopic(name: string): Promise<TopicDescription> {
    return topicAdmin.describeLiveTopic(this.liveRuntime, name);
  }

  listTopics(options: { includeInternal?: boolean } = {}): TopicSummary[] {
    return topicAdmin.listTopics(this.liveRuntime, options);
  }

  /** Partition count, or undefined for an unknown topic (the Kafka door's Metadata). */
  partitionCount(name: string): number | undefined {
    return this.live.ctx.registry.get(name)?.partitions.length;
  }

  describeTopicConfigs(name: string): TopicConfigEntry[] {
    return topicAdmin.describeTopicConfigs(this.liveRuntime, name);
  }

  async alterTopicConfigs(name: string, request: AlterConfigsRequest): Promise<TopicConfigEntry[]> {
    return this.live.topics.alterConfigs(name, request);
  }

  async addPartitions(name: string, totalPartitions: number): Promise<TopicDescription> {
    return topicAdmin.addPartitions(this.liveRuntime, name, totalPartitions);
  }

  /** Also removes every group's committed offsets for the topic (and its subscribers rebalance). */
  async deleteTopic(name: string, options: { internal?: boolean } = {}): Promise<void> {
    return topicAdmin.deleteTopic(this.liveRuntime, name, options);
  }

  async deleteRecords(name: string, offsets: readonly PartitionOffset[]): Promise<LowWatermark[]> {
    return this.live.topics.deleteRecords(name, offsets);
  }

  async purgeTopic(name: string, partitions?: readonly number[]): Promise<LowWatermark[]> {
    return this.live.topics.purge(name, partitions);
  }

  // ---- produce and fetch ----------------------------------------------------------------------

  async produce(
    topic: string,
    partition: number,
    batch: Buffer,
    options: ProduceOptions,
  ): Promise<ProduceResult> {
    return produce(this.live.ctx, topic, partition, batch, options);
  }

  async produceRecords(
    topic: string,
    records: readonly ProduceRecordInput[],
    options: ProduceRecordsOptions = {},
  ): Promise<ProducedRecord[]> {
    return produceRecords(this.live.ctx, this.partitioner, topic, records, options);
  }

  async initProducerId(request: InitProducerIdRequest = {}): Promise<ProducerIdAndEpoch> {
    return this.live.producerIds.initProducerId(request);
  }

  async fetch(request: FetchRequest): Promise<FetchResponse> {
    return fetch(this.live.ctx, this.waiters, request);
  }

  /** Kafka's ListOffsets: earliest, latest, max-timestamp or the first offset at or after a timestamp. */
  async listOffsets(topic: string, partition: number, spec: OffsetSpec): Promise<OffsetAndTimestamp> {
    const { ctx } = this.live;
    const handle = ctx.registry.partition(topic, partition);
    return requestPartition(handle, { type: 'listOffset', spec }, this.options.requestTimeoutMs);
  }

  // ---- consumer groups (server/broker/groups/group-service.ts) -------------------------------------

  /** The group API: join, sync, heartbeat, leave, offsets, administration, lag, rebalance history. */
  get groups(): GroupService {
    return this.live.groups;
  }

  findCoordinator(
    ...args: Parameters<GroupService['findCoordinator']>
  ): ReturnType<GroupService['findCoordinator']> {
    return this.groups.findCoordinator(...args);
  }

  joinGroup(...args: Parameters<GroupService['joinGroup']>): ReturnType<GroupService['joinGroup']> {
    return this.groups.joinGroup(...args);
  }

  syncGroup(...args: Parameters<GroupService['syncGroup']>): ReturnType<GroupService['syncGroup']> {
    return this.groups.syncGroup(...args);
  }

  heartbeat(...args: Parameters<GroupService['heartbeat']>): ReturnType<GroupService['heartbeat']> {
    return this.groups.heartbeat(...args);
  }

  leaveGroup(...args: Parameters<GroupService['leaveGroup']>): ReturnType<GroupService['leaveGroup']> {
    return this.groups.leaveGroup(...args);
  }

  describeGroups(
    ...args: Parameters<GroupService['describeGroups']>
  ): ReturnType<GroupService['describeGroups']> {
    return this.groups.describeGroups(...args);
  }

  listGroups(...args: Parameters<GroupService['listGroups']>): ReturnType<GroupService['listGroups']> {
    return this.groups.listGroups(...args);
  }

  deleteGroups(...args: Parameters<GroupService['deleteGroups']>): ReturnType<GroupService['deleteGroups']> {
    return this.groups.deleteGroups(...args);
  }

  commitOffsets(
    ...args: Parameters<GroupService['commitOffsets']>
  ): ReturnType<GroupService['commitOffsets']> {
    return this.groups.commitOffsets(...args);
  }

  fetchOffsets(...args: Parameters<GroupService['fetchOffsets']>): ReturnType<GroupService['fetchOffsets']> {
    return this.groups.fetchOffsets(...args);
  }

  deleteOffsets(
    ...args: Parameters<GroupService['deleteOffsets']>
  ): ReturnType<GroupService['deleteOffsets']> {
    return this.groups.deleteOffsets(...args);
  }

  resetOffsets(...args: Parameters<GroupService['resetOffsets']>): ReturnType<GroupService['resetOffsets']> {
    return this.groups.resetOffsets(...args);
  }

  describeGroupOffsets(
    ...args: Parameters<GroupService['describeGroupOffsets']>
  ): ReturnType<GroupService['describeGroupOffsets']> {
    return this.groups.describeGroupOffsets(...args);
  }

  rebalanceHistory(
    ...args: Parameters<GroupService['rebalanceHistory']>
  ): ReturnType<GroupService['rebalanceHistory']> {
    return this.groups.rebalanceHistory(...args);
  }

  subscribeRebalances(
    ...args: Parameters<GroupService['subscribeRebalances']>
  ): ReturnType<GroupService['subscribeRebalances']> {
    return this.groups.subscribeRebalances(...args);
  }

  // ---- browsing -------------------------------------------------------------------------------

  async browse(request: BrowseRequest): Promise<BrowsePage> {
    return browse(this.live.browseSource, request);
  }

  async getRecord(
    topic: string,
    partition: number,
    offset: number,
    options: GetRecordOptions = {},
  ): Promise<BrowsedRecord> {
    return getRecord(this.live.browseSource, topic, partition, offset, options);
  }

  // ---- supervision, maintenance, faults ---------------------------------------------------------

  supervisionTree(): ActorSnapshot {
    return this.live.ctx.system.snapshot();
  }

  eventHistory(afterId?: number): EventHistory {
    return this.live.ctx.system.events.history(afterId);
  }

  /** Live supervision events; with `afterId`, the retained ones after it first. Returns the unsubscribe. */
  subscribeEvents(listener: LifecycleListener, options: { afterId?: number } = {}): () => void {
    return this.live.ctx.system.events.subscribe(listener, options);
  }

  /**
   * The partition actor's state as the supervision events last reported it (running, restarting,
   * offline, stopped...), without walking the tree.
   */
  partitionState(topic: string, partition: number): ActorState {
    return this.live.ctx.registry.partition(topic, partition).state;
  }

  /** Whether the broker serves all of itself (broker-health.ts); each problem names the actor. */
  health(): BrokerHealth {
    return brokerHealth(this.lifecycle, this.running);
  }

  /** Operator restart of any actor by path, e.g. an offline partition. */
  async restartActor(path: string): Promise<void> {
    return restartActor(this.live.ctx, path);
  }

  async restartPartition(topic: string, partition: number): Promise<void> {
    this.live.ctx.registry.partition(topic, partition);
    return this.restartActor(partitionPath(topic, partition));
  }

  /** Runs a retention pass now (segments past retention, producer expiry and snapshots). */
  async runRetention(): Promise<WorkerPassSummary> {
    return this.live.workers.retention.ask({ type: 'run' });
  }

  /** Runs a compaction pass now over the compacted topics. */
  async runLogCleaner(): Promise<WorkerPassSummary> {
    return this.live.workers.logCleaner.ask({ type: 'run' });
  }

  /** Fault injection; every method throws POLICY_VIOLATION unless `faultInjection` is on. */
  get faults(): FaultInjection {
    return this.live.faults;
  }
}

export type { BrokerOptions } from './broker-options';
export type {
  BrowsedRecord,
  BrowseFilter,
  BrowsePage,
  BrowseRequest,
  BrowseSeek,
} from './browse/browse-types';
export type { FetchPartitionResult, FetchRequest, FetchResponse } from './fetch/fetch';
export type {
  GroupDescription,
  GroupProtocol,
  HeartbeatRequest,
  HeartbeatResult,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupMember,
  LeaveGroupResult,
  SyncGroupRequest,
  SyncGroupResult,
} from './groups/group-api';
export type * from './groups/group-service-api';
export type { GroupState } from './groups/group-state';
export type { RebalanceReason, RebalanceRecord } from './groups/rebalance-record';
export type { OffsetAndTimestamp, OffsetSpec } from './partition/partition-protocol';
export type { Acks, ProduceOptions, ProduceResult } from './produce/produce';
export type { ProducedRecord, ProduceRecordInput, ProduceRecordsOptions } from './produce/produce-records';
export type { PartitionDescription, TopicDescription, TopicSummary } from './topic-manager/topic-describe';
export type { CreateTopicRequest, LowWatermark, PartitionOffset } from './topic-manager/topic-manager';
export type { WorkerPassSummary } from './workers/partition-worker';
