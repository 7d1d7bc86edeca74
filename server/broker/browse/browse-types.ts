import type { TimestampType } from '../log/record';

/** Where a browse starts (see browse.ts for the exact semantics of each). */
export type BrowseSeek =
  | { kind: 'oldest' }
  /** The last `limit` records overall, or the last `limit` of each partition. */
  | { kind: 'newest'; perPartition?: boolean }
  | { kind: 'offset'; partition: number; offset: number }
  | { kind: 'timestamp'; timestamp: number }
  | { kind: 'range'; from: number; to: number };

/** Case-insensitive substrings of the UTF-8 text; a record must match every filter that is set. */
export interface BrowseFilter {
  key?: string;
  value?: string;
  /** Matches a header's key or its value. */
  header?: string;
}

export interface BrowseRequest {
  topic: string;
  /** Ignored when `cursor` is given. Default oldest. */
  seek?: BrowseSeek;
  /** A cursor from a previous page of the same topic. */
  cursor?: string;
  /** Restrict to these partitions (not with an offset seek). Default all. */
  partitions?: readonly number[];
  filter?: BrowseFilter;
  /** Records per page, 1 to 10 000 (per partition for newest-per-partition). */
  limit: number;
  /** Cap on each key, value and header value returned (full sizes are reported). Default 4 096. */
  maxValueBytes?: number;
  /** Scan budget of this request, so that a filter matching nothing stops and returns a cursor. */
  budget?: { maxBytes?: number; maxRecords?: number };
}

export interface CappedBytes {
  /** At most maxValueBytes of the bytes (a copy, not a view of the log). */
  data: Buffer;
  /** The full size. */
  size: number;
  truncated: boolean;
}

export interface BrowsedHeader {
  key: string;
  value: CappedBytes | null;
}

export interface BrowsedRecord {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: TimestampType;
  /** null is a null key or value (a tombstone), not an empty one. */
  key: CappedBytes | null;
  value: CappedBytes | null;
  headers: BrowsedHeader[];
  /** Bytes of the record as stored in its (uncompressed) batch. */
  sizeInBytes: number;
}

export interface BrowseWatermarks {
  partition: number;
  logStartOffset: number;
  logEndOffset: number;
}

export interface BrowsePage {
  /** In merge order: by (timestamp, partition, offset) across partitions (see browse.ts). */
  records: BrowsedRecord[];
  /** The page after this one, or null when the read reached the end of its window. */
  nextCursor: string | null;
  /** The page before this one, or null at the start of the window. */
  prevCursor: string | null;
  /** Records examined (filters and ranges included): tells "no match" from "no data". */
  scanned: number;
  /** Batch bytes read. */
  scannedBytes: number;
  /** The scan budget ran out before the page was full: follow the cursor to go on scanning. */
  budgetExhausted: boolean;
  watermarks: BrowseWatermarks[];
}

export interface GetRecordOptions {
  /** Cap on the key, value and header values; default: none (the whole record). */
  maxValueBytes?: number;
}

/** What browsing needs from the broker: plain reads of stored batches, no actor types. */
export interface BrowseSource {
  /** Throws UNKNOWN_TOPIC_OR_PARTITION. */
  partitionCount(topic: string): number;
  /** Throws UNKNOWN_TOPIC_OR_PARTITION for a partition that does not exist. */
  checkPartition(topic: string, partition: number): void;
  watermarks(topic: string, partition: number): Promise<{ logStartOffset: number; logEndOffset: number }>;
  /** Whole stored batches from the one holding `offset`, at least one. */
  read(topic: string, partition: number, offset: number, maxBytes: number): Promise<Buffer>;
  /** The earliest offset whose timestamp is >= ts, or null. */
  offsetForTimestamp(topic: string, partition: number, ts: number): Promise<number | null>;
}
