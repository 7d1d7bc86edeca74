import { afterEach, describe, expect, it } from 'vitest';
import { isBrokerError } from '../errors';
import { BATCH } from './batch-header';
import { Log } from './log';
import {
  batchOf,
  captureLogger,
  type FlatRecord,
  flatRecords,
  readAllBatches,
  rng,
  smallConfig,
  splitBatches,
  tempLogDir,
} from './test-support/log-fixtures';

/**
 * Offset and timestamp lookups against a brute-force scan of every record, over a log of many
 * small segments with sparse indexes and out-of-order CreateTime timestamps.
 */
let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

interface Built {
  log: Log;
  dir: string;
  records: FlatRecord[];
  batches: { base: number; last: number; bytes: Buffer }[];
}

async function buildLog(seed: number, options: { maxLoadedIndexes?: number } = {}): Promise<Built> {
  const temp = tempLogDir();
  cleanup = temp.cleanup;
  const random = rng(seed);
  const log = await Log.open(temp.dir, smallConfig(), { ...options, logger: captureLogger() });
  const batches: Built['batches'] = [];
  let clock = 1_000_000;
  for (let i = 0; i < 900; i++) {
    const count = 1 + Math.floor(random() * 6);
    clock += Math.floor(random() * 50);
    // Producers' clocks disagree: timestamps jump back and forth around a rising trend.
    const records = Array.from({ length: count }, (_, j) => ({
      key: Buffer.from(`k${i}-${j}`),
      value: Buffer.alloc(Math.floor(random() * 60), 97 + j),
      timestamp: clock + Math.floor((random() - 0.5) * 4_000),
    }));
    // Some batches compressed: the record-level timestamp walk must decompress them.
    const info = await log.append(batchOf(records, { compression: i % 5 === 0 ? 'gzip' : 'none' }));
    batches.push({ base: info.baseOffset, last: info.lastOffset, bytes: Buffer.alloc(0) });
  }
  const stored = readAllBatches(log);
  stored.forEach((bytes, i) => ((batches[i] as Built['batches'][number]).bytes = bytes));
  return { log, dir: temp.dir, records: flatRecords(stored), batches };
}

function bruteForTimestamp(records: FlatRecord[], ts: number, start: number) {
  const hit = records.find((r) => r.offset >= start && r.timestamp >= ts);
  return hit ? { offset: hit.offset, timestamp: hit.timestamp } : null;
}

function checkQueries(built: Built, seed: number): void {
  const { log, records, batches } = built;
  const random = rng(seed);
  const start = log.logStartOffset;
  const end = log.logEndOffset;
  const timestamps = records.map((r) => r.timestamp);
  const minTs = Math.min(...timestamps);
  const maxTs = Math.max(...timestamps);
  for (let q = 0; q < 400; q++) {
    const offset = Math.floor(random() * (end - start + 20)) + start - 10;
    const maxBytes = Math.floor(random() * 2_000);
    if (offset < start || offset > end) {
      expect(() => log.read(offset, maxBytes), `offset ${offset}`).toThrow(
        /Offset .* (before the start|past the end)/,
      );
      continue;
    }
    const result = log.read(offset, maxBytes);
    expect(result.highWatermark).toBe(end);
    if (offset === end) {
      expect(result.records.length).toBe(0);
      continue;
    }
    const i = batches.findIndex((b) => b.last >= offset);
    const expected = batches.slice(i);
    const parts = splitBatches(result.records);
    expect(parts.length, `parts for offset ${offset} maxBytes ${maxBytes}`).toBeGreaterThan(0);
    expect(result.firstBatchOffset).toBe(expected[0]?.base);
    // Whole batches only, consecutive from the one holding the offset, within maxBytes unless one.
    expect(Buffer.concat(parts).length).toBe(result.records.length);
    parts.forEach((part, k) => expect(part.equals(expected[k]?.bytes ?? Buffer.alloc(0))).toBe(true));
    if (parts.length > 1) expect(result.records.length).toBeLessThanOrEqual(maxBytes);
  }
  for (let q = 0; q < 300; q++) {
    const ts = Math.floor(minTs - 100 + random() * (maxTs - minTs + 200));
    expect(log.offsetForTimestamp(ts), `timestamp ${ts}`).toEqual(bruteForTimestamp(records, ts, start));
  }
  expect(log.offsetForTimestamp(maxTs + 1)).toBeNull();
  expect(log.offsetForTimestamp(minTs - 1)).toEqual(bruteForTimestamp(records, minTs - 1, start));
  const visible = records.filter((r) => r.offset >= start);
  const max = Math.max(...visible.map((r) => r.timestamp));
  const first = visible.find((r) => r.timestamp === max);
  expect(log.maxTimestampAndOffset()).toEqual({ offset: first?.offset, timestamp: max });
}

describe('Log lookups', () => {
  it('finds offsets and timestamps as a brute-force scan does, across many segments', async () => {
    const built = await buildLog(1);
    expect(built.log.segments().length).toBeGreaterThan(20);
    checkQueries(built, 2);
    await built.log.close();
  });

  it('gives the same answers after a restart, with indexes loaded lazily and evicted', async () => {
    const built = await buildLog(3);
    await built.log.close();
    const reopened = await Log.open(built.dir, smallConfig(), { maxLoadedIndexes: 2, maxOpenSegments: 3 });
    checkQueries({ ...built, log: reopened }, 4);
    await reopened.close();
  });

  it('respects a moved log start offset in reads and timestamp lookups', async () => {
    const built = await buildLog(5);
    const middle = built.batches[400] as Built['batches'][number];
    await built.log.deleteRecordsBefore(middle.base + 1);
    expect(built.log.logStartOffset).toBe(middle.base + 1);
    checkQueries(built, 6);
    // The batch holding the start offset is served whole, as Kafka does.
    expect(built.log.read(middle.base + 1, 1).firstBatchOffset).toBe(middle.base);
    await built.log.close();
  });

  it('returns at least one batch bigger than maxBytes unless minOneBatch is false', async () => {
    const built = await buildLog(7);
    const batch = built.batches[10] as Built['batches'][number];
    expect(built.log.read(batch.base, 1).records.equals(batch.bytes)).toBe(true);
    expect(built.log.read(batch.base, 1, { minOneBatch: false }).records.length).toBe(0);
    try {
      built.log.read(built.log.logEndOffset + 88, 100);
      expect.unreachable();
    } catch (error) {
      expect(isBrokerError(error, 'OFFSET_OUT_OF_RANGE')).toBe(true);
      expect((error as Error).message).toBe(
        `Offset ${built.log.logEndOffset + 88} is past the end (${built.log.logEndOffset}) of orders-2`,
      );
    }
    expect(batch.bytes.readInt8(BATCH.MAGIC)).toBe(2);
    await built.log.close();
  });
});
