import { type DownsampleMode, type Points, downsample } from './ring-buffer';
import type { Gauge } from './meter';

/**
 * History of every series at the sampler's resolution, laid out to stay small.
 *
 * All series are sampled on the same ticks, so timestamps are stored once, in one shared clock ring
 * (Float64Array of `capacity`), and a series stores only values, in a Float32Array ring indexed by
 * the same slot. Float32 is enough for charts (7 significant digits; integers exact up to 2^24); the
 * exact current value is the series' `current`, a JS number.
 *
 * And a series allocates its ring only once its value changes: until then it is a single constant.
 * An idle partition (rates 0, size and end offset unchanged) costs no ring at all.
 *
 * Sizes, for 1000 partitions x 4 throughput series x 3600 samples (one hour at 1 s):
 *   a (timestamp, value) Float64 pair per sample and series:  1000 x 4 x 3600 x 16 B = 230 MB
 *   shared clock + Float32 values, all partitions busy:      1000 x 4 x 3600 x 4 B  = 57.6 MB
 *   the same, idle partitions:                                 28.8 KB (the clock)
 */

export class Series implements Gauge {
  readonly id: string;
  /** The first tick this series records. */
  readonly startTick: number;
  /** The value the next tick records; set by gauges, computed for rates. */
  current = NaN;
  private constant = NaN;
  private ring: Float32Array | null = null;

  constructor(id: string, startTick: number) {
    this.id = id;
    this.startTick = startTick;
  }

  get value(): number {
    return this.current;
  }

  set(value: number): void {
    this.current = value;
  }

  get allocatedBytes(): number {
    return this.ring?.byteLength ?? 0;
  }

  /** @internal called by the store on each tick */
  record(tick: number, slot: number, capacity: number): void {
    const value = this.current;
    if (this.ring) {
      this.ring[slot] = value;
    } else if (tick === this.startTick) {
      this.constant = value;
    } else if (!same(value, this.constant)) {
      // Slots before startTick get the constant too; they are never read.
      this.ring = new Float32Array(capacity).fill(this.constant);
      this.ring[slot] = value;
    }
  }

  /** @internal */
  valueAt(slot: number): number {
    return this.ring ? (this.ring[slot] ?? NaN) : this.constant;
  }
}

function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

export interface ReadOptions {
  sinceMs?: number;
  maxPoints?: number;
  mode?: DownsampleMode;
}

export class SeriesStore {
  readonly capacity: number;
  private readonly clock: Float64Array;
  /** Ticks committed so far; tick i lives in slot i % capacity. */
  private ticks = 0;
  private readonly byId = new Map<string, Series>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`History must be >= 1 sample: ${capacity}`);
    this.capacity = capacity;
    this.clock = new Float64Array(capacity);
  }

  get tickCount(): number {
    return this.ticks;
  }

  get lastTimestamp(): number | undefined {
    return this.ticks === 0 ? undefined : this.clock[(this.ticks - 1) % this.capacity];
  }

  get(id: string): Series | undefined {
    return this.byId.get(id);
  }

  /** The series with this id, created (starting at the next tick) if missing. */
  obtain(id: string): Series {
    let series = this.byId.get(id);
    if (!series) {
      series = new Series(id, this.ticks);
      this.byId.set(id, series);
    }
    return series;
  }

  delete(id: string): boolean {
    return this.byId.delete(id);
  }

  all(): IterableIterator<Series> {
    return this.byId.values();
  }

  get seriesCount(): number {
    return this.byId.size;
  }

  /** Bytes held by rings, clock included (the Map and objects aside). */
  get allocatedBytes(): number {
    let bytes = this.clock.byteLength;
    for (const series of this.byId.values()) bytes += series.allocatedBytes;
    return bytes;
  }

  /** Records every series' `current` at `timestamp` (clamped so the clock never goes back). */
  commit(timestamp: number): number {
    const previous = this.lastTimestamp;
    const ts = previous !== undefined && timestamp < previous ? previous : timestamp;
    const tick = this.ticks;
    const slot = tick % this.capacity;
    this.clock[slot] = ts;
    for (const series of this.byId.values()) series.record(tick, slot, this.capacity);
    this.ticks = tick + 1;
    return ts;
  }

  /** Oldest first, NaN (unknown) samples left out, at most `maxPoints` when given. */
  read(series: Series, options: ReadOptions = {}): Points {
    const end = this.ticks;
    let from = Math.max(series.startTick, end - this.capacity);
    if (options.sinceMs !== undefined) from = this.firstTickAtOrAfter(from, end, options.sinceMs);
    const t: number[] = [];
    const v: number[] = [];
    const indexes: number[] = [];
    for (let tick = from; tick < end; tick += 1) {
      const slot = tick % this.capacity;
      const value = series.valueAt(slot);
      if (Number.isNaN(value)) continue;
      t.push(this.clock[slot] ?? 0);
      v.push(value);
      indexes.push(tick);
    }
    const points = { t, v };
    if (options.maxPoints === undefined || t.length <= options.maxPoints) return points;
    return downsample(points, options.maxPoints, options.mode, indexes);
  }

  private firstTickAtOrAfter(lo: number, hi: number, sinceMs: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.clock[mid % this.capacity] ?? 0) < sinceMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
