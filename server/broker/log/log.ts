import fs from 'node:fs';
import path from 'node:path';
import { BrokerError, isBrokerError, storageError } from '../errors';
import { validateBatch } from './batch-header';
import { DiskFaultInjector } from './disk-faults';
import { FileHandleCache } from './file-handle-cache';
import { compactLog, type CompactResult } from './log-cleaner';
import { cleanupCompacts, type LogConfig, validateLogConfig } from './log-config';
import { unlinkIfExists } from './log-files';
import { LogFlusher } from './log-flusher';
import { loadLog, writeCleanShutdownMarker, writeLogStartOffset } from './log-loader';
import { rebuildSegmentIndexes } from './log-recovery';
import { planRetention } from './log-retention';
import { type LogLogger, LogSegment, type SegmentContext } from './log-segment';
import { LruCache } from './lru-cache';
import { assertRecordCount, setBaseOffset, setLogAppendTime } from './record-batch';
import { SegmentList } from './segment-list';
import { maxTimestampAndOffset, offsetForTimestamp, type TimestampAndOffset } from './timestamp-search';

export interface AppendInfo {
  baseOffset: number;
  lastOffset: number;
  /** The broker's timestamp for LogAppendTime topics, -1 for CreateTime. */
  logAppendTime: number;
  logStartOffset: number;
  maxTimestamp: number;
  sizeInBytes: number;
}

export interface ReadResult {
  /** Whole stored batches, concatenated; the first may start before the fetch offset. */
  records: Buffer;
  highWatermark: number;
  logStartOffset: number;
  firstBatchOffset: number;
}

export interface SegmentInfo {
  baseOffset: number;
  nextOffset: number;
  sizeInBytes: number;
  maxTimestamp: number;
  createdAt: number;
}

export interface LogOptions {
  clock?: () => number;
  logger?: LogLogger;
  faults?: DiskFaultInjector;
  /** Read descriptors kept open for closed segments (LRU). */
  maxOpenSegments?: number;
  /** Closed segments whose indexes stay in memory (LRU). */
  maxLoadedIndexes?: number;
}

const SILENT: LogLogger = { info: () => undefined, warn: () => undefined };
const EMPTY = Buffer.alloc(0);

function asStorageError(what: string, error: unknown): BrokerError {
  return isBrokerError(error) ? error : storageError(what, error);
}

/**
 * Kafka's Log (UnifiedLog) for one partition directory: append with offset assignment, reads
 * of stored bytes, offset and timestamp lookups, retention, compaction and recovery. Single
 * writer: the partition actor. The write path is synchronous up to the page cache (positional
 * writes keep file and memory in step); only fsync and compaction are asynchronous.
 */
export class Log {
  readonly name: string;
  readonly faults: DiskFaultInjector;
  private config: LogConfig;
  private startOffset: number;
  private closed = false;
  private compaction: Promise<CompactResult> | null = null;
  private readonly flusher: LogFlusher;

  private constructor(
    readonly dir: string,
    config: LogConfig,
    private readonly clock: () => number,
    private readonly logger: LogLogger,
    faults: DiskFaultInjector,
    private readonly ctx: SegmentContext,
    private readonly list: SegmentList,
    startOffset: number,
  ) {
    this.name = path.basename(dir);
    this.config = config;
    this.faults = faults;
    this.startOffset = startOffset;
    this.flusher = new LogFlusher(
      () => (this.closed ? null : this.list.active.fd()),
      () => this.config,
      (error) => this.logger.warn({ log: this.name, err: String(error) }, 'Background fsync failed'),
    );
  }

