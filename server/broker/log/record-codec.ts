import { BrokerError } from '../errors';
import type { DecodedRecord, RecordHeader, RecordInput } from './record';
import {
  type ByteCursor,
  cursor,
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from './varint';

/**
 * One record inside a v2 batch (Kafka's DefaultRecord):
 *
 *   length varint | attributes i8 | timestampDelta varlong | offsetDelta varint |
 *   keyLength varint | key | valueLength varint | value | headerCount varint |
 *   (headerKeyLength varint | headerKey utf8 | headerValueLength varint | headerValue)*
 *
 * Lengths of -1 mean null. Encoding sizes each record once so a batch is written into a single
 * pre-sized buffer.
 */
export interface PreparedRecord {
  bodySize: number;
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: Buffer; value: Buffer | null }[];
}

function sizeOfBytes(bytes: Buffer | null): number {
  return bytes === null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

export function prepareRecord(
  input: RecordInput,
  offsetDelta: number,
  timestampDelta: number,
): PreparedRecord {
  const headers = (input.headers ?? []).map((h) => ({ key: Buffer.from(h.key, 'utf8'), value: h.value }));
  let bodySize =
    1 + // attributes: no record-level attribute is defined, always 0
    sizeOfVarlong(timestampDelta) +
    sizeOfVarint(offsetDelta) +
    sizeOfBytes(input.key) +
    sizeOfBytes(input.value) +
    sizeOfVarint(headers.length);
  for (const h of headers) bodySize += sizeOfBytes(h.key) + sizeOfBytes(h.value);
  return { bodySize, timestampDelta, offsetDelta, key: input.key, value: input.value, headers };
}

export function sizeOfRecord(record: PreparedRecord): number {
  return sizeOfVarint(record.bodySize) + record.bodySize;
}

function writeBytes(bytes: Buffer | null, buf: Buffer, pos: number): number {
  if (bytes === null) return writeVarint(-1, buf, pos);
  pos = writeVarint(bytes.length, buf, pos);
  return pos + bytes.copy(buf, pos);
}

/** Writes the record at `pos` and returns the position after it. */
export function writeRecord(record: PreparedRecord, buf: Buffer, pos: number): number {
  pos = writeVarint(record.bodySize, buf, pos);
  buf[pos++] = 0;
  pos = writeVarlong(record.timestampDelta, buf, pos);
  pos = writeVarint(record.offsetDelta, buf, pos);
  pos = writeBytes(record.key, buf, pos);
  pos = writeBytes(record.value, buf, pos);
  pos = writeVarint(record.headers.length, buf, pos);
  for (const h of record.headers) {
    pos = writeBytes(h.key, buf, pos);
    pos = writeBytes(h.value, buf, pos);
  }
  return pos;
}

function corrupt(message: string): BrokerError {
  return new BrokerError('CORRUPT_MESSAGE', message);
}

/**
 * Reads a length prefix and checks that the record fits in what is left. Returns the record's
 * end. A negative length or one past the end is corrupt: the record would leave its batch.
 */
function readRecordLength(c: ByteCursor): number {
  const start = c.pos;
  const length = readVarint(c);
  if (length < 0 || length > c.end - c.pos) {
    throw corrupt(
      `Record at byte ${start} declares ${length} bytes but only ${c.end - c.pos} remain in the batch`,
    );
  }
  return c.pos + length;
}

/** Moves past one record without decoding its fields (the produce path's cheap count). */
export function skipRecord(c: ByteCursor): void {
  c.pos = readRecordLength(c);
}

function readBytes(c: ByteCursor, what: string): Buffer | null {
  const length = readVarint(c);
  if (length < 0) return null; // Kafka reads every negative length as null
  if (length > c.end - c.pos) {
    throw corrupt(`Record ${what} of ${length} bytes at byte ${c.pos} overruns its record`);
  }
  const bytes = c.buf.subarray(c.pos, c.pos + length);
  c.pos += length;
  return bytes;
}

export interface RecordContext {
  baseOffset: number;
  baseTimestamp: number;
  /** Set for LogAppendTime batches: every record then carries the batch's maxTimestamp. */
  logAppendTime: number | null;
}

/** Decodes the record at the cursor, which must stop at the end of the records section. */
export function readRecord(c: ByteCursor, context: RecordContext): DecodedRecord {
  const start = c.pos;
  const end = readRecordLength(c);
  // Fields are read through a cursor that ends where the record does, so a lying field length
  // fails here instead of reading into the next record.
  const r = cursor(c.buf, c.pos, end);
  if (r.pos >= r.end) throw corrupt(`Record at byte ${start} has no attributes byte`);
  r.pos++; // attributes: unused by Kafka since 0.11
  const timestampDelta = readVarlong(r);
  const offsetDelta = readVarint(r);
  const key = readBytes(r, 'key');
  const value = readBytes(r, 'value');
  const headerCount = readVarint(r);
  if (headerCount < 0) throw corrupt(`Record at byte ${start} has an invalid header count ${headerCount}`);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const headerKey = readBytes(r, 'header key');
    if (headerKey === null) throw corrupt(`Record at byte ${start} has a header with a null key`);
    headers.push({ key: headerKey.toString('utf8'), value: readBytes(r, 'header value') });
  }
  if (r.pos !== end) {
    throw corrupt(
      `Record at byte ${start} has ${end - r.pos} bytes after its last field, inside its declared length`,
    );
  }
  c.pos = end;
  return {
    offset: context.baseOffset + offsetDelta,
    timestamp: context.logAppendTime ?? context.baseTimestamp + timestampDelta,
    key,
    value,
    headers,
    sizeInBytes: end - start,
  };
}
