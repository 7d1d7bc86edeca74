import { useEffect, useRef, useState } from 'react';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../../api/trpc';
import type { ClusterRecord, RouterInputs } from '../../api/types';

const MAX_TAIL = 2000;

/**
 * Records as they are appended, kept to the last 2000. The stream resumes after its last cursor if
 * the connection drops; arrivals reach React twice a second at most.
 */
export function useLiveTail(input: RouterInputs['messages']['tail'], enabled: boolean) {
  const trpc = useTRPC();
  const pending = useRef<ClusterRecord[]>([]);
  const [records, setRecords] = useState<ClusterRecord[]>([]);
  const identity = JSON.stringify(input);

  useEffect(() => {
    pending.current = [];
    setRecords([]);
  }, [identity, enabled]);

  const subscription = useSubscription(
    trpc.messages.tail.subscriptionOptions(input, {
      enabled,
      onData: (batch) => {
        pending.current.push(...batch.data);
      },
    }),
  );

  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => {
      if (pending.current.length === 0) return;
      const arrived = pending.current;
      pending.current = [];
      setRecords((previous) => [...previous, ...arrived].slice(-MAX_TAIL));
    }, 500);
    return () => clearInterval(timer);
  }, [enabled]);

  return { records, status: subscription.status, error: subscription.error };
}
