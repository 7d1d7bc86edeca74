import { useEffect, useMemo, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc';
import type { MetricsHistory, MetricsScope } from '../api/types';
import type { SeriesPoint } from '../lib/ring-buffer';
import { LiveSeries } from './live-series';
import { useMetricsFeed, type MetricsTick } from './metrics-feed';
import { CHART_POINTS, stepMs, windowMs, type WindowMinutes } from './time-window';

export interface LiveSeriesOptions<K extends string> {
  scope: MetricsScope;
  window: WindowMinutes;
  fromHistory: (history: MetricsHistory) => SeriesPoint<K>[];
  /** The values of one tick, or null when the tick says nothing about this series. */
  fromTick: (tick: MetricsTick) => Record<K, number> | null;
}

/**
 * A chart's data: the window's history, then live ticks into a fixed ring buffer. Returns the
 * points and the window's bounds; it re-renders once per second with the feed.
 */
export function useLiveSeries<K extends string>(options: LiveSeriesOptions<K>) {
  const { scope, window } = options;
  const trpc = useTRPC();
  const { hub, second } = useMetricsFeed();
  const identity = `${JSON.stringify(scope)}/${window}`;
  // A new scope or window starts a new series and a new history request.
  const { series, from, to } = useMemo(() => {
    const end = Date.now();
    return { series: new LiveSeries<K>(CHART_POINTS, stepMs(window)), from: end - windowMs(window), to: end };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- identity stands for scope and window
  }, [identity]);
  const history = useQuery({
    ...trpc.metrics.history.queryOptions({ scope, from, to, stepMs: stepMs(window) }),
    staleTime: Infinity,
  });

  const convert = useRef(options);
  useEffect(() => {
    convert.current = options;
  });

  useEffect(() => {
    if (history.data) series.seed(convert.current.fromHistory(history.data));
  }, [history.data, series]);

  useEffect(
    () =>
      hub.subscribe((tick) => {
        const values = convert.current.fromTick(tick);
        if (values) series.add(tick.t, values);
      }),
    [hub, series],
  );

  const now = hub.latest?.t ?? to;
  return {
    points: series.toArray(),
    from: Math.max(from, now - windowMs(window)),
    to: now,
    error: history.error,
    isLoading: history.isPending,
    second,
  };
}
