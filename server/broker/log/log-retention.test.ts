import { afterEach, describe, expect, it } from 'vitest';
import { Log } from './log';
import type { LogConfig } from './log-config';
import {
  batchOf,
  flatRecords,
  readAllBatches,
  smallConfig,
  tempLogDir,
  textBatch,
} from './test-support/log-fixtures';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

const HOUR = 3_600_000;

/** A log whose clock the test moves; every batch is stamped with the current time. */
async function clockedLog(overrides: Partial<LogConfig>) {
  const temp = tempLogDir();
  cleanup = temp.cleanup;
  const time = { now: 10 * HOUR };
  const config = smallConfig(overrides);
  const log = await Log.open(temp.dir, config, { clock: () => time.now });
  const append = (value: string, bytes = 100) =>
    log.append(batchOf([{ value: Buffer.from(value.padEnd(bytes, '.')), timestamp: time.now }]));
  return { log, time, append, dir: temp.dir, config };
}

describe('Segment roll', () => {
  it('rolls when the next batch would pass segment.bytes', async () => {
    const { log, append } = await clockedLog({ segmentBytes: 1_000 });
    for (let i = 0; i < 50; i++) await append(`v${i}`);
    const segments = log.segments();
    expect(segments.length).toBeGreaterThanOrEqual(6);
    for (const s of segments) expect(s.sizeInBytes).toBeLessThanOrEqual(1_000);
    segments.slice(1).forEach((s, i) => expect(s.baseOffset).toBe(segments[i]?.nextOffset));
    expect(segments.at(-1)?.nextOffset).toBe(50);
    await log.close();
  });

  it('rolls by segment.ms on append and on enforceRetention', async () => {
    const { log, time, append } = await clockedLog({ segmentMs: HOUR, segmentBytes: 1_000_000 });
    await append('a');
    time.now += HOUR;
    await append('b');
    expect(log.segments().length).toBe(1);
    time.now += 1;
    await append('c');
    expect(log.segments().map((s) => s.baseOffset)).toEqual([0, 2]);
    time.now += HOUR + 1;
    await log.enforceRetention();
    expect(log.segments().map((s) => s.baseOffset)).toEqual([0, 2, 3]);
    // An empty active segment is never rolled.
    time.now += 10 * HOUR;
    await log.enforceRetention();
    expect(log.segments().length).toBe(3);
    await log.close();
  });
});

describe('Retention', () => {
  it('deletes closed segments older than retention.ms and moves the log start offset', async () => {
    const { log, time, append, dir, config } = await clockedLog({
      retentionMs: 5 * HOUR,
      segmentBytes: 1_000,
    });
    for (let i = 0; i < 30; i++) await append(`old${i}`);
    time.now += 3 * HOUR;
    for (let i = 0; i < 30; i++) await append(`new${i}`);
    const before = log.segments();
    time.now += 2 * HOUR + 1; // the old batches are now 5 h + 1 ms old, the new ones 2 h
    const result = await log.enforceRetention();
    const after = log.segments();
    expect(result.deletedSegments).toBeGreaterThan(0);
    expect(result.bytes).toBe(before.slice(0, result.deletedSegments).reduce((n, s) => n + s.sizeInBytes, 0));
    expect(log.logStartOffset).toBe(after[0]?.baseOffset);
    // Every deleted segment held only old batches, and none of the new ones is gone.
    expect(log.logStartOffset).toBeLessThanOrEqual(30);
    expect(flatRecords(readAllBatches(log)).filter((r) => r.value?.startsWith('new')).length).toBe(30);
    expect(() => log.read(0, 100)).toThrow(/before the start/);
    await log.close();
    const reopened = await Log.open(dir, config);
    expect(reopened.logStartOffset).toBe(after[0]?.baseOffset);
    await reopened.close();
  });

  it('never deletes the active segment, however old', async () => {
    const { log, time, append } = await clockedLog({ retentionMs: HOUR, segmentBytes: 1_000_000 });
    await append('only');
    time.now += 100 * HOUR;
    // segment.ms (7 days) has not passed, so the active segment stays and is kept.
    expect((await log.enforceRetention()).deletedSegments).toBe(0);
    expect(log.logEndOffset).toBe(1);
    expect(log.read(0, 100).records.length).toBeGreaterThan(0);
    await log.close();
  });

  it('deletes the oldest segments while the log stays over retention.bytes', async () => {
    const { log, append } = await clockedLog({ retentionBytes: 5_000, segmentBytes: 1_000 });
    for (let i = 0; i < 100; i++) await append(`v${i}`);
    const result = await log.enforceRetention();
    expect(result.deletedSegments).toBeGreaterThan(0);
    const first = log.segments()[0];
    // One more deletion would take the log under the limit; this one did not.
    expect(log.sizeInBytes).toBeGreaterThanOrEqual(5_000);
    expect(log.sizeInBytes - (first?.sizeInBytes ?? 0)).toBeLessThan(5_000);
    expect(log.logStartOffset).toBe(first?.baseOffset);
    await log.close();
  });

  it('keeps everything under cleanup.policy=compact', async () => {
    const { log, time, append } = await clockedLog({
      cleanupPolicy: 'compact',
      retentionMs: HOUR,
      retentionBytes: 100,
    });
    for (let i = 0; i < 60; i++) await append(`v${i}`);
    time.now += 10 * HOUR;
    expect(await log.enforceRetention()).toEqual({ deletedSegments: 0, bytes: 0 });
    expect(log.logStartOffset).toBe(0);
    await log.close();
  });
});

describe('deleteRecordsBefore', () => {
  it('moves the start offset, deletes covered segments and persists across restart', async () => {
    const { log, append, dir, config } = await clockedLog({ segmentBytes: 1_000 });
    for (let i = 0; i < 60; i++) await append(`v${i}`);
    const segmentsBefore = log.segments().length;
    expect(await log.deleteRecordsBefore(37)).toBe(37);
    expect(log.logStartOffset).toBe(37);
    expect(log.segments().length).toBeLessThan(segmentsBefore);
    expect(log.segments()[0]?.baseOffset).toBeLessThanOrEqual(37);
    expect(() => log.read(36, 100)).toThrow('Offset 36 is before the start (37) of orders-2');
    expect(flatRecords(readAllBatches(log))[0]?.offset).toBe(37);
    expect(await log.deleteRecordsBefore(10)).toBe(37);
    await expect(log.deleteRecordsBefore(61)).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    await log.close();
    const reopened = await Log.open(dir, config);
    expect(reopened.logStartOffset).toBe(37);
    expect(reopened.offsetForTimestamp(0)?.offset).toBe(37);
    await reopened.close();
  });

  it('can move the start to the end offset, leaving an empty readable log', async () => {
    const { log, append } = await clockedLog({});
    for (let i = 0; i < 10; i++) await append(`v${i}`);
    await log.deleteRecordsBefore(10);
    expect(log.read(10, 100).records.length).toBe(0);
    expect(log.offsetForTimestamp(0)).toBeNull();
    expect(log.maxTimestampAndOffset()).toBeNull();
    expect((await log.append(textBatch(['after']))).baseOffset).toBe(10);
    await log.close();
  });
});
