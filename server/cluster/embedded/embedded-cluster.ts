import pkg from '../../../package.json' with { type: 'json' };
import type { LifecycleEvent } from '../../broker/actors';
import type { Broker } from '../../broker/broker';
import type { WorkloadOptions } from '../../broker/client/workload';
import type { StoredRebalance } from '../../broker/groups';
import type { Cluster } from '../cluster';
import type * as T from '../types';
import { toActorEvent } from './actor-events';
import { guard } from './errors';
import { EventLog } from './event-log';
import { EmbeddedGroups } from './groups';
import { getRecord, produce, readMessages } from './messages';
import { metricsHistory } from './metrics-history';
import { MetricsTicks } from './metrics-ticks';
import { PrometheusExporter } from './prometheus';
import { toRebalanceRecord } from './rebalances';
import { EmbeddedSupervision } from './supervision';
import { tailMessages } from './tail';
import { EmbeddedTopics } from './topics';
import { EmbeddedWorkload } from './workload';

export interface EmbeddedClusterOptions {
  /** A started broker. The cluster neither starts nor stops it. */
  broker: Broker;
  clusterId?: string;
  /** Supervision and rebalance events kept for the console's history. Default 2 000. */
  eventHistorySize?: number;
  /** The demo workload's limits and consumer timings (tests make them fast). */
  workload?: WorkloadOptions;
}

/**
 * The `Cluster` the console reads through, over this process's broker core (DESIGN "one core,
 * two doors"): topics, messages, metrics, supervision, consumer groups and the demo workload. Each concern lives in its own file; this class wires them and
 * owns what outlives a call: the merged event history, the metrics tick stream, the exporter.
 * `close()` releases the broker listeners and ends the open streams; call it before stopping the
 * broker.
 */
export class EmbeddedCluster implements Cluster {
  private readonly broker: Broker;
  private readonly clusterId: string;
  private readonly startedAt = Date.now();
  private listeners: T.ClusterListener[] = [];
  private readonly topics: EmbeddedTopics;
  private readonly supervision: EmbeddedSupervision;
  private readonly groups: EmbeddedGroups;
  private readonly workload: EmbeddedWorkload;
  private readonly events: EventLog;
  private readonly ticks: MetricsTicks;
  private readonly exporter: PrometheusExporter;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly closing = new AbortController();

  constructor(options: EmbeddedClusterOptions) {
    this.broker = options.broker;
    this.clusterId = options.clusterId ?? 'sluice';
    this.topics = new EmbeddedTopics(this.broker);
    this.supervision = new EmbeddedSupervision(this.broker);
    this.groups = new EmbeddedGroups(this.broker);
    this.workload = new EmbeddedWorkload(this.broker, options.workload);
    this.events = new EventLog(options.eventHistorySize ?? 2000);
    this.ticks = new MetricsTicks(this.broker.metrics);
    this.exporter = new PrometheusExporter(this.broker, this.startedAt);
    this.followEvents();
  }

  /**
   * Supervision events and rebalances into one history: what the broker retains, merged by time
   * (so the console sees the start-up too), then both live. All of it synchronous, so nothing
   * happens between the read of the history and the subscriptions.
   */
  private followEvents(): void {
    const actor = (event: LifecycleEvent) => this.events.append(event.at, (id) => toActorEvent(event, id));
    const rebalance = (record: StoredRebalance) =>
      this.events.append(record.endedAt, (id) => ({
        id,
        at: record.endedAt,
        kind: 'rebalance' as const,
        phase: 'completed' as const,
        rebalance: toRebalanceRecord(record),
      }));
    const past: { at: number; add: () => void }[] = [
      ...this.broker.eventHistory().events.map((e) => ({ at: e.at, add: () => actor(e) })),
      ...this.broker
        .rebalanceHistory({ limit: 1000 })
        .map((r) => ({ at: r.endedAt, add: () => rebalance(r) })),
    ];
    for (const { add } of past.sort((a, b) => a.at - b.at)) add();
    this.unsubscribe.push(this.broker.subscribeEvents(actor), this.broker.subscribeRebalances(rebalance));
  }

  /** The addresses the doors bound (known once they listen), for the overview page. */
  setListeners(listeners: T.ClusterListener[]): void {
    this.listeners = listeners;
  }

  close(): void {
    this.closing.abort();
    for (const undo of this.unsubscribe.splice(0)) undo();
    this.ticks.close();
    this.events.close();
  }

  /** The caller's signal, also aborted when the cluster closes. */
  private streamSignal(signal: AbortSignal): AbortSignal {
    return AbortSignal.any([signal, this.closing.signal]);
  }

