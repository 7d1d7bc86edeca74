import { FlowMeter, type Gauge, Meter } from './meter';
import {
  byMetric,
  type GroupEntry,
  type PartitionEntry,
  type PartitionMetrics,
  type TopicEntry,
} from './metric-entries';
import { type MetricsListener, MetricsSubscribers, type SubscribeOptions } from './metrics-subscribers';
import { defaultTimer, type MetricsTimer } from './metrics-timer';
import type { DownsampleMode, Points } from './ring-buffer';
import {
  FLOW_METRICS,
  type FlowMetric,
  type SeriesKey,
  isRate,
  parseSeriesKey,
  seriesKeyId,
} from './series-key';
import { type Series, SeriesStore } from './series-store';

/**
 * The broker's own metric series, sampled once per `intervalMs` (1 s) with `historySize` (3600)
 * samples of history each: one hour at 1 s resolution for the console's charts.
 *
 * Hot paths hold handles (a partition's FlowMeter, a Gauge, an API's Meter) and only add numbers.
 * Each tick `sample(now)`: runs the collectors (pull-style gauges, e.g. consumer lag computed from
 * end and committed offsets), turns meter deltas into rates per second, aggregates partitions into
 * their topic and topics into the broker total (internal topics such as __consumer_offsets are
 * left out of the broker total), records every series in the SeriesStore, then pushes one compact
 * tick to each subscriber (metrics-subscribers.ts). The owner calls `start()`/`stop()`; tests call `sample()` or drive the
 * timer with fake timers.
 */

export type { PartitionMetrics } from './metric-entries';
export type { MetricsListener, MetricsTick, SubscribeOptions } from './metrics-subscribers';
export type { MetricsTimer } from './metrics-timer';

export interface MetricsRegistryOptions {
  historySize?: number;
  intervalMs?: number;
  now?: () => number;
  /** Defaults to the global timers, looked up when `start()` runs (so fake timers work). */
  timer?: MetricsTimer;
  isInternalTopic?: (topic: string) => boolean;
  /** A listener or collector threw. A throwing listener is also unsubscribed. */
  onError?: (error: unknown) => void;
}

export interface HistoryOptions {
  sinceMs?: number;
  maxPoints?: number;
  /** Default: avg for rates, max for gauges. */
  mode?: DownsampleMode;
}

export class MetricsRegistry {
  readonly intervalMs: number;
  private readonly store: SeriesStore;
  private readonly now: () => number;
  private readonly timer: MetricsTimer;
  private readonly isInternalTopic: (topic: string) => boolean;
  private readonly onError: (error: unknown) => void;
  private readonly topics = new Map<string, TopicEntry>();
  private readonly groups = new Map<string, GroupEntry>();
  private readonly apis = new Map<string, { meter: Meter; series: Series }>();
  private readonly brokerRates: Record<FlowMetric, Series>;
  private readonly brokerSize: Series;
  private readonly collectors = new Set<(now: number) => void>();
  private readonly subscribers: MetricsSubscribers;
  private lastSampleAt: number;
  private handle: unknown = null;

  constructor(options: MetricsRegistryOptions = {}) {
    this.store = new SeriesStore(options.historySize ?? 3600);
    this.intervalMs = options.intervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.timer = options.timer ?? defaultTimer;
    this.isInternalTopic = options.isInternalTopic ?? ((topic) => topic.startsWith('__'));
    this.onError = options.onError ?? (() => undefined);
    this.subscribers = new MetricsSubscribers(this.onError);
    this.brokerRates = byMetric((metric) => this.series({ kind: 'broker', metric }));
    this.brokerSize = this.series({ kind: 'broker', metric: 'size_bytes' });
    this.lastSampleAt = this.now();
  }

  private series(key: SeriesKey): Series {
    return this.store.obtain(seriesKeyId(key));
  }

  // ---- handles for the hot paths ----

  partition(topic: string, partition: number): PartitionMetrics {
    let entry = this.topics.get(topic);
    if (!entry) {
      entry = {
        internal: this.isInternalTopic(topic),
        partitions: new Map(),
        rates: byMetric((metric) => this.series({ kind: 'topic', topic, metric })),
        size: this.series({ kind: 'topic', topic, metric: 'size_bytes' }),
      };
      this.topics.set(topic, entry);
    }
    const existing = entry.partitions.get(partition);
    if (existing) return existing;
    const flow = new FlowMeter();
    const topicRates = entry.rates;
    const created: PartitionEntry = {
      flow,
      flows: FLOW_METRICS.map((metric) => ({
        meter: flow.meter(metric),
        series: this.series({ kind: 'partition', topic, partition, metric }),
        total: topicRates[metric],
      })),
      size: this.series({ kind: 'partition', topic, partition, metric: 'size_bytes' }),
      endOffset: this.series({ kind: 'partition', topic, partition, metric: 'end_offset' }),
    };
    entry.partitions.set(partition, created);
    return created;
  }

  /** Requests per second of one Kafka API, by its name ("Produce", "Fetch"...). */
  apiRequests(api: string): Meter {
    let entry = this.apis.get(api);
    if (!entry) {
      entry = { meter: new Meter(), series: this.series({ kind: 'api', api, metric: 'requests' }) };
      this.apis.set(api, entry);
    }
    return entry.meter;
  }

  /** A broker-wide gauge by name ("connections", ...). */
  gauge(name: string): Gauge {
    return this.series({ kind: 'gauge', name });
  }

