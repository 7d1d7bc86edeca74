import { describe, expect, it } from 'vitest';
import type { ClusterRecord } from '../../cluster/types';
import { createTestApi, failure, takeTracked, type TestApi } from '../test-support/caller';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const text = (data: string) => ({ encoding: 'utf8' as const, data });

/** 3 partitions, 10 records each; record i of partition p at T0 + (i * 3 + p) seconds. */
async function seeded(): Promise<TestApi> {
  const test = createTestApi();
  await test.api.topics.create({ name: 'orders', partitions: 3, configs: {} });
  for (let i = 0; i < 10; i++) {
    for (let p = 0; p < 3; p++) {
      await test.api.produce.send({
        topic: 'orders',
        partition: p,
        key: text(`k${p}-${i}`),
        value: text(JSON.stringify({ p, i })),
        headers: [{ key: 'source', value: text(i % 2 ? 'web' : 'batch') }],
        timestamp: T0 + (i * 3 + p) * 1000,
      });
    }
  }
  return test;
}

const ids = (records: ClusterRecord[]) => records.map((r) => `${r.partition}:${r.offset}`);

describe('messages router', () => {
  it('reads from the oldest, merged across partitions by timestamp', async () => {
    const { api } = await seeded();
    const page = await api.messages.read({ topic: 'orders', seek: { kind: 'oldest' }, limit: 4 });
    expect(ids(page.records)).toEqual(['0:0', '1:0', '2:0', '0:1']);
    expect(page.prevCursor).toBeNull();
    expect(page.nextCursor).not.toBeNull();
    expect(page.records[0]).toMatchObject({
      timestamp: T0,
      timestampType: 'CreateTime',
      key: { data: 'k0-0' },
    });
  });

  it('reads the newest records in ascending order', async () => {
    const { api } = await seeded();
    const page = await api.messages.read({ topic: 'orders', seek: { kind: 'newest' }, limit: 3 });
    expect(ids(page.records)).toEqual(['0:9', '1:9', '2:9']);
    expect(page.nextCursor).toBeNull();
  });

  it('reads one partition from an offset', async () => {
    const { api } = await seeded();
    const page = await api.messages.read({
      topic: 'orders',
      seek: { kind: 'offset', partition: 2, offset: 7 },
      limit: 10,
    });
    expect(ids(page.records)).toEqual(['2:7', '2:8', '2:9']);
  });

  it('says which offset is past the end of which partition', async () => {
    const { api } = await seeded();
    const error = await failure(
      api.messages.read({ topic: 'orders', seek: { kind: 'offset', partition: 2, offset: 900 }, limit: 10 }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('Offset 900 is past the end (10) of partition 2');
  });

  it('refuses negative and fractional offsets', async () => {
    const { api } = await seeded();
    for (const offset of [-1, 1.5]) {
      const error = await failure(
        api.messages.read({ topic: 'orders', seek: { kind: 'offset', partition: 0, offset }, limit: 10 }),
      );
      expect(error.code).toBe('BAD_REQUEST');
    }
  });

  it('seeks to a timestamp in every partition', async () => {
    const { api } = await seeded();
    const page = await api.messages.read({
      topic: 'orders',
      seek: { kind: 'timestamp', timestamp: T0 + 25_500 },
      limit: 3,
    });
    expect(ids(page.records)).toEqual(['2:8', '0:9', '1:9']);
  });

  it('pages through a date range forward and back without gaps or repeats', async () => {
    const { api } = await seeded();
    const seek = { kind: 'range' as const, from: T0 + 3000, to: T0 + 20_000 };
    const all: string[] = [];
    let page = await api.messages.read({ topic: 'orders', seek, limit: 5 });
    const pages = [page];
    all.push(...ids(page.records));
    while (page.nextCursor) {
      page = await api.messages.read({ topic: 'orders', seek, limit: 5, cursor: page.nextCursor });
      pages.push(page);
      all.push(...ids(page.records));
    }
    // seconds 3..20 inclusive: 18 records, in timestamp order
    expect(all).toHaveLength(18);
    expect(all[0]).toBe('0:1');
    expect(all.at(-1)).toBe('2:6');
    expect(new Set(all).size).toBe(18);
    // back from the last page gives the page before it
    const last = pages.at(-1)!;
    const back = await api.messages.read({ topic: 'orders', seek, limit: 5, cursor: last.prevCursor! });
    expect(ids(back.records)).toEqual(ids(pages.at(-2)!.records));
  });

  it('refuses an empty date range with the message next to "to"', async () => {
    const { api } = await seeded();
    const error = await failure(
      api.messages.read({ topic: 'orders', seek: { kind: 'range', from: T0 + 10, to: T0 }, limit: 5 }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect((error.cause as Error).message).toContain("The date range is empty: 'from' is after 'to'");
  });

  it('filters on key, value and header text, counting what it scanned', async () => {
    const { api } = await seeded();
    const byKey = await api.messages.read({
      topic: 'orders',
      seek: { kind: 'oldest' },
      filter: { key: 'K1-' },
      limit: 50,
    });
    expect(byKey.records.every((r) => r.partition === 1)).toBe(true);
    expect(byKey.records).toHaveLength(10);
    expect(byKey.scanned).toBe(30);
    const byHeader = await api.messages.read({
      topic: 'orders',
      seek: { kind: 'oldest' },
      filter: { header: 'web' },
      limit: 50,
    });
    expect(byHeader.records).toHaveLength(15);
    const byValue = await api.messages.read({
      topic: 'orders',
      seek: { kind: 'oldest' },
      filter: { value: '"i":3}' },
      limit: 50,
    });
    expect(ids(byValue.records)).toEqual(['0:3', '1:3', '2:3']);
  });

  it('caps previews in pages and returns more in the detail', async () => {
    const { api } = await seeded();
    const big = 'x'.repeat(5000);
    const sent = await api.produce.send({ topic: 'orders', partition: 0, key: null, value: text(big) });
    const page = await api.messages.read({
      topic: 'orders',
      seek: { kind: 'offset', partition: 0, offset: sent.offset },
      limit: 1,
      previewBytes: 100,
    });
    expect(page.records[0]?.value).toMatchObject({ encoding: 'utf8', sizeBytes: 5000, truncated: true });
    expect(page.records[0]?.value?.data).toHaveLength(100);
    expect(page.records[0]?.key).toBeNull();
    const detail = await api.messages.get({
      topic: 'orders',
      partition: 0,
      offset: sent.offset,
      maxValueBytes: 10_000,
    });
    expect(detail.value).toMatchObject({ truncated: false, data: big });
  });

  it('returns binary values as base64', async () => {
    const { api } = await seeded();
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x10]);
    const sent = await api.produce.send({
      topic: 'orders',
      partition: 1,
      key: null,
      value: { encoding: 'base64', data: bytes.toString('base64') },
    });
    const record = await api.messages.get({ topic: 'orders', partition: 1, offset: sent.offset });
    expect(record.value).toEqual({
      encoding: 'base64',
      data: bytes.toString('base64'),
      sizeBytes: 4,
      truncated: false,
    });
  });

  it('answers OUT_OF_RANGE for a record past the end', async () => {
    const { api } = await seeded();
    const error = await failure(api.messages.get({ topic: 'orders', partition: 0, offset: 10 }));
    expect(error.message).toBe('Offset 10 is past the end (10) of partition 0');
  });

  it('tails new records and resumes after the last event id', async () => {
    const { api } = createTestApi({ cluster: { tailPollMs: 5 } });
    await api.topics.create({ name: 'live', partitions: 2, configs: {} });
    const tail = await api.messages.tail({ topic: 'live' });
    const first = takeTracked<ClusterRecord[]>(tail, 1);
    await api.produce.send({ topic: 'live', partition: 1, key: null, value: text('a') });
    const [batch] = await first;
    expect(batch?.data.map((r) => r.value?.data)).toEqual(['a']);
    await api.produce.send({ topic: 'live', partition: 0, key: null, value: text('b') });
    const resumed = await takeTracked<ClusterRecord[]>(
      await api.messages.tail({ topic: 'live', lastEventId: batch!.id }),
      1,
    );
    expect(resumed[0]?.data.map((r) => r.value?.data)).toEqual(['b']);
  });
});
