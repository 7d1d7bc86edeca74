import type { DiskFaultInjector } from './disk-faults';
import type { LogLogger } from './log-segment';

/** The shapes of the Log's public API (log.ts), apart so that callers can import them alone. */
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
  /** -1 when the segment holds no timestamp. */
  maxTimestamp: number;
  createdAt: number;
}

export interface LogOptions {
  clock?: () => number;
  logger?: LogLogger;
  /** Fault injection (see DiskFaults); one is created when absent, reachable as `log.faults`. */
  faults?: DiskFaultInjector;
  /** Read descriptors kept open for closed segments (LRU), default 100. */
  maxOpenSegments?: number;
  /** Closed segments whose indexes stay in memory (LRU), default 32. */
  maxLoadedIndexes?: number;
}

export type { LogLogger };
