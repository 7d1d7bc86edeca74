import { ProtocolError } from './protocol-error';

/** A position reserved by `Writer.reserveInt32`, to be filled in later (e.g. a frame size). */
export interface Int32Slot {
  readonly buf: Buffer;
  readonly offset: number;
}

const MIN_CHUNK = 256;
const MAX_CHUNK = 64 * 1024;
/** Buffers at least this large are appended by reference instead of being copied. */
const ZERO_COPY_THRESHOLD = 512;
const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A growable big-endian writer that never copies what it has already written: when the scratch
 * buffer is full, the written part is kept as a chunk and a new scratch buffer is started (sizes
 * double up to 64 KiB), so writing n bytes costs O(n). Large buffers given to `writeRaw` (record
 * batches read from a segment) become chunks of their own, not copies; `toBuffers()` hands the
 * chunk list to `socket.writev`/`cork`+`write`. The caller must not mutate such buffers until the
 * frame has been written out.
 */
export class Writer {
  private readonly chunks: Buffer[] = [];
  private chunksLength = 0;
  private buf: Buffer;
  /** Start of the not-yet-chunked region of `buf`. */
  private start = 0;
  private pos = 0;

  constructor(initialCapacity = MIN_CHUNK) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.chunksLength + this.pos - this.start;
  }

  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private flushRegion(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.chunksLength += this.pos - this.start;
      this.start = this.pos;
    }
  }

  private grow(n: number): void {
    this.flushRegion();
    const size = Math.max(n, Math.min(MAX_CHUNK, this.buf.length * 2));
    this.buf = Buffer.allocUnsafe(size);
    this.start = 0;
    this.pos = 0;
  }

  writeInt8(v: number): this {
    this.ensure(1);
    this.pos = this.buf.writeInt8(v, this.pos);
    return this;
  }

  writeUInt8(v: number): this {
    this.ensure(1);
    this.pos = this.buf.writeUInt8(v, this.pos);
    return this;
  }

  writeBool(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  writeInt16(v: number): this {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
    return this;
  }

  writeUInt16(v: number): this {
    this.ensure(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
    return this;
  }

  writeInt32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
    return this;
  }

  writeUInt32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeUInt32BE(v, this.pos);
    return this;
  }

  writeInt64(v: bigint): this {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(v, this.pos);
    return this;
  }

  writeFloat64(v: number): this {
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
    return this;
  }

  /** A UUID from its canonical text form (either case). */
  writeUuid(v: string, field = 'uuid'): this {
    if (!UUID_TEXT.test(v))
      throw new ProtocolError('invalid-value', field, `not a UUID: ${JSON.stringify(v)}`);
    this.ensure(16);
    this.pos += this.buf.write(v.replace(/-/g, ''), this.pos, 16, 'hex');
    return this;
  }

  writeUnsignedVarint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new RangeError(`unsigned varint out of range: ${v}`);
    }
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  writeVarint(v: number): this {
    return this.writeUnsignedVarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  writeString(v: string, compact: boolean): this {
    const len = Buffer.byteLength(v, 'utf8');
    if (compact) this.writeUnsignedVarint(len + 1);
    else {
      if (len > 0x7fff) throw new RangeError(`string of ${len} bytes exceeds the int16 length limit`);
      this.writeInt16(len);
    }
    this.ensure(len);
    this.pos += this.buf.write(v, this.pos, len, 'utf8');
    return this;
  }

  writeNullableString(v: string | null, compact: boolean): this {
    if (v === null) return compact ? this.writeUInt8(0) : this.writeInt16(-1);
    return this.writeString(v, compact);
  }

  writeBytes(v: Buffer, compact: boolean): this {
    if (compact) this.writeUnsignedVarint(v.length + 1);
    else this.writeInt32(v.length);
    return this.writeRaw(v);
  }

  writeNullableBytes(v: Buffer | null, compact: boolean): this {
    if (v === null) return compact ? this.writeUInt8(0) : this.writeInt32(-1);
    return this.writeBytes(v, compact);
  }

  /** A `records` field: one buffer or several (e.g. batches read from a segment), never copied. */
  writeRecords(v: Buffer | readonly Buffer[] | null, compact: boolean): this {
    if (v === null) return compact ? this.writeUInt8(0) : this.writeInt32(-1);
    if (Buffer.isBuffer(v)) return this.writeBytes(v, compact);
    let len = 0;
    for (const b of v) len += b.length;
    if (compact) this.writeUnsignedVarint(len + 1);
    else this.writeInt32(len);
    for (const b of v) this.writeRaw(b);
    return this;
  }

  /** Array count: int32 (`compact` = false) or unsigned varint count+1. */
  writeArrayLength(n: number, compact: boolean): this {
    return compact ? this.writeUnsignedVarint(n + 1) : this.writeInt32(n);
  }

  writeNullArray(compact: boolean): this {
    return compact ? this.writeUInt8(0) : this.writeInt32(-1);
  }

  /** Raw bytes: small ones are copied, large ones are kept by reference (zero copy). */
  writeRaw(b: Buffer): this {
    if (b.length < ZERO_COPY_THRESHOLD) {
      this.ensure(b.length);
      this.pos += b.copy(this.buf, this.pos);
    } else {
      this.flushRegion();
      this.chunks.push(b);
      this.chunksLength += b.length;
    }
    return this;
  }

  /** Appends everything another writer holds, by reference. */
  writeWriter(other: Writer): this {
    for (const b of other.toBuffers()) this.writeRaw(b);
    return this;
  }

  /** Reserves 4 bytes to fill in later with `patchInt32` (e.g. a size prefix). */
  reserveInt32(): Int32Slot {
    this.ensure(4);
    const slot = { buf: this.buf, offset: this.pos };
    this.buf.writeInt32BE(0, this.pos);
    this.pos += 4;
    return slot;
  }

  patchInt32(slot: Int32Slot, v: number): void {
    slot.buf.writeInt32BE(v, slot.offset);
  }

  /** The written bytes as a list of buffers (views; nothing is copied). */
  toBuffers(): Buffer[] {
    this.flushRegion();
    return this.chunks.slice();
  }

  /** The written bytes as one buffer (copies only when there is more than one chunk). */
  toBuffer(): Buffer {
    this.flushRegion();
    if (this.chunks.length === 1) return this.chunks[0] as Buffer;
    return Buffer.concat(this.chunks, this.chunksLength);
  }
}
