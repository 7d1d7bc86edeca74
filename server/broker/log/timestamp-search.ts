import { ATTR, BATCH } from './batch-header';
import { codecFromAttributes, decompress } from './compression';
import { readInt64 } from './index-file';
import { headerBaseOffset, headerLastOffset, headerMaxTimestamp, type LogSegment } from './log-segment';
import { decodeRecordBatch } from './record-batch';
import type { SegmentList } from './segment-list';
import { cursor, readVarint, readVarlong } from './varint';

export interface TimestampAndOffset {
  offset: number;
  timestamp: number;
}

/**
 * The first record at or after `minOffset` whose timestamp is >= ts: from the time index's last
 * entry at or below ts (every batch before it is older), walk batch headers to the first batch
 * whose max timestamp reaches ts, and read record-level timestamps of that batch only.
 */
export function searchSegment(segment: LogSegment, ts: number, minOffset: number): TimestampAndOffset | null {
  segment.ensureIndexes();
  const entry = segment.timeIndex.lookup(ts);
  const from = Math.max(entry ? segment.baseOffset + entry.relativeOffset : segment.baseOffset, minOffset);
  const start = segment.translateOffset(from);
  if (start === null) return null;
  let found: TimestampAndOffset | null = null;
  segment.walk(start.position, (header, position, size, reader) => {
    if (headerMaxTimestamp(header) < ts || headerLastOffset(header) < minOffset) return false;
    const batch = reader.view(position, size);
    if (batch === null) return true;
    found = firstRecordAtOrAfter(batch, ts, minOffset);
    return found !== null;
  });
  return found;
}

/**
 * The first record of a stored batch with timestamp >= ts and offset >= minOffset. Walks only
 * each record's length, timestamp delta and offset delta with the codec's varint readers: a
 * lookup touches one batch, and decoding all of its records (keys, values, headers) would
 * allocate per record for two numbers. The batch was validated (CRC, record count) on append.
 */
function firstRecordAtOrAfter(batch: Buffer, ts: number, minOffset: number): TimestampAndOffset | null {
  const baseOffset = headerBaseOffset(batch);
  const attributes = batch.readInt16BE(BATCH.ATTRIBUTES);
  if ((attributes & ATTR.TIMESTAMP_TYPE_LOG_APPEND) !== 0) {
    // Every record carries the batch's append time.
    const timestamp = headerMaxTimestamp(batch);
    return timestamp >= ts ? { offset: Math.max(baseOffset, minOffset), timestamp } : null;
  }
  const baseTimestamp = readInt64(batch, BATCH.BASE_TIMESTAMP);
  const records = decompress(codecFromAttributes(attributes), batch.subarray(BATCH.RECORDS));
  const c = cursor(records);
  while (c.pos < c.end) {
    const length = readVarint(c);
    const end = c.pos + length;
    c.pos += 1; // record attributes
    const timestamp = baseTimestamp + readVarlong(c);
    const offset = baseOffset + readVarint(c);
    if (timestamp >= ts && offset >= minOffset) return { offset, timestamp };
    c.pos = end;
  }
  return null;
}

/** Kafka's ListOffsets by timestamp over the whole log: the earliest offset with timestamp >= ts. */
export function offsetForTimestamp(segments: SegmentList, ts: number, logStartOffset: number) {
  const first = segments.firstWithMaxTimestampAtLeast(ts);
  if (first < 0) return null;
  for (let i = first; i < segments.length; i++) {
    const segment = segments.at(i) as LogSegment;
    if (segment.maxTimestamp < ts || segments.nextOffsetOf(i) <= logStartOffset) continue;
    const found = searchSegment(segment, ts, logStartOffset);
    if (found !== null) return found;
  }
  return null;
}

/**
 * ListOffsets MAX_TIMESTAMP: the record with the largest timestamp (the first one to reach it).
 * Each segment's summary names the batch where its maximum was first reached; only that batch
 * is decoded to find the record.
 */
export function maxTimestampAndOffset(
  segments: SegmentList,
  logStartOffset: number,
): TimestampAndOffset | null {
  let best: LogSegment | null = null;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments.at(i) as LogSegment;
    if (segment.size === 0 || segments.nextOffsetOf(i) <= logStartOffset) continue;
    if (best === null || segment.maxTimestamp > best.maxTimestamp) best = segment;
  }
  if (best === null) return null;
  const max = best.maxTimestamp;
  const location = best.translateOffset(Math.max(best.offsetOfMaxTimestamp, best.baseOffset));
  if (location === null) return null;
  let found: TimestampAndOffset = { offset: location.baseOffset, timestamp: max };
  best.walk(location.position, (_header, position, size, reader) => {
    const batch = reader.view(position, size);
    const record = batch && decodeRecordBatch(batch).records.find((r) => r.timestamp === max);
    if (record) found = { offset: record.offset, timestamp: max };
    return true;
  });
  return found;
}
