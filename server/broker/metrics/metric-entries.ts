import type { FlowMeter, Gauge, Meter } from './meter';
import type { FlowMetric } from './series-key';
import type { Series } from './series-store';

// The MetricsRegistry's bookkeeping: what it holds per partition, topic and group.

/** What a partition's code holds on to. */
export interface PartitionMetrics {
  readonly flow: FlowMeter;
  readonly size: Gauge;
  readonly endOffset: Gauge;
}

/** A meter, the series of its rate, and the series its rate adds to (topic, then broker). */
export interface Flow {
  readonly meter: Meter;
  readonly series: Series;
  readonly total: Series;
}

export interface PartitionEntry extends PartitionMetrics {
  readonly flows: Flow[];
  readonly size: Series;
  readonly endOffset: Series;
}

export interface TopicEntry {
  /** Internal topics are left out of the broker's totals. */
  readonly internal: boolean;
  readonly partitions: Map<number, PartitionEntry>;
  /** Summed from the partitions. */
  readonly rates: Record<FlowMetric, Series>;
  readonly size: Series;
}

export function byMetric<T>(make: (metric: FlowMetric) => T): Record<FlowMetric, T> {
  return {
    records_in: make('records_in'),
    bytes_in: make('bytes_in'),
    records_out: make('records_out'),
    bytes_out: make('bytes_out'),
  };
}

export interface GroupEntry {
  readonly lag: Series;
  /** By `${topic}/${partition}`. */
  readonly partitions: Map<string, { topic: string; series: Series }>;
}
