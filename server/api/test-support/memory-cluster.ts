import type { Cluster } from '../../cluster/cluster';
import { ClusterError } from '../../cluster/cluster';
import type * as T from '../../cluster/types';
import { MemoryEvents } from './memory-events';
import { MemoryGroups } from './memory-groups';
import { MemoryMetrics } from './memory-metrics';
import { outOfRange, recordSize, toBuffer, toClusterRecord } from './memory-log';
import { encodeCursor, decodeCursor, readPage } from './memory-read';
import { groupPath, MemorySupervision, partitionPath } from './memory-supervision';
import { validateConfig } from './memory-configs';
import { MemoryTopic, notFound } from './memory-topics';
import { MemoryWorkload } from './memory-workload';
import { tailNewRecords } from './memory-tail';

export interface MemoryClusterOptions {
  now?: () => number;
  faultInjection?: boolean;
  /** How long a crashed actor stays "restarting"; 0 restarts at once (tests). */
  restartDelayMs?: number;
  /** Sample metrics on a timer; tests leave it off and call sampleMetrics(). */
  sampleEveryMs?: number;
  tailPollMs?: number;
}

/**
 * An in-memory `Cluster` for the router tests and the console's dev server: a test double of the
 * real broker, not a broker. Its semantics follow the Cluster contract closely enough that the
 * console behaves against it as it will against the embedded broker.
 */
export class MemoryCluster implements Cluster {
  readonly topics = new Map<string, MemoryTopic>();
  readonly events: MemoryEvents;
  readonly groups: MemoryGroups;
  readonly metrics: MemoryMetrics;
  readonly supervision: MemorySupervision;
  readonly workload: MemoryWorkload;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly sampler: NodeJS.Timeout | undefined;
  private stickyPartition = 0;

  constructor(private readonly options: MemoryClusterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.events = new MemoryEvents(this.now);
    this.groups = new MemoryGroups(this.now, this.events, (name) => this.topics.get(name));
    this.metrics = new MemoryMetrics(this.now, {
      topics: () => [...this.topics.values()].map((t) => ({ topic: t.name, partitions: t.logs.length })),
      groupLags: () => this.groups.list().map((g) => ({ groupId: g.groupId, lag: g.totalLag })),
      groupTopics: (groupId) => this.groups.groups.get(groupId)?.topic.split(',') ?? [],
    });
    this.supervision = new MemorySupervision(
      this.now,
      this.events,
      {
        topics: () => [...this.topics.values()].map((t) => ({ name: t.name, partitions: t.logs.length })),
        groups: () => [...this.groups.groups.keys()],
      },
      options.restartDelayMs ?? 0,
    );
    this.workload = new MemoryWorkload(
      {
        topic: (name) => this.topics.get(name),
        groups: this.groups,
        produceText: async (topic, key, value) => {
          await this.produce({
            topic,
            key: { encoding: 'utf8', data: key },
            value: { encoding: 'utf8', data: value },
            headers: [],
          });
        },
        recordOut: (topic, partition, records, bytes) =>
          this.metrics.recordOut(topic, partition, records, bytes),
      },
      this.now,
    );
    this.topics.set(
      '__consumer_offsets',
      new MemoryTopic('__consumer_offsets', 1, { 'cleanup.policy': 'compact' }, true),
    );
    if (options.sampleEveryMs) {
      this.sampler = setInterval(() => this.metrics.sample(), options.sampleEveryMs);
      this.sampler.unref();
    }
  }

  close(): void {
    clearInterval(this.sampler);
    this.workload.close();
  }

  sampleMetrics(): T.MetricsTick {
    return this.metrics.sample();
  }

  private topic(name: string): MemoryTopic {
    const topic = this.topics.get(name);
    if (!topic) throw notFound(name);
    return topic;
  }

