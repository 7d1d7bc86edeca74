import fs from 'node:fs';
import path from 'node:path';
import { BrokerError, isBrokerError, storageError } from '../errors';
import { validateBatch } from './batch-header';
import { DiskFaultInjector } from './disk-faults';
import { LocalLog } from './local-log';
import { compactLog, type CompactResult } from './log-cleaner';
import { cleanupCompacts, type LogConfig, validateLogConfig } from './log-config';
import { createSegmentContext, loadLog, writeCleanShutdownMarker, writeLogStartOffset } from './log-loader';
import { planRetention } from './log-retention';
import type { LogLogger, SegmentContext } from './log-segment';
import type { AppendInfo, LogOptions, ReadResult, SegmentInfo } from './log-types';
import { assertRecordCount, setBaseOffset, setLogAppendTime } from './record-batch';
import { SegmentList } from './segment-list';
import { maxTimestampAndOffset, offsetForTimestamp, type TimestampAndOffset } from './timestamp-search';

export type { AppendInfo, LogOptions, ReadResult, SegmentInfo } from './log-types';
export type { CompactResult } from './log-cleaner';
export type { TimestampAndOffset } from './timestamp-search';

const SILENT: LogLogger = { info: () => undefined, warn: () => undefined };
const EMPTY = Buffer.alloc(0);

function asStorageError(what: string, error: unknown): BrokerError {
  return isBrokerError(error) ? error : storageError(what, error);
}

/**
 * Kafka's Log (UnifiedLog) for one partition directory: append with validation and offset
 * assignment, reads of stored bytes, offset and timestamp lookups, the log start offset,
 * retention and compaction; the segment files themselves are LocalLog's. Single writer (the
 * partition actor). The write path is synchronous up to the page cache, so file and memory
 * never disagree; only fsync and compaction are asynchronous.
 */
export class Log {
  readonly name: string;
  private config: LogConfig;
  private startOffset: number;
  private closed = false;
  private compaction: Promise<CompactResult> | null = null;
  private readonly local: LocalLog;
  private readonly list: SegmentList;

  private constructor(
    readonly dir: string,
    config: LogConfig,
    private readonly clock: () => number,
    private readonly logger: LogLogger,
    readonly faults: DiskFaultInjector,
    private readonly ctx: SegmentContext,
    list: SegmentList,
    startOffset: number,
  ) {
    this.name = path.basename(dir);
    this.config = config;
    this.startOffset = startOffset;
    this.list = list;
    this.local = new LocalLog(dir, this.name, ctx, list, () => this.config, logger);
  }

  static async open(dir: string, config: LogConfig, options: LogOptions = {}): Promise<Log> {
    validateLogConfig(config);
    const clock = options.clock ?? Date.now;
    const logger = options.logger ?? SILENT;
    const faults = options.faults ?? new DiskFaultInjector();
    const current: { list: SegmentList | null } = { list: null };
    const ctx = createSegmentContext(config, logger, faults, options, () => current.list?.changed());
    try {
      const loaded = loadLog(dir, ctx, clock(), logger);
      const list = new SegmentList(loaded.segments);
      current.list = list;
      const checkpointed = Math.max(loaded.checkpointedStartOffset ?? 0, list.first.baseOffset);
      return new Log(
        dir,
        config,
        clock,
        logger,
        faults,
        ctx,
        list,
        Math.min(checkpointed, list.active.nextOffset),
      );
    } catch (error) {
      ctx.files.closeAll();
      throw asStorageError(`Cannot open the log in ${dir}`, error);
    }
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.local.logEndOffset;
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
    this.local.maybeRoll(config, batch.length, header.lastOffsetDelta, now);
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
    const fsync = this.local.flusher.afterWrite(header.recordCount);
    if (fsync !== null) {
      await fsync.catch((error: unknown) => {
        throw storageError(`Cannot fsync ${this.name}`, error);
      });
    }
    const sizeInBytes = batch.length;
    return {
      baseOffset,
      lastOffset,
      logAppendTime,
      logStartOffset: this.startOffset,
      maxTimestamp,
      sizeInBytes,
    };
  }

  read(fetchOffset: number, maxBytes: number, options: { minOneBatch?: boolean } = {}): ReadResult {
    this.checkOpen();
    const end = this.logEndOffset;
    if (fetchOffset > end) {
      throw new BrokerError(
        'OFFSET_OUT_OF_RANGE',
        `Offset ${fetchOffset} is past the end (${end}) of ${this.name}`,
      );
    }
    if (fetchOffset < this.startOffset || !Number.isSafeInteger(fetchOffset)) {
      throw new BrokerError(
        'OFFSET_OUT_OF_RANGE',
        `Offset ${fetchOffset} is before the start (${this.startOffset}) of ${this.name}`,
      );
    }
    const result = {
      records: EMPTY,
      highWatermark: end,
      logStartOffset: this.startOffset,
      firstBatchOffset: fetchOffset,
    };
    if (fetchOffset === end) return result;
    try {
      return { ...result, ...this.local.read(fetchOffset, maxBytes, options.minOneBatch ?? true) };
    } catch (error) {
      throw asStorageError(`Cannot read ${this.name} at offset ${fetchOffset}`, error);
    }
  }

