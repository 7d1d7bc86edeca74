import type {
  MetricsHistory,
  MetricsHistoryRequest,
  MetricsTick,
  Rates,
  ThroughputPoint,
} from '../../cluster/types';
import { Channel } from './channel';
import { ZERO_RATES } from './memory-topics';

interface Counters {
  recordsIn: number;
  bytesIn: number;
  recordsOut: number;
  bytesOut: number;
}

export interface MetricsSources {
  topics(): { topic: string; partitions: number }[];
  groupLags(): { groupId: string; lag: number }[];
  groupTopics(groupId: string): string[];
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function add(a: Rates, b: Rates): Rates {
  return {
    recordsInPerSec: a.recordsInPerSec + b.recordsInPerSec,
    bytesInPerSec: a.bytesInPerSec + b.bytesInPerSec,
    recordsOutPerSec: a.recordsOutPerSec + b.recordsOutPerSec,
    bytesOutPerSec: a.bytesOutPerSec + b.bytesOutPerSec,
  };
}

/** Cumulative counters per partition, sampled into per-second ticks kept for an hour. */
export class MemoryMetrics {
  private readonly counters = new Map<string, Counters>();
  private last = new Map<string, Counters>();
  private lastAt: number;
  private readonly samples: MetricsTick[] = [];
  private nextId = 1;
  readonly channel = new Channel<MetricsTick>(600);

  constructor(
    private readonly now: () => number,
    private readonly sources: MetricsSources,
  ) {
    this.lastAt = now();
  }

  private counter(topic: string, partition: number): Counters {
    let c = this.counters.get(key(topic, partition));
    if (!c)
      this.counters.set(
        key(topic, partition),
        (c = { recordsIn: 0, bytesIn: 0, recordsOut: 0, bytesOut: 0 }),
      );
    return c;
  }

  recordIn(topic: string, partition: number, bytes: number): void {
    const c = this.counter(topic, partition);
    c.recordsIn++;
    c.bytesIn += bytes;
  }

  recordOut(topic: string, partition: number, records: number, bytes: number): void {
    const c = this.counter(topic, partition);
    c.recordsOut += records;
    c.bytesOut += bytes;
  }

  /** Takes one sample: rates since the previous one. Called every second by the cluster's timer. */
  sample(): MetricsTick {
    const t = this.now();
    const seconds = Math.max((t - this.lastAt) / 1000, 0.001);
    const partitions: MetricsTick['partitions'] = [];
    const topics: MetricsTick['topics'] = [];
    let broker = ZERO_RATES;
    for (const { topic, partitions: count } of this.sources.topics()) {
      let total = ZERO_RATES;
      for (let p = 0; p < count; p++) {
        const now = { ...this.counter(topic, p) };
        const before = this.last.get(key(topic, p)) ?? {
          recordsIn: 0,
          bytesIn: 0,
          recordsOut: 0,
          bytesOut: 0,
        };
        const rates = {
          recordsInPerSec: (now.recordsIn - before.recordsIn) / seconds,
          bytesInPerSec: (now.bytesIn - before.bytesIn) / seconds,
          recordsOutPerSec: (now.recordsOut - before.recordsOut) / seconds,
          bytesOutPerSec: (now.bytesOut - before.bytesOut) / seconds,
        };
        partitions.push({ topic, partition: p, rates });
        total = add(total, rates);
      }
      topics.push({ topic, rates: total });
      broker = add(broker, total);
    }
    this.last = new Map([...this.counters].map(([k, c]) => [k, { ...c }]));
    this.lastAt = t;
    const tick: MetricsTick = {
      id: this.nextId++,
      t,
      broker,
      topics,
      partitions,
      groups: this.sources.groupLags(),
    };
    this.samples.push(tick);
    if (this.samples.length > 3600) this.samples.shift();
    this.channel.publish(tick);
    return tick;
  }

  latest(): MetricsTick | undefined {
    return this.samples.at(-1);
  }

  topicRates(topic: string): Rates {
    return this.latest()?.topics.find((x) => x.topic === topic)?.rates ?? ZERO_RATES;
  }

  partitionRates(topic: string, partition: number): Rates {
    return (
      this.latest()?.partitions.find((x) => x.topic === topic && x.partition === partition)?.rates ??
      ZERO_RATES
    );
  }

  /** Only the partitions the listener asked for: a tick of every partition would be too large. */
  static narrow(tick: MetricsTick, partitionsOf: string[]): MetricsTick {
    return { ...tick, partitions: tick.partitions.filter((p) => partitionsOf.includes(p.topic)) };
  }

  async *stream(
    partitionsOf: string[],
    afterId: number | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<MetricsTick> {
    const replay = afterId === undefined ? [] : this.samples.filter((s) => s.id > afterId);
    for await (const tick of this.channel.listen(signal, replay))
      yield MemoryMetrics.narrow(tick, partitionsOf);
  }

  history(request: MetricsHistoryRequest): MetricsHistory {
    const { scope, from, to, stepMs } = request;
    const ratesOf = (tick: MetricsTick): Rates => {
      switch (scope.kind) {
        case 'broker':
          return tick.broker;
        case 'topic':
          return tick.topics.find((x) => x.topic === scope.topic)?.rates ?? ZERO_RATES;
        case 'partition':
          return (
            tick.partitions.find((x) => x.topic === scope.topic && x.partition === scope.partition)?.rates ??
            ZERO_RATES
          );
        case 'group': {
          const topics = this.sources.groupTopics(scope.groupId);
          return tick.topics
            .filter((x) => topics.includes(x.topic))
            .reduce((s, x) => add(s, x.rates), ZERO_RATES);
        }
      }
    };
    const buckets = new Map<number, { sum: Rates; lag: number; n: number }>();
    for (const tick of this.samples) {
      if (tick.t < from || tick.t > to) continue;
      const t = Math.floor(tick.t / stepMs) * stepMs;
      const b = buckets.get(t) ?? { sum: ZERO_RATES, lag: 0, n: 0 };
      const lag =
        scope.kind === 'group' ? (tick.groups.find((g) => g.groupId === scope.groupId)?.lag ?? 0) : 0;
      buckets.set(t, { sum: add(b.sum, ratesOf(tick)), lag: b.lag + lag, n: b.n + 1 });
    }
    const throughput: ThroughputPoint[] = [];
    const lag: MetricsHistory['lag'] = [];
    for (const [t, b] of [...buckets].sort((x, y) => x[0] - y[0])) {
      throughput.push({
        t,
        recordsInPerSec: b.sum.recordsInPerSec / b.n,
        bytesInPerSec: b.sum.bytesInPerSec / b.n,
        recordsOutPerSec: b.sum.recordsOutPerSec / b.n,
        bytesOutPerSec: b.sum.bytesOutPerSec / b.n,
      });
      if (scope.kind === 'group') lag.push({ t, lag: b.lag / b.n });
    }
    return { scope, stepMs, throughput, lag };
  }

  prometheus(): string {
    const lines = [
      '# HELP sluice_records_in_total Records appended.',
      '# TYPE sluice_records_in_total counter',
    ];
    for (const [k, c] of this.counters) {
      const [topic, partition] = k.split('\u0000');
      lines.push(`sluice_records_in_total{topic="${topic}",partition="${partition}"} ${c.recordsIn}`);
    }
    lines.push(
      '# HELP sluice_group_lag Records not yet consumed by a group.',
      '# TYPE sluice_group_lag gauge',
    );
    for (const g of this.sources.groupLags()) lines.push(`sluice_group_lag{group="${g.groupId}"} ${g.lag}`);
    return lines.join('\n') + '\n';
  }
}
