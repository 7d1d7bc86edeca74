import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../api/trpc';
import type { ClusterEvent, ClusterInfo } from '../api/types';
import { ConsoleContext, useConsole } from './cluster-info';
import { EventStore } from './event-store';

/**
 * One events stream for the whole console (a browser allows few connections per origin): it
 * starts after the history so nothing is missed or doubled, feeds the shared store, and refreshes
 * the queries an event makes stale, at most once per second.
 */
export function LiveEvents({ info, children }: { info: ClusterInfo; children: React.ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [store] = useState(() => new EventStore());
  const history = useQuery({
    ...trpc.cluster.eventHistory.queryOptions({ limit: 300 }),
    staleTime: Infinity,
  });
  const [startAfter, setStartAfter] = useState<string | null>(null);

  useEffect(() => {
    if (!history.data || startAfter !== null) return;
    store.add(history.data);
    store.flush();
    setStartAfter(String(store.lastId() ?? 0));
  }, [history.data, startAfter, store]);

  useSubscription(
    trpc.cluster.events.subscriptionOptions(startAfter === null ? undefined : { lastEventId: startAfter }, {
      // without the history (it failed), live events still come, from now on
      enabled: startAfter !== null || history.isError,
      onData: (event) => store.add([event.data]),
    }),
  );

  useEffect(() => {
    const timer = setInterval(() => {
      const fresh = store.flush();
      if (fresh.some((e) => e.kind === 'rebalance')) {
        void queryClient.invalidateQueries(trpc.groups.pathFilter());
      }
      if (fresh.some((e) => e.kind === 'actor')) {
        void queryClient.invalidateQueries(trpc.supervision.tree.pathFilter());
        void queryClient.invalidateQueries(trpc.topics.describe.pathFilter());
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [store, queryClient, trpc]);

  // The same value until something other than the uptime changes: the info is asked again every
  // 15 s, and a new value would render every page again (every chart of the Overview at once).
  const { uptimeMs: _uptime, ...lasting } = info;
  const lastingKey = JSON.stringify(lasting);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- lastingKey stands for info
  const value = useMemo(() => ({ info, events: store }), [lastingKey, store]);
  return <ConsoleContext.Provider value={value}>{children}</ConsoleContext.Provider>;
}

/** The latest events, newest last; re-renders at most once per second. */
export function useClusterEvents(): ClusterEvent[] {
  const { events } = useConsole();
  return useSyncExternalStore(events.subscribe, events.getSnapshot);
}
