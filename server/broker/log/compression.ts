import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BrokerError } from '../errors';
import { lz4Compress, lz4Decompress } from './compression-lz4';
import { snappyCompress, snappyDecompress } from './compression-snappy';
import { zstdDecompress } from './compression-zstd';

/**
 * The five codecs of a RecordBatch, by the value of attribute bits 0-2 (Kafka's
 * CompressionType ids). All five decode; zstd does not encode (see compression-zstd.ts).
 */
export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export const COMPRESSION_CODECS: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Codecs `compress` can write. */
export const ENCODABLE_CODECS: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4'];

/**
 * Default ceiling for one batch's decompressed records. Kafka has none, but a few bytes of gzip
 * or zstd can claim gigabytes; 256 MiB is far beyond any batch a client builds by default
 * (batch.size 16 KiB, message.max.bytes 1 MiB) and still bounds memory.
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

export function codecToAttributeBits(codec: CompressionCodec): number {
  return COMPRESSION_CODECS.indexOf(codec);
}

/** Reads attribute bits 0-2; the values 5-7 are unassigned and make the batch unreadable. */
export function codecFromAttributes(attributes: number): CompressionCodec {
  const codec = COMPRESSION_CODECS[attributes & 0x07];
  if (codec === undefined) {
    throw new BrokerError(
      'UNSUPPORTED_COMPRESSION_TYPE',
      `Unknown compression codec id ${attributes & 0x07} in batch attributes`,
    );
  }
  return codec;
}

export function isCompressionCodec(value: string): value is CompressionCodec {
  return (COMPRESSION_CODECS as readonly string[]).includes(value);
}

export function compress(codec: CompressionCodec, data: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gzipSync(data);
    case 'snappy':
      return snappyCompress(data);
    case 'lz4':
      return lz4Compress(data);
    case 'zstd':
      throw new BrokerError(
        'UNSUPPORTED_COMPRESSION_TYPE',
        'Sluice reads zstd batches but cannot write them: no zstd encoder is available on Node 20',
      );
  }
}

const MAX_LENGTH = bufferConstants.MAX_LENGTH;

function gunzip(data: Buffer, maxOutputBytes: number): Buffer {
  try {
    // zlib inflates in chunks and stops at maxOutputLength, so a bomb never fills memory.
    // zlib accepts 1..buffer.constants.MAX_LENGTH only; a larger limit means "as much as Node can hold".
    return gunzipSync(data, { maxOutputLength: Math.min(Math.max(1, maxOutputBytes), MAX_LENGTH) });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BrokerError(
        'RECORD_LIST_TOO_LARGE',
        `Gzip data decompresses to more than the limit of ${maxOutputBytes} bytes`,
        { cause: error },
      );
    }
    throw new BrokerError('CORRUPT_MESSAGE', `Invalid gzip data: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Decompresses a batch's records section. Output larger than `maxOutputBytes` fails with
 * RECORD_LIST_TOO_LARGE, checked before or while decoding so that it never has to be held;
 * malformed input fails with CORRUPT_MESSAGE.
 */
export function decompress(
  codec: CompressionCodec,
  data: Buffer,
  maxOutputBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): Buffer {
  switch (codec) {
    case 'none':
      if (data.length > maxOutputBytes) {
        throw new BrokerError(
          'RECORD_LIST_TOO_LARGE',
          `Records take ${data.length} bytes, over ${maxOutputBytes}`,
        );
      }
      return data;
    case 'gzip':
      return gunzip(data, maxOutputBytes);
    case 'snappy':
      return snappyDecompress(data, maxOutputBytes);
    case 'lz4':
      return lz4Decompress(data, maxOutputBytes);
    case 'zstd':
      return zstdDecompress(data, maxOutputBytes);
  }
}
