import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { BATCH } from '../server/broker/log/batch-header';
import { Log } from '../server/broker/log/log';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../server/broker/log/log-config';
import { encodeRecordBatch } from '../server/broker/log/record-batch';
import { emit, MiB, percentile, progress, rawRead, rawWrite, seconds, syncDisks } from './support/measure';

/**
 * The partition log against the disk it runs on. Every figure is printed as one JSON line with
 * the comparison measured in the same run: plain fs writes and reads of the same volume, on the
 * same disk. Batches are encoded before the timed loops: the codec's cost is not the log's.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'out', `log-bench-${process.pid}`);
/** BENCH_QUICK=1 shrinks every volume (a smoke run of the code paths, not a measurement). */
const QUICK = process.env.BENCH_QUICK === '1';
const GiB = (QUICK ? 64 : 1024) * MiB;
const LOOKUP_BATCHES = QUICK ? 500 : 10_000;
const RSS_SEGMENTS = QUICK ? 50 : 1_000;

function freshDir(name: string): string {
  const dir = path.join(root, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A consumer reading the whole log from offset 0 with 1 MiB fetches. */
function logRead(log: Log): number {
  let next = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  while (next < log.logEndOffset) {
    const { records } = log.read(next, MiB);
    bytes += records.length;
    let pos = 0;
    while (pos + BATCH.HEADER_SIZE <= records.length) {
      const size = BATCH.LOG_OVERHEAD + records.readInt32BE(pos + BATCH.LENGTH);
      next = Number(records.readBigInt64BE(pos)) + records.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA) + 1;
      pos += size;
    }
  }
  return bytes / 1e6 / seconds(start);
}

function recordBatches(count: number, records: number, valueBytes: number): Buffer[] {
  return Array.from({ length: count }, (_, b) =>
    encodeRecordBatch(
      Array.from({ length: records }, (_, i) => ({
        key: null,
        value: Buffer.alloc(valueBytes, (b + i) % 251),
        timestamp: 1_700_000_000_000 + i,
      })),
    ),
  );
}

/** Appends `total` batches cycling over pre-encoded ones, plus the final fsync. */
async function appendThroughput(dir: string, config: LogConfig, batches: Buffer[], total: number) {
  const log = await Log.open(dir, config);
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const batch = batches[i % batches.length] as Buffer;
    bytes += batch.length;
    await log.append(batch);
  }
  await log.flush();
  const elapsed = seconds(start);
  return { log, elapsed, bytes, records: log.logEndOffset };
}

/**
 * Raw writes and 1 KiB-record appends alternate, three times, and the best of each counts: the
 * machine is shared, and one slow moment should not decide a ratio.
 */