  static async open(dir: string, config: LogConfig, options: LogOptions = {}): Promise<Log> {
    validateLogConfig(config);
    const clock = options.clock ?? Date.now;
    const logger = options.logger ?? SILENT;
    const faults = options.faults ?? new DiskFaultInjector();
    const files = new FileHandleCache(options.maxOpenSegments ?? 100);
    const current = { list: null as SegmentList | null };
    const ctx: SegmentContext = {
      files,
      indexes: new LruCache<LogSegment, true>(options.maxLoadedIndexes ?? 32, (segment) =>
        segment.releaseIndexes(),
      ),
      faults,
      logger,
      indexIntervalBytes: config.indexIntervalBytes,
      rebuildIndexes: (segment, reason) => {
        rebuildSegmentIndexes(segment, reason, logger);
        current.list?.changed();
      },
    };
    try {
      const loaded = loadLog(dir, ctx, clock(), logger);
      const list = new SegmentList(loaded.segments);
      current.list = list;
      const start = Math.min(
        Math.max(loaded.checkpointedStartOffset ?? 0, list.first.baseOffset),
        list.active.nextOffset,
      );
      return new Log(dir, config, clock, logger, faults, ctx, list, start);
    } catch (error) {
      files.closeAll();
      throw asStorageError(`Cannot open the log in ${dir}`, error);
    }
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.list.active.nextOffset;
  }

  get sizeInBytes(): number {
    return this.list.sizeInBytes;
  }

  /**
   * Validates a producer's batch, assigns its offsets (rewriting baseOffset in place, and for
   * LogAppendTime topics the timestamp and CRC) and appends it. Resolves once the bytes are in
   * the file, or after the fsync that covers them when the flush settings ask for one.
   */
  async append(batch: Buffer): Promise<AppendInfo> {
    this.checkOpen();
    const config = this.config;
    if (batch.length > config.maxMessageBytes) {
      throw new BrokerError(
        'MESSAGE_TOO_LARGE',
        `Record batch of ${batch.length} bytes is larger than max.message.bytes (${config.maxMessageBytes}) of ${this.name}`,
      );
    }
    const header = validateBatch(batch);
    assertRecordCount(batch, header);
    const now = this.clock();
    this.maybeRoll(batch.length, header.lastOffsetDelta, now);
    const baseOffset = this.logEndOffset;
    const lastOffset = baseOffset + header.lastOffsetDelta;
    setBaseOffset(batch, baseOffset);
    const logAppendTime = config.messageTimestampType === 'LogAppendTime' ? now : -1;
    if (logAppendTime >= 0) setLogAppendTime(batch, logAppendTime);
    const maxTimestamp = logAppendTime >= 0 ? logAppendTime : header.maxTimestamp;
    try {
      this.list.active.append(batch, baseOffset, lastOffset, maxTimestamp);
    } catch (error) {
      throw storageError(`Cannot append to ${this.name}`, error);
    }
    const fsync = this.flusher.afterWrite(header.recordCount);
    if (fsync !== null) {
      await fsync.catch((error: unknown) => {
        throw storageError(`Cannot fsync ${this.name}`, error);
      });
    }
    return {
      baseOffset,
      lastOffset,
      logAppendTime,
      logStartOffset: this.startOffset,
      maxTimestamp,
      sizeInBytes: batch.length,
    };
  }

  read(fetchOffset: number, maxBytes: number, options: { minOneBatch?: boolean } = {}): ReadResult {
    this.checkOpen();
    const end = this.logEndOffset;
    this.checkOffset(fetchOffset, end);
    const result = {
      records: EMPTY,
      highWatermark: end,
      logStartOffset: this.startOffset,
      firstBatchOffset: fetchOffset,
    };
    if (fetchOffset === end) return result;
    try {
      for (let i = this.list.floorIndex(fetchOffset); i < this.list.length; i++) {
        const segment = this.list.at(i) as LogSegment;
        const location = segment.translateOffset(fetchOffset);
        if (location === null) continue; // a gap left by compaction or damage: go on with the next segment
        const records = segment.read(location.position, maxBytes, options.minOneBatch ?? true);
        return { ...result, records, firstBatchOffset: location.baseOffset };
      }
    } catch (error) {
      throw asStorageError(`Cannot read ${this.name} at offset ${fetchOffset}`, error);
    }
    return result;
  }

