import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc';
import type { ChartMarker } from './time-chart';

/**
 * Rebalances of one group (or all) in the window, as chart markers. The shell's events stream
 * invalidates the groups queries on every rebalance, so new markers appear within a second.
 */
export function useRebalanceMarkers(groupId: string | undefined, since: number): ChartMarker[] {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.groups.rebalances.queryOptions({ groupId, since: Math.floor(since / 60_000) * 60_000, limit: 200 }),
  );
  return (query.data ?? []).map((r) => ({
    t: r.startedAt,
    label: groupId ? `gen ${r.generationAfter ?? '…'} (${r.reason})` : `${r.groupId} ${r.reason}`,
  }));
}
