import fs from 'node:fs';
import { BATCH } from './batch-header';
import { BatchReader } from './batch-reader';
import type { DiskFaultInjector } from './disk-faults';
import type { FileHandleCache } from './file-handle-cache';
import { readInt64 } from './index-file';
import { INDEX_SUFFIX, LOG_SUFFIX, segmentPath, TIME_INDEX_SUFFIX, writeFully } from './log-files';
import type { LruCache } from './lru-cache';
import { OffsetIndex } from './offset-index';
import { TimeIndex } from './time-index';

export interface LogLogger {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}

/** What every segment of one log shares: descriptor and index caches, faults, settings. */
export interface SegmentContext {
  files: FileHandleCache;
  /** Closed segments whose indexes are in memory; evicting one releases its index buffers. */
  indexes: LruCache<LogSegment, true>;
  faults?: DiskFaultInjector;
  logger: LogLogger;
  /** Updated by Log.updateConfig. */
  indexIntervalBytes: number;
  /** Rebuilds a closed segment's indexes from its .log (see log-recovery.ts). */
  rebuildIndexes(segment: LogSegment, reason: string): void;
}

export interface BatchLocation {
  position: number;
  baseOffset: number;
}

/** Lookups read this much past an index entry at once: one interval of headers in one read. */
const SCAN_CHUNK = 16 * 1024;
const MAX_RELATIVE_OFFSET = 0x7fffffff;

export function headerBaseOffset(header: Buffer): number {
  return readInt64(header, BATCH.BASE_OFFSET);
}

export function headerLastOffset(header: Buffer): number {
  return headerBaseOffset(header) + header.readInt32BE(BATCH.LAST_OFFSET_DELTA);
}

export function headerMaxTimestamp(header: Buffer): number {
  return readInt64(header, BATCH.MAX_TIMESTAMP);
}

/**
 * Kafka's LogSegment: one .log file of batches stored as received, with its sparse OffsetIndex
 * and TimeIndex. Only the active (last) segment has a writer; `size` is the committed length,
 * and nothing past it is ever read, so a failed or torn write is never served.
 */
export class LogSegment {
  readonly logPath: string;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  /** Largest batch maxTimestamp in the segment, -1 when none. */
  maxTimestamp = -1;
  /** Base offset of the batch where maxTimestamp was first reached. */
  offsetOfMaxTimestamp = -1;
  /** Next offset after the last batch; known for the active segment. */
  nextOffset: number;
  bytesSinceIndexEntry = 0;
  private writer: number | null = null;
  /** A failed rollback may have left bytes past `size`; cut them before the file is closed. */
  private tailDirty = false;

  constructor(
    readonly dir: string,
    readonly baseOffset: number,
    public size: number,
    public createdAt: number,
    private readonly ctx: SegmentContext,
    suffix = '',
  ) {
    this.logPath = segmentPath(dir, baseOffset, LOG_SUFFIX + suffix);
    this.offsetIndex = new OffsetIndex(segmentPath(dir, baseOffset, INDEX_SUFFIX + suffix));
    this.timeIndex = new TimeIndex(segmentPath(dir, baseOffset, TIME_INDEX_SUFFIX + suffix));
    this.nextOffset = baseOffset;
  }

  get isActive(): boolean {
    return this.writer !== null;
  }

  /**
   * Opens the files for appending, creating them (`fresh`: emptying any leftover of the same
   * name); the indexes must already be loaded or empty.
   */
  openWriter(fresh = false): void {
    const flags = fs.constants.O_RDWR | fs.constants.O_CREAT | (fresh ? fs.constants.O_TRUNC : 0);
    this.writer = fs.openSync(this.logPath, flags, 0o644);
    this.offsetIndex.openWriter();
    this.timeIndex.openWriter();
    this.ctx.indexes.evict(this);
    this.ctx.files.release(this.logPath);
  }