  /** ListOffsets by timestamp: the earliest offset whose timestamp is >= ts, or null. */
  offsetForTimestamp(ts: number): TimestampAndOffset | null {
    this.checkOpen();
    try {
      return offsetForTimestamp(this.list, ts, this.startOffset);
    } catch (error) {
      throw asStorageError(`Cannot search ${this.name} by timestamp`, error);
    }
  }

  /** ListOffsets MAX_TIMESTAMP, or null for an empty log. */
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

  /** Descriptors and index buffers held for closed segments (bounded by the LRUs). */
  resourceUsage(): { openSegmentFiles: number; loadedIndexes: number } {
    return { openSegmentFiles: this.ctx.files.openCount, loadedIndexes: this.ctx.indexes.size };
  }

  /** DeleteRecords: moves the log start offset (persisted) and drops wholly covered segments. */
  async deleteRecordsBefore(offset: number): Promise<number> {
    this.checkOpen();
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.logEndOffset) {
      throw new BrokerError(
        'OFFSET_OUT_OF_RANGE',
        `Cannot delete records before ${offset}: ${this.name} holds offsets ${this.startOffset} to ${this.logEndOffset}`,
      );
    }
    if (offset > this.startOffset) {
      this.persistStartOffset(offset);
      let covered = 0;
      while (covered < this.list.length - 1 && this.list.nextOffsetOf(covered) <= offset) covered++;
      this.local.deleteOldest(covered);
    }
    return this.startOffset;
  }

  /** Purge: removes every record; the log restarts empty at its current end offset. */
  async truncateFully(): Promise<void> {
    this.checkOpen();
    const end = this.logEndOffset;
    try {
      this.local.truncateFully(this.clock());
    } catch (error) {
      throw asStorageError(`Cannot purge ${this.name}`, error);
    }
    this.persistStartOffset(end);
  }

  /** Rolls an active segment older than segment.ms, then deletes what retention allows. */
  async enforceRetention(now = this.clock()): Promise<{ deletedSegments: number; bytes: number }> {
    this.checkOpen();
    const active = this.list.active;
    if (active.size > 0 && now - active.createdAt > this.config.segmentMs) this.local.roll(now);
    const plan = planRetention(this.list, this.config, now, this.startOffset);
    if (plan.count > 0) {
      this.local.deleteOldest(plan.count);
      // A deleted segment's offsets are gone: the start follows the first kept segment. The
      // checkpoint need not change: on open the start is at least the first segment's base.
      this.startOffset = Math.max(this.startOffset, this.list.first.baseOffset);
      this.logger.info({ log: this.name, ...plan.reasons, bytes: plan.bytes }, 'Retention deleted segments');
    }
    return { deletedSegments: plan.count, bytes: plan.bytes };
  }

  /** Compacts closed segments under a compact cleanup policy; concurrent calls share one run. */
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
      this.compaction = compactLog(host, this.config, now, this.startOffset)
        .catch((error: unknown) => {
          throw asStorageError(`Cannot compact ${this.name}`, error);
        })
        .finally(() => (this.compaction = null));
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
    await this.local.flusher.flush().catch((error: unknown) => {
      throw storageError(`Cannot fsync ${this.name}`, error);
    });
  }

  /**
   * Flushes, closes every file and writes the clean-shutdown marker (not if the flush failed, nor
   * with `clean: false`: the owner gave up on work that may have stopped half-way).
   */
  async close(options: { clean?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compaction?.catch(() => undefined);
    const failure = await this.local.close();
    if (failure !== null) throw storageError(`Cannot close ${this.name} cleanly`, failure);
    if (options.clean !== false) writeCleanShutdownMarker(this.dir);
  }

  /** Closes the log and removes its directory (topic deletion). */
  async delete(): Promise<void> {
    await this.close().catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private checkOpen(): void {
    if (this.closed) throw new BrokerError('KAFKA_STORAGE_ERROR', `The log of ${this.name} is closed`);
  }

  private persistStartOffset(offset: number): void {
    try {
      writeLogStartOffset(this.dir, offset);
    } catch (error) {
      throw storageError(`Cannot persist the log start offset of ${this.name}`, error);
    }
    this.startOffset = offset;
  }
}
