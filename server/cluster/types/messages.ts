import type { EpochMillis } from './common';
import type { TimestampType } from './topics';

/** Records: reading pages, tailing, producing. Bytes travel as text or base64 with their size. */

/**
 * Bytes as the console sees them: UTF-8 text when they decode as such, base64 otherwise.
 * `data` may be a prefix (`truncated`); `sizeBytes` is always the full size.
 */
export interface PayloadPreview {
  encoding: 'utf8' | 'base64';
  data: string;
  sizeBytes: number;
  truncated: boolean;
}

/** Bytes to produce: text (encoded as UTF-8) or base64 for binary. */
export interface PayloadInput {
  encoding: 'utf8' | 'base64';
  data: string;
}

export interface RecordHeader {
  key: string;
  value: PayloadPreview | null;
}

export interface ClusterRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: EpochMillis;
  timestampType: TimestampType;
  /** null is a null key (no key) or a null value (a tombstone), not an empty one. */
  key: PayloadPreview | null;
  value: PayloadPreview | null;
  headers: RecordHeader[];
  /** Key + value + header bytes, uncompressed. */
  sizeBytes: number;
}

/**
 * Where a read starts. Reads over several partitions are merged by (timestamp, partition, offset).
 * - oldest: every partition from its start offset.
 * - newest: the last `limit` records across partitions.
 * - offset: one partition from an offset, in offset order.
 * - timestamp: every partition from the earliest offset whose timestamp is >= t (ListOffsets).
 * - range: records with from <= timestamp <= to.
 */
export type MessageSeek =
  | { kind: 'oldest' }
  | { kind: 'newest' }
  | { kind: 'offset'; partition: number; offset: number }
  | { kind: 'timestamp'; timestamp: EpochMillis }
  | { kind: 'range'; from: EpochMillis; to: EpochMillis };

/** Case-insensitive substring filters; a record must match all that are set. */
export interface MessageFilter {
  key?: string;
  value?: string;
  /** Matches a header's key or its text value. */
  header?: string;
}

export interface ReadMessagesRequest {
  topic: string;
  seek: MessageSeek;
  /** Restrict to these partitions; all when absent. */
  partitions?: number[];
  filter?: MessageFilter;
  /** Page size. */
  limit: number;
  /** Cap on the bytes of each key, value and header value in the page. */
  previewBytes: number;
  /** A cursor from a previous page of the same topic: continues from there, `seek` is ignored. */
  cursor?: string;
}

export interface PartitionWatermarks {
  partition: number;
  startOffset: number;
  endOffset: number;
}

export interface MessagePage {
  records: ClusterRecord[];
  /** The page after this one, or null when the read reached the end of the range or the logs. */
  nextCursor: string | null;
  /** The page before this one, or null at the start. */
  prevCursor: string | null;
  /** Records examined to fill the page, filters included: tells "no match" from "no data". */
  scanned: number;
  watermarks: PartitionWatermarks[];
}

export interface GetRecordOptions {
  /** Cap on the value bytes returned; the key and headers are capped at the same size. */
  maxValueBytes: number;
}

export interface TailRequest {
  topic: string;
  partitions?: number[];
  filter?: MessageFilter;
  previewBytes: number;
  /** A cursor from an earlier batch: resume after it. Absent: start at the end of the logs. */
  resumeFrom?: string;
}

/** New records as they are appended, with the cursor to resume after them. */
export interface TailBatch {
  cursor: string;
  records: ClusterRecord[];
}

export interface ProduceRequest {
  topic: string;
  /** Absent: the default partitioner (murmur2 of the key; sticky when there is no key). */
  partition?: number;
  key: PayloadInput | null;
  value: PayloadInput | null;
  headers: { key: string; value: PayloadInput | null }[];
  /** CreateTime; absent: now. Ignored (replaced by the broker's clock) on LogAppendTime topics. */
  timestamp?: EpochMillis;
}

export interface ProduceResult {
  topic: string;
  partition: number;
  offset: number;
  timestamp: EpochMillis;
  timestampType: TimestampType;
}
