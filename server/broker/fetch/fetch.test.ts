import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Broker } from '../broker';
import { decodeBatches } from '../log/record-batch';
import {
  batchOf,
  expectBrokerError,
  settle,
  startBroker,
  tempDataDir,
} from '../test-support/broker-fixtures';
import type { FetchRequest } from './fetch';

/**
 * Fetch: stored batches under byte limits, a long poll woken by appends (the fake clock never
 * moves while it waits, so only an append can wake it), expiry, abort, broker stop, and
 * ListOffsets.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(partitions = 2): Promise<Broker> {
  const temp = tempDataDir();
  const b = await startBroker(temp.dir);
  cleanups.push(temp.cleanup, () => b.stop());
  await b.createTopic('orders', { partitions });
  return b;
}

function request(partitions: number[], overrides: Partial<FetchRequest> = {}): FetchRequest {
  return {
    partitions: partitions.map((p) => ({ topic: 'orders', partition: p, offset: 0, maxBytes: 1 << 20 })),
    maxWaitMs: 60_000,
    minBytes: 1,
    maxBytes: 4 << 20,
    ...overrides,
  };
}

function values(records: Buffer): string[] {
  return [...decodeBatches(records)].flatMap((b) => b.records.map((r) => r.value?.toString() ?? ''));
}

/** Fake setTimeout only: the long poll's deadline cannot pass unless the test moves the clock. */
function freezeTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
}

describe('fetch long poll', () => {
  it('waits for minBytes and is woken by an append to any requested partition', async () => {
    const b = await broker();
    freezeTimers();
    let done = false;
    const pending = b.fetch(request([0, 1])).then((r) => ((done = true), r));
    await settle(5);
    expect(done).toBe(false);
    await b.produce('orders', 1, batchOf(['hello']), { acks: 1 });
    const response = await pending;
    expect(response.partitions[0]?.records.length).toBe(0);
    expect(values(response.partitions[1]!.records)).toEqual(['hello']);
    expect(response.partitions[1]?.highWatermark).toBe(1);
  });

  it('keeps waiting until enough bytes were appended', async () => {
    const b = await broker();
    const one = batchOf(['x'.repeat(100)]);
    freezeTimers();
    let done = false;
    const pending = b.fetch(request([0], { minBytes: one.length * 2 + 1 })).then((r) => ((done = true), r));
    await b.produce('orders', 0, batchOf(['x'.repeat(100)]), { acks: 1 });
    await b.produce('orders', 0, batchOf(['x'.repeat(100)]), { acks: 1 });
    await settle(5);
    expect(done).toBe(false);
    await b.produce('orders', 0, batchOf(['x'.repeat(100)]), { acks: 1 });
    expect(values((await pending).partitions[0]!.records)).toHaveLength(3);
  });

  it('returns empty when maxWaitMs passes without data', async () => {
    const b = await broker();
    freezeTimers();
    const pending = b.fetch(request([0, 1], { maxWaitMs: 500 }));
    await settle(3);
    vi.advanceTimersByTime(500);
    const response = await pending;
    expect(response.partitions.map((p) => p.records.length)).toEqual([0, 0]);
    expect(response.partitions.map((p) => p.error)).toEqual([undefined, undefined]);
  });

  it("keeps waiting when maxWaitMs is past setTimeout's 2^31-1 ms ceiling", async () => {
    const b = await broker();
    freezeTimers();
    for (const [offset, maxWaitMs] of [2 ** 31, Number.MAX_SAFE_INTEGER].entries()) {
      let done = false;
      const partitions = [{ topic: 'orders', partition: 0, offset, maxBytes: 1 << 20 }];
      const pending = b.fetch(request([0], { maxWaitMs, partitions })).then((r) => ((done = true), r));
      await settle(3);
      vi.advanceTimersByTime(1000);
      await settle(3);
      expect(done).toBe(false);
      await b.produce('orders', 0, batchOf([String(maxWaitMs)]), { acks: 1 });
      expect(values((await pending).partitions[0]!.records)).toContain(String(maxWaitMs));
    }
  });

  it('answers at once on abort, and when the broker stops', async () => {
    const b = await broker();
    freezeTimers();
    const controller = new AbortController();
    const aborted = b.fetch(request([0], { signal: controller.signal }));
    const stopped = b.fetch(request([1]));
    await settle(3);
    controller.abort();
    expect((await aborted).partitions[0]?.records.length).toBe(0);
    vi.useRealTimers();
    await b.stop();
    expect((await stopped).partitions[0]?.records.length).toBe(0);
  });

  it('answers at once when a partition has an error', async () => {
    const b = await broker();
    const response = await b.fetch({
      ...request([0]),
      partitions: [
        { topic: 'orders', partition: 0, offset: 0, maxBytes: 100 },
        { topic: 'orders', partition: 9, offset: 0, maxBytes: 100 },
        { topic: 'nope', partition: 0, offset: 0, maxBytes: 100 },
        { topic: 'orders', partition: 1, offset: 900, maxBytes: 100 },
      ],
    });
    const errors = response.partitions.map((p) => [p.error?.code, p.error?.message]);
    expect(errors).toEqual([
      [undefined, undefined],
      ['UNKNOWN_TOPIC_OR_PARTITION', "Partition 9 of 'orders' does not exist (it has 2)"],
      ['UNKNOWN_TOPIC_OR_PARTITION', "Topic 'nope' does not exist"],
      ['OFFSET_OUT_OF_RANGE', 'Offset 900 is past the end (0) of orders-1'],
    ]);
    expect(response.partitions[2]?.highWatermark).toBe(-1);
  });
});

