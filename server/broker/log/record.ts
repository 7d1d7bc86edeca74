/**
 * A Kafka record as the broker core sees it: keys, values and header values are raw bytes
 * (null is distinct from empty, as in Kafka), header keys are UTF-8 text. Timestamps and offsets
 * are JS numbers (milliseconds since the epoch; offsets far below 2^53).
 */
export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** What a producer hands to the encoder. */
export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  /** CreateTime in ms; defaults to the batch's base timestamp (the producer's clock). */
  timestamp?: number;
}

/**
 * A record read back from a batch. `key`, `value` and header values are views into the batch's
 * (or its decompressed) bytes, not copies: copy them before the source buffer is reused.
 */
export interface DecodedRecord {
  offset: number;
  /** CreateTime, or the batch's maxTimestamp for LogAppendTime batches. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  /** Bytes this record takes in the (uncompressed) records section, length prefix included. */
  sizeInBytes: number;
}

export type TimestampType = 'CreateTime' | 'LogAppendTime';
