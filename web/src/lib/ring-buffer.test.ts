import { describe, expect, it } from 'vitest';
import { RingBuffer, TimeSeriesBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.length).toBe(3);
    expect(ring.last()).toBe(5);
  });

  it('replaces the newest item and clears', () => {
    const ring = new RingBuffer<number>(2);
    ring.replaceLast(1);
    ring.push(2);
    ring.replaceLast(20);
    expect(ring.toArray()).toEqual([1, 20]);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});

describe('TimeSeriesBuffer', () => {
  it('averages samples of the same bucket into one point', () => {
    const series = new TimeSeriesBuffer<'in' | 'out'>(300, 10_000);
    series.add(100_000, { in: 10, out: 0 });
    series.add(103_000, { in: 20, out: 3 });
    series.add(109_999, { in: 30, out: 6 });
    series.add(110_000, { in: 5, out: 5 });
    expect(series.toArray()).toEqual([
      { t: 100_000, in: 20, out: 3 },
      { t: 110_000, in: 5, out: 5 },
    ]);
  });

  it('never holds more than its capacity and ignores late samples', () => {
    const series = new TimeSeriesBuffer<'v'>(300, 1000);
    for (let s = 0; s < 1000; s++) series.add(s * 1000, { v: s });
    expect(series.length).toBe(300);
    expect(series.toArray()[0]).toEqual({ t: 700_000, v: 700 });
    series.add(5000, { v: -1 });
    expect(series.toArray().at(-1)).toEqual({ t: 999_000, v: 999 });
  });
});
