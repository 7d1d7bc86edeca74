import { Decompress, decompress } from 'fzstd';
import { BrokerError } from '../errors';

/**
 * Zstandard decoding with fzstd (pure JS; Node 20's zlib has no zstd and no maintained native
 * package is installed, so zstd is read-only here).
 *
 * fzstd trusts the frame header: it allocates the declared window (up to 2 GiB) and, for frames
 * without a content size (Java's zstd-jni streams), shifts the whole window after every 128 KiB
 * block. So each frame's header and block headers are walked first, and
 * - a declared content size over the budget is refused before anything is allocated, and so is
 *   one the blocks cannot produce (fzstd allocates the declared size and returns all of it, zeros
 *   where the blocks fell short: 13 bytes claiming 200 MiB decoded "successfully" to 200 MiB);
 * - a window larger than the frame can need (its block bound, capped by the budget) is lowered in
 *   a private copy of the header. Back-references never reach further than the bytes produced,
 *   so a window at least as large as the output decodes identically.
 * Output is counted block by block and decoding stops as soon as it passes the budget.
 */
const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const MAX_BLOCK = 128 * 1024;

interface Frame {
  start: number;
  end: number;
  contentSize: number | null;
  /** Offset of the window descriptor byte, or -1 for single-segment frames (window = content). */
  windowDescriptorAt: number;
  windowSize: number;
  /** Most the blocks can produce: raw and RLE sizes exactly, compressed blocks a full block each. */
  bound: number;
  /** Whether `bound` is exact: no compressed blocks, only raw and RLE ones. */
  exact: boolean;
}

function corrupt(message: string): BrokerError {
  return new BrokerError('CORRUPT_MESSAGE', `Invalid zstd data: ${message}`);
}

function tooLarge(size: number, limit: number): BrokerError {
  return new BrokerError(
    'RECORD_LIST_TOO_LARGE',
    `Zstd data would decompress to ${size} bytes or more, over the limit of ${limit} bytes left`,
  );
}

function readFrame(data: Buffer, start: number): Frame {
  let pos = start + 4;
  const need = (n: number, what: string): void => {
    if (data.length - pos < n) throw corrupt(`truncated ${what} at byte ${pos}`);
  };
  need(1, 'frame header');
  const fhd = data.readUInt8(pos++);
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd & 0x20) !== 0;
  if ((fhd & 0x08) !== 0) throw corrupt('reserved frame header bit is set');
  const dictIdBytes = [0, 1, 2, 4][fhd & 3] ?? 0;
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag] ?? 0;
  need((singleSegment ? 0 : 1) + dictIdBytes + fcsBytes, 'frame header');
  let windowDescriptorAt = -1;
  let windowSize = 0;
  if (!singleSegment) {
    windowDescriptorAt = pos;
    const wd = data.readUInt8(pos++);
    const base = 2 ** (10 + (wd >> 3));
    windowSize = base + (base / 8) * (wd & 7);
  }
  const dictId = dictIdBytes === 0 ? 0 : data.readUIntLE(pos, dictIdBytes);
  if (dictId !== 0) throw corrupt(`frame needs dictionary ${dictId}, which Kafka clients never use`);
  pos += dictIdBytes;
  let contentSize: number | null = null;
  if (fcsBytes === 8) contentSize = Number(data.readBigUInt64LE(pos));
  else if (fcsBytes > 0) contentSize = data.readUIntLE(pos, fcsBytes) + (fcsBytes === 2 ? 256 : 0);
  pos += fcsBytes;
  if (singleSegment) windowSize = contentSize ?? 0;
  const blockMax = Math.min(MAX_BLOCK, windowSize);
  let bound = 0;
  let exact = true;
  for (let last = false; !last;) {
    need(3, 'block header');
    const header = data.readUIntLE(pos, 3);
    pos += 3;
    last = (header & 1) === 1;
    const type = (header >> 1) & 3;
    const size = header >>> 3;
    if (type === 3) throw corrupt(`reserved block type at byte ${pos - 3}`);
    if (size > blockMax) throw corrupt(`block of ${size} bytes exceeds the maximum of ${blockMax}`);
    const stored = type === 1 ? 1 : size; // an RLE block stores one byte, repeated `size` times
    need(stored, 'block');
    pos += stored;
    bound += type === 2 ? blockMax : size;
    if (type === 2) exact = false;
  }
  if ((fhd & 0x04) !== 0) {
    need(4, 'content checksum');
    pos += 4;
  }
  return { start, end: pos, contentSize, windowDescriptorAt, windowSize, bound, exact };
}

/** The smallest window a descriptor can express (a power of two) that still covers `bytes`. */
function windowDescriptorFor(bytes: number): number {
  const log = Math.max(17, Math.ceil(Math.log2(Math.max(bytes, 1))));
  return (log - 10) << 3;
}

function decodeFrame(data: Buffer, frame: Frame, budget: number): Uint8Array[] {
  if (frame.contentSize !== null && frame.contentSize > budget) throw tooLarge(frame.contentSize, budget);
  if (
    frame.contentSize !== null &&
    (frame.exact ? frame.contentSize !== frame.bound : frame.contentSize > frame.bound)
  ) {
    throw corrupt(
      `frame at byte ${frame.start} declares ${frame.contentSize} bytes but its blocks produce ${frame.exact ? '' : 'at most '}${frame.bound}`,
    );
  }
  let bytes: Uint8Array = data.subarray(frame.start, frame.end);
  if (frame.contentSize !== null && frame.contentSize > 0) {
    // fzstd writes straight into one buffer of the declared size: no window shifting.
    return [decompress(bytes)];
  }
  const needed = Math.max(Math.min(frame.bound, budget), 1);
  if (
    frame.windowDescriptorAt >= 0 &&
    frame.windowSize > 2 ** Math.ceil(Math.log2(Math.max(needed, MAX_BLOCK)))
  ) {
    const copy = Buffer.from(bytes);
    copy[frame.windowDescriptorAt - frame.start] = windowDescriptorFor(needed);
    bytes = copy;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > budget) throw tooLarge(total, budget);
    if (chunk.length > 0) chunks.push(chunk);
  });
  stream.push(bytes, true);
  return chunks;
}

export function zstdDecompress(data: Buffer, maxOutputBytes: number): Buffer {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let pos = 0;
  while (pos < data.length) {
    if (data.length - pos < 4) throw corrupt(`truncated frame magic at byte ${pos}`);
    const magic = data.readUInt32LE(pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (data.length - pos < 8) throw corrupt('truncated skippable frame');
      pos += 8 + data.readUInt32LE(pos + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) throw corrupt(`bad frame magic 0x${magic.toString(16)} at byte ${pos}`);
    const frame = readFrame(data, pos);
    let decoded: Uint8Array[];
    try {
      decoded = decodeFrame(data, frame, maxOutputBytes - total);
    } catch (error) {
      if (error instanceof BrokerError) throw error;
      throw corrupt(`frame at byte ${pos}: ${(error as Error).message}`);
    }
    for (const chunk of decoded) total += chunk.length;
    if (total > maxOutputBytes) throw tooLarge(total, maxOutputBytes);
    chunks.push(...decoded);
    pos = frame.end;
  }
  if (pos > data.length) throw corrupt('truncated skippable frame');
  return Buffer.concat(chunks, total);
}
