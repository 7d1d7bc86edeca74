import type { MetricsRegistry, MetricsTick as BrokerTick } from '../../broker/metrics/metrics-registry';
import { parseSeriesKey, type SeriesKey } from '../../broker/metrics/series-key';
import type { KafkaRates, MetricsTick, Rates } from '../types';
import { LiveQueue } from './live-queue';
import { byRate } from './metrics-history';

/**
 * The console's one live metrics stream: the broker's MetricsRegistry ticks once a second; each
 * tick becomes one MetricsTick (broker, every topic, every partition, every group's lag, the Kafka
 * door's connections and requests per second by API), kept in a
 * short ring so that a reconnecting browser resumes after the last tick id it saw, and handed to
 * each listener with only the partitions of the topics it asked for.
 *
 * A tick's id is its time in milliseconds, or one more than the previous id when that is larger:
 * ids only grow, across restarts too.
 */
const RESUME_TICKS = 120;

type FullTick = MetricsTick;

interface Stream {
  queue: LiveQueue<MetricsTick>;
  partitionsOf: ReadonlySet<string>;
}

const zero = (): Rates => ({ recordsInPerSec: 0, bytesInPerSec: 0, recordsOutPerSec: 0, bytesOutPerSec: 0 });

const FIELD = {
  records_in: 'recordsInPerSec',
  bytes_in: 'bytesInPerSec',
  records_out: 'recordsOutPerSec',
  bytes_out: 'bytesOutPerSec',
} as const satisfies Record<string, keyof Rates>;

function rateField(metric: string): keyof Rates | undefined {
  return (FIELD as Record<string, keyof Rates>)[metric];
}

export class MetricsTicks {
  private readonly ring: FullTick[] = [];
  private readonly streams = new Set<Stream>();
  private readonly keys = new Map<string, SeriesKey>();
  private readonly unsubscribe: () => void;
  private lastId = 0;

  constructor(metrics: MetricsRegistry) {
    this.unsubscribe = metrics.subscribe((tick) => this.onTick(tick));
  }

  private key(id: string): SeriesKey {
    let key = this.keys.get(id);
    if (key === undefined) {
      if (this.keys.size > 100_000) this.keys.clear(); // deleted topics' ids must not pile up
      key = parseSeriesKey(id);
      this.keys.set(id, key);
    }
    return key;
  }

  /** Exposed for tests: what one broker tick becomes. */
  toTick(tick: BrokerTick): FullTick {
    const broker = zero();
    const topics = new Map<string, Rates>();
    const partitions = new Map<string, { topic: string; partition: number; rates: Rates }>();
    const groups: { groupId: string; lag: number }[] = [];
    const kafka: KafkaRates = { connections: 0, requestsPerSec: 0, byApi: [] };
    for (const { key: id, value } of tick.series) {
      const key = this.key(id);
      if (key.kind === 'group') {
        groups.push({ groupId: key.group, lag: value });
        continue;
      }
      if (key.kind === 'api') {
        if (value > 0) kafka.byApi.push({ api: key.api, perSec: value });
        kafka.requestsPerSec += value;
        continue;
      }
      if (key.kind === 'gauge') {
        if (key.name === 'connections') kafka.connections = value;
        continue;
      }
      if (key.kind !== 'broker' && key.kind !== 'topic' && key.kind !== 'partition') continue;
      const field = rateField(key.metric);
      if (field === undefined) continue;
      if (key.kind === 'broker') {
        broker[field] = value;
      } else if (key.kind === 'topic') {
        let rates = topics.get(key.topic);
        if (rates === undefined) topics.set(key.topic, (rates = zero()));
        rates[field] = value;
      } else {
        const slot = `${key.topic}\u0000${key.partition}`;
        let entry = partitions.get(slot);
        if (entry === undefined) {
          entry = { topic: key.topic, partition: key.partition, rates: zero() };
          partitions.set(slot, entry);
        }
        entry.rates[field] = value;
      }
    }
    const id = Math.max(this.lastId + 1, Math.floor(tick.ts));
    this.lastId = id;
    return {
      id,
      t: tick.ts,
      broker,
      topics: [...topics]
        .map(([topic, rates]) => ({ topic, rates }))
        .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0)),
      partitions: [...partitions.values()].sort((a, b) =>
        a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
      ),
      groups: groups.sort((a, b) => (a.groupId < b.groupId ? -1 : 1)),
      kafka: { ...kafka, byApi: kafka.byApi.sort(byRate) },
    };
  }

  private onTick(brokerTick: BrokerTick): void {
    const tick = this.toTick(brokerTick);
    this.ring.push(tick);
    if (this.ring.length > RESUME_TICKS) this.ring.shift();
    for (const stream of this.streams) stream.queue.push(narrow(tick, stream.partitionsOf));
  }

  /** Ticks from the next one on; with `afterId`, the retained ticks after it first. */
  stream(
    partitionsOf: readonly string[],
    afterId: number | undefined,
    signal: AbortSignal,
  ): AsyncIterable<MetricsTick> {
    const stream: Stream = {
      partitionsOf: new Set(partitionsOf),
      queue: new LiveQueue<MetricsTick>(signal, RESUME_TICKS, () => this.streams.delete(stream)),
    };
    if (afterId !== undefined) {
      for (const tick of this.ring)
        if (tick.id > afterId) stream.queue.push(narrow(tick, stream.partitionsOf));
    }
    this.streams.add(stream);
    return stream.queue;
  }

  close(): void {
    this.unsubscribe();
    for (const stream of [...this.streams]) stream.queue.end();
  }
}

function narrow(tick: FullTick, partitionsOf: ReadonlySet<string>): MetricsTick {
  return { ...tick, partitions: tick.partitions.filter((p) => partitionsOf.has(p.topic)) };
}
