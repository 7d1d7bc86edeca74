import { createContext, useContext } from 'react';
import type { ClusterInfo } from '../api/types';
import type { EventStore } from './event-store';

interface ConsoleContextValue {
  info: ClusterInfo;
  events: EventStore;
}

/** What the shell learned at start-up, for every page: the cluster's features and live events. */
export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole is used outside the API gate');
  return value;
}
