import type { TimeZoneMode } from './relative-time';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-11-21 10:00:05.250" in the chosen zone: sortable, unambiguous, parseable back. */
export function formatTimestamp(ms: number, zone: TimeZoneMode, withMillis = true): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  const utc = zone === 'utc';
  const date = `${utc ? d.getUTCFullYear() : d.getFullYear()}-${pad((utc ? d.getUTCMonth() : d.getMonth()) + 1)}-${pad(utc ? d.getUTCDate() : d.getDate())}`;
  const time = `${pad(utc ? d.getUTCHours() : d.getHours())}:${pad(utc ? d.getUTCMinutes() : d.getMinutes())}:${pad(utc ? d.getUTCSeconds() : d.getSeconds())}`;
  const millis = withMillis ? `.${pad(utc ? d.getUTCMilliseconds() : d.getMilliseconds(), 3)}` : '';
  return `${date} ${time}${millis}`;
}

/** "HH:mm:ss" for chart axes. */
export function formatClock(ms: number, zone: TimeZoneMode): string {
  return formatTimestamp(ms, zone, false).slice(11);
}

/** The name of the zone, shown next to every time so that it is never ambiguous. */
export function zoneLabel(zone: TimeZoneMode): string {
  if (zone === 'utc') return 'UTC';
  const offset = -new Date().getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${name} (UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)})`;
}
