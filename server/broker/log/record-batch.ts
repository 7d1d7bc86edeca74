import { BrokerError } from '../errors';
import {
  ATTR,
  BATCH,
  type BatchHeader,
  CURRENT_MAGIC,
  batchSize,
  computeBatchCrc,
  validateBatch,
} from './batch-header';
import {
  type CompressionCodec,
  codecFromAttributes,
  codecToAttributeBits,
  compress,
  decompress,
} from './compression';
import type { DecodedRecord, RecordInput, TimestampType } from './record';
import { prepareRecord, readRecord, sizeOfRecord, skipRecord, writeRecord } from './record-codec';
import { cursor } from './varint';

/**
 * Kafka RecordBatch v2 as a whole: the records section (compressed or not) behind the 61-byte
 * header of batch-header.ts. Encoding writes what the Java producer writes, byte for byte;
 * decoding checks everything a client could lie about before trusting it.
 */
export interface EncodeOptions {
  compression?: CompressionCodec;
  baseOffset?: number;
  /** Defaults to the first record's timestamp, or now() when it has none. */
  baseTimestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  /** Control batches (transaction markers) are written by the broker itself. */
  isControl?: boolean;
  timestampType?: TimestampType;
  /** maxTimestamp of a LogAppendTime batch; defaults to now(). */
  logAppendTime?: number;
  /** -1 ("unknown") as the Java producer writes it; the leader stamps its epoch on append. */
  partitionLeaderEpoch?: number;
  now?: () => number;
}

export interface DecodedBatch {
  header: BatchHeader;
  records: DecodedRecord[];
  isControl: boolean;
  timestampType: TimestampType;
  compression: CompressionCodec;
}

export interface DecodeOptions {
  /** Ceiling for the decompressed records section (default DEFAULT_MAX_DECOMPRESSED_BYTES). */
  maxDecompressedBytes?: number;
}

function checkInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value))
    throw new BrokerError('INVALID_RECORD', `${what} ${value} is not a safe integer`);
}

export function encodeRecordBatch(records: RecordInput[], options: EncodeOptions = {}): Buffer {
  if (records.length === 0) {
    throw new BrokerError('INVALID_RECORD', 'A record batch needs at least one record');
  }
  const now = options.now ?? Date.now;
  const fallbackTimestamp = options.baseTimestamp ?? records[0]?.timestamp ?? now();
  const timestamps = records.map((r) => r.timestamp ?? fallbackTimestamp);
  const baseTimestamp = options.baseTimestamp ?? fallbackTimestamp;
  const logAppend = options.timestampType === 'LogAppendTime';
  let maxTimestamp = logAppend ? (options.logAppendTime ?? now()) : Number.NEGATIVE_INFINITY;
  for (const ts of timestamps) {
    checkInteger(ts, 'Record timestamp');
    if (!logAppend && ts > maxTimestamp) maxTimestamp = ts;
  }
  checkInteger(baseTimestamp, 'Base timestamp');
  checkInteger(maxTimestamp, 'Max timestamp');

  const prepared = records.map((r, i) =>
    prepareRecord(r, i, (timestamps[i] ?? baseTimestamp) - baseTimestamp),
  );
  let size = 0;
  for (const p of prepared) size += sizeOfRecord(p);
  const plain = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const p of prepared) pos = writeRecord(p, plain, pos);
  const codec = options.compression ?? 'none';
  const payload = compress(codec, plain);

  const batch = Buffer.allocUnsafe(BATCH.HEADER_SIZE + payload.length);
  const attributes =
    codecToAttributeBits(codec) |
    (logAppend ? ATTR.TIMESTAMP_TYPE_LOG_APPEND : 0) |
    (options.isTransactional ? ATTR.TRANSACTIONAL : 0) |
    (options.isControl ? ATTR.CONTROL : 0);
  batch.writeBigInt64BE(BigInt(options.baseOffset ?? 0), BATCH.BASE_OFFSET);
  batch.writeInt32BE(batch.length - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? -1, BATCH.PARTITION_LEADER_EPOCH);
  batch.writeInt8(CURRENT_MAGIC, BATCH.MAGIC);
  batch.writeUInt16BE(attributes, BATCH.ATTRIBUTES);
  batch.writeInt32BE(records.length - 1, BATCH.LAST_OFFSET_DELTA);
  batch.writeBigInt64BE(BigInt(baseTimestamp), BATCH.BASE_TIMESTAMP);
  batch.writeBigInt64BE(BigInt(maxTimestamp), BATCH.MAX_TIMESTAMP);
  batch.writeBigInt64BE(BigInt(options.producerId ?? -1), BATCH.PRODUCER_ID);
  batch.writeInt16BE(options.producerEpoch ?? -1, BATCH.PRODUCER_EPOCH);
  batch.writeInt32BE(options.baseSequence ?? -1, BATCH.BASE_SEQUENCE);
  batch.writeInt32BE(records.length, BATCH.RECORD_COUNT);
  payload.copy(batch, BATCH.RECORDS);
  batch.writeUInt32BE(computeBatchCrc(batch), BATCH.CRC);
  return batch;
}