  fd(): number {
    return this.writer ?? this.ctx.files.fd(this.logPath);
  }

  /** Appends a batch whose offsets are already assigned; on failure nothing of it remains. */
  append(batch: Buffer, baseOffset: number, lastOffset: number, maxTimestamp: number): void {
    if (this.writer === null) throw new Error(`Segment ${this.logPath} is not active`);
    const position = this.size;
    const saved = this.indexingState();
    try {
      writeFully(this.writer, batch, position, this.ctx.faults);
      this.indexBatch(baseOffset, maxTimestamp, position, batch.length, this.ctx.faults);
    } catch (error) {
      this.rollback(saved, position);
      throw error;
    }
    this.size = position + batch.length;
    this.nextOffset = lastOffset + 1;
  }

  /**
   * Index bookkeeping for one batch, shared by appends and recovery. Entries go in before the
   * batch they point at is counted, time index first: recovery from an offset index entry can
   * then rely on the time index entries before it (see TimeIndex).
   */
  indexBatch(
    baseOffset: number,
    maxTimestamp: number,
    position: number,
    size: number,
    faults?: DiskFaultInjector,
  ) {
    if (this.bytesSinceIndexEntry > this.ctx.indexIntervalBytes) {
      this.appendTimeIndexEntryIfGrown(faults);
      this.offsetIndex.append(baseOffset - this.baseOffset, position, faults);
      this.bytesSinceIndexEntry = 0;
    }
    if (maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = maxTimestamp;
      this.offsetOfMaxTimestamp = baseOffset;
    }
    this.bytesSinceIndexEntry += size;
  }

  /** Records the current max timestamp if the time index does not have it yet. */
  appendTimeIndexEntryIfGrown(faults?: DiskFaultInjector): void {
    const last = this.timeIndex.lastEntry();
    if (this.maxTimestamp > (last?.timestamp ?? -1)) {
      this.timeIndex.append(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset, faults);
    }
  }

  private indexingState() {
    return {
      offsetEntries: this.offsetIndex.entryCount,
      timeEntries: this.timeIndex.entryCount,
      bytesSinceIndexEntry: this.bytesSinceIndexEntry,
      maxTimestamp: this.maxTimestamp,
      offsetOfMaxTimestamp: this.offsetOfMaxTimestamp,
    };
  }

  private rollback(saved: ReturnType<LogSegment['indexingState']>, position: number): void {
    this.bytesSinceIndexEntry = saved.bytesSinceIndexEntry;
    this.maxTimestamp = saved.maxTimestamp;
    this.offsetOfMaxTimestamp = saved.offsetOfMaxTimestamp;
    try {
      this.offsetIndex.truncateEntries(saved.offsetEntries);
      this.timeIndex.truncateEntries(saved.timeEntries);
      if (this.writer !== null) fs.ftruncateSync(this.writer, position);
    } catch {
      // The disk refuses even a truncate: reads stop at `size` and the next append overwrites
      // the stray bytes (positional writes); close and roll cut them off.
      this.tailDirty = true;
    }
  }

  /**
   * Stops appending: writes the final time index entry (so that the last entry carries the
   * segment's largest timestamp) and closes the index writers. Returns the .log descriptor,
   * which the caller closes once no fsync is using it.
   */
  seal(): number | null {
    if (this.writer === null) return null;
    this.appendTimeIndexEntryIfGrown(this.ctx.faults);
    if (this.tailDirty) fs.ftruncateSync(this.writer, this.size);
    this.offsetIndex.closeWriter();
    this.timeIndex.closeWriter();
    const fd = this.writer;
    this.writer = null;
    this.ctx.indexes.set(this, true);
    return fd;
  }

