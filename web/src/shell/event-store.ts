import type { ClusterEvent } from '../api/types';

/**
 * The latest cluster events (rebalances and supervision), newest last, for every page to read
 * through useSyncExternalStore. Arrivals are buffered and published at most once per second so
 * that a burst of restarts re-renders the pages once, not once per event.
 */
export class EventStore {
  private events: ClusterEvent[] = [];
  private pending: ClusterEvent[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly capacity = 500) {}

  add(events: readonly ClusterEvent[]): void {
    this.pending.push(...events);
  }

  /** Publishes buffered events; returns them so the caller can react (invalidate queries). */
  flush(): ClusterEvent[] {
    if (this.pending.length === 0) return [];
    const fresh = this.pending;
    this.pending = [];
    const lastId = this.events.at(-1)?.id ?? 0;
    const accepted = fresh.filter((e) => e.id > lastId).sort((a, b) => a.id - b.id);
    if (accepted.length === 0) return [];
    this.events = [...this.events, ...accepted].slice(-this.capacity);
    for (const listener of this.listeners) listener();
    return accepted;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ClusterEvent[] => this.events;

  lastId(): number | undefined {
    return this.events.at(-1)?.id;
  }
}
