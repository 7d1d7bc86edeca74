import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../log-config';
import type { LogLogger } from '../log-segment';
import type { Log } from '../log';
import type { RecordInput } from '../record';
import { decodeBatches, type EncodeOptions, encodeRecordBatch } from '../record-batch';
import { BATCH, batchSize } from '../batch-header';

/** Shared helpers of the log's tests: temp partition dirs, batches, brute-force readers. */

export function tempLogDir(): { dir: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-log-'));
  return {
    dir: path.join(root, 'orders-2'),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export function smallConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...DEFAULT_LOG_CONFIG, segmentBytes: 4096, indexIntervalBytes: 256, ...overrides };
}

export function batchOf(records: Partial<RecordInput>[], options: EncodeOptions = {}): Buffer {
  return encodeRecordBatch(
    records.map((r) => ({
      key: r.key ?? null,
      value: r.value === undefined ? Buffer.from('v') : r.value,
      ...r,
    })),
    options,
  );
}

export function textBatch(values: string[], timestamp = 1_000, key: string | null = null): Buffer {
  return batchOf(
    values.map((v) => ({ key: key === null ? null : Buffer.from(key), value: Buffer.from(v), timestamp })),
  );
}

export interface FlatRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
}

/** Splits concatenated stored batches into their byte ranges. */
export function splitBatches(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos + BATCH.LOG_OVERHEAD <= buf.length && pos + batchSize(buf, pos) <= buf.length) {
    out.push(buf.subarray(pos, pos + batchSize(buf, pos)));
    pos += batchSize(buf, pos);
  }
  return out;
}

/** Every batch of the log, in order, by reading from the start like a consumer. */
export function readAllBatches(log: Log): Buffer[] {
  const batches: Buffer[] = [];
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const result = log.read(next, 64 * 1024);
    const parts = splitBatches(result.records);
    if (parts.length === 0) break;
    for (const batch of parts) {
      batches.push(Buffer.from(batch));
      next = Number(batch.readBigInt64BE(0)) + batch.readInt32BE(BATCH.LAST_OFFSET_DELTA) + 1;
    }
  }
  return batches;
}

export function flatRecords(batches: Buffer[]): FlatRecord[] {
  const out: FlatRecord[] = [];
  for (const decoded of decodeBatches(Buffer.concat(batches))) {
    for (const r of decoded.records) {
      out.push({
        offset: r.offset,
        timestamp: r.timestamp,
        key: r.key === null ? null : r.key.toString(),
        value: r.value === null ? null : r.value.toString(),
      });
    }
  }
  return out;
}

export function captureLogger(): LogLogger & { warnings: { o: object; msg: string }[] } {
  const warnings: { o: object; msg: string }[] = [];
  return { warnings, info: () => undefined, warn: (o, msg) => warnings.push({ o, msg }) };
}

export function segmentFiles(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(suffix))
    .sort()
    .map((n) => path.join(dir, n));
}

/** A deterministic pseudo-random generator, so a failing test can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
