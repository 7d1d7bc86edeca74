/**
 * A fixed-capacity FIFO: pushing past capacity drops the oldest item. Charts keep their points in
 * these so that memory and render cost stay constant however long a page stays open.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The newest item, or undefined when empty. */
  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
  }

  /** Replaces the newest item (a bucket that is still filling). */
  replaceLast(item: T): void {
    if (this.count === 0) this.push(item);
    else this.items[(this.start + this.count - 1) % this.capacity] = item;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.items.fill(undefined);
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }
}

export type SeriesPoint<K extends string> = { t: number } & Record<K, number>;

/**
 * Time-bucketed points in a ring buffer: samples in the same `stepMs` bucket are averaged into one
 * point, so a 60-minute chart holds 300 points of 12 s each while a 5-minute one holds 1 s points.
 */
export class TimeSeriesBuffer<K extends string> {
  private readonly ring: RingBuffer<SeriesPoint<K>>;
  private samplesInLast = 0;

  constructor(
    capacity: number,
    readonly stepMs: number,
  ) {
    this.ring = new RingBuffer(capacity);
  }

  add(t: number, values: Record<K, number>): void {
    const bucket = Math.floor(t / this.stepMs) * this.stepMs;
    const last = this.ring.last();
    if (last && bucket < last.t) return; // late sample: the chart only moves forward
    if (last && last.t === bucket) {
      const n = ++this.samplesInLast;
      const merged = { ...last };
      for (const key of Object.keys(values) as K[]) {
        const previous = last[key] ?? 0;
        (merged as Record<string, number>)[key] = previous + (values[key] - previous) / n;
      }
      this.ring.replaceLast(merged);
      return;
    }
    this.samplesInLast = 1;
    this.ring.push({ t: bucket, ...values } as SeriesPoint<K>);
  }

  clear(): void {
    this.ring.clear();
    this.samplesInLast = 0;
  }

  get length(): number {
    return this.ring.length;
  }

  toArray(): SeriesPoint<K>[] {
    return this.ring.toArray();
  }
}