  async info(): Promise<T.ClusterInfo> {
    return {
      clusterId: this.clusterId,
      kind: 'embedded',
      brokerVersion: pkg.version,
      startedAt: this.startedAt,
      uptimeMs: Date.now() - this.startedAt,
      listeners: this.listeners,
      features: { faultInjection: this.broker.options.faultInjection, supervision: true, workload: true },
    };
  }

  // ---- topics

  listTopics(options?: { includeInternal?: boolean }): Promise<T.TopicSummary[]> {
    return this.topics.list(options);
  }

  describeTopic(topic: string): Promise<T.TopicDescription> {
    return this.topics.describe(topic);
  }

  createTopic(request: T.CreateTopicRequest): Promise<T.TopicDescription> {
    return this.topics.create(request);
  }

  alterTopicConfigs(topic: string, alterations: T.ConfigAlteration[]): Promise<T.ConfigEntry[]> {
    return this.topics.alterConfigs(topic, alterations);
  }

  addPartitions(topic: string, totalPartitions: number): Promise<T.TopicDescription> {
    return this.topics.addPartitions(topic, totalPartitions);
  }

  purgeTopic(topic: string, partitions?: number[]): Promise<T.PartitionStart[]> {
    return this.topics.purge(topic, partitions);
  }

  deleteTopic(topic: string): Promise<void> {
    return this.topics.delete(topic);
  }

  // ---- messages

  readMessages(request: T.ReadMessagesRequest): Promise<T.MessagePage> {
    return readMessages(this.broker, request);
  }

  getRecord(
    topic: string,
    partition: number,
    offset: number,
    options: T.GetRecordOptions,
  ): Promise<T.ClusterRecord> {
    return getRecord(this.broker, topic, partition, offset, options);
  }

  tailMessages(request: T.TailRequest, signal: AbortSignal): AsyncIterable<T.TailBatch> {
    return tailMessages(this.broker, request, this.streamSignal(signal));
  }

  produce(request: T.ProduceRequest): Promise<T.ProduceResult> {
    return produce(this.broker, request);
  }

  // ---- consumer groups

  listGroups(options?: { topic?: string }): Promise<T.GroupSummary[]> {
    return this.groups.list(options);
  }

  describeGroup(groupId: string): Promise<T.GroupDescription> {
    return this.groups.describe(groupId);
  }

  resetGroupOffsets(request: T.ResetOffsetsRequest): Promise<T.GroupPartitionOffset[]> {
    return this.groups.resetOffsets(request);
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.groups.delete(groupId);
  }

  rebalanceHistory(query: T.RebalanceQuery): Promise<T.RebalanceRecord[]> {
    return this.groups.history(query);
  }

  // ---- metrics

  metricsHistory(request: T.MetricsHistoryRequest): Promise<T.MetricsHistory> {
    return guard(() => {
      if (request.scope.kind === 'group') this.groups.requireGroup(request.scope.groupId);
      return metricsHistory(this.broker, request, (groupId) => this.groups.topicsOf(groupId));
    });
  }

  metricsStream(request: T.MetricsStreamRequest, signal: AbortSignal): AsyncIterable<T.MetricsTick> {
    return this.ticks.stream(request.partitionsOf, request.afterId, this.streamSignal(signal));
  }

  prometheusText(): Promise<string> {
    return this.exporter.text();
  }

  // ---- supervision

  actorTree(): Promise<T.ActorNode> {
    return this.supervision.actorTree();
  }

  async eventHistory(query: T.EventQuery): Promise<T.ClusterEvent[]> {
    return this.events.query(query);
  }

  eventStream(options: { afterId?: number }, signal: AbortSignal): AsyncIterable<T.ClusterEvent> {
    return this.events.stream(options.afterId, this.streamSignal(signal));
  }

  injectFault(request: T.FaultRequest): Promise<void> {
    return this.supervision.injectFault(request);
  }

  // ---- workload

  workloadStatus(): Promise<T.WorkloadStatus> {
    return this.workload.status();
  }

  startProducer(request: T.StartProducerRequest): Promise<T.ProducerWorkload> {
    return this.workload.startProducer(request);
  }

  stopProducer(id: string): Promise<void> {
    return this.workload.stopProducer(id);
  }

  startConsumerGroup(request: T.StartConsumerGroupRequest): Promise<T.ConsumerWorkload> {
    return this.workload.startConsumerGroup(request);
  }

  addConsumer(groupId: string): Promise<T.ConsumerWorkload> {
    return this.workload.addConsumer(groupId);
  }

  removeConsumer(groupId: string, memberId?: string): Promise<T.ConsumerWorkload> {
    return this.workload.removeConsumer(groupId, memberId);
  }

  stopConsumerGroup(groupId: string): Promise<void> {
    return this.workload.stopConsumerGroup(groupId);
  }
}
