import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Log } from './log';
import type { LogConfig } from './log-config';
import { decodeBatches } from './record-batch';
import {
  batchOf,
  captureLogger,
  type FlatRecord,
  flatRecords,
  readAllBatches,
  smallConfig,
  tempLogDir,
} from './test-support/log-fixtures';

/** The directory listing at each directory fsync, to check what each one made durable. */
const dirSyncs = vi.hoisted(() => [] as string[][]);
vi.mock('../atomic-file', async (importOriginal) => {
  const original = await importOriginal<typeof import('../atomic-file')>();
  return {
    ...original,
    fsyncDirectory: async (dir: string) => {
      dirSyncs.push(fs.readdirSync(dir).sort());
      await original.fsyncDirectory(dir);
    },
  };
});

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

const HOUR = 3_600_000;

async function compactedLog(overrides: Partial<LogConfig> = {}) {
  const temp = tempLogDir();
  cleanup = temp.cleanup;
  const time = { now: 100 * HOUR };
  const config = smallConfig({
    cleanupPolicy: 'compact',
    segmentBytes: 1_024,
    deleteRetentionMs: HOUR,
    ...overrides,
  });
  const log = await Log.open(temp.dir, config, { clock: () => time.now, logger: captureLogger() });
  /** Appends key=value pairs (null value: tombstone) as one batch stamped now; returns offsets. */
  const put = async (pairs: [string, string | null][], compression: 'none' | 'gzip' = 'none') => {
    const batch = batchOf(
      pairs.map(([k, v]) => ({
        key: Buffer.from(k),
        value: v === null ? null : Buffer.from(v),
        timestamp: time.now,
      })),
      { compression },
    );
    const info = await log.append(batch);
    return pairs.map((_, i) => info.baseOffset + i);
  };
  return { log, time, put, dir: temp.dir, config };
}

/** What compaction must keep of `written` below `cleanableEnd`: the latest record of each key. */
function expectedAfterCompaction(written: FlatRecord[], cleanableEnd: number, dropTombstonesBefore: number) {
  const latest = new Map<string, number>();
  for (const r of written) if (r.offset < cleanableEnd && r.key !== null) latest.set(r.key, r.offset);
  return written.filter((r) => {
    if (r.offset >= cleanableEnd) return true;
    if (latest.get(r.key as string) !== r.offset) return false;
    return !(r.value === null && r.offset < dropTombstonesBefore);
  });
}

