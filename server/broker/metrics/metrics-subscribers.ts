import type { Series } from './series-store';

/** One tick as pushed to live subscribers (the console's charts, the cluster's metric ticks). */
export interface MetricsTick {
  ts: number;
  /** Series ids (see series-key.ts) and their values this tick; unknown values are left out. */
  series: Array<{ key: string; value: number }>;
}

export type MetricsListener = (tick: MetricsTick) => void;

export interface SubscribeOptions {
  /** Only series whose id starts with one of these, e.g. ["broker/", "topic/orders/"]. */
  prefixes?: string[];
}

/**
 * The live side of the MetricsRegistry: after each sample, one compact tick per subscriber with
 * the series it asked for. A throwing listener is unsubscribed and its error reported.
 */
export class MetricsSubscribers {
  private readonly listeners = new Map<MetricsListener, SubscribeOptions>();

  constructor(private readonly onError: (error: unknown) => void) {}

  get size(): number {
    return this.listeners.size;
  }

  subscribe(listener: MetricsListener, options: SubscribeOptions = {}): () => void {
    this.listeners.set(listener, options);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(ts: number, store: Iterable<Series>): void {
    const all: MetricsTick['series'] = [];
    for (const series of store) {
      if (!Number.isNaN(series.current)) all.push({ key: series.id, value: series.current });
    }
    for (const [listener, { prefixes }] of this.listeners) {
      const series = prefixes ? all.filter((s) => prefixes.some((p) => s.key.startsWith(p))) : all;
      try {
        listener({ ts, series });
      } catch (error) {
        this.listeners.delete(listener);
        this.onError(error);
      }
    }
  }
}
