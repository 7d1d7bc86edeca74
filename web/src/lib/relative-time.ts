/**
 * Times typed by an operator, in the manner of `journalctl --since/--until`:
 *   now | today | yesterday | tomorrow
 *   -15m | -2h | +30s | -1h30m | -1d 2h | "15 min ago" | "2 hours ago"
 *   2026-11-21 | 2026-11-21 10:00 | 2026-11-21 10:00:05.250 | 2026-11-21T10:00:00Z | ...+02:00
 *   10:00 (today at) | @1700000000 (Unix seconds)
 * Absolute times without an explicit offset are read in the chosen zone (local or UTC), so the
 * same text means the same instant the operator sees on screen.
 */
export type TimeZoneMode = 'local' | 'utc';

export type TimeParse = { ok: true; ms: number } | { ok: false; error: string };

const UNIT_MS: Record<string, number> = {
  ms: 1,
  msec: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

export const TIME_EXAMPLES = '-15m, -2h, today, yesterday, now or 2026-11-21 10:00';

function fail(input: string, why?: string): TimeParse {
  const reason = why ? `: ${why}` : `. Try ${TIME_EXAMPLES}`;
  return { ok: false, error: `Cannot read "${input}" as a time${reason}` };
}

/** "1h30m", "2 hours 5 min": a sum of number+unit parts, or null if anything else is there. */
function parseSpan(text: string): number | null {
  const parts = /^(?:\s*\d+\s*[a-z]+)+\s*$/i.test(text) ? text.matchAll(/(\d+)\s*([a-z]+)/gi) : null;
  if (!parts) return null;
  let total = 0;
  for (const [, amount, unit] of parts) {
    const size = UNIT_MS[(unit as string).toLowerCase()];
    if (size === undefined) return null;
    total += Number(amount) * size;
  }
  return total;
}

function startOfDay(ms: number, zone: TimeZoneMode): number {
  const d = new Date(ms);
  if (zone === 'utc') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

function addDays(dayStart: number, days: number, zone: TimeZoneMode): number {
  const d = new Date(dayStart);
  if (zone === 'utc') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days).getTime();
}

const ABSOLUTE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseAbsolute(input: string, text: string, now: number, zone: TimeZoneMode): TimeParse | null {
  let y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number;
  let offset: string | undefined;
  const abs = ABSOLUTE.exec(text);
  const tod = abs ? null : TIME_OF_DAY.exec(text);
  if (abs) {
    [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(abs[i] ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    ms = Number((abs[7] ?? '0').padEnd(3, '0'));
    offset = abs[8];
    if (mo < 1 || mo > 12) return fail(input, `month ${mo} does not exist`);
    if (d < 1 || d > daysInMonth(y, mo)) return fail(input, `day ${d} does not exist in that month`);
  } else if (tod) {
    const day = new Date(startOfDay(now, zone));
    y = zone === 'utc' ? day.getUTCFullYear() : day.getFullYear();
    mo = (zone === 'utc' ? day.getUTCMonth() : day.getMonth()) + 1;
    d = zone === 'utc' ? day.getUTCDate() : day.getDate();
    [h, mi, s] = [1, 2, 3].map((i) => Number(tod[i] ?? 0)) as [number, number, number];
    ms = 0;
  } else {
    return null;
  }
  if (h > 23 || mi > 59 || s > 59) return fail(input, 'hours go to 23, minutes and seconds to 59');
  if (offset !== undefined) {
    const base = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    if (/^z$/i.test(offset)) return { ok: true, ms: base };
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    return { ok: true, ms: base - sign * minutes * 60_000 };
  }
  const result =
    zone === 'utc' ? Date.UTC(y, mo - 1, d, h, mi, s, ms) : new Date(y, mo - 1, d, h, mi, s, ms).getTime();
  return { ok: true, ms: result };
}

export function parseTimeExpression(input: string, options: { now: number; zone: TimeZoneMode }): TimeParse {
  const { now, zone } = options;
  const text = input.trim();
  const word = text.toLowerCase();
  if (text === '') return { ok: false, error: `Enter a time, e.g. ${TIME_EXAMPLES}` };
  if (word === 'now') return { ok: true, ms: now };
  if (word === 'today') return { ok: true, ms: startOfDay(now, zone) };
  if (word === 'yesterday') return { ok: true, ms: addDays(startOfDay(now, zone), -1, zone) };
  if (word === 'tomorrow') return { ok: true, ms: addDays(startOfDay(now, zone), 1, zone) };

  const epoch = /^@(\d{1,12})(?:\.(\d{1,3}))?$/.exec(text);
  if (epoch) return { ok: true, ms: Number(epoch[1]) * 1000 + Number((epoch[2] ?? '0').padEnd(3, '0')) };

  const signed = /^([+-])\s*(.+)$/.exec(text);
  if (signed) {
    const span = parseSpan(signed[2] as string);
    if (span === null) return fail(input, 'use units s, m, h, d or w, e.g. -15m or -1h30m');
    return { ok: true, ms: signed[1] === '-' ? now - span : now + span };
  }
  const ago = /^(.+?)\s+ago$/i.exec(text);
  if (ago) {
    const span = parseSpan(ago[1] as string);
    if (span === null) return fail(input, 'use units s, m, h, d or w, e.g. "15 min ago"');
    return { ok: true, ms: now - span };
  }
  return parseAbsolute(input, text, now, zone) ?? fail(input);
}