async function appendFigures() {
  const wide = { ...DEFAULT_LOG_CONFIG, segmentBytes: 0x7fffffff, maxMessageBytes: 8 * MiB };
  const kib = recordBatches(8, 1_000, 1_024);
  const kibTotal = Math.ceil(GiB / (kib[0] as Buffer).length);
  // Untimed: on a VM the first touch of guest memory is slow; whoever ran first would pay it.
  progress('warm-up write');
  rawWrite(path.join(freshDir('raw'), 'raw.bin'), GiB);
  let raw = 0;
  let best: Awaited<ReturnType<typeof appendThroughput>> | null = null;
  for (let round = 0; round < 3; round++) {
    progress(`raw sequential write, ${GiB / MiB} MiB`);
    syncDisks();
    raw = Math.max(raw, rawWrite(path.join(freshDir('raw'), 'raw.bin'), GiB));
    progress(`append: ${kibTotal} batches of 1,000 x 1 KiB records`);
    syncDisks();
    const run = await appendThroughput(freshDir(`append-1k-${round}`), wide, kib, kibTotal);
    if (best === null || run.elapsed < best.elapsed) {
      await best?.log.delete();
      best = run;
    } else {
      await run.log.delete();
    }
  }
  if (best === null) throw new Error('no append run');
  emit('log.raw_write_bandwidth', raw, 'MB/s', {
    what: '1 MiB fs.writeSync blocks then fsync, best of 3',
    bytes: GiB,
  });
  const bigMBps = best.bytes / 1e6 / best.elapsed;
  emit('log.append.1KiB_records', best.records / best.elapsed, 'records/s', {
    'MB/s': bigMBps,
    'raw_write_MB/s': raw,
    ratio_to_raw: bigMBps / raw,
    target_ratio: 0.6,
  });

  const small = recordBatches(8, 1_000, 100);
  progress('append: 5,000 batches of 1,000 x 100 B records, best of 2');
  let little: Awaited<ReturnType<typeof appendThroughput>> | null = null;
  for (let round = 0; round < 2; round++) {
    syncDisks();
    const run = await appendThroughput(freshDir(`append-100-${round}`), wide, small, QUICK ? 300 : 5_000);
    if (little === null || run.elapsed < little.elapsed) {
      await little?.log.delete();
      little = run;
    } else {
      await run.log.delete();
    }
  }
  if (little === null) throw new Error('no append run');
  const littleMBps = little.bytes / 1e6 / little.elapsed;
  emit('log.append.100B_records', little.records / little.elapsed, 'records/s', {
    'MB/s': littleMBps,
    'raw_write_MB/s': raw,
    ratio_to_raw: littleMBps / raw,
    target_records_per_s: 1_000_000,
  });
  await little.log.delete();
  return best.log;
}

async function readFigures(log: Log): Promise<void> {
  progress('sequential read of the 1 GiB log, against plain reads of its files');
  let reused = 0;
  let fresh = 0;
  let ours = 0;
  for (let round = 0; round < 3; round++) {
    reused = Math.max(reused, rawRead(log.dir, false));
    fresh = Math.max(fresh, rawRead(log.dir, true));
    ours = Math.max(ours, logRead(log));
  }
  emit('log.read.sequential', ours, 'MB/s', {
    what: 'best of 3, 1 MiB fetches from offset 0 vs 1 MiB plain reads',
    'plain_read_new_buffer_MB/s': fresh,
    ratio_to_plain_new_buffer: ours / fresh,
    'plain_read_reused_buffer_MB/s': reused,
    ratio_to_plain_reused_buffer: ours / reused,
    target_ratio: 0.8,
  });
}

/** Recovery of the 1 GiB active segment: the marker removed as a crash leaves it. */
async function recoveryFigures(log: Log): Promise<void> {
  const dir = log.dir;
  await log.close();
  fs.unlinkSync(path.join(dir, '.clean-shutdown'));
  const size = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  let start = process.hrtime.bigint();
  let reopened = await Log.open(dir, DEFAULT_LOG_CONFIG);
  const tail = seconds(start);
  const end = reopened.logEndOffset;
  await reopened.close();
  fs.unlinkSync(path.join(dir, '.clean-shutdown'));
  for (const name of fs.readdirSync(dir).filter((n) => /\.(time)?index$/.test(n)))
    fs.unlinkSync(path.join(dir, name));
  start = process.hrtime.bigint();
  reopened = await Log.open(dir, DEFAULT_LOG_CONFIG);
  const full = seconds(start);
  if (reopened.logEndOffset !== end)
    throw new Error(`recovery lost data: ${reopened.logEndOffset} != ${end}`);
  const plain = rawRead(dir, false);
  emit('log.recovery.unclean_1GiB_active_segment', tail * 1000, 'ms', {
    segment_bytes: size,
    what: 'tail from the last index entry, CRC-checked',
    target_ms: 1000,
  });
  emit('log.recovery.unclean_1GiB_indexes_lost', full * 1000, 'ms', {
    segment_bytes: size,
    what: 'whole segment CRC-checked, indexes rebuilt',
    plain_read_ms: (size / 1e6 / plain) * 1000,
    target_ms: 1000,
  });
  await reopened.delete();
}

