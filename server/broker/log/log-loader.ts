import fs from 'node:fs';
import path from 'node:path';
import {
  CLEAN_SHUTDOWN_FILE,
  CLEANED_SUFFIX,
  DELETED_SUFFIX,
  errnoCode,
  INDEX_SUFFIX,
  LOG_START_OFFSET_FILE,
  LOG_SUFFIX,
  parseOffsetFileName,
  TIME_INDEX_SUFFIX,
  TMP_SUFFIX,
  writeFileAtomicSync,
} from './log-files';
import type { DiskFaultInjector } from './disk-faults';
import { FileHandleCache } from './file-handle-cache';
import type { LogConfig } from './log-config';
import { rebuildSegmentIndexes, recoverActiveSegment } from './log-recovery';
import type { LogOptions } from './log-types';
import { LruCache } from './lru-cache';
import { type LogLogger, LogSegment, type SegmentContext } from './log-segment';
import { OffsetIndex } from './offset-index';
import { recoverSwaps } from './segment-swap';
import { TimeIndex } from './time-index';

/**
 * Opening a partition directory: finish or discard an interrupted compaction, remove leftovers,
 * read each closed segment's summary (size, largest timestamp) without loading its indexes,
 * and recover the active segment. Thousands of segments cost a few small reads each.
 */
export interface LoadedLog {
  segments: LogSegment[];
  /** The persisted log start offset (DeleteRecords, retention), if any. */
  checkpointedStartOffset: number | null;
  cleanShutdown: boolean;
}

/** What the segments of one log share; `onRebuilt` hears of index rebuilds (sizes may change). */
export function createSegmentContext(
  config: LogConfig,
  logger: LogLogger,
  faults: DiskFaultInjector,
  options: LogOptions,
  onRebuilt: () => void,
): SegmentContext {
  return {
    files: new FileHandleCache(options.maxOpenSegments ?? 100),
    indexes: new LruCache<LogSegment, true>(options.maxLoadedIndexes ?? 32, (s) => s.releaseIndexes()),
    faults,
    logger,
    indexIntervalBytes: config.indexIntervalBytes,
    rebuildIndexes: (segment, reason) => {
      rebuildSegmentIndexes(segment, reason, logger);
      onRebuilt();
    },
  };
}

export function readLogStartOffset(dir: string): number | null {
  try {
    const value = Number(fs.readFileSync(path.join(dir, LOG_START_OFFSET_FILE), 'utf8').trim());
    return Number.isSafeInteger(value) && value >= 0 ? value : null;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

export function writeLogStartOffset(dir: string, offset: number): void {
  writeFileAtomicSync(path.join(dir, LOG_START_OFFSET_FILE), `${offset}\n`);
}

export function writeCleanShutdownMarker(dir: string): void {
  fs.writeFileSync(path.join(dir, CLEAN_SHUTDOWN_FILE), '');
}

function fileSize(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function loadClosedSegment(segment: LogSegment, ctx: SegmentContext): void {
  const last = TimeIndex.readLastEntry(segment.timeIndex.path);
  const indexSize = fileSize(segment.offsetIndex.path);
  if (last === 'damaged' || indexSize === null || indexSize % OffsetIndex.ENTRY_SIZE !== 0) {
    ctx.rebuildIndexes(segment, 'its index files are missing or not whole');
    ctx.indexes.set(segment, true);
    return;
  }
  segment.maxTimestamp = last?.timestamp ?? -1;
  segment.offsetOfMaxTimestamp = last ? segment.baseOffset + last.relativeOffset : -1;
}

export function loadLog(dir: string, ctx: SegmentContext, now: number, logger: LogLogger): LoadedLog {
  fs.mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, CLEAN_SHUTDOWN_FILE);
  const cleanShutdown = fs.existsSync(marker);
  // Removed before anything else: from here on a crash must read as an unclean stop.
  if (cleanShutdown) fs.unlinkSync(marker);

  for (const manifest of recoverSwaps(dir)) {
    logger.warn({ dir, ...manifest }, 'Completed a compaction swap interrupted by a crash');
  }
  const names = fs.readdirSync(dir);
  const bases: number[] = [];
  for (const name of names) {
    if ([CLEANED_SUFFIX, DELETED_SUFFIX, TMP_SUFFIX].some((suffix) => name.endsWith(suffix))) {
      fs.unlinkSync(path.join(dir, name));
      logger.info({ file: path.join(dir, name) }, 'Removed a leftover file');
      continue;
    }
    const base = parseOffsetFileName(name, LOG_SUFFIX);
    if (base !== null) bases.push(base);
  }
  bases.sort((a, b) => a - b);
  const known = new Set(bases);
  for (const name of names) {
    const base = parseOffsetFileName(name, INDEX_SUFFIX) ?? parseOffsetFileName(name, TIME_INDEX_SUFFIX);
    if (base !== null && !known.has(base)) fs.unlinkSync(path.join(dir, name));
  }

  const checkpointedStartOffset = readLogStartOffset(dir);
  const segments = bases.map((base) => {
    const stat = fs.statSync(path.join(dir, `${String(base).padStart(20, '0')}${LOG_SUFFIX}`));
    return new LogSegment(dir, base, stat.size, stat.birthtimeMs || stat.mtimeMs, ctx);
  });
  if (segments.length === 0) segments.push(new LogSegment(dir, checkpointedStartOffset ?? 0, 0, now, ctx));
  for (let i = 0; i < segments.length - 1; i++) loadClosedSegment(segments[i] as LogSegment, ctx);
  recoverActiveSegment(segments[segments.length - 1] as LogSegment, cleanShutdown, now, logger);
  return { segments, checkpointedStartOffset, cleanShutdown };
}
