import fs from 'node:fs';
import path from 'node:path';
import type { DiskFaultInjector } from './disk-faults';

/**
 * File names and raw I/O shared by the log's files. Segments are named by their base offset,
 * zero-padded to 20 digits as Kafka does, so that a directory listing sorts by offset.
 */
export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
/** A compaction output not yet committed. */
export const CLEANED_SUFFIX = '.cleaned';
/** A committed compaction's manifest: which segments the cleaned one replaces. */
export const SWAP_SUFFIX = '.swap';
/** A segment being removed by retention. */
export const DELETED_SUFFIX = '.deleted';
export const TMP_SUFFIX = '.tmp';
export const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';
export const LOG_START_OFFSET_FILE = 'log-start-offset.checkpoint';

export function offsetFileName(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

export function segmentPath(dir: string, baseOffset: number, suffix: string): string {
  return path.join(dir, offsetFileName(baseOffset) + suffix);
}

/** The base offset a `<20 digits><suffix>` file name carries, or null for any other name. */
export function parseOffsetFileName(name: string, suffix: string): number | null {
  if (!name.endsWith(suffix)) return null;
  const stem = name.slice(0, -suffix.length);
  return /^\d{20}$/.test(stem) ? Number(stem) : null;
}

/**
 * Writes all of `buf` at `position`. Positional writes keep the file in step with the in-memory
 * size even after a failure: the next write lands at the committed end, not after stray bytes.
 */
export function writeFully(fd: number, buf: Buffer, position: number, faults?: DiskFaultInjector): void {
  const fault = faults?.takeFault();
  if (fault) {
    fs.writeSync(fd, buf, 0, buf.length >> 1, position);
    throw fault;
  }
  let done = 0;
  while (done < buf.length) {
    done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
  }
}

/** Reads up to `length` bytes at `position`; shorter only at the end of the file. */
export function readAt(fd: number, length: number, position: number): Buffer {
  return readInto(fd, Buffer.allocUnsafe(Math.max(0, length)), position);
}

/** Fills `buf` from `position`; the part filled (shorter only at the end of the file). */
export function readInto(fd: number, buf: Buffer, position: number): Buffer {
  let done = 0;
  while (done < buf.length) {
    const n = fs.readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === buf.length ? buf : buf.subarray(0, done);
}

/** Replaces a small file atomically: temp file, fsync, rename. */
export function writeFileAtomicSync(file: string, data: Buffer | string): void {
  const tmp = file + TMP_SUFFIX;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function unlinkIfExists(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}
