/**
 * Version sets for the spec's `versions`, `nullableVersions`, `taggedVersions` and
 * `flexibleVersions` strings ("3+", "0-12", "4", "none"), and turning a set into the shortest
 * `version` test for generated code.
 */

/** Inclusive interval; `hi` may be Infinity for "N+". */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

/** Sorted, disjoint, non-adjacent intervals. */
export type VersionSet = readonly Interval[];

export const NONE: VersionSet = [];

export function parseVersions(text: string | undefined, what: string): VersionSet {
  if (text === undefined || text === 'none') return NONE;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return [{ lo: Number(plus[1]), hi: Infinity }];
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) throw new Error(`${what}: empty version range "${text}"`);
    return [{ lo, hi }];
  }
  if (/^\d+$/.test(text)) return [{ lo: Number(text), hi: Number(text) }];
  throw new Error(`${what}: cannot parse version range "${text}"`);
}

export function range(lo: number, hi: number): VersionSet {
  return lo > hi ? NONE : [{ lo, hi }];
}

export function isEmpty(s: VersionSet): boolean {
  return s.length === 0;
}

export function contains(s: VersionSet, v: number): boolean {
  return s.some((i) => v >= i.lo && v <= i.hi);
}

export function intersect(a: VersionSet, b: VersionSet): VersionSet {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const lo = Math.max(x.lo, y.lo);
      const hi = Math.min(x.hi, y.hi);
      if (lo <= hi) out.push({ lo, hi });
    }
  }
  return normalize(out);
}

export function subtract(a: VersionSet, b: VersionSet): VersionSet {
  let cur: Interval[] = [...a];
  for (const y of b) {
    const next: Interval[] = [];
    for (const x of cur) {
      if (y.hi < x.lo || y.lo > x.hi) next.push(x);
      else {
        if (x.lo < y.lo) next.push({ lo: x.lo, hi: y.lo - 1 });
        if (x.hi > y.hi) next.push({ lo: y.hi + 1, hi: x.hi });
      }
    }
    cur = next;
  }
  return normalize(cur);
}

/** True when `a` holds every version of `b`. */
export function covers(a: VersionSet, b: VersionSet): boolean {
  return isEmpty(subtract(b, a));
}

function normalize(list: Interval[]): VersionSet {
  const sorted = [...list].sort((x, y) => x.lo - y.lo);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.lo <= last.hi + 1) out[out.length - 1] = { lo: last.lo, hi: Math.max(last.hi, i.hi) };
    else out.push(i);
  }
  return out;
}

/** The lowest version of a non-empty set. */
export function lowest(s: VersionSet): number {
  const first = s[0];
  if (!first) throw new Error('lowest() of an empty version set');
  return first.lo;
}

/**
 * A TypeScript condition on `version` (a variable) that is true exactly for the versions of `s`,
 * given that `version` is already known to lie in `within`. Returns 'true' or 'false' when constant.
 */
export function versionCondition(s: VersionSet, within: VersionSet, variable = 'version'): string {
  const relevant = intersect(s, within);
  if (isEmpty(relevant)) return 'false';
  if (covers(relevant, within)) return 'true';
  const wLo = lowest(within);
  const wHi = within[within.length - 1]?.hi ?? Infinity;
  const parts = relevant.map((i) => {
    const conds: string[] = [];
    if (i.lo === i.hi && i.lo > wLo && i.hi < wHi) return `${variable} === ${i.lo}`;
    if (i.lo > wLo) conds.push(`${variable} >= ${i.lo}`);
    if (i.hi < wHi) conds.push(`${variable} <= ${i.hi}`);
    return conds.join(' && ');
  });
  return parts.length === 1 ? (parts[0] as string) : parts.map((p) => `(${p})`).join(' || ');
}

export function formatVersions(s: VersionSet): string {
  if (isEmpty(s)) return 'none';
  return s
    .map((i) => (i.hi === Infinity ? `${i.lo}+` : i.lo === i.hi ? `${i.lo}` : `${i.lo}-${i.hi}`))
    .join(',');
}
