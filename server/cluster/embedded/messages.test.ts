import { afterEach, describe, expect, it } from 'vitest';
import { failure, takeTracked } from '../../api/test-support/caller';
import type { ClusterRecord } from '../types';
import { startEmbeddedApi, type EmbeddedApi } from './test-harness';

let test: EmbeddedApi | undefined;
afterEach(async () => {
  await test?.stop();
  test = undefined;
});

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const text = (data: string) => ({ encoding: 'utf8' as const, data });
const ids = (records: ClusterRecord[]) => records.map((r) => `${r.partition}:${r.offset}`);
const fieldOf = (error: { cause?: unknown }) => (error.cause as { field?: string } | undefined)?.field;

/** Repeats `act` until `result` settles: for streams that begin at "now", whenever that is. */
async function producingUntil<R>(result: Promise<R>, act: () => Promise<unknown>): Promise<R> {
  let settled = false;
  void result.finally(() => (settled = true)).catch(() => undefined);
  while (!settled) {
    await act();
    await new Promise((r) => setTimeout(r, 20));
  }
  return result;
}

/** 3 partitions, 10 records each; record i of partition p at T0 + (i * 3 + p) seconds. */
async function seeded(): Promise<EmbeddedApi> {
  test = await startEmbeddedApi();
  const { api } = test;
  await api.topics.create({ name: 'orders', partitions: 3, configs: {} });
  for (let i = 0; i < 10; i++) {
    for (let p = 0; p < 3; p++) {
      await api.produce.send({
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

describe('EmbeddedCluster messages through the router', () => {
  it('produces with key, headers, partition and timestamp, and reads the record back whole', async () => {
    const { api } = await seeded();
    const sent = await api.produce.send({
      topic: 'orders',
      partition: 1,
      key: text('user-1'),
      value: text('{"hello":"world"}'),
      headers: [
        { key: 'trace', value: text('t-1') },
        { key: 'empty', value: null },
      ],
      timestamp: T0 + 99_000,
    });
    expect(sent).toEqual({
      topic: 'orders',
      partition: 1,
      offset: 10,
      timestamp: T0 + 99_000,
      timestampType: 'CreateTime',
    });
    const record = await api.messages.get({ topic: 'orders', partition: 1, offset: 10 });
    expect(record).toEqual({
      topic: 'orders',
      partition: 1,
      offset: 10,
      timestamp: T0 + 99_000,
      timestampType: 'CreateTime',
      key: { encoding: 'utf8', data: 'user-1', sizeBytes: 6, truncated: false },
      value: { encoding: 'utf8', data: '{"hello":"world"}', sizeBytes: 17, truncated: false },
      headers: [
        { key: 'trace', value: { encoding: 'utf8', data: 't-1', sizeBytes: 3, truncated: false } },
        { key: 'empty', value: null },
      ],
      sizeBytes: 6 + 17 + 5 + 3 + 5,
    });
  });

  it('places a keyed record with the default partitioner (murmur2), the same partition every time', async () => {
    const { api } = await seeded();
    const a = await api.produce.send({ topic: 'orders', key: text('customer-7'), value: text('a') });
    const b = await api.produce.send({ topic: 'orders', key: text('customer-7'), value: text('b') });
    expect(b.partition).toBe(a.partition);
    expect(b.offset).toBe(a.offset + 1);
  });

  it('reads from the oldest, merged across partitions by timestamp, with watermarks', async () => {
    const { api } = await seeded();
    const page = await api.messages.read({ topic: 'orders', seek: { kind: 'oldest' }, limit: 4 });
    expect(ids(page.records)).toEqual(['0:0', '1:0', '2:0', '0:1']);
    expect(page.prevCursor).toBeNull();
    expect(page.nextCursor).not.toBeNull();
    expect(page.watermarks).toEqual(
      [0, 1, 2].map((partition) => ({ partition, startOffset: 0, endOffset: 10 })),
    );
    const next = await api.messages.read({
      topic: 'orders',
      seek: { kind: 'oldest' },
      limit: 4,
      cursor: page.nextCursor!,
    });
    expect(ids(next.records)).toEqual(['1:1', '2:1', '0:2', '1:2']);
  });

  it('reads the newest records in ascending order', async () => {
    const { api } = await seeded();
    const page = await api.messages.read({ topic: 'orders', seek: { kind: 'newest' }, limit: 3 });
    expect(ids(page.records)).toEqual(['0:9', '1:9', '2:9']);
    expect(page.nextCursor).toBeNull();
  });

  it('reads one partition from an offset, exactly the records from there', async () => {
    const { api } = await seeded();
    const page = await api.messages.read({
      topic: 'orders',
      seek: { kind: 'offset', partition: 2, offset: 7 },
      limit: 10,
    });
    expect(ids(page.records)).toEqual(['2:7', '2:8', '2:9']);
    expect(page.records.map((r) => r.key?.data)).toEqual(['k2-7', 'k2-8', 'k2-9']);
  });

  it('says which offset is past the end of which partition, next to the offset', async () => {
    const { api } = await seeded();
    const error = await failure(
      api.messages.read({ topic: 'orders', seek: { kind: 'offset', partition: 2, offset: 900 }, limit: 10 }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('Offset 900 is past the end (10) of orders-2');
    expect(fieldOf(error)).toBe('offset');
    const partition = await failure(
      api.messages.read({ topic: 'orders', seek: { kind: 'offset', partition: 7, offset: 0 }, limit: 10 }),
    );
    expect(partition.code).toBe('NOT_FOUND');
    expect(partition.message).toBe("Partition 7 of 'orders' does not exist (it has 3)");
    expect(fieldOf(partition)).toBe('partition');
  });

  it('refuses negative and fractional offsets at the door', async () => {
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

  it('returns exactly the records of a date range, paging forward and back without gaps or repeats', async () => {
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
    const expected: string[] = [];
    for (let s = 3; s <= 20; s++) expected.push(`${s % 3}:${Math.floor(s / 3)}`);
    expect(all).toEqual(expected);
    const last = pages.at(-1)!;
    const back = await api.messages.read({ topic: 'orders', seek, limit: 5, cursor: last.prevCursor! });
    expect(ids(back.records)).toEqual(ids(pages.at(-2)!.records));
  });

  it('refuses an empty date range next to "to" before asking the broker', async () => {
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

  it('caps previews in pages and returns more in the detail, up to its own cap', async () => {
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
    expect(page.records[0]?.sizeBytes).toBe(5000);
    const whole = await api.messages.get({
      topic: 'orders',
      partition: 0,
      offset: sent.offset,
      maxValueBytes: 10_000,
    });
    expect(whole.value).toMatchObject({ truncated: false, data: big });
    const capped = await api.messages.get({
      topic: 'orders',
      partition: 0,
      offset: sent.offset,
      maxValueBytes: 1000,
    });
    expect(capped.value).toMatchObject({ truncated: true, sizeBytes: 5000 });
    expect(capped.value?.data).toHaveLength(1000);
  });

  it('never cuts a character in two in a preview', async () => {
    const { api } = await seeded();
    const sent = await api.produce.send({
      topic: 'orders',
      partition: 0,
      key: null,
      value: text('é'.repeat(40)),
    });
    const record = await api.messages.get({
      topic: 'orders',
      partition: 0,
      offset: sent.offset,
      maxValueBytes: 15,
    });
    expect(record.value).toEqual({ encoding: 'utf8', data: 'é'.repeat(7), sizeBytes: 80, truncated: true });
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

  it('answers OUT_OF_RANGE for a record past the end, NOT_FOUND for an unknown topic', async () => {
    const { api } = await seeded();
    const error = await failure(api.messages.get({ topic: 'orders', partition: 0, offset: 10 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('Offset 10 is past the end (10) of orders-0');
    const topic = await failure(api.messages.get({ topic: 'nope', partition: 0, offset: 0 }));
    expect(topic.code).toBe('NOT_FOUND');
    expect(topic.message).toBe("Topic 'nope' does not exist");
  });

  it('refuses a record above max.message.bytes next to the value', async () => {
    test = await startEmbeddedApi();
    const { api } = test;
    await api.topics.create({ name: 'small', partitions: 1, configs: { 'max.message.bytes': '1000' } });
    const error = await failure(
      api.produce.send({ topic: 'small', key: null, value: text('x'.repeat(5000)) }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(fieldOf(error)).toBe('value');
    expect(error.message).toMatch(/max\.message\.bytes/);
  });

  it('stamps LogAppendTime topics with the broker clock', async () => {
    test = await startEmbeddedApi();
    const { api } = test;
    await api.topics.create({
      name: 'logs',
      partitions: 1,
      configs: { 'message.timestamp.type': 'LogAppendTime' },
    });
    const before = Date.now();
    const sent = await api.produce.send({ topic: 'logs', key: null, value: text('x'), timestamp: 1000 });
    expect(sent.timestampType).toBe('LogAppendTime');
    expect(sent.timestamp).toBeGreaterThanOrEqual(before);
    const [record] = (await api.messages.read({ topic: 'logs', seek: { kind: 'oldest' }, limit: 1 })).records;
    expect(record).toMatchObject({ timestampType: 'LogAppendTime', timestamp: sent.timestamp });
  });

  it('tails records as they are appended, and resumes after the last batch', async () => {
    test = await startEmbeddedApi();
    const { api } = test;
    await api.topics.create({ name: 'live', partitions: 2, configs: {} });
    await api.produce.send({ topic: 'live', partition: 0, key: null, value: text('before') });
    // The tail starts at the end offsets once it has read them: produce until it sees a record.
    const [batch] = await producingUntil(
      takeTracked<ClusterRecord[]>(await api.messages.tail({ topic: 'live' }), 1),
      () => api.produce.send({ topic: 'live', partition: 1, key: null, value: text('a') }),
    );
    expect(batch?.data.length).toBeGreaterThan(0);
    expect(batch?.data.every((r) => r.partition === 1 && r.value?.data === 'a')).toBe(true);
    await api.produce.send({ topic: 'live', partition: 0, key: null, value: text('b') });
    const resumed = await takeTracked<ClusterRecord[]>(
      await api.messages.tail({ topic: 'live', lastEventId: batch!.id }),
      1,
    );
    expect(resumed[0]?.data.map((r) => `${r.partition}:${r.offset}:${r.value?.data}`)).toEqual(['0:1:b']);
    const [kept] = await producingUntil(
      takeTracked<ClusterRecord[]>(await api.messages.tail({ topic: 'live', filter: { value: 'keep' } }), 1),
      async () => {
        await api.produce.send({ topic: 'live', partition: 0, key: null, value: text('drop') });
        await api.produce.send({ topic: 'live', partition: 1, key: null, value: text('keep me') });
      },
    );
    expect(kept?.data.length).toBeGreaterThan(0);
    expect(kept?.data.every((r) => r.value?.data === 'keep me')).toBe(true);
  });

  it('refuses to tail an unknown topic', async () => {
    test = await startEmbeddedApi();
    const error = await failure(takeTracked(await test.api.messages.tail({ topic: 'nope' }), 1));
    expect(error.code).toBe('NOT_FOUND');
  });
});
