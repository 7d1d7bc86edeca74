import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Broker } from '../broker';
import { expectBrokerError, startBroker, tempDataDir } from '../test-support/broker-fixtures';
import { allRows, fill, headsMerge, id, matches, pageThrough, type Row } from './browse.testkit';

/** Browsing: seeks, paging both ways, newest, filters under a scan budget, large values. */
const temp = tempDataDir();
let broker: Broker;
let rows: Row[][];
let ordered: Row[][];

beforeAll(async () => {
  broker = await startBroker(temp.dir);
  await broker.createTopic('events', { partitions: 3, configs: { 'segment.bytes': 2048 } });
  await broker.createTopic('ordered', { partitions: 3 });
  await fill(broker, 'events', 3, 60, 4000, 11);
  await fill(broker, 'ordered', 3, 40, 0, 12);
  rows = await allRows(broker, 'events', 3);
  ordered = await allRows(broker, 'ordered', 3);
});
afterAll(async () => {
  await broker.stop();
  temp.cleanup();
});

describe('seeks', () => {
  it('reads one partition from an offset', async () => {
    const page = await broker.browse({
      topic: 'events',
      seek: { kind: 'offset', partition: 2, offset: 5 },
      limit: 10,
    });
    expect(page.records.map(id)).toEqual(rows[2]!.slice(5, 15).map(id));
    expect(page.records[0]).toMatchObject({ partition: 2, offset: 5, timestampType: 'CreateTime' });
    expect(page.records[0]?.value?.data.toString()).toBe(rows[2]![5]!.value);
    expect(page.watermarks).toEqual([{ partition: 2, logStartOffset: 0, logEndOffset: 60 }]);
    const end = await broker.browse({
      topic: 'events',
      seek: { kind: 'offset', partition: 2, offset: 60 },
      limit: 10,
    });
    expect(end.records).toEqual([]);
    expect(end.nextCursor).toBeNull();
    await expectBrokerError(
      broker.browse({ topic: 'events', seek: { kind: 'offset', partition: 2, offset: 900 }, limit: 10 }),
      'OFFSET_OUT_OF_RANGE',
      /^Offset 900 is past the end \(60\) of events-2$/,
    );
    await expectBrokerError(
      broker.browse({ topic: 'events', seek: { kind: 'offset', partition: 7, offset: 0 }, limit: 10 }),
      'UNKNOWN_TOPIC_OR_PARTITION',
    );
  });

  it('pages from the oldest to the end and back again over the same records', async () => {
    const { records, pages } = await pageThrough(broker, {
      topic: 'events',
      seek: { kind: 'oldest' },
      limit: 13,
    });
    expect(records.map(id)).toEqual(headsMerge(rows).map(id));
    expect(pages[0]?.prevCursor).toBeNull();
    // Backward from the end, page by page: every record exactly once.
    const back: string[] = [];
    let cursor = pages.at(-1)!.prevCursor;
    back.unshift(...pages.at(-1)!.records.map(id));
    while (cursor !== null) {
      const page = await broker.browse({ topic: 'events', limit: 13, cursor });
      back.unshift(...page.records.map(id));
      cursor = page.prevCursor;
    }
    expect(new Set(back).size).toBe(180);
    expect([...back].sort()).toEqual(records.map(id).sort());
  });

  it('round-trips next and previous pages exactly when timestamps are in order', async () => {
    const first = await broker.browse({ topic: 'ordered', seek: { kind: 'oldest' }, limit: 7 });
    const second = await broker.browse({ topic: 'ordered', limit: 7, cursor: first.nextCursor! });
    const third = await broker.browse({ topic: 'ordered', limit: 7, cursor: second.nextCursor! });
    const backToSecond = await broker.browse({ topic: 'ordered', limit: 7, cursor: third.prevCursor! });
    expect(backToSecond.records.map(id)).toEqual(second.records.map(id));
    const backToFirst = await broker.browse({ topic: 'ordered', limit: 7, cursor: backToSecond.prevCursor! });
    expect(backToFirst.records.map(id)).toEqual(first.records.map(id));
    expect(backToFirst.prevCursor).toBeNull();
    const forwardAgain = await broker.browse({ topic: 'ordered', limit: 7, cursor: backToFirst.nextCursor! });
    expect(forwardAgain.records.map(id)).toEqual(second.records.map(id));
  });

  it('shows the newest records overall and per partition', async () => {
    const all = ordered
      .flat()
      .sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset);
    const newest = await broker.browse({ topic: 'ordered', seek: { kind: 'newest' }, limit: 5 });
    expect(newest.records.map(id)).toEqual(all.slice(-5).map(id));
    expect(newest.nextCursor).toBeNull();
    const older = await broker.browse({ topic: 'ordered', limit: 5, cursor: newest.prevCursor! });
    expect(older.records.map(id)).toEqual(all.slice(-10, -5).map(id));

    const perPartition = await broker.browse({
      topic: 'events',
      seek: { kind: 'newest', perPartition: true },
      limit: 3,
    });
    const expected = rows.flatMap((list) => list.slice(-3));
    expect(perPartition.records.map(id).sort()).toEqual(expected.map(id).sort());
    const subset = await broker.browse({
      topic: 'events',
      seek: { kind: 'newest' },
      partitions: [1],
      limit: 4,
    });
    expect(subset.records.map(id)).toEqual(rows[1]!.slice(-4).map(id));
  });

  it('seeks to a timestamp in every partition', async () => {
    const t = 1_030_000;
    const page = await broker.browse({
      topic: 'ordered',
      seek: { kind: 'timestamp', timestamp: t },
      limit: 1000,
    });
    const expected = headsMerge(ordered.map((list) => list.filter((r) => r.timestamp >= t)));
    expect(page.records.map(id)).toEqual(expected.map(id));
  });
});

