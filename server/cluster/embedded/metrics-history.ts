import type { Broker } from '../../broker/broker';
import { FLOW_METRICS, type FlowMetric, type SeriesKey } from '../../broker/metrics/series-key';
import { ClusterError } from '../cluster';
import type {
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
 * bucket. A group's throughput is that of the topics it has offsets or assignments on.
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
  readonly sums = new Map<number, { sum: number; n: number }>();

  constructor(private readonly stepMs: number) {}

  add(t: number, v: number): void {
    const at = Math.floor(t / this.stepMs) * this.stepMs;
    const b = this.sums.get(at) ?? { sum: 0, n: 0 };
    b.sum += v;
    b.n += 1;
    this.sums.set(at, b);
  }

  mean(at: number): number {
    const b = this.sums.get(at);
    return b === undefined ? 0 : b.sum / b.n;
  }
}

export function metricsHistory(
  broker: Broker,
  request: MetricsHistoryRequest,
  groupTopics: (groupId: string) => string[],
): MetricsHistory {
  const { scope, from, to, stepMs } = request;
  checkScope(broker, scope);
  const read = (key: SeriesKey) => {
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
  return { scope, stepMs, throughput, lag };
}
