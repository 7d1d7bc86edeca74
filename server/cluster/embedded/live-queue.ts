/**
 * Push-to-pull for the live streams: a producer pushes items (from a broker listener), one
 * consumer iterates them until its signal aborts. The queue is bounded: a browser that cannot keep
 * up loses its oldest items rather than growing the server's memory.
 */
export class LiveQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | null = null;
  private ended = false;

  constructor(
    signal: AbortSignal,
    private readonly capacity = 1000,
    private readonly onEnd: () => void = () => undefined,
  ) {
    if (signal.aborted) this.ended = true;
    else signal.addEventListener('abort', () => this.end(), { once: true });
  }

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.shift();
    this.wake?.();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    try {
      for (;;) {
        if (this.ended) return;
        const next = this.items.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
    } finally {
      this.end();
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