  async info(): Promise<T.ClusterInfo> {
    return {
      clusterId: 'memory-test-double',
      kind: 'embedded',
      brokerVersion: 'test-double',
      startedAt: this.startedAt,
      uptimeMs: this.now() - this.startedAt,
      listeners: [{ name: 'console', protocol: 'http', host: '127.0.0.1', port: 0 }],
      features: { faultInjection: this.options.faultInjection ?? true, supervision: true, workload: true },
    };
  }

  async listTopics(options?: { includeInternal?: boolean }): Promise<T.TopicSummary[]> {
    return [...this.topics.values()]
      .filter((t) => options?.includeInternal || !t.internal)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((t) => t.summary(this.metrics.topicRates(t.name)));
  }

  async describeTopic(name: string): Promise<T.TopicDescription> {
    const topic = this.topic(name);
    return topic.describe(
      (p) => this.metrics.partitionRates(name, p),
      (p) => this.supervision.ref(partitionPath(name, p)),
    );
  }

  async createTopic(request: T.CreateTopicRequest): Promise<T.TopicDescription> {
    if (this.topics.has(request.name)) {
      throw new ClusterError('ALREADY_EXISTS', `Topic '${request.name}' already exists`, { field: 'name' });
    }
    for (const [name, value] of Object.entries(request.configs)) validateConfig(name, value);
    this.topics.set(request.name, new MemoryTopic(request.name, request.partitions, { ...request.configs }));
    for (let p = 0; p < request.partitions; p++) {
      this.events.emit({
        kind: 'actor',
        type: 'started',
        path: partitionPath(request.name, p),
        message: 'started',
      });
    }
    return this.describeTopic(request.name);
  }

  async alterTopicConfigs(name: string, alterations: T.ConfigAlteration[]): Promise<T.ConfigEntry[]> {
    this.topic(name).alter(alterations);
    return (await this.describeTopic(name)).configs;
  }

  async addPartitions(name: string, total: number): Promise<T.TopicDescription> {
    this.topic(name).addPartitions(total);
    return this.describeTopic(name);
  }

  async purgeTopic(name: string, partitions?: number[]): Promise<T.PartitionStart[]> {
    return this.topic(name).purge(partitions);
  }

  async deleteTopic(name: string): Promise<void> {
    const topic = this.topic(name);
    if (topic.internal)
      throw new ClusterError('FORBIDDEN', `Topic '${name}' is internal and cannot be deleted`);
    this.topics.delete(name);
  }

  async readMessages(request: T.ReadMessagesRequest): Promise<T.MessagePage> {
    return readPage(this.topic(request.topic), request);
  }

  async getRecord(
    name: string,
    partition: number,
    offset: number,
    options: T.GetRecordOptions,
  ): Promise<T.ClusterRecord> {
    const topic = this.topic(name);
    const log = topic.logs[partition];
    if (!log)
      throw new ClusterError('NOT_FOUND', `Partition ${partition} does not exist in topic '${name}'`, {
        field: 'partition',
      });
    const record = log.at(offset);
    if (!record)
      throw outOfRange(partition, offset, log) ?? new ClusterError('NOT_FOUND', `No record at ${offset}`);
    return toClusterRecord(name, partition, record, topic.timestampType, options.maxValueBytes);
  }

  tailMessages(request: T.TailRequest, signal: AbortSignal): AsyncIterable<T.TailBatch> {
    const topic = this.topic(request.topic);
    const start = request.resumeFrom
      ? decodeCursor(request.resumeFrom, topic.name).parts.map(([p, pos]) => [p, pos] as const)
      : undefined;
    return tailNewRecords(topic, request, start, signal, this.options.tailPollMs ?? 250, encodeCursor);
  }

