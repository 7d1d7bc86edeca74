import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingBuffer, downsample } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps the newest samples in order once it wraps around', () => {
    const ring = new RingBuffer(4);
    for (let i = 1; i <= 3; i += 1) ring.push(i * 1000, i);
    expect(ring.toArray()).toEqual({ t: [1000, 2000, 3000], v: [1, 2, 3] });
    for (let i = 4; i <= 6; i += 1) ring.push(i * 1000, i);
    expect(ring.size).toBe(4);
    expect(ring.toArray()).toEqual({ t: [3000, 4000, 5000, 6000], v: [3, 4, 5, 6] });
    expect(ring.toArray(4500)).toEqual({ t: [5000, 6000], v: [5, 6] });
    expect(ring.toArray(1)).toEqual(ring.toArray());
    expect(ring.toArray(7000)).toEqual({ t: [], v: [] });
    expect(ring.last(2)).toEqual({ t: [5000, 6000], v: [5, 6] });
    expect(ring.last(10).v).toEqual([3, 4, 5, 6]);
    expect(ring.last(0).v).toEqual([]);
    ring.clear();
    expect(ring.size).toBe(0);
  });

  it('downsamples to at most N points by bucket average or max', () => {
    const ring = new RingBuffer(3600);
    for (let i = 0; i < 3600; i += 1) ring.push(i * 1000, i === 1234 ? 1000 : 1);
    const avg = ring.downsample(300);
    expect(avg.t.length).toBeLessThanOrEqual(300);
    expect(avg.t.length).toBeGreaterThan(250);
    const max = ring.downsample(300, { mode: 'max' });
    expect(Math.max(...max.v)).toBe(1000);
    expect(Math.max(...avg.v)).toBeLessThan(1000);
    // Only the bucket holding the spike differs from 1.
    expect(avg.v.filter((v) => v === 1).length).toBe(avg.v.length - 1);
    // Timestamps are increasing and each is a real sample's.
    for (let i = 1; i < avg.t.length; i += 1) expect(avg.t[i]).toBeGreaterThan(avg.t[i - 1] ?? 0);
  });

  it('keeps buckets stable as new samples arrive (aligned on the sample count)', () => {
    const ring = new RingBuffer(100);
    for (let i = 0; i < 100; i += 1) ring.push(i, i);
    const before = ring.downsample(10, { mode: 'last' });
    ring.push(100, 100);
    const after = ring.downsample(10, { mode: 'last' });
    // Complete buckets present in both reads have the same boundaries.
    const common = before.t.filter((t) => after.t.includes(t));
    expect(common.length).toBeGreaterThan(5);
  });

  it('downsample never exceeds maxPoints, aligned or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.boolean(),
        (n, maxPoints, offset, aligned) => {
          const points = { t: Array.from({ length: n }, (_, i) => i), v: Array.from({ length: n }, () => 1) };
          const indexes = aligned ? points.t.map((i) => i + offset) : undefined;
          const out = downsample(points, maxPoints, 'avg', indexes);
          expect(out.t.length).toBeLessThanOrEqual(maxPoints);
          expect(out.t.length).toBe(out.v.length);
          if (n > 0) expect(out.t.at(-1)).toBe(n - 1);
          for (const v of out.v) expect(v).toBe(1);
        },
      ),
    );
  });
});