function timestampTypeOf(attributes: number): TimestampType {
  return (attributes & ATTR.TIMESTAMP_TYPE_LOG_APPEND) !== 0 ? 'LogAppendTime' : 'CreateTime';
}

function countMismatch(header: BatchHeader, found: number): BrokerError {
  return new BrokerError(
    'CORRUPT_MESSAGE',
    `Record batch at offset ${header.baseOffset} declares ${header.recordCount} records but holds ${found}`,
  );
}

/** The records section, decompressed: what record lengths are walked over. */
function recordsSection(batch: Buffer, header: BatchHeader, options: DecodeOptions): Buffer {
  const end = Math.min(batch.length, BATCH.LOG_OVERHEAD + header.batchLength);
  const codec = codecFromAttributes(header.attributes);
  return decompress(codec, batch.subarray(BATCH.RECORDS, end), options.maxDecompressedBytes);
}

/**
 * Decodes one complete batch (exactly its bytes): header checks and CRC (validateBatch),
 * decompression under a size ceiling, then every record, each confined to its length prefix.
 */
export function decodeRecordBatch(batch: Buffer, options: DecodeOptions = {}): DecodedBatch {
  const header = validateBatch(batch);
  const data = recordsSection(batch, header, options);
  const timestampType = timestampTypeOf(header.attributes);
  const context = {
    baseOffset: header.baseOffset,
    baseTimestamp: header.baseTimestamp,
    logAppendTime: timestampType === 'LogAppendTime' ? header.maxTimestamp : null,
  };
  const records: DecodedRecord[] = [];
  const c = cursor(data);
  while (c.pos < c.end) records.push(readRecord(c, context));
  if (records.length !== header.recordCount) throw countMismatch(header, records.length);
  return {
    header,
    records,
    isControl: (header.attributes & ATTR.CONTROL) !== 0,
    timestampType,
    compression: codecFromAttributes(header.attributes),
  };
}

/**
 * Decodes batches laid end to end, as a segment or a fetch response holds them. A trailing
 * partial batch is skipped, as Kafka clients do: fetch responses are cut at a byte limit.
 */
export function* decodeBatches(buf: Buffer, options: DecodeOptions = {}): Generator<DecodedBatch> {
  let pos = 0;
  while (buf.length - pos >= BATCH.LOG_OVERHEAD) {
    const size = batchSize(buf, pos);
    if (size < BATCH.HEADER_SIZE) {
      throw new BrokerError(
        'CORRUPT_MESSAGE',
        `Record batch at byte ${pos} declares an impossible size ${size}`,
      );
    }
    if (size > buf.length - pos) return;
    yield decodeRecordBatch(buf.subarray(pos, pos + size), options);
    pos += size;
  }
}

/**
 * The produce path's record count check, without decoding fields: walks the record length
 * prefixes (after decompressing, for compressed batches) and compares with header.recordCount.
 * Expects a batch that validateBatch has accepted.
 */
export function assertRecordCount(batch: Buffer, header: BatchHeader, options: DecodeOptions = {}): void {
  const c = cursor(recordsSection(batch, header, options));
  let found = 0;
  while (c.pos < c.end) {
    skipRecord(c);
    found++;
  }
  if (found !== header.recordCount) throw countMismatch(header, found);
}

/** Assigns the batch's offsets in place. The CRC does not cover bytes 0-7, so it stays valid. */
export function setBaseOffset(batch: Buffer, offset: number): void {
  checkInteger(offset, 'Base offset');
  batch.writeBigInt64BE(BigInt(offset), BATCH.BASE_OFFSET);
}

/**
 * Stamps a batch in place for a LogAppendTime topic, as Kafka's broker does: timestamp type bit
 * and maxTimestamp set, CRC recomputed. Records keep their bytes; readers take maxTimestamp.
 */
export function setLogAppendTime(batch: Buffer, timestamp: number): void {
  const attributes = batch.readUInt16BE(BATCH.ATTRIBUTES) | ATTR.TIMESTAMP_TYPE_LOG_APPEND;
  batch.writeUInt16BE(attributes, BATCH.ATTRIBUTES);
  batch.writeBigInt64BE(BigInt(timestamp), BATCH.MAX_TIMESTAMP);
  batch.writeUInt32BE(computeBatchCrc(batch), BATCH.CRC);
}
