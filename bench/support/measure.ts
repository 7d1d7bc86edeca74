import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Measuring helpers shared by the benchmarks: output format, timing, plain-disk baselines. */
export const MiB = 1024 * 1024;

export function emit(
  name: string,
  value: number,
  unit: string,
  comparison: Record<string, number | string>,
): void {
  const round = (v: number) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000);
  const rounded = Object.fromEntries(
    Object.entries(comparison).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]),
  );
  process.stdout.write(JSON.stringify({ name, value: round(value), unit, comparison: rounded }) + '\n');
}

export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

export function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/** Plain sequential writes of 1 MiB blocks, then one fsync: the disk's bandwidth for us. */
export function rawWrite(file: string, bytes: number): number {
  const block = Buffer.alloc(MiB, 7);
  const fd = fs.openSync(file, 'w');
  const start = process.hrtime.bigint();
  for (let written = 0; written < bytes; written += MiB) fs.writeSync(fd, block, 0, MiB, written);
  fs.fsyncSync(fd);
  const mbps = bytes / 1e6 / seconds(start);
  fs.closeSync(fd);
  fs.rmSync(file);
  return mbps;
}

/**
 * Plain reads of the same files a log holds, 1 MiB at a time: into one reused buffer (the
 * disk and page cache alone), or into a new buffer per read, as any reader that hands the
 * bytes to a caller (a fetch response in flight) must.
 */
export function rawRead(dir: string, fresh: boolean): number {
  const files = fs.readdirSync(dir).filter((n) => n.endsWith('.log'));
  const reused = Buffer.allocUnsafe(MiB);
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (const name of files) {
    const fd = fs.openSync(path.join(dir, name), 'r');
    let position = 0;
    for (;;) {
      const n = fs.readSync(fd, fresh ? Buffer.allocUnsafe(MiB) : reused, 0, MiB, position);
      if (n === 0) break;
      position += n;
    }
    bytes += position;
    fs.closeSync(fd);
  }
  return bytes / 1e6 / seconds(start);
}

/** Starts each timed write from a clean page cache: no other run's dirty pages to write back. */
export function syncDisks(): void {
  spawnSync('sync');
}

export function stats(samples: number[]): { p50: number; p95: number; max: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}
