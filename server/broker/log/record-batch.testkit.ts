import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { type BrokerErrorCode, isBrokerError } from '../errors';
import { BATCH, computeBatchCrc } from './batch-header';

/**
 * Test helpers shared by the record batch tests: kafkajs's own RecordBatch encoder and decoder
 * (a real Kafka client, used as the reference), a from-the-spec CRC-32C, and a way to forge
 * batches with chosen header fields and a valid CRC.
 */
const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  buffer: Buffer;
}
export type KafkajsHeaders = Record<string, Buffer | string | (Buffer | string)[]>;
export interface KafkajsRecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers?: KafkajsHeaders;
  timestamp: number;
}
interface KafkajsDecodedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
  timestamp: string;
  offset: string;
  isControlRecord: boolean;
}
export interface KafkajsDecodedBatch {
  firstOffset: string;
  maxTimestamp: string;
  producerId: string;
  timestampType: number;
  inTransaction: boolean;
  records: KafkajsDecodedRecord[];
}

const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (r: {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: KafkajsHeaders;
}) => KafkajsEncoder;
const { RecordBatch: kafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (options: Record<string, unknown>) => Promise<KafkajsEncoder>;
};
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (buf: Buffer) => object;
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: object,
) => Promise<KafkajsDecodedBatch>;

/** Builds a batch the way kafkajs's producer does (produce request v3+). */
export async function kafkajsEncode(
  records: KafkajsRecordInput[],
  options: {
    gzip?: boolean;
    firstOffset?: number;
    producerId?: number;
    producerEpoch?: number;
    firstSequence?: number;
  },
): Promise<Buffer> {
  const firstTimestamp = records[0]?.timestamp ?? 0;
  const encoded = await kafkajsRecordBatch({
    compression: options.gzip ? 1 : 0,
    firstOffset: options.firstOffset ?? 0,
    firstTimestamp,
    maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
    partitionLeaderEpoch: -1,
    producerId: options.producerId ?? -1,
    producerEpoch: options.producerEpoch ?? -1,
    firstSequence: options.firstSequence ?? -1,
    lastOffsetDelta: records.length - 1,
    records: records.map((r, i) =>
      kafkajsRecord({
        offsetDelta: i,
        timestampDelta: r.timestamp - firstTimestamp,
        key: r.key,
        value: r.value,
        headers: r.headers ?? {},
      }),
    ),
  });
  return encoded.buffer;
}

export function kafkajsDecode(batch: Buffer): Promise<KafkajsDecodedBatch> {
  return kafkajsDecodeBatch(new KafkajsDecoder(batch));
}

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) bit by bit, straight from its definition. */
export function referenceCrc32c(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A copy of `template`'s header over a new records section, with chosen header fields, a fixed
 * length and a valid CRC: how the tests forge batches that only the record checks can catch.
 */
export function forgeBatch(
  template: Buffer,
  records: Buffer,
  fields: { recordCount?: number; attributes?: number; lastOffsetDelta?: number } = {},
): Buffer {
  const batch = Buffer.concat([template.subarray(0, BATCH.HEADER_SIZE), records]);
  batch.writeInt32BE(batch.length - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  if (fields.recordCount !== undefined) batch.writeInt32BE(fields.recordCount, BATCH.RECORD_COUNT);
  if (fields.attributes !== undefined) batch.writeInt16BE(fields.attributes, BATCH.ATTRIBUTES);
  if (fields.lastOffsetDelta !== undefined)
    batch.writeInt32BE(fields.lastOffsetDelta, BATCH.LAST_OFFSET_DELTA);
  return fixCrc(batch);
}

export function fixCrc(batch: Buffer): Buffer {
  batch.writeUInt32BE(computeBatchCrc(batch), BATCH.CRC);
  return batch;
}

export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

export function expectBrokerError(fn: () => unknown, code: BrokerErrorCode, message?: RegExp): void {
  const caught = catchError(fn);
  expect(isBrokerError(caught, code), `expected ${code}, got ${String(caught)}`).toBe(true);
  if (message) expect((caught as Error).message).toMatch(message);
}
