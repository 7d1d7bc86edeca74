import { describe, expect, it } from 'vitest';
import { LiveSeries } from './live-series';
import { stepMs } from './time-window';
import { timeTicks } from './time-ticks';

describe('LiveSeries', () => {
  it('applies live samples that arrived before the history after it', () => {
    const series = new LiveSeries<'v'>(300, 1000);
    series.add(5000, { v: 5 });
    expect(series.toArray()).toEqual([]);
    series.seed([
      { t: 3000, v: 3 },
      { t: 4000, v: 4 },
    ]);
    series.add(6000, { v: 6 });
    expect(series.toArray().map((p) => p.v)).toEqual([3, 4, 5, 6]);
  });

  it('keeps 300 points or fewer for every window', () => {
    expect(stepMs(5)).toBe(1000);
    expect(stepMs(15)).toBe(3000);
    expect(stepMs(60)).toBe(12_000);
  });
});

describe('timeTicks', () => {
  it('puts about six ticks on round times', () => {
    expect(timeTicks(Date.UTC(2026, 0, 1, 10, 0, 10), Date.UTC(2026, 0, 1, 10, 15, 10))).toEqual(
      [3, 6, 9, 12, 15].map((m) => Date.UTC(2026, 0, 1, 10, m)),
    );
  });
});
