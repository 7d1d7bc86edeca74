import type { ClusterInfo, MetricsHistory } from '../../api/types';
import type { SeriesPoint } from '../../lib/ring-buffer';

type KafkaRates = Omit<MetricsHistory['kafka'][number], 't'>;

/** APIs drawn as their own line; the rest add up to "Other". */
export const TOP_APIS = 5;
export const OTHER = 'Other';

/**
 * One chart sample from the Kafka door's rates: requests per second by API. Every API seen
 * before (`known`, which grows) gets a value, 0 when idle, so that an API's line drops to zero
 * instead of breaking, and bucket averages count its idle seconds.
 */
export function requestValues(rates: KafkaRates, known: Set<string>): Record<string, number> {
  const values: Record<string, number> = {};
  for (const api of known) values[api] = 0;
  for (const { api, perSec } of rates.byApi) {
    known.add(api);
    values[api] = perSec;
  }
  return values;
}

export function historyPoints(history: MetricsHistory, known: Set<string>): SeriesPoint<string>[] {
  for (const p of history.kafka) for (const r of p.byApi) known.add(r.api);
  return history.kafka.map((p) => ({ ...requestValues(p, known), t: p.t }));
}

/**
 * The chart's lines: the `TOP_APIS` busiest APIs over the points (busiest first), and "Other"
 * for the rest when there are more. Returns points with a value for every line.
 */
export function topApis(
  points: readonly SeriesPoint<string>[],
  top = TOP_APIS,
): { apis: string[]; points: SeriesPoint<string>[] } {
  const totals = new Map<string, number>();
  for (const p of points) {
    for (const [key, value] of Object.entries(p)) {
      if (key !== 't') totals.set(key, (totals.get(key) ?? 0) + value);
    }
  }
  const ranked = [...totals]
    .filter(([, sum]) => sum > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([api]) => api);
  const shown = ranked.slice(0, top);
  const rest = ranked.slice(top);
  const apis = rest.length > 0 ? [...shown, OTHER] : shown;
  return {
    apis,
    points: points.map((p) => {
      const out: SeriesPoint<string> = { t: p.t };
      for (const api of shown) out[api] = p[api] ?? 0;
      if (rest.length > 0) out[OTHER] = rest.reduce((sum, api) => sum + (p[api] ?? 0), 0);
      return out;
    }),
  };
}

/** `host:port` of the Kafka listener, what clients use as bootstrap server (IPv6 in brackets). */
export function kafkaAddress(listeners: ClusterInfo['listeners']): string | null {
  const kafka = listeners.find((l) => l.protocol === 'kafka');
  if (!kafka) return null;
  return `${kafka.host.includes(':') ? `[${kafka.host}]` : kafka.host}:${kafka.port}`;
}

/** Requests per second: one decimal below 10 so that a trickle does not read as zero. */
export function formatRequestRate(perSecond: number): string {
  return `${perSecond.toFixed(perSecond > 0 && perSecond < 10 ? 1 : 0)} req/s`;
}
