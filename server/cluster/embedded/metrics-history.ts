import type { Broker } from '../../broker/broker';
import {
  FLOW_METRICS,
  parseSeriesKey,
  type FlowMetric,
  type SeriesKey,
} from '../../broker/metrics/series-key';
import { ClusterError } from '../cluster';
import type {
  KafkaPoint,
  LagPoint,
  MetricsHistory,
  MetricsHistoryRequest,
  MetricsScope,
  Rates,
  ThroughputPoint,
} from '../types';

/**
 * Charts' history from the broker's per-second series (an hour of them): each of the console's
 * scopes names the series it reads, and the samples in [from, to] are averaged per `stepMs`
 * bucket. A group's throughput is that of the topics it has offsets or assignments on. The Kafka
 * scope reads the Kafka door's series: the `gauge/connections` gauge (its peak per bucket) and
 * every `api/<name>/requests` rate.
 */

const FIELD: Record<FlowMetric, keyof Rates> = {
  records_in: 'recordsInPerSec',
  bytes_in: 'bytesInPerSec',
  records_out: 'recordsOutPerSec',
  bytes_out: 'bytesOutPerSec',
};

/** The topics whose throughput a scope charts, with the series key of one metric of each. */
function flowKeys(
  scope: MetricsScope,
  groupTopics: (groupId: string) => string[],
): ((m: FlowMetric) => SeriesKey)[] {
  switch (scope.kind) {
    case 'broker':
      return [(metric) => ({ kind: 'broker', metric })];
    case 'topic':
      return [(metric) => ({ kind: 'topic', topic: scope.topic, metric })];
    case 'partition':
      return [(metric) => ({ kind: 'partition', topic: scope.topic, partition: scope.partition, metric })];
    case 'group':
      return groupTopics(scope.groupId).map((topic) => (metric: FlowMetric) => ({
        kind: 'topic',
        topic,
        metric,
      }));
    case 'kafka':
      return [];
  }
}

function checkScope(broker: Broker, scope: MetricsScope): void {
  if (scope.kind !== 'topic' && scope.kind !== 'partition') return;
  const count = broker.partitionCount(scope.topic);
  if (count === undefined) {
    throw new ClusterError('NOT_FOUND', `Topic '${scope.topic}' does not exist`, { field: 'topic' });
  }
  if (scope.kind === 'partition' && scope.partition >= count) {
    throw new ClusterError(
      'NOT_FOUND',
      `Partition ${scope.partition} of '${scope.topic}' does not exist (it has ${count})`,
      { field: 'partition' },
    );
  }
}

class Buckets {
  readonly sums = new Map<number, { sum: number; n: number; max: number }>();

  constructor(private readonly stepMs: number) {}

  add(t: number, v: number): void {
    const at = Math.floor(t / this.stepMs) * this.stepMs;
    const b = this.sums.get(at) ?? { sum: 0, n: 0, max: v };
    b.sum += v;
    b.n += 1;
    b.max = Math.max(b.max, v);
    this.sums.set(at, b);
  }

  mean(at: number): number {
    const b = this.sums.get(at);
    return b === undefined ? 0 : b.sum / b.n;
  }

  peak(at: number): number {
    return this.sums.get(at)?.max ?? 0;
  }
}

export function metricsHistory(
  broker: Broker,
  request: MetricsHistoryRequest,
  groupTopics: (groupId: string) => string[],
): MetricsHistory {
  const { scope, from, to, stepMs } = request;
  checkScope(broker, scope);
  const read = (key: SeriesKey): [number, number][] => {
    const points = broker.metrics.history(key, { sinceMs: from });
    const out: [number, number][] = [];
    if (points === undefined) return out;
    points.t.forEach((t, i) => {
      const v = points.v[i];
      // A gauge not yet set (NaN) is no sample, not a zero.
      if (t <= to && v !== undefined && !Number.isNaN(v)) out.push([t, v]);
    });
    return out;
  };

  // Per metric, the samples of every series of the scope: summed per sample time, then averaged.
  const times = new Set<number>();
  const byMetric = new Map<FlowMetric, Buckets>();
  const keys = flowKeys(scope, groupTopics);
  for (const metric of FLOW_METRICS) {
    const perTime = new Map<number, number>();
    for (const keyOf of keys)
      for (const [t, v] of read(keyOf(metric))) perTime.set(t, (perTime.get(t) ?? 0) + v);
    const buckets = new Buckets(stepMs);
    for (const [t, v] of perTime) buckets.add(t, v);
    for (const at of buckets.sums.keys()) times.add(at);
    byMetric.set(metric, buckets);
  }
  const throughput: ThroughputPoint[] = [...times]
    .sort((a, b) => a - b)
    .map((t) => {
      const point: ThroughputPoint = {
        t,
        recordsInPerSec: 0,
        bytesInPerSec: 0,
        recordsOutPerSec: 0,
        bytesOutPerSec: 0,
      };
      for (const metric of FLOW_METRICS) point[FIELD[metric]] = byMetric.get(metric)?.mean(t) ?? 0;
      return point;
    });

  const lag: LagPoint[] = [];
  if (scope.kind === 'group') {
    const buckets = new Buckets(stepMs);
    for (const [t, v] of read({ kind: 'group', group: scope.groupId, metric: 'lag' })) buckets.add(t, v);
    for (const t of [...buckets.sums.keys()].sort((a, b) => a - b)) lag.push({ t, lag: buckets.mean(t) });
  }
  const kafka = scope.kind === 'kafka' ? kafkaHistory(broker, stepMs, read) : [];
  return { scope, stepMs, throughput, lag, kafka };
}

/** The Kafka door's connections (peak per step) and request rates by API (mean per step). */
function kafkaHistory(
  broker: Broker,
  stepMs: number,
  read: (key: SeriesKey) => [number, number][],
): KafkaPoint[] {
  const connections = new Buckets(stepMs);
  for (const [t, v] of read({ kind: 'gauge', name: 'connections' })) connections.add(t, v);
  const apis = new Map<string, Buckets>();
  for (const id of broker.metrics.seriesIds('api/')) {
    const key = parseSeriesKey(id);
    if (key.kind !== 'api') continue;
    const buckets = new Buckets(stepMs);
    for (const [t, v] of read(key)) buckets.add(t, v);
    apis.set(key.api, buckets);
  }
  const times = new Set(connections.sums.keys());
  for (const buckets of apis.values()) for (const t of buckets.sums.keys()) times.add(t);
  return [...times]
    .sort((a, b) => a - b)
    .map((t) => {
      const byApi = [...apis]
        .map(([api, buckets]) => ({ api, perSec: buckets.mean(t) }))
        .filter((r) => r.perSec > 0)
        .sort(byRate);
      return {
        t,
        connections: connections.peak(t),
        requestsPerSec: byApi.reduce((sum, r) => sum + r.perSec, 0),
        byApi,
      };
    });
}

/** Busiest first; ties by name, so the order is stable. */
export function byRate(a: { api: string; perSec: number }, b: { api: string; perSec: number }): number {
  return b.perSec - a.perSec || (a.api < b.api ? -1 : a.api > b.api ? 1 : 0);
}