/** 10,000,000 records in 10,000 batches with increasing CreateTime timestamps, then lookups. */
async function lookupFigures(): Promise<void> {
  const config = { ...DEFAULT_LOG_CONFIG, segmentBytes: 64 * MiB };
  const log = await Log.open(freshDir('lookup'), config);
  progress('building a 10,000,000-record partition');
  const base = 1_700_000_000_000;
  for (let b = 0; b < LOOKUP_BATCHES; b++) {
    const records = Array.from({ length: 1_000 }, (_, i) => ({
      key: null,
      value: Buffer.alloc(8, i),
      timestamp: base + b * 1_000 + i,
    }));
    await log.append(encodeRecordBatch(records));
  }
  const count = log.logEndOffset;
  const queries = 20_000;
  const offsets = Array.from({ length: queries }, () => Math.floor(Math.random() * count));
  const byOffset: number[] = [];
  const byTime: number[] = [];
  for (const offset of offsets) {
    let start = process.hrtime.bigint();
    log.read(offset, 1);
    byOffset.push(Number(process.hrtime.bigint() - start) / 1e6);
    start = process.hrtime.bigint();
    const found = log.offsetForTimestamp(base + offset);
    byTime.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (found?.offset !== offset)
      throw new Error(`offsetForTimestamp(${base + offset}) gave ${found?.offset}`);
  }
  // The comparison: one plain positional read of a batch-sized block at a random position.
  const file = path.join(log.dir, fs.readdirSync(log.dir).find((n) => n.endsWith('.log')) as string);
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(16 * 1024);
  const plain: number[] = [];
  for (let q = 0; q < queries; q++) {
    const start = process.hrtime.bigint();
    fs.readSync(fd, buf, 0, buf.length, Math.floor(Math.random() * (fs.fstatSync(fd).size - buf.length)));
    plain.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  fs.closeSync(fd);
  for (const list of [byOffset, byTime, plain]) list.sort((a, b) => a - b);
  const segments = log.segments().length;
  for (const [name, list] of [
    ['offset', byOffset],
    ['timestamp', byTime],
  ] as const) {
    emit(`log.lookup.${name}.p50`, percentile(list, 0.5), 'ms', {
      records: count,
      segments,
      plain_pread_p50_ms: percentile(plain, 0.5),
    });
    emit(`log.lookup.${name}.p99`, percentile(list, 0.99), 'ms', {
      records: count,
      segments,
      plain_pread_p99_ms: percentile(plain, 0.99),
      target_ms: 1,
    });
  }
  await log.delete();
}

/** RSS of a fresh process that opens a log of 1,000 segments and reads from each. */
async function rssFigures(): Promise<void> {
  const segmentBytes = 256 * 1024;
  const log = await Log.open(freshDir('rss'), { ...DEFAULT_LOG_CONFIG, segmentBytes });
  progress('building a log of 1,000 segments');
  const batch = recordBatches(1, 1_000, 100)[0] as Buffer;
  while (log.segments().length < RSS_SEGMENTS) await log.append(batch);
  await log.close();
  // Bundled and run by plain node, so that tsx's own memory is not counted. esbuild is tsx's
  // dependency: present wherever this bench can run.
  const child = path.join(root, 'log-rss-child.mjs');
  buildSync({
    entryPoints: [path.join(here, 'support', 'log-rss-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: child,
    logLevel: 'error',
  });
  const run = spawnSync(process.execPath, ['--expose-gc', child, log.dir, String(segmentBytes)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`rss child failed: ${run.stderr}`);
  const r = JSON.parse(run.stdout) as Record<'bare' | 'opened' | 'afterReads' | 'segments', number>;
  emit('log.rss.open_1000_segments', r.opened / MiB, 'MiB', {
    segments: r.segments,
    process_at_start_MiB: r.bare / MiB,
    after_reading_every_segment_MiB: r.afterReads / MiB,
    target_MiB: 100,
  });
  fs.rmSync(log.dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  fs.mkdirSync(root, { recursive: true });
  try {
    const log = await appendFigures();
    await readFigures(log);
    await recoveryFigures(log);
    await lookupFigures();
    await rssFigures();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
