import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Broker } from '../broker';
import { BATCH } from '../log/batch-header';
import { encodeRecordBatch, type EncodeOptions } from '../log/record-batch';
import { partitionForKey } from '../partitioner/murmur2';
import {
  batchOf,
  expectBrokerError,
  readAll,
  startBroker,
  settle,
  tempDataDir,
} from '../test-support/broker-fixtures';

/** Produce through the broker: idempotence, validation, timestamps, the partitioner, fsync. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const temp = tempDataDir();
  cleanups.push(temp.cleanup);
  return temp.dir;
}

async function open(dir = dataDir()): Promise<Broker> {
  const b = await startBroker(dir);
  cleanups.push(() => b.stop());
  return b;
}

function idempotent(
  values: string[],
  producerId: number,
  producerEpoch: number,
  baseSequence: number,
): Buffer {
  const options: EncodeOptions = { producerId, producerEpoch, baseSequence };
  return batchOf(values, options);
}

describe('idempotent produce', () => {
  it('stores a retried batch once and answers it with its original offsets', async () => {
    const dir = dataDir();
    let b = await open(dir);
    await b.createTopic('orders', { partitions: 1 });
    const { producerId, producerEpoch } = await b.initProducerId();
    expect(producerEpoch).toBe(0);
    const first = await b.produce('orders', 0, idempotent(['a', 'b', 'c'], producerId, 0, 0), { acks: -1 });
    expect(first).toMatchObject({ baseOffset: 0, lastOffset: 2, duplicate: false });
    const retry = await b.produce('orders', 0, idempotent(['a', 'b', 'c'], producerId, 0, 0), { acks: -1 });
    expect(retry).toMatchObject({ baseOffset: 0, lastOffset: 2, duplicate: true });
    const second = await b.produce('orders', 0, idempotent(['d'], producerId, 0, 3), { acks: -1 });
    expect(second.baseOffset).toBe(3);
    expect((await readAll(b, 'orders', 0)).map((r) => r.value)).toEqual(['a', 'b', 'c', 'd']);

    // The producer state survives a restart (snapshot), and a rebuild from the log alone.
    await b.stop();
    b = await open(dir);
    expect((await b.produce('orders', 0, idempotent(['d'], producerId, 0, 3), { acks: -1 })).duplicate).toBe(
      true,
    );
    await b.stop();
    const partitionDir = path.join(dir, 'logs', 'orders-0');
    for (const name of fs.readdirSync(partitionDir)) {
      if (name.endsWith('.snapshot')) fs.rmSync(path.join(partitionDir, name));
    }
    b = await open(dir);
    const again = await b.produce('orders', 0, idempotent(['a', 'b', 'c'], producerId, 0, 0), { acks: -1 });
    expect(again).toMatchObject({ baseOffset: 0, duplicate: true });
    expect((await readAll(b, 'orders', 0)).map((r) => r.value)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rejects a sequence gap and an old epoch, writing nothing', async () => {
    const b = await open();
    await b.createTopic('orders', { partitions: 1 });
    const { producerId } = await b.initProducerId();
    await b.produce('orders', 0, idempotent(['a'], producerId, 0, 0), { acks: -1 });
    const gap = await expectBrokerError(
      b.produce('orders', 0, idempotent(['z'], producerId, 0, 5), { acks: -1 }),
      'OUT_OF_ORDER_SEQUENCE_NUMBER',
      /expected sequence 1, received 5/,
    );
    expect((gap as { retriable?: boolean }).retriable).toBe(true);
    const bumped = await b.initProducerId({ producerId, producerEpoch: 0 });
    expect(bumped).toEqual({ producerId, producerEpoch: 1 });
    await b.produce('orders', 0, idempotent(['b'], producerId, 1, 0), { acks: -1 });
    await expectBrokerError(
      b.produce('orders', 0, idempotent(['old'], producerId, 0, 1), { acks: -1 }),
      'INVALID_PRODUCER_EPOCH',
    );
    expect((await readAll(b, 'orders', 0)).map((r) => r.value)).toEqual(['a', 'b']);
    // The partition answered; it did not fail.
    expect((await b.describeTopic('orders')).partitions[0]?.actor.restarts).toBe(0);
  });
});

describe('produce validation', () => {
  it('refuses corrupt, truncated and oversized batches and bad acks with typed errors', async () => {
    const b = await open();
    await b.createTopic('orders', { partitions: 1, configs: { 'max.message.bytes': 500 } });
    const corrupt = batchOf(['hello']);
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 0xff, corrupt.length - 1);
    await expectBrokerError(b.produce('orders', 0, corrupt, { acks: 1 }), 'CORRUPT_MESSAGE', /CRC/);
    await expectBrokerError(
      b.produce('orders', 0, batchOf(['x']).subarray(0, 40), { acks: 1 }),
      'CORRUPT_MESSAGE',
    );
    await expectBrokerError(
      b.produce('orders', 0, batchOf(['x'.repeat(600)]), { acks: 1 }),
      'MESSAGE_TOO_LARGE',
      /max\.message\.bytes \(500\) of orders-0/,
    );
    await expectBrokerError(
      b.produce('orders', 0, batchOf(['x']), { acks: 2 as 1 }),
      'INVALID_REQUEST',
      /acks/,
    );
    await expectBrokerError(
      b.produceRecords('orders', [{ value: 'x'.repeat(600) }]),
      'MESSAGE_TOO_LARGE',
      /nothing was produced/,
    );
    expect(await readAll(b, 'orders', 0)).toEqual([]);
    expect((await b.describeTopic('orders')).partitions[0]?.actor.restarts).toBe(0);
  });

  it('stamps LogAppendTime topics with the broker clock', async () => {
    const b = await open();
    await b.createTopic('audit', { partitions: 1, configs: { 'message.timestamp.type': 'LogAppendTime' } });
    const before = Date.now();
    const result = await b.produce('audit', 0, batchOf(['x'], { timestamp: 1000 }), { acks: 1 });
    expect(result.logAppendTime).toBeGreaterThanOrEqual(before);
    const [stored] = await readAll(b, 'audit', 0);
    expect(stored?.timestamp).toBe(result.logAppendTime);
    const [produced] = await b.produceRecords('audit', [{ value: 'y', timestamp: 5 }]);
    expect(produced?.timestampType).toBe('LogAppendTime');
    expect(produced?.timestamp).toBeGreaterThanOrEqual(before);
    const createTime = await open();
    await createTime.createTopic('events', { partitions: 1 });
    expect(
      (await createTime.produce('events', 0, batchOf(['x'], { timestamp: 1000 }), { acks: 1 })).logAppendTime,
    ).toBe(-1);
  });

  it('acknowledges fsync-before-ack appends in order, sharing fsyncs', async () => {
    const b = await open();
    await b.createTopic('ledger', { partitions: 1, configs: { 'sluice.fsync.before.ack': true } });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => b.produce('ledger', 0, batchOf([`e${i}`]), { acks: -1 })),
    );
    expect(results.map((r) => r.baseOffset)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect((await readAll(b, 'ledger', 0)).map((r) => r.value)).toEqual(results.map((_, i) => `e${i}`));
  });

  it('acknowledges a retried idempotent batch only once the original is fsynced', async () => {
    const b = await open();
    await b.createTopic('ledger', { partitions: 1, configs: { 'sluice.fsync.before.ack': true } });
    const { producerId } = await b.initProducerId();
    // Hold every fsync until released: the original's acknowledgement waits on it.
    const held: (() => void)[] = [];
    const realFdatasync = fs.fdatasync;
    const spy = vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (e: Error | null) => void) => {
      held.push(() => realFdatasync(fd, cb));
    }) as typeof fs.fdatasync);
    cleanups.push(() => {
      spy.mockRestore();
      for (const release of held.splice(0)) release();
    });
    let originalAcked = false;
    let retryAcked = false;
    const original = b
      .produce('ledger', 0, idempotent(['a'], producerId, 0, 0), { acks: -1 })
      .then((r) => ((originalAcked = true), r));
    await settle(5);
    // The client timed out and retried while the fsync is still under way.
    const retry = b
      .produce('ledger', 0, idempotent(['a'], producerId, 0, 0), { acks: -1 })
      .then((r) => ((retryAcked = true), r));
    await settle(5);
    expect(held.length).toBeGreaterThan(0);
    expect(originalAcked).toBe(false);
    expect(retryAcked).toBe(false);
    spy.mockRestore();
    for (const release of held.splice(0)) release();
    expect(await original).toMatchObject({ baseOffset: 0, duplicate: false });
    expect(await retry).toMatchObject({ baseOffset: 0, duplicate: true });
  });
  it('after a failed fsync, acknowledges the retry only once the reopened log fsynced it', async () => {
    const b = await open();
    await b.createTopic('ledger', { partitions: 1, configs: { 'sluice.fsync.before.ack': true } });
    const { producerId } = await b.initProducerId();
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    const failOnce = vi
      .spyOn(fs, 'fdatasync')
      .mockImplementationOnce(((_fd: number, cb: (e: Error) => void) => cb(eio)) as typeof fs.fdatasync);
    const markers = vi.spyOn(fs, 'writeFileSync');
    const openSyncs = vi.spyOn(fs, 'fdatasyncSync');
    cleanups.push(() => {
      vi.restoreAllMocks();
    });
    await expectBrokerError(
      b.produce('ledger', 0, idempotent(['a'], producerId, 0, 0), { acks: -1 }),
      'KAFKA_STORAGE_ERROR',
    );
    failOnce.mockRestore();
    // The client retries; the partition restarted meanwhile (its log reopened with recovery).
    const retry = await b.produce('ledger', 0, idempotent(['a'], producerId, 0, 0), { acks: -1 });
    expect(retry).toMatchObject({ baseOffset: 0, duplicate: true });
    // The failed incarnation's close did not claim a clean stop (a second fsync proves nothing)...
    expect(markers.mock.calls.filter(([file]) => String(file).endsWith('.clean-shutdown'))).toEqual([]);
    // ...so the new one fsynced the active segment before serving the duplicate answer.
    expect(openSyncs).toHaveBeenCalled();
    expect((await readAll(b, 'ledger', 0)).map((r) => r.value)).toEqual(['a']);
  });
});

describe('produceRecords', () => {
  it("chooses partitions as Kafka's default partitioner does and reports offsets per record", async () => {
    const b = await open();
    await b.createTopic('orders', { partitions: 6 });
    const keys = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const produced = await b.produceRecords(
      'orders',
      keys.map((key) => ({ key, value: `v-${key}`, headers: [{ key: 'h', value: key }] })),
    );
    produced.forEach((p, i) => expect(p.partition).toBe(partitionForKey(Buffer.from(keys[i]!), 6)));
    for (const p of produced) {
      const records = await readAll(b, 'orders', p.partition);
      const record = records.find((r) => r.offset === p.offset);
      expect(record?.value).toBe(`v-${record?.key}`);
      expect(record?.headers).toEqual([{ key: 'h', value: record?.key }]);
    }
    const keyless = await b.produceRecords('orders', [{ value: '1' }, { value: '2' }, { value: '3' }]);
    expect(new Set(keyless.map((p) => p.partition)).size).toBe(1);
    expect(keyless.map((p) => p.offset - keyless[0]!.offset)).toEqual([0, 1, 2]);
    const explicit = await b.produceRecords('orders', [{ value: 'x', partition: 5, timestamp: 42 }], {
      compression: 'gzip',
    });
    expect(explicit[0]).toMatchObject({ partition: 5, timestamp: 42, timestampType: 'CreateTime' });
    expect((await readAll(b, 'orders', 5)).at(-1)).toMatchObject({ value: 'x', timestamp: 42 });
  });

  it('validates every record before writing any', async () => {
    const b = await open();
    await b.createTopic('orders', { partitions: 2 });
    await expectBrokerError(
      b.produceRecords('orders', [
        { value: 'ok', partition: 0 },
        { value: 'bad', partition: 9 },
      ]),
      'UNKNOWN_TOPIC_OR_PARTITION',
      /Partition 9 of 'orders' does not exist \(it has 2\)/,
    );
    await expectBrokerError(b.produceRecords('orders', []), 'INVALID_RECORD', /No records/);
    await expectBrokerError(b.produceRecords('orders', [{ value: 'x', timestamp: 1.5 }]), 'INVALID_RECORD');
    await expectBrokerError(b.produceRecords('nope', [{ value: 'x' }]), 'UNKNOWN_TOPIC_OR_PARTITION');
    expect(await readAll(b, 'orders', 0)).toEqual([]);
  });

  it('writes the batch bytes as given, only assigning offsets', async () => {
    const b = await open();
    await b.createTopic('orders', { partitions: 1 });
    await b.produceRecords('orders', [{ value: 'first', partition: 0 }]);
    const batch = encodeRecordBatch([{ key: null, value: Buffer.from('raw') }], { baseOffset: 77 });
    const copy = Buffer.from(batch);
    await b.produce('orders', 0, batch, { acks: 1 });
    const fetched = await b.fetch({
      partitions: [{ topic: 'orders', partition: 0, offset: 1, maxBytes: 1 << 16 }],
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 16,
    });
    const stored = fetched.partitions[0]!.records;
    expect(stored.readBigInt64BE(BATCH.BASE_OFFSET)).toBe(1n);
    expect(stored.subarray(8)).toEqual(copy.subarray(8));
  });
});
