import type { ActorKind, LifecycleEvent, LifecycleEventBody } from './lifecycle-events';

export type LifecycleListener = (event: LifecycleEvent) => void;

export interface EventHistory {
  readonly events: LifecycleEvent[];
  /** Events after the requested id that fell out of the ring before they could be read. */
  readonly missed: number;
}

/**
 * Publishes lifecycle events to subscribers and keeps the last `capacity` of them in a ring, so a
 * console that connects late (or reconnects) can replay from the last id it saw.
 */
export class EventBus {
  private readonly ring: (LifecycleEvent | undefined)[];
  private nextId = 1;
  private readonly listeners = new Set<LifecycleListener>();

  constructor(
    readonly capacity: number,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`event history capacity must be a positive integer, got ${capacity}`);
    }
    this.ring = new Array<LifecycleEvent | undefined>(capacity);
  }

  /** The id of the newest event, 0 before the first. */
  get lastId(): number {
    return this.nextId - 1;
  }

  publish(path: string, kind: ActorKind, body: LifecycleEventBody): LifecycleEvent {
    const event: LifecycleEvent = { id: this.nextId++, at: this.now(), path, kind, ...body };
    this.ring[event.id % this.capacity] = event;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (say, a closed SSE stream) must not break supervision itself.
      }
    }
    return event;
  }

  /**
   * Subscribes to new events. With `afterId`, first replays the retained events newer than that id,
   * synchronously, so that nothing is lost or duplicated between the replay and the live stream.
   * Returns the unsubscribe function.
   */
  subscribe(listener: LifecycleListener, options: { afterId?: number } = {}): () => void {
    if (options.afterId !== undefined) {
      for (const event of this.history(options.afterId).events) listener(event);
    }
    this.listeners.add(listener);
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: LifecycleListener): void {
    this.listeners.delete(listener);
  }

  /** Retained events with an id greater than `afterId` (default: all retained), oldest first. */
  history(afterId = 0): EventHistory {
    const oldest = Math.max(1, this.nextId - this.capacity);
    const from = Math.max(oldest, afterId + 1);
    const events: LifecycleEvent[] = [];
    for (let id = from; id < this.nextId; id++) {
      const event = this.ring[id % this.capacity];
      if (event !== undefined) events.push(event);
    }
    return { events, missed: Math.max(0, oldest - (afterId + 1)) };
  }
}