  /** Loads a closed segment's indexes on first use, rebuilding them if they are not sound. */
  ensureIndexes(): void {
    if (this.writer !== null) return;
    if (this.offsetIndex.isLoaded && this.timeIndex.isLoaded) {
      this.ctx.indexes.get(this);
      return;
    }
    const offsets = this.offsetIndex.readFile();
    const times = this.timeIndex.readFile();
    this.offsetIndex.adopt(offsets);
    this.timeIndex.adopt(times);
    const problem =
      offsets.length % OffsetIndex.ENTRY_SIZE !== 0 || times.length % TimeIndex.ENTRY_SIZE !== 0
        ? 'its size is not a whole number of entries'
        : (this.offsetIndex.problem(this.size, MAX_RELATIVE_OFFSET) ??
          this.timeIndex.problem(MAX_RELATIVE_OFFSET));
    if (problem !== null) this.ctx.rebuildIndexes(this, problem);
    this.ctx.indexes.set(this, true);
  }

  releaseIndexes(): void {
    this.offsetIndex.release();
    this.timeIndex.release();
  }

  /**
   * The first batch whose last offset is >= `offset`: index lookup, then a forward walk of
   * headers (one index interval). Null when the segment holds nothing at or after `offset`.
   */
  translateOffset(offset: number, afterRebuild = false): BatchLocation | null {
    this.ensureIndexes();
    const entry = this.offsetIndex.lookup(offset - this.baseOffset);
    const reader = new BatchReader(this.fd(), this.size, SCAN_CHUNK, true);
    let position = entry?.position ?? 0;
    for (;;) {
      const header = reader.view(position, BATCH.HEADER_SIZE);
      if (header === null) return null;
      const base = headerBaseOffset(header);
      const stale =
        entry !== null && position === entry.position && base !== this.baseOffset + entry.relativeOffset;
      if (stale && !afterRebuild) {
        // The entry points at the wrong batch: the index is damaged. Rebuild, then look again.
        this.ctx.rebuildIndexes(this, `entry for offset ${entry.relativeOffset} points at offset ${base}`);
        return this.translateOffset(offset, true);
      }
      const size = BATCH.LOG_OVERHEAD + header.readInt32BE(BATCH.LENGTH);
      if (size < BATCH.HEADER_SIZE || position + size > this.size) return null;
      if (headerLastOffset(header) >= offset) return { position, baseOffset: base };
      position += size;
    }
  }

  /** Walks batch headers from `position`; `visit` returns true to stop. */
  walk(
    position: number,
    visit: (header: Buffer, position: number, size: number, reader: BatchReader) => boolean,
  ) {
    const reader = new BatchReader(this.fd(), this.size, SCAN_CHUNK, true);
    for (;;) {
      const header = reader.view(position, BATCH.HEADER_SIZE);
      if (header === null) return;
      const size = BATCH.LOG_OVERHEAD + header.readInt32BE(BATCH.LENGTH);
      if (size < BATCH.HEADER_SIZE || position + size > this.size) return;
      if (visit(header, position, size, reader)) return;
      position += size;
    }
  }

  /** Closes everything without the final index entry (deletion, failed open). */
  closeFiles(): void {
    this.ctx.indexes.evict(this);
    this.ctx.files.release(this.logPath);
    this.offsetIndex.closeWriter();
    this.timeIndex.closeWriter();
    if (this.writer !== null) {
      fs.closeSync(this.writer);
      this.writer = null;
    }
  }

  /** fsyncs the .log and index writers of the active segment (once, after an unclean stop). */
  syncWriters(): void {
    if (this.writer !== null) fs.fdatasyncSync(this.writer);
    this.offsetIndex.syncWriter();
    this.timeIndex.syncWriter();
  }

  /** Detaches the .log writer without closing it (the caller retires it after pending fsyncs). */
  detachWriter(): number | null {
    const fd = this.writer;
    this.writer = null;
    this.offsetIndex.closeWriter();
    this.timeIndex.closeWriter();
    return fd;
  }

  files(): string[] {
    return [this.logPath, this.offsetIndex.path, this.timeIndex.path];
  }
}
