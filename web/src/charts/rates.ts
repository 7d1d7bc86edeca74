import type { MetricsHistory } from '../api/types';
import type { SeriesPoint } from '../lib/ring-buffer';

export type RateKey = 'in' | 'out';
export type RateUnit = 'records' | 'bytes';

type Rates = MetricsHistory['throughput'][number];

/** In and out of one unit, the two lines of every throughput chart. */
export function pickRates(rates: Omit<Rates, 't'>, unit: RateUnit): Record<RateKey, number> {
  return unit === 'records'
    ? { in: rates.recordsInPerSec, out: rates.recordsOutPerSec }
    : { in: rates.bytesInPerSec, out: rates.bytesOutPerSec };
}

export function historyRates(history: MetricsHistory, unit: RateUnit): SeriesPoint<RateKey>[] {
  return history.throughput.map((p) => ({ t: p.t, ...pickRates(p, unit) }));
}

export const RATE_LINES = [
  { key: 'in' as const, label: 'In (produced)', color: '#12b886' },
  { key: 'out' as const, label: 'Out (consumed)', color: '#228be6' },
];
