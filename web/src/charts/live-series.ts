import { TimeSeriesBuffer, type SeriesPoint } from '../lib/ring-buffer';

/**
 * A chart's points: the history fetched when the chart opens, then the live samples. Samples that
 * arrive before the history are held back and applied after it, so that the series never goes
 * back in time and never has a hole where the two meet.
 */
export class LiveSeries<K extends string> {
  private readonly buffer: TimeSeriesBuffer<K>;
  private seeded = false;
  private early: { t: number; values: Record<K, number> }[] = [];

  constructor(capacity: number, stepMs: number) {
    this.buffer = new TimeSeriesBuffer(capacity, stepMs);
  }

  get isSeeded(): boolean {
    return this.seeded;
  }

  seed(points: readonly SeriesPoint<K>[]): void {
    if (this.seeded) return;
    this.seeded = true;
    for (const p of points) this.buffer.add(p.t, p);
    for (const s of this.early) this.buffer.add(s.t, s.values);
    this.early = [];
  }

  add(t: number, values: Record<K, number>): void {
    if (this.seeded) this.buffer.add(t, values);
    else if (this.early.length < 600) this.early.push({ t, values });
  }

  toArray(): SeriesPoint<K>[] {
    return this.buffer.toArray();
  }
}