describe('fetch limits', () => {
  it('returns the first batch whole even above maxBytes, then only what fits', async () => {
    const b = await broker();
    const big = batchOf(['a'.repeat(5000)]);
    await b.produce('orders', 0, big, { acks: 1 });
    await b.produce('orders', 0, batchOf(['b']), { acks: 1 });
    await b.produce('orders', 1, batchOf(['c']), { acks: 1 });
    const response = await b.fetch(request([0, 1], { maxBytes: 1000, minBytes: 0 }));
    expect(values(response.partitions[0]!.records)).toEqual(['a'.repeat(5000)]);
    expect(response.partitions[1]?.records.length).toBe(0);
    expect(response.partitions[1]?.highWatermark).toBe(1);

    const perPartition = await b.fetch({
      partitions: [
        { topic: 'orders', partition: 0, offset: 1, maxBytes: 1 << 20 },
        { topic: 'orders', partition: 1, offset: 0, maxBytes: 10 },
      ],
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
    });
    expect(values(perPartition.partitions[0]!.records)).toEqual(['b']);
    expect(perPartition.partitions[1]?.records.length).toBe(0);
  });

  it('refuses malformed requests', async () => {
    const b = await broker();
    await expectBrokerError(b.fetch(request([0], { maxWaitMs: -1 })), 'INVALID_REQUEST', /maxWaitMs/);
    await expectBrokerError(b.fetch(request([0], { minBytes: 1.5 })), 'INVALID_REQUEST', /minBytes/);
  });
});

describe('listOffsets', () => {
  it("follows Kafka's semantics for earliest, latest, max-timestamp and timestamps", async () => {
    const b = await broker(1);
    expect(await b.listOffsets('orders', 0, 'max-timestamp')).toEqual({ offset: -1, timestamp: -1 });
    await b.produce('orders', 0, batchOf(['a', 'b'], { timestamp: 1000 }), { acks: 1 });
    await b.produce('orders', 0, batchOf(['c'], { timestamp: 3000 }), { acks: 1 });
    await b.produce('orders', 0, batchOf(['d'], { timestamp: 2000 }), { acks: 1 });
    expect(await b.listOffsets('orders', 0, 'earliest')).toEqual({ offset: 0, timestamp: -1 });
    expect(await b.listOffsets('orders', 0, 'latest')).toEqual({ offset: 4, timestamp: -1 });
    expect(await b.listOffsets('orders', 0, 'max-timestamp')).toEqual({ offset: 2, timestamp: 3000 });
    expect(await b.listOffsets('orders', 0, { timestamp: 1500 })).toEqual({ offset: 2, timestamp: 3000 });
    expect(await b.listOffsets('orders', 0, { timestamp: 0 })).toEqual({ offset: 0, timestamp: 1000 });
    expect(await b.listOffsets('orders', 0, { timestamp: 3001 })).toEqual({ offset: -1, timestamp: -1 });
    await b.deleteRecords('orders', [{ partition: 0, offset: 1 }]);
    expect(await b.listOffsets('orders', 0, 'earliest')).toEqual({ offset: 1, timestamp: -1 });
    await expectBrokerError(b.listOffsets('orders', 1, 'latest'), 'UNKNOWN_TOPIC_OR_PARTITION');
  });
});