  /** The lag of one group on one partition; the group's total is summed each tick. */
  groupLag(group: string, topic: string, partition: number): Gauge {
    let entry = this.groups.get(group);
    if (!entry) {
      entry = { lag: this.series({ kind: 'group', group, metric: 'lag' }), partitions: new Map() };
      this.groups.set(group, entry);
    }
    const id = `${topic}/${partition}`;
    let slot = entry.partitions.get(id);
    if (!slot) {
      slot = {
        topic,
        series: this.series({ kind: 'group_partition', group, topic, partition, metric: 'lag' }),
      };
      entry.partitions.set(id, slot);
    }
    return slot.series;
  }

  /** Runs before each sample, to set pull-style gauges. Returns its removal. */
  addCollector(collect: (now: number) => void): () => void {
    this.collectors.add(collect);
    return () => this.collectors.delete(collect);
  }

  // ---- removal ----

  removeTopic(topic: string): void {
    const entry = this.topics.get(topic);
    if (entry) {
      for (const partition of [...entry.partitions.keys()]) this.removePartition(topic, partition);
      for (const s of [...Object.values(entry.rates), entry.size]) this.store.delete(s.id);
      this.topics.delete(topic);
    }
    for (const g of this.groups.values()) {
      for (const [id, slot] of g.partitions) {
        if (slot.topic === topic) this.dropGroupPartition(g, id);
      }
    }
  }

  removePartition(topic: string, partition: number): void {
    const entry = this.topics.get(topic)?.partitions.get(partition);
    if (!entry) return;
    for (const s of [...entry.flows.map((f) => f.series), entry.size, entry.endOffset])
      this.store.delete(s.id);
    this.topics.get(topic)?.partitions.delete(partition);
  }

  removeGroup(group: string): void {
    const entry = this.groups.get(group);
    if (!entry) return;
    for (const { series } of entry.partitions.values()) this.store.delete(series.id);
    this.store.delete(entry.lag.id);
    this.groups.delete(group);
  }

  removeGroupPartition(group: string, topic: string, partition: number): void {
    const entry = this.groups.get(group);
    if (entry) this.dropGroupPartition(entry, `${topic}/${partition}`);
  }

  private dropGroupPartition(entry: GroupEntry, id: string): void {
    const slot = entry.partitions.get(id);
    if (!slot) return;
    this.store.delete(slot.series.id);
    entry.partitions.delete(id);
  }

  removeGauge(name: string): void {
    this.store.delete(seriesKeyId({ kind: 'gauge', name }));
  }

  // ---- sampling ----

  start(): void {
    if (this.handle !== null) return;
    this.lastSampleAt = this.now();
    this.handle = this.timer.setInterval(() => this.sample(), this.intervalMs);
    // Metrics alone must not keep the process alive.
    (this.handle as { unref?: () => void } | null)?.unref?.();
  }

  stop(): void {
    if (this.handle === null) return;
    this.timer.clearInterval(this.handle);
    this.handle = null;
  }

  sample(now: number = this.now()): void {
    for (const collect of this.collectors) {
      try {
        collect(now);
      } catch (error) {
        this.onError(error);
      }
    }
    const elapsed = now > this.lastSampleAt ? now - this.lastSampleAt : this.intervalMs;
    this.lastSampleAt = Math.max(now, this.lastSampleAt);

    // Totals first, then each partition's rate adds to its topic's, each topic's to the broker's.
    for (const series of Object.values(this.brokerRates)) series.current = 0;
    this.brokerSize.current = 0;
    for (const topic of this.topics.values()) {
      for (const series of Object.values(topic.rates)) series.current = 0;
      topic.size.current = 0;
      for (const p of topic.partitions.values()) {
        for (const flow of p.flows) {
          const rate = flow.meter.takeRate(elapsed);
          flow.series.current = rate;
          flow.total.current += rate;
        }
        if (!Number.isNaN(p.size.current)) topic.size.current += p.size.current;
      }
      if (topic.internal) continue;
      for (const metric of FLOW_METRICS) this.brokerRates[metric].current += topic.rates[metric].current;
      this.brokerSize.current += topic.size.current;
    }

    for (const { meter, series } of this.apis.values()) series.current = meter.takeRate(elapsed);

    for (const group of this.groups.values()) {
      let total = NaN;
      for (const { series } of group.partitions.values()) {
        if (!Number.isNaN(series.current)) total = (Number.isNaN(total) ? 0 : total) + series.current;
      }
      group.lag.current = total;
    }

    const ts = this.store.commit(now);
    if (this.subscribers.size > 0) this.subscribers.publish(ts, this.store.all());
  }

  subscribe(listener: MetricsListener, options: SubscribeOptions = {}): () => void {
    return this.subscribers.subscribe(listener, options);
  }

  // ---- reading ----

  /** A series' samples, oldest first; undefined if there is no such series. */
  history(key: SeriesKey | string, options: HistoryOptions = {}): Points | undefined {
    const parsed = typeof key === 'string' ? parseSeriesKey(key) : key;
    const series = this.store.get(seriesKeyId(parsed));
    if (!series) return undefined;
    return this.store.read(series, { ...options, mode: options.mode ?? (isRate(parsed) ? 'avg' : 'max') });
  }

  /**
   * The exact current value (not the stored Float32): a rate as of the last tick, a gauge as last
   * set once it has been sampled. Undefined for an unknown or not yet sampled series.
   */
  latest(key: SeriesKey | string): number | undefined {
    const id = typeof key === 'string' ? seriesKeyId(parseSeriesKey(key)) : seriesKeyId(key);
    const series = this.store.get(id);
    return series === undefined || this.store.tickCount <= series.startTick || Number.isNaN(series.current)
      ? undefined
      : series.current;
  }

  seriesIds(prefix = ''): string[] {
    const ids: string[] = [];
    for (const series of this.store.all()) if (series.id.startsWith(prefix)) ids.push(series.id);
    return ids;
  }

  /** Bytes held by history rings (for the memory budget and /metrics). */
  get historyBytes(): number {
    return this.store.allocatedBytes;
  }
}
