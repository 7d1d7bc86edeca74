import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { BrokerError } from '../errors';

/**
 * LZ4 as Kafka writes it for magic 2: the standard LZ4 *frame* format (Kafka's
 * KafkaLZ4BlockOutputStream: independent 64 KiB blocks, no checksums). lz4-napi writes exactly
 * that header (FLG 0x60, BD 0x40) and its decoder also reads linked blocks and checksums, which
 * the lz4 CLI and librdkafka may produce.
 *
 * The native decoder has no output limit, so the frame structure is walked first: a declared
 * content size, or a sum of block bounds, beyond the budget is refused before any allocation.
 */
const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

function corrupt(message: string): BrokerError {
  return new BrokerError('CORRUPT_MESSAGE', `Invalid LZ4 frame: ${message}`);
}

interface FrameWalk {
  /** Sum of the most each frame can produce: stored blocks exactly, compressed ones a full block. */
  bound: number;
  /** Content size declared in the frame headers, when every frame declares one. */
  declared: number | null;
  largestBlock: number;
}

/** Checks the frame structure (lengths only; the decoder checks checksums) and bounds the output. */
function walkFrames(data: Buffer): FrameWalk {
  const walk: FrameWalk = { bound: 0, declared: 0, largestBlock: 0 };
  let pos = 0;
  const need = (n: number, what: string): void => {
    if (data.length - pos < n) throw corrupt(`truncated ${what} at byte ${pos}`);
  };
  while (pos < data.length) {
    need(4, 'magic');
    const magic = data.readUInt32LE(pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(8, 'skippable frame');
      pos += 8 + data.readUInt32LE(pos + 4);
      if (pos > data.length) throw corrupt('truncated skippable frame');
      continue;
    }
    if (magic !== FRAME_MAGIC) throw corrupt(`bad magic 0x${magic.toString(16)} at byte ${pos}`);
    need(7, 'frame descriptor');
    const flg = data.readUInt8(pos + 4);
    const bd = data.readUInt8(pos + 5);
    if (flg >> 6 !== 1) throw corrupt(`unsupported frame version ${flg >> 6}`);
    const blockMaxId = (bd >> 4) & 7;
    if (blockMaxId < 4) throw corrupt(`invalid block maximum size id ${blockMaxId}`);
    const blockMax = 1 << (2 * blockMaxId + 8); // 4 -> 64 KiB ... 7 -> 4 MiB
    const hasBlockChecksum = (flg & 0x10) !== 0;
    const hasContentSize = (flg & 0x08) !== 0;
    const hasContentChecksum = (flg & 0x04) !== 0;
    const hasDictId = (flg & 0x01) !== 0;
    pos += 6;
    if (hasContentSize) {
      need(8, 'content size');
      const size = Number(data.readBigUInt64LE(pos));
      walk.declared = walk.declared === null ? null : walk.declared + size;
      pos += 8;
    } else {
      walk.declared = null;
    }
    if (hasDictId) pos += 4;
    pos += 1; // header checksum, verified by the decoder
    for (;;) {
      need(4, 'block size');
      const word = data.readUInt32LE(pos);
      pos += 4;
      if (word === 0) break; // end mark
      const stored = (word & 0x80000000) !== 0;
      const size = word & 0x7fffffff;
      if (size > blockMax)
        throw corrupt(`block of ${size} bytes exceeds the frame's ${blockMax}-byte maximum`);
      need(size + (hasBlockChecksum ? 4 : 0), 'block');
      pos += size + (hasBlockChecksum ? 4 : 0);
      walk.bound += stored ? size : blockMax;
    }
    walk.largestBlock = Math.max(walk.largestBlock, blockMax);
    if (hasContentChecksum) {
      need(4, 'content checksum');
      pos += 4;
    }
  }
  return walk;
}

export function lz4Compress(data: Buffer): Buffer {
  return compressFrameSync(data);
}

export function lz4Decompress(data: Buffer, maxOutputBytes: number): Buffer {
  const walk = walkFrames(data);
  // Encoders fill every block but the last, so a bound past the limit by more than one block
  // means the output would be too; a frame that lies about it is caught after decoding.
  const tooLarge = (walk.declared ?? 0) > maxOutputBytes || walk.bound > maxOutputBytes + walk.largestBlock;
  if (tooLarge) {
    throw new BrokerError(
      'RECORD_LIST_TOO_LARGE',
      `LZ4 data would decompress to more than the limit of ${maxOutputBytes} bytes`,
    );
  }
  let out: Buffer;
  try {
    out = decompressFrameSync(data);
  } catch (error) {
    throw corrupt((error as Error).message);
  }
  if (out.length > maxOutputBytes) {
    throw new BrokerError(
      'RECORD_LIST_TOO_LARGE',
      `LZ4 data decompressed to ${out.length} bytes, over the limit of ${maxOutputBytes}`,
    );
  }
  return out;
}
