import { BATCH } from './batch-header';
import { readInt64 } from './index-file';
import { readAt } from './log-files';
import type { LogSegment } from './log-segment';

/**
 * Fetch reads from one segment. The common case (a consumer asking for the offset after its
 * last batch) is one read: from the offset index's entry, `maxBytes` plus one index interval,
 * then headers are walked in memory to find the batch holding the offset and to cut the result
 * at whole batches. Anything unusual (a batch larger than the buffer, a damaged index, nothing
 * in range) takes the general path: a header walk, then a read at the batch found.
 */
export interface SegmentRead {
  records: Buffer;
  firstBatchOffset: number;
}

export function readSegment(
  segment: LogSegment,
  offset: number,
  maxBytes: number,
  minOneBatch: boolean,
  indexIntervalBytes: number,
): SegmentRead | null {
  segment.ensureIndexes();
  const entry = segment.offsetIndex.lookup(offset - segment.baseOffset);
  const start = entry?.position ?? 0;
  const limit = Math.max(0, maxBytes);
  const buf = readAt(
    segment.fd(),
    Math.min(segment.size - start, limit + indexIntervalBytes + BATCH.HEADER_SIZE),
    start,
  );
  let pos = 0;
  let first = -1;
  let firstBase = 0;
  while (pos + BATCH.HEADER_SIZE <= buf.length) {
    const base = readInt64(buf, pos + BATCH.BASE_OFFSET);
    if (pos === 0 && entry !== null && base !== segment.baseOffset + entry.relativeOffset) break;
    const size = BATCH.LOG_OVERHEAD + buf.readInt32BE(pos + BATCH.LENGTH);
    if (size < BATCH.HEADER_SIZE || pos + size > buf.length) break;
    if (first < 0 && base + buf.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA) >= offset) {
      first = pos;
      firstBase = base;
    }
    if (first >= 0 && pos + size - first > limit) break;
    pos += size;
  }
  if (first < 0 || pos === first) return readByWalking(segment, offset, maxBytes, minOneBatch);
  // Copy a short result out of a much larger read so the caller does not pin unused memory.
  const records =
    (pos - first) * 2 < buf.length ? Buffer.from(buf.subarray(first, pos)) : buf.subarray(first, pos);
  return { records, firstBatchOffset: firstBase };
}

function readByWalking(segment: LogSegment, offset: number, maxBytes: number, minOneBatch: boolean) {
  const location = segment.translateOffset(offset);
  if (location === null) return null;
  return {
    records: readBatchesAt(segment, location.position, maxBytes, minOneBatch),
    firstBatchOffset: location.baseOffset,
  };
}

/**
 * Whole batches from `position`, at most `maxBytes` of them unless the first alone is larger
 * and `minOneBatch` is set (Kafka returns it so that a consumer is never stuck).
 */
export function readBatchesAt(
  segment: LogSegment,
  position: number,
  maxBytes: number,
  minOneBatch: boolean,
): Buffer {
  const available = segment.size - position;
  if (available <= 0) return Buffer.alloc(0);
  const fd = segment.fd();
  const buf = readAt(fd, Math.min(available, Math.max(0, maxBytes)), position);
  let end = 0;
  while (end + BATCH.LOG_OVERHEAD <= buf.length) {
    const size = BATCH.LOG_OVERHEAD + buf.readInt32BE(end + BATCH.LENGTH);
    if (size < BATCH.HEADER_SIZE || end + size > buf.length) break;
    end += size;
  }
  if (end === 0 && minOneBatch && available >= BATCH.LOG_OVERHEAD) {
    const size = BATCH.LOG_OVERHEAD + readAt(fd, BATCH.LOG_OVERHEAD, position).readInt32BE(BATCH.LENGTH);
    return size >= BATCH.HEADER_SIZE && size <= available ? readAt(fd, size, position) : Buffer.alloc(0);
  }
  return end * 2 < buf.length ? Buffer.from(buf.subarray(0, end)) : buf.subarray(0, end);
}
