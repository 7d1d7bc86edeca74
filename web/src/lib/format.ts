/** Human sizes, counts, rates and durations for tables and charts. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  if (bytes < 0) return `-${formatBytes(-bytes)}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-US').format(n);
}

/** Rates keep one decimal below 10 so that a trickle does not read as zero. */
export function formatRate(perSecond: number, unit: 'records' | 'bytes'): string {
  if (unit === 'bytes') return `${formatBytes(Math.round(perSecond))}/s`;
  const digits = perSecond > 0 && perSecond < 10 ? 1 : 0;
  return `${perSecond.toFixed(digits)} rec/s`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** retention.ms as an operator reads it: -1 is "forever". */
export function formatRetentionMs(ms: number): string {
  return ms < 0 ? 'forever' : formatDuration(ms);
}