  offsetForTimestamp(ts: number): TimestampAndOffset | null {
    this.checkOpen();
    try {
      return offsetForTimestamp(this.list, ts, this.startOffset);
    } catch (error) {
      throw asStorageError(`Cannot search ${this.name} by timestamp`, error);
    }
  }

  maxTimestampAndOffset(): TimestampAndOffset | null {
    this.checkOpen();
    try {
      return maxTimestampAndOffset(this.list, this.startOffset);
    } catch (error) {
      throw asStorageError(`Cannot search ${this.name} by timestamp`, error);
    }
  }

  segments(): SegmentInfo[] {
    return this.list.all.map((segment, i) => ({
      baseOffset: segment.baseOffset,
      nextOffset: this.list.nextOffsetOf(i),
      sizeInBytes: segment.size,
      maxTimestamp: segment.maxTimestamp,
      createdAt: segment.createdAt,
    }));
  }

  /** DeleteRecords: moves the log start offset (persisted) and drops wholly covered segments. */
  async deleteRecordsBefore(offset: number): Promise<number> {
    this.checkOpen();
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.logEndOffset) {
      throw new BrokerError(
        'OFFSET_OUT_OF_RANGE',
        `Cannot delete records before ${offset}: ${this.describeRange()}`,
      );
    }
    if (offset > this.startOffset) {
      this.persistStartOffset(offset);
      let covered = 0;
      while (covered < this.list.length - 1 && this.list.nextOffsetOf(covered) <= offset) covered++;
      this.deleteOldest(covered);
    }
    return this.startOffset;
  }

  /** Purge: removes every segment; the log restarts empty at its current end offset. */
  async truncateFully(): Promise<void> {
    this.checkOpen();
    const end = this.logEndOffset;
    try {
      if (this.list.active.size > 0) {
        const fresh = this.createSegment(end, this.clock());
        const old = [...this.list.all];
        this.list.resetTo([fresh]);
        this.removeFiles(old);
      } else {
        this.deleteOldest(this.list.length - 1);
      }
      this.persistStartOffset(end);
    } catch (error) {
      throw asStorageError(`Cannot purge ${this.name}`, error);
    }
  }

  async enforceRetention(now = this.clock()): Promise<{ deletedSegments: number; bytes: number }> {
    this.checkOpen();
    const active = this.list.active;
    if (active.size > 0 && now - active.createdAt > this.config.segmentMs) this.roll(now);
    const plan = planRetention(this.list, this.config, now, this.startOffset);
    if (plan.count > 0) {
      this.deleteOldest(plan.count);
      this.logger.info({ log: this.name, ...plan.reasons, bytes: plan.bytes }, 'Retention deleted segments');
    }
    return { deletedSegments: plan.count, bytes: plan.bytes };
  }

  async compact(now = this.clock()): Promise<CompactResult> {
    this.checkOpen();
    if (!cleanupCompacts(this.config)) return { removedRecords: 0, bytesBefore: 0, bytesAfter: 0 };
    if (this.compaction === null) {
      const host = {
        dir: this.dir,
        ctx: this.ctx,
        list: this.list,
        logger: this.logger,
        isClosed: () => this.closed,
      };
      this.compaction = compactLog(host, this.config, now, this.startOffset).finally(
        () => (this.compaction = null),
      );
    }
    return this.compaction;
  }

  updateConfig(config: LogConfig): void {
    validateLogConfig(config);
    this.config = config;
    this.ctx.indexIntervalBytes = config.indexIntervalBytes;
  }

  async flush(): Promise<void> {
    if (this.closed) return;
    await this.flusher.flush().catch((error: unknown) => {
      throw storageError(`Cannot fsync ${this.name}`, error);
    });
  }

  /** Flushes, closes every file and writes the clean-shutdown marker (skipped if the flush fails). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.compaction?.catch(() => undefined);
    let failure: unknown = null;
    await this.flusher.close().catch((error: unknown) => (failure = error));
    this.closed = true;
    try {
      const fd = this.list.active.seal();
      if (fd !== null) fs.closeSync(fd);
    } catch (error) {
      failure ??= error;
    }
    for (const segment of this.list.all) segment.closeFiles();
    this.ctx.files.closeAll();
    this.ctx.indexes.clear();
    if (failure !== null) throw storageError(`Cannot close ${this.name} cleanly`, failure);
    writeCleanShutdownMarker(this.dir);
  }

  async delete(): Promise<void> {
    await this.close().catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private checkOpen(): void {
    if (this.closed) throw new BrokerError('KAFKA_STORAGE_ERROR', `The log of ${this.name} is closed`);
  }

  private describeRange(): string {
    return `${this.name} holds offsets ${this.startOffset} to ${this.logEndOffset}`;
  }

  private checkOffset(offset: number, end: number): void {
    if (offset > end) {
      throw new BrokerError(
        'OFFSET_OUT_OF_RANGE',
        `Offset ${offset} is past the end (${end}) of ${this.name}`,
      );
    }
    if (offset < this.startOffset || !Number.isSafeInteger(offset)) {
      throw new BrokerError(
        'OFFSET_OUT_OF_RANGE',
        `Offset ${offset} is before the start (${this.startOffset}) of ${this.name}`,
      );
    }
  }

  private maybeRoll(incomingBytes: number, lastOffsetDelta: number, now: number): void {
    const active = this.list.active;
    if (active.size === 0) return;
    const full = active.size + incomingBytes > this.config.segmentBytes;
    const old = now - active.createdAt > this.config.segmentMs;
    // Relative offsets in the indexes are i32.
    const offsetsOverflow = this.logEndOffset + lastOffsetDelta - active.baseOffset > 0x7fffffff;
    if (full || old || offsetsOverflow) this.roll(now);
  }

  /** Kafka's roll: the new segment exists before the old one stops taking appends. */
  private roll(now: number): void {
    const old = this.list.active;
    try {
      old.appendTimeIndexEntryIfGrown(this.faults);
      const fresh = this.createSegment(old.nextOffset, now);
      const fd = old.seal();
      this.list.push(fresh);
      if (fd !== null) this.flusher.retire(fd, true);
    } catch (error) {
      throw storageError(`Cannot roll a new segment for ${this.name}`, error);
    }
  }

  private createSegment(baseOffset: number, now: number): LogSegment {
    const segment = new LogSegment(this.dir, baseOffset, 0, now, this.ctx);
    segment.offsetIndex.adopt(Buffer.alloc(0));
    segment.timeIndex.adopt(Buffer.alloc(0));
    segment.nextOffset = baseOffset;
    segment.openWriter(true);
    return segment;
  }

  private persistStartOffset(offset: number): void {
    try {
      writeLogStartOffset(this.dir, offset);
    } catch (error) {
      throw storageError(`Cannot persist the log start offset of ${this.name}`, error);
    }
    this.startOffset = offset;
  }

  /** Deletes the `count` oldest (closed) segments; the start offset follows the first kept one. */
  private deleteOldest(count: number): void {
    if (count <= 0) return;
    const removed = this.list.removeFirst(count);
    this.startOffset = Math.max(this.startOffset, this.list.first.baseOffset);
    try {
      this.removeFiles(removed);
    } catch (error) {
      throw storageError(`Cannot delete segments of ${this.name}`, error);
    }
  }

  private removeFiles(segments: LogSegment[]): void {
    for (const segment of segments) {
      const fd = segment.detachWriter();
      if (fd !== null) this.flusher.retire(fd, false);
      segment.closeFiles();
      for (const file of segment.files()) unlinkIfExists(file);
    }
  }
}
