import { createContext, useContext, useEffect, useState } from 'react';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../api/trpc';
import type { RouterOutputs } from '../api/types';

export type MetricsTick =
  RouterOutputs['metrics']['live'] extends AsyncIterable<infer T>
    ? T extends { data: infer D }
      ? D
      : never
    : never;

type TickListener = (tick: MetricsTick) => void;

/** Between two views' redraws: more than a frame, so that each view's work has a frame of its own. */
const REDRAW_SPACING_MS = 50;

/** Fans the page's one metrics stream out to its charts and tables. */
class FeedHub {
  readonly listeners = new Set<TickListener>();
  private readonly redraws = new Set<() => void>();
  latest: MetricsTick | undefined;

  publish(tick: MetricsTick): void {
    this.latest = tick;
    for (const listener of this.listeners) listener(tick);
  }

  subscribe(listener: TickListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A view that redraws once per second (its one state update per second). */
  onRedraw(redraw: () => void): () => void {
    this.redraws.add(redraw);
    return () => this.redraws.delete(redraw);
  }

  /**
   * Every view redraws, one after the other, REDRAW_SPACING_MS apart. A chart's redraw costs
   * 10-20 ms of main thread in two parts: React's render and commit, then recharts' second render
   * when its store tells its selectors, which it does at the next animation frame. Views redrawn
   * together would share one task and one frame, and three charts in one task make a long task
   * (> 50 ms) on a busy machine; apart, the browser handles input and paints between them.
   */
  redrawAll(): void {
    let delay = 0;
    for (const redraw of this.redraws) {
      setTimeout(() => {
        if (this.redraws.has(redraw)) redraw();
      }, delay);
      delay += REDRAW_SPACING_MS;
    }
  }
}

const FeedContext = createContext<FeedHub | null>(null);

/**
 * One SSE stream of metrics per page (a browser allows about six connections per origin), with
 * per-partition rates for `partitionsOf`. Ticks go straight into the charts' ring buffers; each
 * chart or table hears about them once per second.
 */
export function MetricsFeedProvider({
  partitionsOf = [],
  children,
}: {
  partitionsOf?: string[];
  children: React.ReactNode;
}) {
  const trpc = useTRPC();
  const [hub] = useState(() => new FeedHub());
  useSubscription(
    trpc.metrics.live.subscriptionOptions({ partitionsOf }, { onData: (event) => hub.publish(event.data) }),
  );
  useEffect(() => {
    const timer = setInterval(() => hub.redrawAll(), 1000);
    return () => clearInterval(timer);
  }, [hub]);
  return <FeedContext.Provider value={hub}>{children}</FeedContext.Provider>;
}

/**
 * The page's feed, and `second`, which changes once per second: the caller's one state update
 * per second, apart from the other views' (see FeedHub.redrawAll).
 */
export function useMetricsFeed(): { hub: FeedHub; second: number } {
  const hub = useContext(FeedContext);
  if (!hub) throw new Error('useMetricsFeed needs a MetricsFeedProvider');
  const [second, setSecond] = useState(0);
  useEffect(() => hub.onRedraw(() => setSecond((s) => s + 1)), [hub]);
  return { hub, second };
}
