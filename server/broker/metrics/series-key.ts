import { BrokerError } from '../errors';

/**
 * Names of the metric series. A key is structured (the core and the console switch on `kind`) and
 * has one stable string form, its id, used in the live stream, in history requests and in URLs:
 *
 *   broker/records_in                  topic/orders/bytes_out       partition/orders/3/end_offset
 *   group/billing/lag                  group_partition/billing/orders/3/lag
 *   api/Produce/requests               gauge/connections
 *
 * String parts are URI-encoded, so a group id with a "/" (legal in Kafka) cannot be confused with
 * a separator; topic names never need it.
 */

export const FLOW_METRICS = ['records_in', 'bytes_in', 'records_out', 'bytes_out'] as const;
/** Throughput, a rate per second derived from counters. */
export type FlowMetric = (typeof FLOW_METRICS)[number];
export type TopicMetric = FlowMetric | 'size_bytes';
export type PartitionMetric = FlowMetric | 'size_bytes' | 'end_offset';

export type SeriesKey =
  | { kind: 'broker'; metric: TopicMetric }
  | { kind: 'topic'; topic: string; metric: TopicMetric }
  | { kind: 'partition'; topic: string; partition: number; metric: PartitionMetric }
  | { kind: 'group'; group: string; metric: 'lag' }
  | { kind: 'group_partition'; group: string; topic: string; partition: number; metric: 'lag' }
  | { kind: 'api'; api: string; metric: 'requests' }
  | { kind: 'gauge'; name: string };

export type SeriesKind = SeriesKey['kind'];

/** Rates (per second, from counters) average when downsampled; gauges keep their peaks. */
export function isRate(key: SeriesKey): boolean {
  return key.kind === 'api' || ('metric' in key && (FLOW_METRICS as readonly string[]).includes(key.metric));
}

const enc = encodeURIComponent;

export function seriesKeyId(key: SeriesKey): string {
  switch (key.kind) {
    case 'broker':
      return `broker/${key.metric}`;
    case 'topic':
      return `topic/${enc(key.topic)}/${key.metric}`;
    case 'partition':
      return `partition/${enc(key.topic)}/${key.partition}/${key.metric}`;
    case 'group':
      return `group/${enc(key.group)}/${key.metric}`;
    case 'group_partition':
      return `group_partition/${enc(key.group)}/${enc(key.topic)}/${key.partition}/${key.metric}`;
    case 'api':
      return `api/${enc(key.api)}/${key.metric}`;
    case 'gauge':
      return `gauge/${enc(key.name)}`;
  }
}

const TOPIC_METRICS: ReadonlySet<string> = new Set<TopicMetric>([...FLOW_METRICS, 'size_bytes']);
const PARTITION_METRICS: ReadonlySet<string> = new Set<PartitionMetric>([
  ...FLOW_METRICS,
  'size_bytes',
  'end_offset',
]);

/** The inverse of `seriesKeyId`; throws INVALID_REQUEST naming what is wrong. */
export function parseSeriesKey(id: string): SeriesKey {
  const fail = (why: string): never => {
    throw new BrokerError('INVALID_REQUEST', `Invalid metric series key "${id}": ${why}`);
  };
  const raw = id.split('/');
  let parts: string[] = [];
  try {
    parts = raw.map((p) => decodeURIComponent(p));
  } catch {
    fail('bad percent-encoding');
  }
  if (parts.some((p) => p.length === 0)) fail('empty part');
  const [kind, a = '', b = '', c = ''] = parts;
  const e = parts[4] ?? '';
  const count = (n: number) => {
    if (parts.length !== n) fail(`a ${kind} key has ${n} parts, got ${parts.length}`);
  };
  const metricIn = (metric: string, allowed: ReadonlySet<string>) => {
    if (!allowed.has(metric)) fail(`unknown metric "${metric}" for ${kind}`);
  };
  const partitionOf = (text: string): number => {
    if (!/^\d{1,9}$/.test(text)) fail(`partition "${text}" is not a non-negative integer`);
    return Number(text);
  };
  switch (kind) {
    case 'broker':
      count(2);
      metricIn(a, TOPIC_METRICS);
      return { kind, metric: a as TopicMetric };
    case 'topic':
      count(3);
      metricIn(b, TOPIC_METRICS);
      return { kind, topic: a, metric: b as TopicMetric };
    case 'partition':
      count(4);
      metricIn(c, PARTITION_METRICS);
      return { kind, topic: a, partition: partitionOf(b), metric: c as PartitionMetric };
    case 'group':
      count(3);
      if (b !== 'lag') fail(`unknown metric "${b}" for group`);
      return { kind, group: a, metric: 'lag' };
    case 'group_partition':
      count(5);
      if (e !== 'lag') fail(`unknown metric "${e}" for group_partition`);
      return { kind, group: a, topic: b, partition: partitionOf(c), metric: 'lag' };
    case 'api':
      count(3);
      if (b !== 'requests') fail(`unknown metric "${b}" for api`);
      return { kind, api: a, metric: 'requests' };
    case 'gauge':
      count(2);
      return { kind, name: a };
    default:
      return fail(`unknown kind "${kind}"`);
  }
}
