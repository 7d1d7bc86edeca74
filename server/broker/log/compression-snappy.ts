import snappy from 'snappy';
import { BrokerError } from '../errors';
import { cursor, readUnsignedVarint } from './varint';

/**
 * Snappy as Kafka clients write it. The Java client and librdkafka wrap raw snappy blocks in
 * xerial's SnappyOutputStream framing:
 *
 *   magic 0x82 'SNAPPY' 0x00 | version i32 | compatible version i32 | (length i32, raw block)*
 *
 * kafkajs-snappy, librdkafka's producer and @platformatic/kafka send one raw block instead. Readers
 * (xerial's SnappyInputStream, librdkafka) tell them apart by the magic, and so do we. We write the
 * raw form: every client reads it, and it is one block instead of many.
 */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;

export function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.subarray(0, 8).equals(XERIAL_MAGIC);
}

export function snappyCompress(data: Buffer): Buffer {
  return snappy.compressSync(data);
}

/**
 * Most output one byte of raw snappy elements can stand for: a 2-byte-offset copy (3 bytes)
 * repeats up to 64 bytes; 4-byte-offset copies (5 bytes), 1-byte-offset copies (2 bytes, up to
 * 11) and literals (at least one byte each) give less.
 */
const SNAPPY_MAX_EXPANSION = 64 / 3;

/**
 * Raw snappy starts with the uncompressed length as a varint; the native decoder allocates that
 * much up front, so before the library sees it the length is checked against the budget and
 * against what the block's bytes can possibly expand to (a 6-byte block may not claim 200 MiB).
 */
function uncompressRawBlock(block: Buffer, budget: number): Buffer {
  const c = cursor(block);
  const declared = readUnsignedVarint(c);
  if (declared > budget) {
    throw new BrokerError(
      'RECORD_LIST_TOO_LARGE',
      `Snappy block declares ${declared} uncompressed bytes, over the limit of ${budget} bytes left`,
    );
  }
  const possible = Math.floor((block.length - c.pos) * SNAPPY_MAX_EXPANSION);
  if (declared > possible) {
    throw new BrokerError(
      'CORRUPT_MESSAGE',
      `Snappy block of ${block.length} bytes declares ${declared} uncompressed bytes; it can hold at most ${possible}`,
    );
  }
  let out: string | Buffer;
  try {
    out = snappy.uncompressSync(block, { asBuffer: true });
  } catch (error) {
    throw new BrokerError('CORRUPT_MESSAGE', `Invalid snappy data: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!Buffer.isBuffer(out)) throw new BrokerError('CORRUPT_MESSAGE', 'Snappy decoder returned text');
  return out;
}

export function snappyDecompress(data: Buffer, maxOutputBytes: number): Buffer {
  if (!isXerialFramed(data)) return uncompressRawBlock(data, maxOutputBytes);
  const blocks: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (data.length - pos < 4) {
      throw new BrokerError('CORRUPT_MESSAGE', `Truncated xerial snappy block length at byte ${pos}`);
    }
    const length = data.readInt32BE(pos);
    pos += 4;
    if (length < 0 || length > data.length - pos) {
      throw new BrokerError(
        'CORRUPT_MESSAGE',
        `Xerial snappy block at byte ${pos - 4} declares ${length} bytes but ${data.length - pos} remain`,
      );
    }
    const block = uncompressRawBlock(data.subarray(pos, pos + length), maxOutputBytes - total);
    pos += length;
    total += block.length;
    blocks.push(block);
  }
  return blocks.length === 1 && blocks[0] ? blocks[0] : Buffer.concat(blocks, total);
}
