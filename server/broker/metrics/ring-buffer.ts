/**
 * A fixed-capacity ring of (timestamp, value) samples in two Float64Arrays: pushing allocates
 * nothing, and the oldest sample is overwritten once full. Timestamps must not decrease (the
 * sampler's clock), which lets `toArray(since)` binary-search.
 *
 * Reads return columns (`{ t: [...], v: [...] }`): compact as JSON, no object per sample.
 */

export interface Points {
  t: number[];
  v: number[];
}

/** avg suits rates (it keeps the area), max suits gauges such as lag (it keeps the peaks). */
export type DownsampleMode = 'avg' | 'max' | 'min' | 'last';

export class RingBuffer {
  readonly capacity: number;
  private readonly timestamps: Float64Array;
  private readonly values: Float64Array;
  /** Samples ever pushed; the live ones are the last `size`. */
  private pushed = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`Ring capacity must be >= 1: ${capacity}`);
    this.capacity = capacity;
    this.timestamps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return Math.min(this.pushed, this.capacity);
  }

  push(timestamp: number, value: number): void {
    const slot = this.pushed % this.capacity;
    this.timestamps[slot] = timestamp;
    this.values[slot] = value;
    this.pushed += 1;
  }

  clear(): void {
    this.pushed = 0;
  }

  /** Oldest first; with `sinceMs`, only samples at or after it. */
  toArray(sinceMs?: number): Points {
    return this.collect(this.firstIndex(sinceMs), this.pushed);
  }

  last(n: number): Points {
    return this.collect(Math.max(this.pushed - this.size, this.pushed - Math.max(0, n)), this.pushed);
  }

  /**
   * At most `maxPoints` points. Buckets are aligned on the absolute sample count, so a chart
   * polling every second sees stable buckets rather than values shifting under it.
   */
  downsample(maxPoints: number, options: { sinceMs?: number; mode?: DownsampleMode } = {}): Points {
    const from = this.firstIndex(options.sinceMs);
    const points = this.collect(from, this.pushed);
    const indexes = Array.from({ length: points.t.length }, (_, i) => from + i);
    return downsample(points, maxPoints, options.mode, indexes);
  }

  private firstIndex(sinceMs: number | undefined): number {
    let lo = this.pushed - this.size;
    if (sinceMs === undefined) return lo;
    let hi = this.pushed;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.timestamps[mid % this.capacity] ?? 0) < sinceMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private collect(from: number, to: number): Points {
    const t: number[] = [];
    const v: number[] = [];
    for (let i = from; i < to; i += 1) {
      const slot = i % this.capacity;
      t.push(this.timestamps[slot] ?? 0);
      v.push(this.values[slot] ?? 0);
    }
    return { t, v };
  }
}

/**
 * Reduces `points` to at most `maxPoints` by grouping consecutive samples into buckets of equal
 * width; each bucket's point carries its last timestamp and the mode's value. `indexes` (absolute,
 * increasing sample numbers, one per point) aligns the buckets on them and lets gaps count.
 */
export function downsample(
  points: Points,
  maxPoints: number,
  mode: DownsampleMode = 'avg',
  indexes?: ArrayLike<number>,
): Points {
  const n = points.t.length;
  if (n <= maxPoints) return { t: points.t.slice(), v: points.v.slice() };
  if (maxPoints < 1) return { t: [], v: [] };
  const indexOf = (i: number): number => (indexes ? (indexes[i] ?? i) : i);
  let width: number;
  if (maxPoints === 1) width = Infinity;
  else if (indexes) {
    // Aligned buckets may cut one extra bucket at the start: leave room for it.
    const span = indexOf(n - 1) - indexOf(0) + 1;
    width = Math.ceil(span / (maxPoints - 1));
  } else width = Math.ceil(n / maxPoints);

  const t: number[] = [];
  const v: number[] = [];
  let bucket = NaN;
  let acc = 0;
  let count = 0;
  let lastT = 0;
  const flush = () => {
    if (count === 0) return;
    t.push(lastT);
    v.push(mode === 'avg' ? acc / count : acc);
  };
  for (let i = 0; i < n; i += 1) {
    const b = width === Infinity ? 0 : Math.floor(indexOf(i) / width);
    const value = points.v[i] ?? 0;
    if (b !== bucket) {
      flush();
      bucket = b;
      count = 0;
      acc = mode === 'avg' ? 0 : value;
    }
    count += 1;
    if (mode === 'avg') acc += value;
    else if (mode === 'max') acc = Math.max(acc, value);
    else if (mode === 'min') acc = Math.min(acc, value);
    else acc = value;
    lastT = points.t[i] ?? 0;
  }
  flush();
  return { t, v };
}
