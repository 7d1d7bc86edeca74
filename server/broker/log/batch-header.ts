import { crc32c } from '@node-rs/crc32';
import { BrokerError } from '../errors';

/**
 * The fixed 61-byte header of a Kafka RecordBatch v2 (magic 2), read without touching the
 * records. Offsets of each field are Kafka's; see DESIGN.md "Storage: the partition log".
 */
export const BATCH = {
  BASE_OFFSET: 0,
  LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORD_COUNT: 57,
  RECORDS: 61,
  /** baseOffset + batchLength: the bytes that precede what batchLength counts. */
  LOG_OVERHEAD: 12,
  HEADER_SIZE: 61,
} as const;

export const CURRENT_MAGIC = 2;

/** Attribute bits (Kafka's DefaultRecordBatch). */
export const ATTR = {
  COMPRESSION_MASK: 0x07,
  TIMESTAMP_TYPE_LOG_APPEND: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
  DELETE_HORIZON: 0x40,
} as const;

/**
 * Offsets, timestamps and producer ids are i64 on disk but JS numbers here: they stay far below
 * 2^53 in practice, and numbers keep the hot paths free of BigInt arithmetic.
 */
export interface BatchHeader {
  baseOffset: number;
  /** Bytes after the length field; the whole batch is `LOG_OVERHEAD + batchLength` bytes. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/** Total size in bytes of the batch whose header starts at `pos`. */
export function batchSize(buf: Buffer, pos = 0): number {
  return BATCH.LOG_OVERHEAD + buf.readInt32BE(pos + BATCH.LENGTH);
}

export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  if (buf.length - pos < BATCH.HEADER_SIZE) {
    throw new BrokerError(
      'CORRUPT_MESSAGE',
      `Record batch header is truncated: ${buf.length - pos} bytes, need ${BATCH.HEADER_SIZE}`,
    );
  }
  return {
    baseOffset: Number(buf.readBigInt64BE(pos + BATCH.BASE_OFFSET)),
    batchLength: buf.readInt32BE(pos + BATCH.LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + BATCH.PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(pos + BATCH.MAGIC),
    crc: buf.readUInt32BE(pos + BATCH.CRC),
    attributes: buf.readInt16BE(pos + BATCH.ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA),
    baseTimestamp: Number(buf.readBigInt64BE(pos + BATCH.BASE_TIMESTAMP)),
    maxTimestamp: Number(buf.readBigInt64BE(pos + BATCH.MAX_TIMESTAMP)),
    producerId: Number(buf.readBigInt64BE(pos + BATCH.PRODUCER_ID)),
    producerEpoch: buf.readInt16BE(pos + BATCH.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BATCH.BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + BATCH.RECORD_COUNT),
  };
}

/** CRC-32C over attributes..end, the span Kafka's checksum covers. */
export function computeBatchCrc(batch: Buffer): number {
  return crc32c(batch.subarray(BATCH.ATTRIBUTES)) >>> 0;
}

/**
 * Checks one complete batch (exactly `batch.length` bytes) before it may be stored: magic,
 * declared length, CRC and a plausible record count. Throws CORRUPT_MESSAGE naming the problem.
 * Record-level parsing is not done here: it is the codec's job and costs a decompression.
 */
export function validateBatch(batch: Buffer): BatchHeader {
  const header = readBatchHeader(batch);
  if (header.magic !== CURRENT_MAGIC) {
    throw new BrokerError(
      'CORRUPT_MESSAGE',
      `Unsupported record batch magic ${header.magic}; only magic 2 is accepted`,
    );
  }
  const declared = BATCH.LOG_OVERHEAD + header.batchLength;
  if (header.batchLength < BATCH.HEADER_SIZE - BATCH.LOG_OVERHEAD || declared !== batch.length) {
    throw new BrokerError(
      'CORRUPT_MESSAGE',
      `Record batch length field says ${declared} bytes but the batch has ${batch.length}`,
    );
  }
  const actual = computeBatchCrc(batch);
  if (actual !== header.crc) {
    throw new BrokerError(
      'CORRUPT_MESSAGE',
      `Record batch CRC mismatch: stored 0x${header.crc.toString(16)}, computed 0x${actual.toString(16)}`,
    );
  }
  if (
    header.recordCount < 0 ||
    header.lastOffsetDelta < 0 ||
    header.lastOffsetDelta + 1 < header.recordCount
  ) {
    throw new BrokerError(
      'CORRUPT_MESSAGE',
      `Record batch has an invalid record count ${header.recordCount} for lastOffsetDelta ${header.lastOffsetDelta}`,
    );
  }
  // A record needs at least 7 bytes even when empty; more than that cannot fit in the batch.
  if (
    (header.attributes & ATTR.COMPRESSION_MASK) === 0 &&
    header.recordCount * 7 > batch.length - BATCH.HEADER_SIZE
  ) {
    throw new BrokerError(
      'CORRUPT_MESSAGE',
      `Record batch claims ${header.recordCount} records in ${batch.length - BATCH.HEADER_SIZE} bytes`,
    );
  }
  return header;
}
