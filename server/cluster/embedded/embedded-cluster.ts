import pkg from '../../../package.json' with { type: 'json' };
import type { Broker } from '../../broker/broker';
import { ClusterError, type Cluster } from '../cluster';
import type * as T from '../types';
import { toActorEvent } from './actor-events';
import { guard } from './errors';
import { EventLog } from './event-log';
import { getRecord, produce, readMessages } from './messages';
import { metricsHistory } from './metrics-history';
import { MetricsTicks } from './metrics-ticks';
import { PrometheusExporter } from './prometheus';
import { EmbeddedSupervision } from './supervision';
import { tailMessages } from './tail';
import { EmbeddedTopics } from './topics';

export interface EmbeddedClusterOptions {
  /** A started broker. The cluster neither starts nor stops it. */
  broker: Broker;
  clusterId?: string;
  /** Supervision and rebalance events kept for the console's history. Default 2 000. */
  eventHistorySize?: number;
}

/**
 * The `Cluster` the console reads through, over this process's broker core (DESIGN "one core,
 * two doors"): topics, messages, metrics, supervision, and (once the broker has them) consumer
 * groups and the demo workload. Each concern lives in its own file; this class wires them and
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
    this.events = new EventLog(options.eventHistorySize ?? 2000);
    this.ticks = new MetricsTicks(this.broker.metrics);
    this.exporter = new PrometheusExporter(this.broker, this.startedAt);
    // From the retained history on, so that the console sees the start-up too.
    this.unsubscribe.push(
      this.broker.subscribeEvents((event) => this.events.append(event.at, (id) => toActorEvent(event, id)), {
        afterId: 0,
      }),
    );
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
      features: { faultInjection: this.broker.options.faultInjection, supervision: true, workload: false },
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

  // ---- consumer groups (with the broker's group coordinator)

  private noGroups(): never {
    throw new ClusterError('UNSUPPORTED', 'Consumer groups are not available on this broker yet');
  }

  async listGroups(): Promise<T.GroupSummary[]> {
    return [];
  }

  async describeGroup(groupId: string): Promise<T.GroupDescription> {
    throw new ClusterError('NOT_FOUND', `Consumer group '${groupId}' does not exist`, { field: 'groupId' });
  }

  async resetGroupOffsets(): Promise<T.GroupPartitionOffset[]> {
    this.noGroups();
  }

  async deleteGroup(): Promise<void> {
    this.noGroups();
  }

  async rebalanceHistory(): Promise<T.RebalanceRecord[]> {
    return [];
  }

  // ---- metrics

  metricsHistory(request: T.MetricsHistoryRequest): Promise<T.MetricsHistory> {
    return guard(() => metricsHistory(this.broker, request, () => []));
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

  // ---- workload (with the broker's in-process client)

  private noWorkload(): never {
    throw new ClusterError('UNSUPPORTED', 'The demo workload is not available on this broker yet');
  }

  async workloadStatus(): Promise<T.WorkloadStatus> {
    return { producers: [], consumerGroups: [] };
  }

  async startProducer(): Promise<T.ProducerWorkload> {
    this.noWorkload();
  }

  async stopProducer(): Promise<void> {
    this.noWorkload();
  }

  async startConsumerGroup(): Promise<T.ConsumerWorkload> {
    this.noWorkload();
  }

  async addConsumer(): Promise<T.ConsumerWorkload> {
    this.noWorkload();
  }

  async removeConsumer(): Promise<T.ConsumerWorkload> {
    this.noWorkload();
  }

  async stopConsumerGroup(): Promise<void> {
    this.noWorkload();
  }
}
