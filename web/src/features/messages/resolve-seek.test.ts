import { describe, expect, it } from 'vitest';
import { messagesSearchSchema } from './search';
import { resolveSeek } from './resolve-seek';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const search = (params: Record<string, unknown>) => messagesSearchSchema.parse(params);

describe('messages search params', () => {
  it('fill defaults and drop invalid values instead of failing the page', () => {
    expect(search({})).toMatchObject({ mode: 'newest', tz: 'local', live: false });
    const bad = search({
      mode: 'sideways',
      partition: -1,
      offset: 1.5,
      tz: 'mars',
      record: 'x',
      live: 'yes',
    });
    expect(bad).toMatchObject({
      mode: 'newest',
      partition: undefined,
      offset: undefined,
      tz: 'local',
      record: undefined,
      live: false,
    });
  });

  it('keep time expressions as text, even those the router parsed as numbers', () => {
    expect(search({ mode: 'range', from: '-15m', to: 20261121 })).toMatchObject({
      from: '-15m',
      to: '20261121',
    });
  });
});

describe('resolveSeek', () => {
  it('reads newest, oldest and partition offsets', () => {
    expect(resolveSeek(search({}), NOW)).toEqual({ ok: true, seek: { kind: 'newest' } });
    expect(resolveSeek(search({ mode: 'offset', partition: 2, offset: 812 }), NOW)).toEqual({
      ok: true,
      seek: { kind: 'offset', partition: 2, offset: 812 },
    });
  });

  it('catches an offset past the end or a missing partition when the end offsets are known', () => {
    const ends = [10, 812, 5];
    expect(resolveSeek(search({ mode: 'offset', partition: 1, offset: 812 }), NOW, ends).ok).toBe(true);
    expect(resolveSeek(search({ mode: 'offset', partition: 1, offset: 900 }), NOW, ends)).toEqual({
      ok: false,
      errors: { offset: 'Offset 900 is past the end (812) of partition 1' },
    });
    expect(resolveSeek(search({ mode: 'offset', partition: 7, offset: 0 }), NOW, ends)).toEqual({
      ok: false,
      errors: { partition: 'Partition 7 does not exist (3 partitions)' },
    });
  });

  it('resolves relative and absolute times in the chosen zone', () => {
    expect(resolveSeek(search({ mode: 'timestamp', at: '-1h', tz: 'utc' }), NOW)).toEqual({
      ok: true,
      seek: { kind: 'timestamp', timestamp: NOW - 3_600_000 },
    });
    expect(
      resolveSeek(search({ mode: 'range', from: '2026-11-21 10:00', to: 'now', tz: 'utc' }), NOW),
    ).toEqual({
      ok: true,
      seek: { kind: 'range', from: Date.UTC(2026, 10, 21, 10), to: NOW },
    });
  });

  it('defaults a range to the last 15 minutes', () => {
    expect(resolveSeek(search({ mode: 'range' }), NOW)).toEqual({
      ok: true,
      seek: { kind: 'range', from: NOW - 900_000, to: NOW },
    });
  });

  it('reports an empty range next to "to" and bad input next to its field', () => {
    expect(resolveSeek(search({ mode: 'range', from: 'now', to: '-1h' }), NOW)).toEqual({
      ok: false,
      errors: { to: "The date range is empty: 'from' is after 'to'" },
    });
    const bad = resolveSeek(search({ mode: 'range', from: 'whenever', to: 'now' }), NOW);
    expect(bad.ok ? null : bad.errors.from).toContain('Cannot read "whenever" as a time');
  });
});
