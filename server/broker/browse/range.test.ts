import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Broker } from '../broker';
import { startBroker, tempDataDir } from '../test-support/broker-fixtures';
import { allRows, fill, id, pageThrough, rangeReference, rng, type Row } from './browse.testkit';

/**
 * Date ranges merged across partitions, against a brute force over every record (see the
 * semantics at the top of browse.ts), with timestamps out of order within partitions, small
 * segments (many segment and index lookups), random ranges and page sizes, and filters.
 */
const PARTITIONS = 4;
const temp = tempDataDir();
let broker: Broker;
let shuffled: Row[][];
let ordered: Row[][];

beforeAll(async () => {
  broker = await startBroker(temp.dir);
  const configs = { 'segment.bytes': 1024, 'index.interval.bytes': 128 };
  await broker.createTopic('shuffled', { partitions: PARTITIONS, configs });
  await broker.createTopic('ordered', { partitions: PARTITIONS, configs });
  await fill(broker, 'shuffled', PARTITIONS, 120, 6000);
  await fill(broker, 'ordered', PARTITIONS, 120, 0);
  shuffled = await allRows(broker, 'shuffled', PARTITIONS);
  ordered = await allRows(broker, 'ordered', PARTITIONS);
});
afterAll(async () => {
  await broker.stop();
  temp.cleanup();
});

const range = (topic: string, from: number, to: number, limit: number, filter?: { value?: string }) =>
  pageThrough(broker, { topic, seek: { kind: 'range', from, to }, limit, ...(filter ? { filter } : {}) });

describe('date range', () => {
  it('has timestamps out of order within partitions (the case under test)', () => {
    const inversions = shuffled
      .flat()
      .filter(
        (r, i, all) => i > 0 && all[i - 1]!.partition === r.partition && all[i - 1]!.timestamp > r.timestamp,
      );
    expect(inversions.length).toBeGreaterThan(50);
  });

  it('matches the brute-force reference for random ranges and page sizes', async () => {
    const random = rng(42);
    for (let i = 0; i < 25; i++) {
      const from = 995_000 + Math.floor(random() * 130_000);
      const to = from + Math.floor(random() * 40_000);
      const limit = 1 + Math.floor(random() * 40);
      const { records } = await range('shuffled', from, to, limit);
      const expected = rangeReference(shuffled, from, to);
      expect(records.map(id), `range [${from}, ${to}] by ${limit}`).toEqual(expected.map(id));
      for (const r of records) {
        expect(r.timestamp).toBeGreaterThanOrEqual(from);
        expect(r.timestamp).toBeLessThanOrEqual(to);
      }
    }
  });

  it('finds in-range records that follow a later-timestamped one', async () => {
    // A record whose predecessor in its partition is later than it and than `to`-bounded window.
    const candidates = shuffled.flatMap((list) =>
      list.filter(
        (r, i) =>
          i > 0 &&
          list[i - 1]!.timestamp > r.timestamp &&
          list.findIndex((x) => x.timestamp > r.timestamp) < i,
      ),
    );
    expect(candidates.length).toBeGreaterThan(0);
    const target = candidates[Math.floor(candidates.length / 2)] as Row;
    const from = target.timestamp - 2000;
    const to = target.timestamp + 10_000;
    const { records } = await range('shuffled', from, to, 50);
    const reference = rangeReference(shuffled, from, to);
    expect(reference.map(id)).toContain(id(target));
    expect(records.map(id)).toEqual(reference.map(id));
  });

  it('returns exactly every record in [from, to], in timestamp order, when timestamps are in order', async () => {
    const all = ordered.flat();
    for (const [from, to] of [
      [1_010_000, 1_030_000],
      [0, 2_000_000],
      [1_050_003, 1_050_003],
      [3_000_000, 4_000_000],
    ] as const) {
      const { records } = await range('ordered', from, to, 17);
      const expected = all
        .filter((r) => r.timestamp >= from && r.timestamp <= to)
        .sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset);
      expect(records.map(id)).toEqual(expected.map(id));
    }
  });

  it('applies filters within the range, across budget-limited pages', async () => {
    const from = 1_020_000;
    const to = 1_090_000;
    const { records, pages } = await pageThrough(broker, {
      topic: 'shuffled',
      seek: { kind: 'range', from, to },
      limit: 5,
      filter: { value: 'needle' },
      budget: { maxRecords: 20 },
    });
    expect(records.map(id)).toEqual(rangeReference(shuffled, from, to, { value: 'needle' }).map(id));
    expect(pages.some((p) => p.budgetExhausted)).toBe(true);
    expect(records.every((r) => r.value?.data.toString().includes('NeEdLe'))).toBe(true);
  });

  it('pages back over a range: back then forward returns the same page', async () => {
    const first = await broker.browse({
      topic: 'shuffled',
      seek: { kind: 'range', from: 1_000_000, to: 1_100_000 },
      limit: 9,
    });
    const second = await broker.browse({ topic: 'shuffled', limit: 9, cursor: first.nextCursor! });
    const third = await broker.browse({ topic: 'shuffled', limit: 9, cursor: second.nextCursor! });
    const back = await broker.browse({ topic: 'shuffled', limit: 9, cursor: third.prevCursor! });
    const forward = await broker.browse({ topic: 'shuffled', limit: 9, cursor: back.nextCursor! });
    expect(forward.records.map(id)).toEqual(third.records.map(id));
    // Pages never overlap, whatever the direction.
    const seen = new Set([...back.records, ...third.records].map(id));
    expect(seen.size).toBe(back.records.length + third.records.length);
  });
});
