/**
 * Fan-out of live items (appends, ticks, events) to any number of async-iterable listeners.
 * Each listener has its own bounded queue, so a slow browser loses its oldest items instead of
 * growing memory; a listener ends when its signal aborts.
 */
export class Channel<T> {
  private readonly listeners = new Set<(item: T) => void>();

  constructor(private readonly maxQueued = 10_000) {}

  publish(item: T): void {
    for (const listener of this.listeners) listener(item);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async *listen(signal: AbortSignal, replay: readonly T[] = []): AsyncGenerator<T, void, undefined> {
    const queue: T[] = [...replay];
    let wake: (() => void) | null = null;
    const push = (item: T) => {
      queue.push(item);
      if (queue.length > this.maxQueued) queue.shift();
      wake?.();
    };
    const onAbort = () => wake?.();
    this.listeners.add(push);
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        if (queue.length > 0) {
          yield queue.shift() as T;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      this.listeners.delete(push);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