  async produce(request: T.ProduceRequest): Promise<T.ProduceResult> {
    const topic = this.topic(request.topic);
    const key = toBuffer(request.key);
    const partition =
      request.partition ??
      (key
        ? [...key].reduce((h, b) => (h * 31 + b) >>> 0, 7) % topic.logs.length
        : this.stickyPartition++ % topic.logs.length);
    const log = topic.logs[partition];
    if (!log) {
      throw new ClusterError(
        'NOT_FOUND',
        `Partition ${partition} does not exist in topic '${topic.name}' (${topic.logs.length} partitions)`,
        { field: 'partition' },
      );
    }
    const record = {
      timestamp: topic.timestampType === 'LogAppendTime' ? this.now() : (request.timestamp ?? this.now()),
      key,
      value: toBuffer(request.value),
      headers: request.headers.map((h) => ({ key: h.key, value: toBuffer(h.value) })),
    };
    const size = recordSize({ ...record, offset: 0 });
    const max = Number(topic.config('max.message.bytes'));
    if (size > max) {
      throw new ClusterError(
        'INVALID_ARGUMENT',
        `The record is ${size} bytes, above max.message.bytes (${max}) of topic '${topic.name}'`,
        { field: 'value' },
      );
    }
    await this.supervision.beforeWrite(partitionPath(topic.name, partition));
    const stored = log.append(record);
    this.metrics.recordIn(topic.name, partition, size);
    return {
      topic: topic.name,
      partition,
      offset: stored.offset,
      timestamp: stored.timestamp,
      timestampType: topic.timestampType,
    };
  }

  async listGroups(options?: { topic?: string }): Promise<T.GroupSummary[]> {
    return this.groups.list(options?.topic);
  }

  async describeGroup(groupId: string): Promise<T.GroupDescription> {
    return { ...this.groups.describe(groupId), actor: this.supervision.ref(groupPath(groupId)) };
  }

  async resetGroupOffsets(request: T.ResetOffsetsRequest): Promise<T.GroupPartitionOffset[]> {
    return this.groups.reset(request);
  }

  async deleteGroup(groupId: string): Promise<void> {
    this.groups.delete(groupId);
  }

  async rebalanceHistory(query: T.RebalanceQuery): Promise<T.RebalanceRecord[]> {
    return this.groups.history(query);
  }

  async metricsHistory(request: T.MetricsHistoryRequest): Promise<T.MetricsHistory> {
    if (request.scope.kind === 'topic' || request.scope.kind === 'partition') this.topic(request.scope.topic);
    if (request.scope.kind === 'group') this.groups.get(request.scope.groupId);
    return this.metrics.history(request);
  }

  metricsStream(request: T.MetricsStreamRequest, signal: AbortSignal): AsyncIterable<T.MetricsTick> {
    return this.metrics.stream(request.partitionsOf, request.afterId, signal);
  }

  async prometheusText(): Promise<string> {
    return this.metrics.prometheus();
  }

  async actorTree(): Promise<T.ActorNode> {
    return this.supervision.tree();
  }

  async eventHistory(query: T.EventQuery): Promise<T.ClusterEvent[]> {
    return this.events.query(query);
  }

  eventStream(options: { afterId?: number }, signal: AbortSignal): AsyncIterable<T.ClusterEvent> {
    return this.events.stream(options.afterId, signal);
  }

  async injectFault(request: T.FaultRequest): Promise<void> {
    if (!(this.options.faultInjection ?? true))
      throw new ClusterError('FORBIDDEN', 'Fault injection is disabled');
    this.supervision.inject(request);
  }

  async workloadStatus(): Promise<T.WorkloadStatus> {
    return this.workload.status();
  }
  async startProducer(request: T.StartProducerRequest): Promise<T.ProducerWorkload> {
    return this.workload.startProducer(request);
  }
  async stopProducer(id: string): Promise<void> {
    this.workload.stopProducer(id);
  }
  async startConsumerGroup(request: T.StartConsumerGroupRequest): Promise<T.ConsumerWorkload> {
    return this.workload.startConsumerGroup(request);
  }
  async addConsumer(groupId: string): Promise<T.ConsumerWorkload> {
    return this.workload.addConsumer(groupId);
  }
  async removeConsumer(groupId: string, memberId?: string): Promise<T.ConsumerWorkload> {
    return this.workload.removeConsumer(groupId, memberId);
  }
  async stopConsumerGroup(groupId: string): Promise<void> {
    this.workload.stopConsumerGroup(groupId);
  }
}
