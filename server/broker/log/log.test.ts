import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BrokerError, isBrokerError } from '../errors';
import { BATCH, computeBatchCrc } from './batch-header';
import { DiskFaultInjector } from './disk-faults';
import { Log } from './log';
import { decodeRecordBatch } from './record-batch';
import {
  batchOf,
  flatRecords,
  readAllBatches,
  segmentFiles,
  smallConfig,
  tempLogDir,
  textBatch,
} from './test-support/log-fixtures';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  vi.restoreAllMocks();
});

function newDir(): string {
  const temp = tempLogDir();
  cleanup = temp.cleanup;
  return temp.dir;
}

async function rejection(promise: Promise<unknown>): Promise<BrokerError> {
  try {
    await promise;
  } catch (error) {
    if (isBrokerError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function activeLogSize(dir: string): number {
  return fs.statSync(segmentFiles(dir, '.log').at(-1) as string).size;
}

describe('Log append and read', () => {
  it('assigns offsets, stores the batch as received and reads it back', async () => {
    const dir = newDir();
    const log = await Log.open(dir, smallConfig(), { clock: () => 42 });
    const first = await log.append(textBatch(['a', 'b', 'c'], 500));
    const second = await log.append(textBatch(['d'], 400));
    expect(first).toEqual({
      baseOffset: 0,
      lastOffset: 2,
      logAppendTime: -1,
      logStartOffset: 0,
      maxTimestamp: 500,
      sizeInBytes: first.sizeInBytes,
    });
    expect(second.baseOffset).toBe(3);
    expect(log.logEndOffset).toBe(4);
    const stored = readAllBatches(log);
    const sent = textBatch(['d'], 400);
    sent.writeBigInt64BE(3n, 0);
    expect(stored[1]?.equals(sent)).toBe(true);
    expect(flatRecords(stored).map((r) => [r.offset, r.value])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
    ]);
    expect(log.sizeInBytes).toBe(first.sizeInBytes + second.sizeInBytes);
    await log.close();
  });

  it('stamps LogAppendTime batches with the broker clock and a valid CRC', async () => {
    const log = await Log.open(newDir(), smallConfig({ messageTimestampType: 'LogAppendTime' }), {
      clock: () => 777,
    });
    const info = await log.append(textBatch(['x', 'y'], 5));
    expect(info.logAppendTime).toBe(777);
    expect(info.maxTimestamp).toBe(777);
    const decoded = decodeRecordBatch(readAllBatches(log)[0] as Buffer);
    expect(decoded.timestampType).toBe('LogAppendTime');
    expect(decoded.records.map((r) => r.timestamp)).toEqual([777, 777]);
    expect(log.offsetForTimestamp(700)).toEqual({ offset: 0, timestamp: 777 });
    await log.close();
  });

  it('returns an empty result at the end and OFFSET_OUT_OF_RANGE outside the log', async () => {
    const log = await Log.open(newDir(), smallConfig());
    await log.append(textBatch(['a']));
    expect(log.read(1, 100)).toEqual({
      records: Buffer.alloc(0),
      highWatermark: 1,
      logStartOffset: 0,
      firstBatchOffset: 1,
    });
    expect(() => log.read(2, 100)).toThrow('Offset 2 is past the end (1) of orders-2');
    expect(() => log.read(-1, 100)).toThrow('Offset -1 is before the start (0) of orders-2');
    await log.close();
  });
});

describe('Log bad input', () => {
  const tamper: [string, (b: Buffer) => void, RegExp][] = [
    ['a wrong CRC', (b) => (b[b.length - 1] = (b[b.length - 1] ?? 0) ^ 0xff), /CRC mismatch/],
    ['a wrong magic', (b) => b.writeInt8(1, BATCH.MAGIC), /magic 1/],
    ['a wrong length', (b) => b.writeInt32BE(b.readInt32BE(BATCH.LENGTH) + 5, BATCH.LENGTH), /length field/],
    [
      'a wrong record count',
      (b) => {
        b.writeInt32BE(1, BATCH.RECORD_COUNT);
        b.writeUInt32BE(computeBatchCrc(b), BATCH.CRC);
      },
      /declares 1 records but holds 2/,
    ],
  ];
  it.each(tamper)('rejects %s with CORRUPT_MESSAGE and writes nothing', async (_name, damage, message) => {
    const dir = newDir();
    const log = await Log.open(dir, smallConfig());
    await log.append(textBatch(['ok']));
    const size = activeLogSize(dir);
    const batch = textBatch(['one', 'two']);
    damage(batch);
    const error = await rejection(log.append(batch));
    expect(error.code).toBe('CORRUPT_MESSAGE');
    expect(error.message).toMatch(message);
    expect(activeLogSize(dir)).toBe(size);
    expect(log.logEndOffset).toBe(1);
    expect((await log.append(textBatch(['next']))).baseOffset).toBe(1);
    await log.close();
  });

  it('rejects a batch over max.message.bytes with MESSAGE_TOO_LARGE', async () => {
    const dir = newDir();
    const log = await Log.open(dir, smallConfig({ maxMessageBytes: 200 }));
    const error = await rejection(log.append(textBatch(['x'.repeat(300)])));
    expect(error.code).toBe('MESSAGE_TOO_LARGE');
    expect(error.message).toMatch(/max\.message\.bytes \(200\)/);
    expect(activeLogSize(dir)).toBe(0);
    await log.close();
  });
});

describe('Log write failures', () => {
  it('turns failed writes into KAFKA_STORAGE_ERROR, leaves no partial bytes and keeps working', async () => {
    const dir = newDir();
    const faults = new DiskFaultInjector();
    const log = await Log.open(dir, smallConfig({ segmentBytes: 100_000 }), { faults });
    for (let i = 0; i < 20; i++) await log.append(textBatch([`before-${i}`]));
    const size = activeLogSize(dir);
    faults.failNextWrites(2);
    for (let i = 0; i < 2; i++) {
      const error = await rejection(log.append(textBatch(['lost'])));
      expect(error.code).toBe('KAFKA_STORAGE_ERROR');
      expect(error.message).toMatch(/ENOSPC/);
      expect(activeLogSize(dir)).toBe(size);
    }
    expect(log.logEndOffset).toBe(20);
    expect((await log.append(textBatch(['after']))).baseOffset).toBe(20);
    const values = flatRecords(readAllBatches(log)).map((r) => r.value);
    expect(values).toEqual([...Array.from({ length: 20 }, (_, i) => `before-${i}`), 'after']);
    await log.close();
  });

  it('rolls back the log write when an index write fails', async () => {
    const dir = newDir();
    // Fails the second write of the next append: with index.interval.bytes 0 that is an index entry.
    class SecondWriteFails extends DiskFaultInjector {
      private calls = -1;
      arm(): void {
        this.calls = 0;
      }
      override takeFault(): Error | null {
        if (this.calls < 0) return null;
        this.calls += 1;
        if (this.calls !== 2) return null;
        this.calls = -1;
        return Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
      }
    }
    const faults = new SecondWriteFails();
    const log = await Log.open(dir, smallConfig({ indexIntervalBytes: 0, segmentBytes: 100_000 }), {
      faults,
    });
    for (let i = 0; i < 5; i++) await log.append(textBatch([`v${i}`], 1_000 + i));
    const sizes = ['.log', '.index', '.timeindex'].map(
      (s) => fs.statSync(segmentFiles(dir, s)[0] as string).size,
    );
    faults.arm();
    expect((await rejection(log.append(textBatch(['lost'], 2_000)))).code).toBe('KAFKA_STORAGE_ERROR');
    expect(
      ['.log', '.index', '.timeindex'].map((s) => fs.statSync(segmentFiles(dir, s)[0] as string).size),
    ).toEqual(sizes);
    await log.append(textBatch(['v5'], 1_005));
    await log.close();
    const reopened = await Log.open(dir, smallConfig({ indexIntervalBytes: 0 }));
    expect(flatRecords(readAllBatches(reopened)).map((r) => r.value)).toEqual([
      'v0',
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
    ]);
    expect(reopened.offsetForTimestamp(1_005)).toEqual({ offset: 5, timestamp: 1_005 });
    await reopened.close();
  });
});

describe('Log durability settings', () => {
  it('shares one fsync between concurrent appends that wait for it (group commit)', async () => {
    const sync = vi.spyOn(fs, 'fdatasync');
    const log = await Log.open(newDir(), smallConfig({ fsyncBeforeAck: true, segmentBytes: 1_000_000 }));
    const infos = await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(textBatch([`v${i}`]))));
    expect(infos.map((i) => i.baseOffset)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(sync.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(sync.mock.calls.length).toBeLessThanOrEqual(3);
    await log.close();
  });

  it('fsyncs every flush.messages records and not before', async () => {
    const sync = vi.spyOn(fs, 'fdatasync');
    const log = await Log.open(newDir(), smallConfig({ flushMessages: 4, segmentBytes: 1_000_000 }));
    await log.append(textBatch(['a', 'b', 'c']));
    expect(sync).not.toHaveBeenCalled();
    await log.append(textBatch(['d']));
    expect(sync).toHaveBeenCalledTimes(1);
    await log.close();
  });
});

describe('Log after a failed fsync', () => {
  const eio = () => Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });

  it('fails every later flush and writes no clean-shutdown marker, even if fsync works again', async () => {
    const dir = newDir();
    const log = await Log.open(dir, smallConfig({ fsyncBeforeAck: true }));
    const sync = vi
      .spyOn(fs, 'fdatasync')
      .mockImplementationOnce(((_fd: number, cb: (e: Error) => void) => cb(eio())) as typeof fs.fdatasync);
    expect((await rejection(log.append(textBatch(['a'])))).code).toBe('KAFKA_STORAGE_ERROR');
    sync.mockRestore();
    // The kernel may have dropped the pages: a second fsync "succeeding" proves nothing.
    expect((await rejection(log.flush())).message).toMatch(/EIO/);
    expect((await rejection(log.append(textBatch(['b'])))).code).toBe('KAFKA_STORAGE_ERROR');
    await expect(log.close()).rejects.toThrow(/EIO/);
    expect(fs.existsSync(path.join(dir, '.clean-shutdown'))).toBe(false);
  });

  it('fsyncs the active segment and its indexes when opened after an unclean stop', async () => {
    const dir = newDir();
    const crashed = await Log.open(dir, smallConfig());
    await crashed.append(textBatch(['a']));
    const sync = vi.spyOn(fs, 'fdatasyncSync');
    const reopened = await Log.open(dir, smallConfig()); // no marker: the first one never closed
    expect(sync).toHaveBeenCalledTimes(3); // .log, .index, .timeindex
    expect(flatRecords(readAllBatches(reopened)).map((r) => r.value)).toEqual(['a']);
    await reopened.close();
    sync.mockClear();
    await (await Log.open(dir, smallConfig())).close();
    expect(sync).not.toHaveBeenCalled(); // a clean stop costs nothing
    await crashed.close().catch(() => undefined);
  });
});

