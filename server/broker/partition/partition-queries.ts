import { BrokerError } from '../errors';
import { ATTR, BATCH, readBatchHeader } from '../log/batch-header';
import type { Log } from '../log/log';
import type { OffsetAndTimestamp, OffsetSpec, PartitionLogStatus } from './partition-protocol';

/** Read-only questions the partition actor answers from its log. */
const NO_OFFSET: OffsetAndTimestamp = Object.freeze({ offset: -1, timestamp: -1 });

/**
 * Kafka's ListOffsets: earliest and latest carry no timestamp (-1); max-timestamp and a timestamp
 * lookup answer (-1, -1) when there is no such record (an empty log, nothing at or after it).
 */
export function listOffset(log: Log, spec: OffsetSpec): OffsetAndTimestamp {
  if (spec === 'earliest') return { offset: log.logStartOffset, timestamp: -1 };
  if (spec === 'latest') return { offset: log.logEndOffset, timestamp: -1 };
  if (spec === 'max-timestamp') return log.maxTimestampAndOffset() ?? NO_OFFSET;
  if (!Number.isSafeInteger(spec.timestamp)) {
    throw new BrokerError('INVALID_REQUEST', `Timestamp ${String(spec.timestamp)} is not an integer`);
  }
  return log.offsetForTimestamp(spec.timestamp) ?? NO_OFFSET;
}

/** Watermarks, size, segments and timestamps for describe; reads at most the first batch. */
export function logStatus(log: Log, producers: number): PartitionLogStatus {
  const segments = log.segments();
  let maxTimestamp = -1;
  for (const s of segments) maxTimestamp = Math.max(maxTimestamp, s.maxTimestamp);
  let firstTimestamp: number | null = null;
  if (log.logEndOffset > log.logStartOffset) {
    const first = log.read(log.logStartOffset, 1, { minOneBatch: true }).records;
    if (first.length >= BATCH.HEADER_SIZE) {
      const header = readBatchHeader(first);
      const logAppend = (header.attributes & ATTR.TIMESTAMP_TYPE_LOG_APPEND) !== 0;
      firstTimestamp = logAppend ? header.maxTimestamp : header.baseTimestamp;
    }
  }
  return {
    logStartOffset: log.logStartOffset,
    logEndOffset: log.logEndOffset,
    sizeInBytes: log.sizeInBytes,
    segments,
    firstTimestamp,
    maxTimestamp: maxTimestamp >= 0 ? maxTimestamp : null,
    producers,
  };
}
