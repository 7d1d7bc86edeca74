import { BrokerError } from '../errors';

/**
 * Kafka's variable-length integers (ByteUtils): base-128 groups, least significant first, the high
 * bit of each byte saying "more follows". Signed values are zigzag-encoded first so that small
 * negative numbers stay short. Varlongs are JS numbers: the record fields they carry (timestamp
 * deltas) stay far below 2^53, and anything beyond is rejected rather than silently rounded.
 *
 * Readers work on a cursor so that a record decoder can walk a buffer without allocating, and
 * never read past `end`: every byte on the wire is untrusted.
 */
export interface ByteCursor {
  readonly buf: Buffer;
  pos: number;
  /** Exclusive bound: a read that needs a byte at or after it fails as truncated. */
  readonly end: number;
}

export function cursor(buf: Buffer, pos = 0, end = buf.length): ByteCursor {
  return { buf, pos, end: Math.min(end, buf.length) };
}

function corrupt(message: string): BrokerError {
  return new BrokerError('CORRUPT_MESSAGE', message);
}

function nextByte(c: ByteCursor, what: string): number {
  if (c.pos >= c.end) throw corrupt(`Truncated ${what} at byte ${c.pos}`);
  // The bound check above makes the index safe; `?? 0` only satisfies noUncheckedIndexedAccess.
  return c.buf[c.pos++] ?? 0;
}

/**
 * Unsigned 32-bit varint: at most 5 bytes, the fifth carrying only 4 significant bits.
 *
 * One- and two-byte values (record lengths up to 8 KiB zigzagged, most deltas) take a fast path
 * with the same bound checks: the produce path walks every record's length, and the general loop
 * cost it a third of an append.
 */
export function readUnsignedVarint(c: ByteCursor): number {
  const { buf, end } = c;
  const pos = c.pos;
  if (pos < end) {
    const b0 = buf[pos] as number; // pos < end <= buf.length
    if (b0 < 0x80) {
      c.pos = pos + 1;
      return b0;
    }
    if (pos + 1 < end) {
      const b1 = buf[pos + 1] as number;
      if (b1 < 0x80) {
        c.pos = pos + 2;
        return (b0 & 0x7f) | (b1 << 7);
      }
    }
  }
  return readLongUnsignedVarint(c);
}

/** The general case: three to five bytes, truncated or overlong input. */
function readLongUnsignedVarint(c: ByteCursor): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const b = nextByte(c, 'varint');
    if (shift === 28 && b > 0x0f) {
      throw corrupt(`Varint at byte ${c.pos - 5} is longer than 5 bytes or overflows 32 bits`);
    }
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return value;
  }
  throw corrupt('Varint is longer than 5 bytes'); // unreachable: the fifth byte returns or throws
}

/** Zigzag-encoded signed 32-bit varint (Kafka's readVarint). */
export function readVarint(c: ByteCursor): number {
  const u = readUnsignedVarint(c);
  // u < 2^32: shift as an unsigned 32-bit integer, then undo the zigzag.
  return ((u >>> 1) ^ -(u & 1)) | 0;
}

/**
 * Zigzag-encoded signed varlong (Kafka's readVarlong). The sign lives in the lowest bit of the
 * first byte, so the magnitude is accumulated without it and never needs 64-bit arithmetic.
 */
export function readVarlong(c: ByteCursor): number {
  const start = c.pos;
  const first = nextByte(c, 'varlong');
  const negative = (first & 1) === 1;
  let magnitude = (first & 0x7f) >>> 1;
  let more = (first & 0x80) !== 0;
  for (let shift = 6; more; shift += 7) {
    if (shift > 62) throw corrupt(`Varlong at byte ${start} is longer than 10 bytes`);
    const b = nextByte(c, 'varlong');
    magnitude += (b & 0x7f) * 2 ** shift;
    more = (b & 0x80) !== 0;
  }
  if (magnitude > Number.MAX_SAFE_INTEGER) {
    throw corrupt(`Varlong at byte ${start} is outside the supported range of +/-2^53`);
  }
  return negative ? -magnitude - 1 : magnitude;
}

function checkRange(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BrokerError('INVALID_RECORD', `${what} ${value} is not an integer in [${min}, ${max}]`);
  }
}

export function sizeOfUnsignedVarint(value: number): number {
  let size = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) size++;
  return size;
}

function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint(zigzag32(value));
}

export function sizeOfVarlong(value: number): number {
  const magnitude = value < 0 ? -value - 1 : value;
  // The first byte holds 6 bits of magnitude next to the sign bit; each further byte holds 7.
  let size = 1;
  for (let v = Math.floor(magnitude / 64); v > 0; v = Math.floor(v / 128)) size++;
  return size;
}

/** Writes at `pos` and returns the position after the last byte written. */
export function writeUnsignedVarint(value: number, buf: Buffer, pos: number): number {
  checkRange(value, 0, 0xffffffff, 'Unsigned varint');
  let v = value;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

export function writeVarint(value: number, buf: Buffer, pos: number): number {
  checkRange(value, -0x80000000, 0x7fffffff, 'Varint');
  return writeUnsignedVarint(zigzag32(value), buf, pos);
}

export function writeVarlong(value: number, buf: Buffer, pos: number): number {
  checkRange(value, -Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, 'Varlong');
  const negative = value < 0;
  const magnitude = negative ? -value - 1 : value;
  let rest = Math.floor(magnitude / 64);
  let b = ((magnitude % 64) << 1) | (negative ? 1 : 0);
  while (rest > 0) {
    buf[pos++] = b | 0x80;
    b = rest % 128;
    rest = Math.floor(rest / 128);
  }
  buf[pos++] = b;
  return pos;
}
