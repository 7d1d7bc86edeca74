import fs from 'node:fs';
import { storageError } from '../errors';
import type { LogConfig } from './log-config';
import { unlinkIfExists } from './log-files';
import { LogFlusher } from './log-flusher';
import { type LogLogger, LogSegment, type SegmentContext } from './log-segment';
import type { SegmentList } from './segment-list';
import { readSegment } from './segment-read';

/**
 * Kafka's LocalLog: the segment files of one partition and their lifecycle (roll, delete,
 * purge, close), plus the flusher that owns their descriptors' fsyncs. Log (UnifiedLog) on
 * top of it decides offsets, validation and policies.
 */
export class LocalLog {
  readonly flusher: LogFlusher;
  private closed = false;

  constructor(
    readonly dir: string,
    readonly name: string,
    readonly ctx: SegmentContext,
    readonly list: SegmentList,
    config: () => LogConfig,
    logger: LogLogger,
  ) {
    this.flusher = new LogFlusher(
      () => (this.closed ? null : this.list.active.fd()),
      config,
      (error) => logger.warn({ log: name, err: String(error) }, 'Background fsync failed'),
    );
  }

  get logEndOffset(): number {
    return this.list.active.nextOffset;
  }

  /** Rolls before an append that would overflow segment.bytes, outlive segment.ms or i32 offsets. */
  maybeRoll(config: LogConfig, incomingBytes: number, lastOffsetDelta: number, now: number): void {
    const active = this.list.active;
    if (active.size === 0) return;
    const full = active.size + incomingBytes > config.segmentBytes;
    const old = now - active.createdAt > config.segmentMs;
    const offsetsOverflow = this.logEndOffset + lastOffsetDelta - active.baseOffset > 0x7fffffff;
    if (full || old || offsetsOverflow) this.roll(now);
  }

  /**
   * Kafka's roll: the old segment's final time index entry is written and the new segment
   * exists before the old one stops taking appends, so a crash at any step leaves a loadable
   * directory. The old descriptor is fsynced in the background, as Kafka flushes on roll.
   */
  roll(now: number): void {
    const old = this.list.active;
    try {
      old.appendTimeIndexEntryIfGrown(this.ctx.faults);
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

  /** Deletes the `count` oldest closed segments (never the active one). */
  deleteOldest(count: number): void {
    if (count <= 0) return;
    this.removeFiles(this.list.removeFirst(count));
  }

  /** Purge: every segment goes; an empty active segment starts at the current end offset. */
  truncateFully(now: number): void {
    const end = this.logEndOffset;
    if (this.list.active.size === 0) {
      this.deleteOldest(this.list.length - 1);
      return;
    }
    const fresh = this.createSegment(end, now);
    const old = [...this.list.all];
    this.list.resetTo([fresh]);
    this.removeFiles(old);
  }

  private removeFiles(segments: LogSegment[]): void {
    try {
      for (const segment of segments) {
        const fd = segment.detachWriter();
        if (fd !== null) this.flusher.retire(fd, false);
        segment.closeFiles();
        for (const file of segment.files()) unlinkIfExists(file);
      }
    } catch (error) {
      throw storageError(`Cannot delete segments of ${this.name}`, error);
    }
  }

  /** The batches at fetchOffset from the first segment holding any at or after it, or null. */
  read(fetchOffset: number, maxBytes: number, minOneBatch: boolean) {
    for (let i = this.list.floorIndex(fetchOffset); i < this.list.length; i++) {
      const segment = this.list.at(i) as LogSegment;
      const found = readSegment(segment, fetchOffset, maxBytes, minOneBatch, this.ctx.indexIntervalBytes);
      // None: a gap left by compaction or damage at the segment's end; the next one has the rest.
      if (found !== null) return found;
    }
    return null;
  }

  /** Flushes, then closes every descriptor; the error (if any) is the caller's to report. */
  async close(): Promise<unknown> {
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
    return failure;
  }
}
