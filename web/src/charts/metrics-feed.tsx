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

/** Fans the page's one metrics stream out to its charts and tables. */
class FeedHub {
  readonly listeners = new Set<TickListener>();
  latest: MetricsTick | undefined;

  publish(tick: MetricsTick): void {
    this.latest = tick;
    for (const listener of this.listeners) listener(tick);
  }

  subscribe(listener: TickListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

interface FeedValue {
  hub: FeedHub;
  /** Changes once per second: the one state update per second that redraws every chart. */
  second: number;
}

const FeedContext = createContext<FeedValue | null>(null);

/**
 * One SSE stream of metrics per page (a browser allows about six connections per origin), with
 * per-partition rates for `partitionsOf`. Ticks go straight into the charts' ring buffers; React
 * hears about them once per second.
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
  const [second, setSecond] = useState(0);
  useSubscription(
    trpc.metrics.live.subscriptionOptions({ partitionsOf }, { onData: (event) => hub.publish(event.data) }),
  );
  useEffect(() => {
    const timer = setInterval(() => setSecond((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return <FeedContext.Provider value={{ hub, second }}>{children}</FeedContext.Provider>;
}

export function useMetricsFeed(): FeedValue {
  const value = useContext(FeedContext);
  if (!value) throw new Error('useMetricsFeed needs a MetricsFeedProvider');
  return value;
}
