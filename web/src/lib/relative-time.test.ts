import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimeExpression, type TimeParse, type TimeZoneMode } from './relative-time';

// Local-time cases run in a zone with an offset and DST, so that local and UTC really differ.
const previousTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Paris';
});
afterAll(() => {
  process.env.TZ = previousTz;
});

const NOW = Date.UTC(2026, 10, 21, 14, 30, 0); // 2026-11-21 14:30 UTC, 15:30 in Paris (UTC+1)

function at(input: string, zone: TimeZoneMode = 'utc'): number {
  const result = parseTimeExpression(input, { now: NOW, zone });
  if (!result.ok) throw new Error(result.error);
  return result.ms;
}

function error(input: string): string {
  const result: TimeParse = parseTimeExpression(input, { now: NOW, zone: 'utc' });
  if (result.ok) throw new Error(`"${input}" parsed as ${new Date(result.ms).toISOString()}`);
  return result.error;
}

describe('parseTimeExpression', () => {
  it('reads now, today, yesterday and tomorrow in the chosen zone', () => {
    expect(at('now')).toBe(NOW);
    expect(at('NOW ')).toBe(NOW);
    expect(at('today')).toBe(Date.UTC(2026, 10, 21));
    expect(at('yesterday')).toBe(Date.UTC(2026, 10, 20));
    expect(at('tomorrow')).toBe(Date.UTC(2026, 10, 22));
    // Paris midnight is 23:00 UTC the day before in November
    expect(at('today', 'local')).toBe(Date.UTC(2026, 10, 20, 23));
    expect(at('yesterday', 'local')).toBe(Date.UTC(2026, 10, 19, 23));
  });

  it('reads relative spans before and after now', () => {
    expect(at('-15m')).toBe(NOW - 15 * 60_000);
    expect(at('-2h')).toBe(NOW - 2 * 3_600_000);
    expect(at('+30s')).toBe(NOW + 30_000);
    expect(at('-1d')).toBe(NOW - 86_400_000);
    expect(at('-1w')).toBe(NOW - 7 * 86_400_000);
    expect(at('-1h30m')).toBe(NOW - 90 * 60_000);
    expect(at('-1d 2h')).toBe(NOW - 26 * 3_600_000);
    expect(at('- 5 min')).toBe(NOW - 5 * 60_000);
    expect(at('15 min ago')).toBe(NOW - 15 * 60_000);
    expect(at('2 hours ago')).toBe(NOW - 2 * 3_600_000);
  });

  it('reads absolute dates and times in the chosen zone', () => {
    expect(at('2026-11-21 10:00')).toBe(Date.UTC(2026, 10, 21, 10));
    expect(at('2026-11-21 10:00', 'local')).toBe(Date.UTC(2026, 10, 21, 9));
    expect(at('2026-11-21T10:00:05.25')).toBe(Date.UTC(2026, 10, 21, 10, 0, 5, 250));
    expect(at('2026-11-21')).toBe(Date.UTC(2026, 10, 21));
    expect(at('2026-07-01 12:00', 'local')).toBe(Date.UTC(2026, 6, 1, 10)); // summer time: UTC+2
    expect(at('10:00')).toBe(Date.UTC(2026, 10, 21, 10));
    expect(at('10:00', 'local')).toBe(Date.UTC(2026, 10, 21, 9));
  });

  it('lets an explicit offset win over the chosen zone', () => {
    expect(at('2026-11-21T10:00:00Z', 'local')).toBe(Date.UTC(2026, 10, 21, 10));
    expect(at('2026-11-21 10:00+02:00')).toBe(Date.UTC(2026, 10, 21, 8));
    expect(at('2026-11-21 10:00 -0530')).toBe(Date.UTC(2026, 10, 21, 15, 30));
  });

  it('reads Unix seconds after @', () => {
    expect(at('@1700000000')).toBe(1_700_000_000_000);
    expect(at('@1700000000.5')).toBe(1_700_000_000_500);
  });

  it('explains what is wrong with invalid input', () => {
    expect(error('')).toContain('Enter a time');
    expect(error('soon')).toBe(
      'Cannot read "soon" as a time. Try -15m, -2h, today, yesterday, now or 2026-11-21 10:00',
    );
    expect(error('-15 parsecs')).toContain('use units s, m, h, d or w');
    expect(error('-')).toContain('Try -15m');
    expect(error('2026-13-01')).toContain('month 13 does not exist');
    expect(error('2026-02-30')).toContain('day 30 does not exist');
    expect(error('2026-11-21 24:00')).toContain('hours go to 23');
    expect(error('2026-11-21 10:61')).toContain('minutes and seconds to 59');
    expect(error('fortnight ago')).toContain('use units');
  });
});
