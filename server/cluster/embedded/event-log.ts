import type { ClusterEvent, EventQuery } from '../types';
import { LiveQueue } from './live-queue';

type Listener = (event: ClusterEvent) => void;

/**
 * Supervision and rebalance events merged into one history with one id sequence: the resume
 * point of the console's events stream. An id is the event's time in milliseconds, or one more
 * than the previous id when that is larger: ids only grow, and they keep growing across restarts
 * of the process, so a browser resuming after an id from before a restart neither replays old
 * events nor waits for the new ones to catch up with it.
 */
export class EventLog {
  private readonly events: ClusterEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly streams = new Set<LiveQueue<ClusterEvent>>();
  private lastId = 0;

  constructor(private readonly capacity = 2000) {}

  append<E extends ClusterEvent>(at: number, make: (id: number) => E): E {
    const id = Math.max(this.lastId + 1, Math.floor(at));
    this.lastId = id;
    const event = make(id);
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.shift();
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Oldest first; the last `limit` that match. */
  query(query: EventQuery): ClusterEvent[] {
    const kinds = query.kinds === undefined || query.kinds.length === 0 ? undefined : query.kinds;
    const selected = this.events.filter(
      (e) =>
        (query.afterId === undefined || e.id > query.afterId) &&
        (kinds === undefined || kinds.includes(e.kind)),
    );
    return selected.slice(-query.limit);
  }

  /** Live events; with `afterId`, the retained ones after it first (nothing lost in between). */
  stream(afterId: number | undefined, signal: AbortSignal): AsyncIterable<ClusterEvent> {
    const listener: Listener = (event) => queue.push(event);
    const queue: LiveQueue<ClusterEvent> = new LiveQueue(signal, 5000, () => {
      this.listeners.delete(listener);
      this.streams.delete(queue);
    });
    if (afterId !== undefined) for (const event of this.events) if (event.id > afterId) queue.push(event);
    this.listeners.add(listener);
    this.streams.add(queue);
    return queue;
  }

  /** Ends every open stream (the process is stopping). */
  close(): void {
    for (const queue of [...this.streams]) queue.end();
  }
}
