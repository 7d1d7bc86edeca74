import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ActorSnapshot } from '../../broker/actors';
import type { Broker } from '../../broker/broker';
import { parseSeriesKey } from '../../broker/metrics/series-key';
import { toClusterPath } from './paths';

/**
 * The /metrics exposition of the embedded broker, with prom-client. Values are read from the
 * broker at scrape time: throughput counters are the meters' cumulative counts (never reset, so
 * they are true Prometheus counters), sizes, offsets, lag and connections the last sampled
 * gauges, restarts from the supervision tree. Broker and topic totals are given beside the
 * partition series so that a dashboard needs no sum() for the common views; the broker totals
 * leave out internal topics, as the console's charts do.
 */
const FLOWS = [
  ['records_in', 'recordsIn', 'Records appended'],
  ['bytes_in', 'bytesIn', 'Record batch bytes appended'],
  ['records_out', 'recordsOut', 'Records served to consumers'],
  ['bytes_out', 'bytesOut', 'Record batch bytes served to consumers'],
] as const;

type FlowField = (typeof FLOWS)[number][1];
type Flow = Record<FlowField, number>;

const emptyFlow = (): Flow => ({ recordsIn: 0, bytesIn: 0, recordsOut: 0, bytesOut: 0 });

function walk(node: ActorSnapshot, visit: (node: ActorSnapshot) => void): void {
  visit(node);
  for (const child of node.children) walk(child, visit);
}

export class PrometheusExporter {
  private readonly registry = new Registry();
  private readonly counters: Record<'broker' | 'topic' | 'partition', Record<FlowField, Counter>>;
  private readonly partitionSize: Gauge;
  private readonly topicSize: Gauge;
  private readonly brokerSize: Gauge;
  private readonly endOffset: Gauge;
  private readonly groupLag: Gauge;
  private readonly groupPartitionLag: Gauge;
  private readonly connections: Gauge;
  private readonly requests: Counter;
  private readonly restarts: Counter;
  private readonly actors: Gauge;
  private readonly uptime: Gauge;
  /** Ours, reset before each scrape; the default process metrics keep accumulating. */
  private readonly own: (Counter | Gauge)[] = [];

  constructor(
    private readonly broker: Broker,
    private readonly startedAt: number,
  ) {
    // Made unregistered, then registered here and remembered as ours.
    const registers: Registry[] = [];
    const keep = <M extends Counter | Gauge>(metric: M): M => {
      this.own.push(metric);
      this.registry.registerMetric(metric);
      return metric;
    };
    const counter = (scope: 'broker' | 'topic' | 'partition', name: string, help: string) => {
      const labelNames = scope === 'broker' ? [] : scope === 'topic' ? ['topic'] : ['topic', 'partition'];
      return keep(new Counter({ name: `sluice_${scope}_${name}_total`, help, labelNames, registers }));
    };
    const byScope = (scope: 'broker' | 'topic' | 'partition') =>
      Object.fromEntries(FLOWS.map(([name, field, help]) => [field, counter(scope, name, help)])) as Record<
        FlowField,
        Counter
      >;
    this.counters = { broker: byScope('broker'), topic: byScope('topic'), partition: byScope('partition') };
    const gauge = (name: string, help: string, labelNames: string[] = []) =>
      keep(new Gauge({ name, help, labelNames, registers }));
    this.partitionSize = gauge('sluice_partition_size_bytes', 'Bytes of a partition log', [
      'topic',
      'partition',
    ]);
    this.topicSize = gauge('sluice_topic_size_bytes', 'Bytes of a topic (all partitions)', ['topic']);
    this.brokerSize = gauge('sluice_broker_size_bytes', 'Bytes of every topic but internal ones');
    this.endOffset = gauge('sluice_partition_log_end_offset', 'Offset the next record will get', [
      'topic',
      'partition',
    ]);
    this.groupLag = gauge('sluice_group_lag', 'Records a consumer group has not committed yet', ['group']);
    this.groupPartitionLag = gauge('sluice_group_partition_lag', 'Lag of a group on one partition', [
      'group',
      'topic',
      'partition',
    ]);
    this.connections = gauge('sluice_kafka_connections', 'Open Kafka protocol connections');
    this.requests = keep(
      new Counter({
        name: 'sluice_kafka_requests_total',
        help: 'Kafka protocol requests served, by API',
        labelNames: ['api'],
        registers,
      }),
    );
    this.restarts = keep(
      new Counter({
        name: 'sluice_actor_restarts_total',
        help: 'Restarts of a supervised actor since it was spawned',
        labelNames: ['path'],
        registers,
      }),
    );
    this.actors = gauge('sluice_actors', 'Supervised actors by state', ['state']);
    this.uptime = gauge('sluice_uptime_seconds', 'Seconds since the broker started');
    collectDefaultMetrics({ register: this.registry, prefix: 'sluice_' });
  }

  async text(): Promise<string> {
    for (const metric of this.own) metric.reset();
    this.collectFlows();
    this.collectSeries();
    this.collectActors();
    this.uptime.set((Date.now() - this.startedAt) / 1000);
    return this.registry.metrics();
  }

  private collectFlows(): void {
    const { broker } = this;
    const brokerFlow = emptyFlow();
    let brokerBytes = 0;
    for (const topic of broker.listTopics({ includeInternal: true })) {
      const topicFlow = emptyFlow();
      let topicBytes = 0;
      for (let p = 0; p < topic.partitions; p++) {
        const { flow, size, endOffset } = broker.metrics.partition(topic.name, p);
        const labels = { topic: topic.name, partition: String(p) };
        for (const [, field] of FLOWS) {
          const count = flow[field].count;
          this.counters.partition[field].inc(labels, count);
          topicFlow[field] += count;
        }
        if (!Number.isNaN(size.value)) {
          this.partitionSize.set(labels, size.value);
          topicBytes += size.value;
        }
        if (!Number.isNaN(endOffset.value)) this.endOffset.set(labels, endOffset.value);
      }
      for (const [, field] of FLOWS) {
        this.counters.topic[field].inc({ topic: topic.name }, topicFlow[field]);
        if (!topic.internal) brokerFlow[field] += topicFlow[field];
      }
      this.topicSize.set({ topic: topic.name }, topicBytes);
      if (!topic.internal) brokerBytes += topicBytes;
    }
    for (const [, field] of FLOWS) this.counters.broker[field].inc(brokerFlow[field]);
    this.brokerSize.set(brokerBytes);
  }

  /** Lag, connections and API requests, from the series the broker and the Kafka door keep. */
  private collectSeries(): void {
    const { metrics } = this.broker;
    for (const id of metrics.seriesIds()) {
      const key = parseSeriesKey(id);
      const value = metrics.latest(key);
      if (key.kind === 'api') {
        this.requests.inc({ api: key.api }, metrics.apiRequests(key.api).count);
      } else if (value === undefined) {
        continue;
      } else if (key.kind === 'group') {
        this.groupLag.set({ group: key.group }, value);
      } else if (key.kind === 'group_partition') {
        this.groupPartitionLag.set(
          { group: key.group, topic: key.topic, partition: String(key.partition) },
          value,
        );
      } else if (key.kind === 'gauge' && key.name === 'connections') {
        this.connections.set(value);
      }
    }
  }

  private collectActors(): void {
    const states = new Map<string, number>();
    walk(this.broker.supervisionTree(), (node) => {
      this.restarts.inc({ path: toClusterPath(node.path) }, node.restartCount);
      states.set(node.state, (states.get(node.state) ?? 0) + 1);
    });
    for (const [state, count] of states) this.actors.set({ state }, count);
  }
}
