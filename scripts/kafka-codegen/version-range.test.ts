import { describe, expect, it } from 'vitest';
import {
  contains,
  covers,
  intersect,
  parseVersions,
  range,
  subtract,
  versionCondition,
} from './version-range';

describe('version ranges', () => {
  it('parses the spec forms', () => {
    expect(parseVersions('3+', 'f')).toEqual([{ lo: 3, hi: Infinity }]);
    expect(parseVersions('0-12', 'f')).toEqual([{ lo: 0, hi: 12 }]);
    expect(parseVersions('4', 'f')).toEqual([{ lo: 4, hi: 4 }]);
    expect(parseVersions('none', 'f')).toEqual([]);
    expect(parseVersions(undefined, 'f')).toEqual([]);
    expect(() => parseVersions('5-2', 'f')).toThrow(/empty/);
    expect(() => parseVersions('x', 'f')).toThrow(/cannot parse/);
  });

  it('intersects, subtracts and tests membership', () => {
    const all = range(0, 12);
    expect(intersect(parseVersions('9+', 'f'), all)).toEqual([{ lo: 9, hi: 12 }]);
    expect(subtract(all, parseVersions('3-5', 'f'))).toEqual([
      { lo: 0, hi: 2 },
      { lo: 6, hi: 12 },
    ]);
    expect(contains(parseVersions('3+', 'f'), 2)).toBe(false);
    expect(covers(parseVersions('0+', 'f'), all)).toBe(true);
    expect(covers(parseVersions('1+', 'f'), all)).toBe(false);
  });

  it('turns a set into the shortest version test within the generated range', () => {
    const within = range(4, 12);
    expect(versionCondition(parseVersions('0+', 'f'), within)).toBe('true');
    expect(versionCondition(parseVersions('13+', 'f'), within)).toBe('false');
    expect(versionCondition(parseVersions('7+', 'f'), within)).toBe('version >= 7');
    expect(versionCondition(parseVersions('12+', 'f'), within)).toBe('version >= 12');
    expect(versionCondition(parseVersions('0-6', 'f'), within)).toBe('version <= 6');
    expect(versionCondition(parseVersions('8-10', 'f'), within)).toBe('version >= 8 && version <= 10');
    expect(versionCondition(parseVersions('9', 'f'), within)).toBe('version === 9');
    expect(versionCondition(subtract(within, parseVersions('8-10', 'f')), within)).toBe(
      '(version <= 7) || (version >= 11)',
    );
  });
});
