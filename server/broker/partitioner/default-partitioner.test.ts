import { describe, expect, it } from 'vitest';
import { isBrokerError } from '../errors';
import { DefaultPartitioner } from './default-partitioner';
import { partitionForKey } from './murmur2';

const key = (text: string) => new TextEncoder().encode(text);

/** A deterministic [0,1) sequence. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('DefaultPartitioner', () => {
  it('sends keyed records to murmur2(key) % n, ignoring the sticky partition and availability', () => {
    const p = new DefaultPartitioner({ random: seeded(1) });
    for (const k of ['21', 'foobar', 'order-17', '']) {
      expect(p.partition('t', key(k), 12)).toBe(partitionForKey(key(k), 12));
      expect(p.partition('t', key(k), 12, [3])).toBe(partitionForKey(key(k), 12));
    }
    // '21' hashes to 1173551340 once positive.
    expect(p.partition('t', key('21'), 10)).toBe(0);
  });

  it('sticks keyless records to one partition until onNewBatch', () => {
    const p = new DefaultPartitioner({ random: seeded(2) });
    const first = p.partition('t', null, 8);
    for (let i = 0; i < 50; i++) expect(p.partition('t', undefined, 8)).toBe(first);
    p.onNewBatch('t', 8, first);
    const second = p.partition('t', null, 8);
    expect(second).not.toBe(first);
    for (let i = 0; i < 50; i++) expect(p.partition('t', null, 8)).toBe(second);
  });

  it('ignores a stale onNewBatch for a partition that is no longer sticky', () => {
    const p = new DefaultPartitioner({ random: seeded(3) });
    const first = p.partition('t', null, 8);
    p.onNewBatch('t', 8, first);
    const second = p.partition('t', null, 8);
    p.onNewBatch('t', 8, first); // a second completion report for the old batch
    expect(p.partition('t', null, 8)).toBe(second);
  });

  it('keeps a sticky partition per topic', () => {
    const p = new DefaultPartitioner({ random: seeded(4) });
    const a = p.partition('a', null, 1000);
    const b = p.partition('b', null, 1000);
    p.onNewBatch('a', 1000, a);
    expect(p.partition('b', null, 1000)).toBe(b);
    expect(p.stickyPartition('a')).not.toBe(a);
  });

  it('spreads keyless batches over all partitions', () => {
    const p = new DefaultPartitioner({ random: seeded(5) });
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const part = p.partition('t', null, 6);
      expect(part).toBeGreaterThanOrEqual(0);
      expect(part).toBeLessThan(6);
      seen.add(part);
      p.onNewBatch('t', 6, part);
    }
    expect(seen.size).toBe(6);
  });

  it('prefers available partitions for keyless records', () => {
    const p = new DefaultPartitioner({ random: seeded(6) });
    for (let i = 0; i < 100; i++) {
      const part = p.partition('t', null, 10, [2, 7]);
      expect([2, 7]).toContain(part);
      p.onNewBatch('t', 10, part, [2, 7]);
    }
    const only = new DefaultPartitioner({ random: seeded(7) });
    expect(only.partition('t', null, 10, [4])).toBe(4);
  });

  it('uses the single partition of a one-partition topic, even after onNewBatch', () => {
    const p = new DefaultPartitioner({ random: seeded(8) });
    expect(p.partition('t', null, 1)).toBe(0);
    p.onNewBatch('t', 1, 0);
    expect(p.partition('t', null, 1)).toBe(0);
  });

  it('re-chooses when the sticky partition is beyond the given count', () => {
    const p = new DefaultPartitioner({ random: () => 0.999 });
    expect(p.partition('t', null, 10)).toBe(9);
    expect(p.partition('t', null, 4)).toBe(3);
  });

  it('rejects a partition count below 1 with INVALID_PARTITIONS', () => {
    const p = new DefaultPartitioner();
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => p.partition('t', null, bad)).toThrow(/partitions/);
      try {
        p.partition('t', key('k'), bad);
      } catch (error) {
        expect(isBrokerError(error, 'INVALID_PARTITIONS')).toBe(true);
        continue;
      }
      throw new Error(`expected a failure for ${bad}`);
    }
  });
});
