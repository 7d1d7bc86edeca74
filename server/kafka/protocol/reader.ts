import { ProtocolError } from './protocol-error';

/** A tagged field whose tag the decoder does not know; kept so that re-encoding preserves it. */
export interface TaggedField {
  readonly tag: number;
  /** The field's raw bytes (a view into the request buffer, not a copy). */
  readonly data: Buffer;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A bounds-checked cursor over a Buffer, for Kafka's big-endian wire format.
 *
 * Every read checks the bytes left first, and every length or count read from the input is checked
 * against the bytes left *before* anything is allocated, so a lying length costs nothing. Failures
 * are `ProtocolError`s naming the field. Byte fields (`bytes`, `records`) are returned as views
 * (`subarray`) into the input: the record bytes of a Produce request are never copied.
 */
export class Reader {
  private pos: number;
  private readonly end: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) {
      throw new RangeError(`Reader bounds [${start}, ${end}) outside a buffer of ${buf.length} bytes`);
    }
    this.pos = start;
    this.end = end;
  }

  /** Absolute position in `buf`. */
  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, field: string, what: string): void {
    if (this.end - this.pos < n) {
      throw new ProtocolError(
        'truncated',
        field,
        `need ${n} byte(s) for ${what}, ${this.end - this.pos} left`,
      );
    }
  }

  readInt8(field: string): number {
    this.need(1, field, 'int8');
    return this.buf.readInt8(this.pos++);
  }

  readUInt8(field: string): number {
    this.need(1, field, 'uint8');
    return this.buf[this.pos++] as number;
  }

  readBool(field: string): boolean {
    this.need(1, field, 'bool');
    return this.buf[this.pos++] !== 0;
  }

  readInt16(field: string): number {
    this.need(2, field, 'int16');
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  readUInt16(field: string): number {
    this.need(2, field, 'uint16');
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  readInt32(field: string): number {
    this.need(4, field, 'int32');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  readUInt32(field: string): number {
    this.need(4, field, 'uint32');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  readInt64(field: string): bigint {
    this.need(8, field, 'int64');
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  readFloat64(field: string): number {
    this.need(8, field, 'float64');
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A UUID as its canonical lower-case text, e.g. `00000000-0000-0000-0000-000000000000`. */
  readUuid(field: string): string {
    this.need(16, field, 'uuid');
    const b = this.buf;
    const p = this.pos;
    let s = '';
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
      s += HEX[b[p + i] as number];
    }
    this.pos += 16;
    return s;
  }

  /** Kafka's unsigned varint (at most 5 bytes, value < 2^32). */
  readUnsignedVarint(field: string): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) {
        throw new ProtocolError('truncated', field, 'input ended inside an unsigned varint');
      }
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) break;
        return result;
      }
      scale *= 128;
    }
    throw new ProtocolError('invalid-value', field, 'unsigned varint longer than 5 bytes or above 2^32-1');
  }

  /** Kafka's zig-zag signed varint (32-bit). */
  readVarint(field: string): number {
    const u = this.readUnsignedVarint(field);
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** An int16-length string (`compact` = false) or an unsigned-varint (length+1) string. */
  readString(field: string, compact: boolean): string {
    const len = this.readStringLength(field, compact);
    if (len < 0) throw new ProtocolError('null-not-allowed', field, 'null string for a non-nullable field');
    return this.utf8(len);
  }

  readNullableString(field: string, compact: boolean): string | null {
    const len = this.readStringLength(field, compact);
    return len < 0 ? null : this.utf8(len);
  }

  private readStringLength(field: string, compact: boolean): number {
    const len = compact ? this.readUnsignedVarint(field) - 1 : this.readInt16(field);
    if (len < -1) throw new ProtocolError('invalid-length', field, `negative string length ${len}`);
    if (len > this.end - this.pos) {
      throw new ProtocolError(
        'invalid-length',
        field,
        `string length ${len} exceeds the ${this.remaining} byte(s) left`,
      );
    }
    return len;
  }

  private utf8(len: number): string {
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** An int32-length byte string (`compact` = false) or an unsigned-varint (length+1) one, as a view. */
  readBytes(field: string, compact: boolean): Buffer {
    const len = this.readBytesLength(field, compact);
    if (len < 0) throw new ProtocolError('null-not-allowed', field, 'null bytes for a non-nullable field');
    return this.view(len);
  }

  readNullableBytes(field: string, compact: boolean): Buffer | null {
    const len = this.readBytesLength(field, compact);
    return len < 0 ? null : this.view(len);
  }

  private readBytesLength(field: string, compact: boolean): number {
    const len = compact ? this.readUnsignedVarint(field) - 1 : this.readInt32(field);
    if (len < -1) throw new ProtocolError('invalid-length', field, `negative byte length ${len}`);
    if (len > this.end - this.pos) {
      throw new ProtocolError(
        'invalid-length',
        field,
        `byte length ${len} exceeds the ${this.remaining} byte(s) left`,
      );
    }
    return len;
  }

  /** The next `len` bytes as a view (no copy). */
  readRaw(field: string, len: number): Buffer {
    this.need(len, field, `${len} raw byte(s)`);
    return this.view(len);
  }

  private view(len: number): Buffer {
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  /**
   * An array count: int32 (`compact` = false, -1 = null) or unsigned varint count+1 (0 = null).
   * Returns -1 for null. The count is rejected when `count * minElementSize` exceeds the bytes left,
   * so a lying count can never make the caller allocate or loop past the input.
   */
  readArrayLength(field: string, compact: boolean, minElementSize: number): number {
    const n = compact ? this.readUnsignedVarint(field) - 1 : this.readInt32(field);
    if (n < -1) throw new ProtocolError('invalid-length', field, `negative array length ${n}`);
    if (n * Math.max(1, minElementSize) > this.end - this.pos) {
      throw new ProtocolError(
        'invalid-length',
        field,
        `array of ${n} element(s) cannot fit in the ${this.remaining} byte(s) left`,
      );
    }
    return n;
  }

  /** A bounded reader over the next `len` bytes; this reader skips past them. */
  sub(field: string, len: number): Reader {
    this.need(len, field, `a ${len}-byte section`);
    const r = new Reader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  skip(field: string, len: number): void {
    this.need(len, field, `${len} byte(s) to skip`);
    this.pos += len;
  }

  /** Throws unless every byte was consumed (used for tagged fields, whose size is declared). */
  expectEnd(field: string): void {
    if (this.pos !== this.end) {
      throw new ProtocolError('invalid-value', field, `${this.end - this.pos} unexpected trailing byte(s)`);
    }
  }
}
