import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './trpc';

interface Health {
  status?: string;
  /** 'no-cluster' when the server runs without the console API (no broker wired yet). */
  console?: string;
}

/**
 * The cluster's identity, asked only once /healthz says the API is there: a call to an absent
 * /trpc would be a 404 in the browser console on every page.
 */
export function useConsoleApi() {
  const trpc = useTRPC();
  const health = useQuery({
    queryKey: ['healthz'],
    queryFn: async (): Promise<Health> => {
      const response = await fetch('/healthz', { headers: { accept: 'application/json' } });
      return (await response.json()) as Health;
    },
    staleTime: Infinity,
    retry: 1,
  });
  const missing = health.data?.console === 'no-cluster';
  const info = useQuery({
    ...trpc.cluster.info.queryOptions(),
    refetchInterval: 15_000,
    // ask the API once health answered (or failed: an older server or a proxy without /healthz)
    enabled: (health.isSuccess && !missing) || health.isError,
  });
  return { info, missing };
}