describe('filters and budget', () => {
  it('filters by key, value and header, case-insensitively', async () => {
    for (const filter of [
      { key: 'USER-3' },
      { value: 'needle' },
      { header: 'T-2' },
      { key: 'user', value: 'alpha' },
    ]) {
      const { records } = await pageThrough(broker, {
        topic: 'events',
        seek: { kind: 'oldest' },
        limit: 8,
        filter,
      });
      const expected = headsMerge(rows.map((list) => list.filter((r) => matches(r, filter))));
      expect(records.map(id), JSON.stringify(filter)).toEqual(expected.map(id));
      expect(records.length).toBeGreaterThan(0);
    }
  });

  it('stops a scan that matches nothing at its budget, with a cursor to go on', async () => {
    const budget = { maxRecords: 25 };
    const first = await broker.browse({
      topic: 'events',
      seek: { kind: 'oldest' },
      limit: 10,
      filter: { value: 'absent' },
      budget,
    });
    expect(first.records).toEqual([]);
    expect(first.budgetExhausted).toBe(true);
    expect(first.scanned).toBeLessThan(180);
    expect(first.nextCursor).not.toBeNull();
    const { pages } = await pageThrough(broker, {
      topic: 'events',
      seek: { kind: 'oldest' },
      limit: 10,
      filter: { value: 'absent' },
      budget,
    });
    expect(pages.reduce((sum, p) => sum + p.scanned, 0)).toBeGreaterThanOrEqual(180);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    expect(pages.flatMap((p) => p.records)).toEqual([]);
  });

  it('refuses foreign and damaged cursors and bad requests', async () => {
    const page = await broker.browse({ topic: 'events', seek: { kind: 'oldest' }, limit: 2 });
    await expectBrokerError(
      broker.browse({ topic: 'ordered', limit: 2, cursor: page.nextCursor! }),
      'INVALID_REQUEST',
      /another topic/,
    );
    await expectBrokerError(
      broker.browse({ topic: 'events', limit: 2, cursor: 'garbage' }),
      'INVALID_REQUEST',
      /seek again/,
    );
    await expectBrokerError(broker.browse({ topic: 'events', limit: 0 }), 'INVALID_REQUEST', /limit/);
    await expectBrokerError(
      broker.browse({ topic: 'events', limit: 5, seek: { kind: 'range', from: 10, to: 5 } }),
      'INVALID_REQUEST',
    );
    await expectBrokerError(broker.browse({ topic: 'nope', limit: 5 }), 'UNKNOWN_TOPIC_OR_PARTITION');
  });
});

describe('large values', () => {
  it('caps values in pages with their full size, and fetches one record in full', async () => {
    const big = 'x'.repeat(100_000);
    const [produced] = await broker.produceRecords('events', [
      { key: 'big', value: big, partition: 0, headers: [{ key: 'h', value: 'y'.repeat(50) }] },
    ]);
    const page = await broker.browse({
      topic: 'events',
      seek: { kind: 'offset', partition: 0, offset: produced!.offset },
      limit: 1,
      maxValueBytes: 10,
    });
    const [record] = page.records;
    expect(record?.value).toMatchObject({ size: 100_000, truncated: true });
    expect(record?.value?.data.toString()).toBe('x'.repeat(10));
    expect(record?.headers[0]?.value).toMatchObject({ size: 50, truncated: true });
    expect(record?.key).toMatchObject({ size: 3, truncated: false });
    const full = await broker.getRecord('events', 0, produced!.offset);
    expect(full.value?.data.toString()).toBe(big);
    expect(full.value?.truncated).toBe(false);
    const capped = await broker.getRecord('events', 0, produced!.offset, { maxValueBytes: 100 });
    expect(capped.value?.data.length).toBe(100);
    await expectBrokerError(
      broker.getRecord('events', 0, 5000),
      'OFFSET_OUT_OF_RANGE',
      /^Offset 5000 is past the end \(61\) of events-0$/,
    );
  });
});