describe('Log lifecycle', () => {
  it('writes the clean-shutdown marker on close and removes it on open', async () => {
    const dir = newDir();
    const log = await Log.open(dir, smallConfig());
    await log.append(textBatch(['a']));
    await log.close();
    expect(fs.existsSync(path.join(dir, '.clean-shutdown'))).toBe(true);
    await expect(log.append(textBatch(['b']))).rejects.toThrow(/closed/);
    const reopened = await Log.open(dir, smallConfig());
    expect(fs.existsSync(path.join(dir, '.clean-shutdown'))).toBe(false);
    expect(reopened.logEndOffset).toBe(1);
    await reopened.delete();
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('purges with truncateFully and keeps the end offset as the new start', async () => {
    const dir = newDir();
    const log = await Log.open(dir, smallConfig());
    for (let i = 0; i < 100; i++) await log.append(batchOf([{ value: Buffer.alloc(100, i) }]));
    await log.truncateFully();
    expect(log.logStartOffset).toBe(100);
    expect(log.logEndOffset).toBe(100);
    expect(log.segments().length).toBe(1);
    expect(log.sizeInBytes).toBe(0);
    expect(() => log.read(99, 100)).toThrow(/before the start/);
    expect((await log.append(textBatch(['new']))).baseOffset).toBe(100);
    await log.close();
    const reopened = await Log.open(dir, smallConfig());
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([100, 101]);
    expect(flatRecords(readAllBatches(reopened)).map((r) => r.value)).toEqual(['new']);
    await reopened.close();
  });
});