describe('Log compaction', () => {
  it('keeps the latest record per key with its original offset and leaves the active segment alone', async () => {
    const { log, time, put } = await compactedLog();
    for (let round = 0; round < 30; round++) {
      await put(
        Array.from(
          { length: 4 },
          (_, i) => [`key-${(round * 4 + i) % 10}`, `value-${round}-${i}`] as [string, string],
        ),
      );
      time.now += 1_000;
    }
    const written = flatRecords(readAllBatches(log));
    const active = log.segments().at(-1);
    const activeBytes = log.read(active?.baseOffset ?? 0, 1_000_000).records;
    const result = await log.compact();
    expect(result.removedRecords).toBeGreaterThan(0);
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore);
    const after = flatRecords(readAllBatches(log));
    expect(after).toEqual(expectedAfterCompaction(written, active?.baseOffset ?? 0, -1));
    expect(log.read(active?.baseOffset ?? 0, 1_000_000).records.equals(activeBytes)).toBe(true);
    expect(log.logEndOffset).toBe(120);
    // Idempotent: a second run finds nothing more to remove.
    expect((await log.compact()).removedRecords).toBe(0);
    expect(flatRecords(readAllBatches(log))).toEqual(after);
    await log.close();
  });

  it('keeps tombstones for delete.retention.ms, then drops them', async () => {
    const { log, time, put } = await compactedLog({ segmentBytes: 400 });
    await put([
      ['a', '1'],
      ['b', '1'],
    ]);
    await put([['a', null]]);
    for (let i = 0; i < 12; i++) await put([[`filler-${i}`, 'x'.repeat(40)]]);
    time.now += HOUR / 2;
    await log.compact();
    let records = flatRecords(readAllBatches(log));
    expect(records.find((r) => r.key === 'a')).toEqual({
      offset: 2,
      timestamp: 100 * HOUR,
      key: 'a',
      value: null,
    });
    expect(records.find((r) => r.key === 'b')?.offset).toBe(1);
    time.now += HOUR;
    await log.compact();
    records = flatRecords(readAllBatches(log));
    expect(records.find((r) => r.key === 'a')).toBeUndefined();
    expect(records.find((r) => r.key === 'b')?.offset).toBe(1);
    await log.close();
  });

  it('does not clean segments younger than min.compaction.lag.ms', async () => {
    const { log, time, put } = await compactedLog({ minCompactionLagMs: HOUR });
    for (let i = 0; i < 40; i++) await put([[`k${i % 3}`, `old-${i}`.padEnd(40, '.')]]);
    time.now += 2 * HOUR;
    for (let i = 0; i < 40; i++) await put([[`k${i % 3}`, `new-${i}`.padEnd(40, '.')]]);
    const written = flatRecords(readAllBatches(log));
    const youngStart = log.segments().find((s) => s.maxTimestamp > time.now - HOUR)?.baseOffset ?? 0;
    await log.compact();
    expect(flatRecords(readAllBatches(log))).toEqual(expectedAfterCompaction(written, youngStart, -1));
    expect(flatRecords(readAllBatches(log)).filter((r) => r.value?.startsWith('new')).length).toBe(40);
    await log.close();
  });

  it('keeps the compression of re-encoded batches, and reads and restarts cleanly over the gaps', async () => {
    const { log, put, dir, config } = await compactedLog();
    for (let i = 0; i < 30; i++)
      await put(
        [
          [`k${i}`, 'first'],
          ['shared', `s${i}`],
          [`k${i}`, 'second'],
        ],
        'gzip',
      );
    const written = flatRecords(readAllBatches(log));
    const activeBase = log.segments().at(-1)?.baseOffset ?? 0;
    await log.compact();
    const batches = readAllBatches(log);
    for (const decoded of decodeBatches(Buffer.concat(batches))) expect(decoded.compression).toBe('gzip');
    const expected = expectedAfterCompaction(written, activeBase, -1);
    expect(flatRecords(batches)).toEqual(expected);
    // Every offset reads (gaps lead to the next kept batch), as a consumer seeking anywhere would.
    for (let offset = 0; offset < log.logEndOffset; offset++) {
      const first = flatRecords(batches).find((r) => r.offset >= offset);
      const got = flatRecords([log.read(offset, 1).records]);
      expect(got.some((r) => r.offset === first?.offset)).toBe(true);
    }
    await log.close();
    const reopened = await Log.open(dir, config);
    expect(flatRecords(readAllBatches(reopened))).toEqual(expected);
    await reopened.close();
  });

  it('finishes a committed swap and discards an uncommitted one after a crash', async () => {
    const { log, put, dir, config } = await compactedLog();
    for (let i = 0; i < 40; i++) await put([[`k${i}`, 'v'.repeat(60)]]);
    await log.close();
    const [first, second] = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.log'))
      .sort();
    const base = (name: string | undefined) => Number(name?.slice(0, 20));
    const pad = (n: number) => String(n).padStart(20, '0');
    // Uncommitted: cleaned files without a manifest must vanish and change nothing.
    fs.writeFileSync(path.join(dir, `${pad(base(first))}.log.cleaned`), 'partial');
    // Committed: a manifest saying segment 1's content (as cleaned files of segment 0) replaces 0 and 1.
    for (const suffix of ['.log', '.index', '.timeindex']) {
      fs.copyFileSync(
        path.join(dir, `${pad(base(second))}${suffix}`),
        path.join(dir, `${pad(base(first))}${suffix}.cleaned`),
      );
    }
    fs.writeFileSync(
      path.join(dir, `${pad(base(first))}.swap`),
      JSON.stringify({ baseOffset: base(first), replaces: [base(first), base(second)] }),
    );
    const reopened = await Log.open(dir, config);
    const leftovers = fs.readdirSync(dir).filter((n) => n.endsWith('.cleaned') || n.endsWith('.swap'));
    expect(leftovers).toEqual([]);
    expect(reopened.segments()[0]?.baseOffset).toBe(base(first));
    expect(reopened.segments()[1]?.baseOffset).not.toBe(base(second));
    const offsets = flatRecords(readAllBatches(reopened)).map((r) => r.offset);
    expect(offsets[0]).toBe(base(second));
    expect(offsets).toEqual(Array.from({ length: 40 - base(second) }, (_, i) => base(second) + i));
    await reopened.close();
  });

  it('fsyncs the directory after the commit point, after the renames and after the manifest goes', async () => {
    const { log, put } = await compactedLog();
    for (let i = 0; i < 40; i++) await put([[`k${i % 4}`, `v${i}`.padEnd(60, '.')]]);
    const segments = log.segments().map((s) => String(s.baseOffset).padStart(20, '0'));
    dirSyncs.length = 0;
    expect((await log.compact()).removedRecords).toBeGreaterThan(0);
    const swaps = dirSyncs.map((names) => names.filter((n) => /\.swap$|\.cleaned$/.test(n)));
    // Per swap: manifest and cleaned files committed while every original still exists, then
    // the renames with the manifest still there, then the manifest's removal.
    expect(swaps.length).toBeGreaterThanOrEqual(3);
    expect(swaps[0]).toEqual(
      expect.arrayContaining([expect.stringMatching(/\.swap$/), expect.stringMatching(/\.log\.cleaned$/)]),
    );
    expect(dirSyncs[0]).toEqual(expect.arrayContaining(segments.map((s) => `${s}.log`)));
    expect(swaps[1]?.filter((n) => n.endsWith('.swap'))).toHaveLength(1);
    expect(swaps[1]?.filter((n) => n.endsWith('.cleaned'))).toEqual([]);
    expect(swaps.at(-1)).toEqual([]);
    await log.close();
  });

  it('gives way to retention and close while it runs, leaving no cleaned files behind', async () => {
    const { log, put, dir, config } = await compactedLog();
    for (let i = 0; i < 60; i++) await put([[`k${i % 4}`, `v${i}`.padEnd(60, '.')]]);
    const second = log.segments()[1]?.baseOffset ?? 0;
    const running = log.compact();
    await log.deleteRecordsBefore(second); // removes the first segment under the cleaner's feet
    await running;
    expect(log.logStartOffset).toBe(second);
    const expected = flatRecords(readAllBatches(log));
    const closing = log.compact();
    await log.close();
    await closing;
    expect(fs.readdirSync(dir).filter((n) => /cleaned|swap/.test(n))).toEqual([]);
    const reopened = await Log.open(dir, config);
    const after = flatRecords(readAllBatches(reopened));
    // Whatever the interrupted run managed, every key keeps its latest value.
    for (const r of expected.filter((r) => !expected.some((o) => o.key === r.key && o.offset > r.offset))) {
      expect(after).toContainEqual(r);
    }
    await reopened.close();
  });
});
