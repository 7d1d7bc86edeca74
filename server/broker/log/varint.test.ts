import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBrokerError } from '../errors';
import {
  cursor,
  readUnsignedVarint,
  readVarint,
  readVarlong,
  sizeOfUnsignedVarint,
  sizeOfVarint,
  sizeOfVarlong,
  writeUnsignedVarint,
  writeVarint,
  writeVarlong,
} from './varint';

function encode(write: (v: number, b: Buffer, p: number) => number, value: number): Buffer {
  const buf = Buffer.alloc(16);
  return buf.subarray(0, write(value, buf, 0));
}

function expectCorrupt(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isBrokerError(caught, 'CORRUPT_MESSAGE'), String(caught)).toBe(true);
  expect((caught as Error).message).toMatch(message);
}

describe('varint', () => {
  // Vectors from Kafka's ByteUtilsTest (zigzag: 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3 ...).
  it.each([
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-64, '7f'],
    [64, '8001'],
    [300, 'd804'],
    [2147483647, 'feffffff0f'],
    [-2147483648, 'ffffffff0f'],
  ])('varint %d is %s', (value, hex) => {
    expect(encode(writeVarint, value).toString('hex')).toBe(hex);
    expect(sizeOfVarint(value)).toBe(hex.length / 2);
    expect(readVarint(cursor(Buffer.from(hex, 'hex')))).toBe(value);
  });

  it.each([
    [0, '00'],
    [-1, '01'],
    [63, '7e'],
    [-65, '8101'],
    [2 ** 31, '8080808010'],
    [1_700_000_000_000, '80a0abfef962'],
    [Number.MAX_SAFE_INTEGER, 'feffffffffffff1f'],
    [-Number.MAX_SAFE_INTEGER - 1, 'ffffffffffffff1f'],
  ])('varlong %d is %s', (value, hex) => {
    expect(encode(writeVarlong, value).toString('hex')).toBe(hex);
    expect(sizeOfVarlong(value)).toBe(hex.length / 2);
    expect(readVarlong(cursor(Buffer.from(hex, 'hex')))).toBe(value);
  });

  it('round-trips every int32 and every safe integer, with exact sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (v) => {
        const bytes = encode(writeVarint, v);
        const c = cursor(bytes);
        expect(readVarint(c)).toBe(v);
        expect(c.pos).toBe(bytes.length);
        expect(sizeOfVarint(v)).toBe(bytes.length);
      }),
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), (v) => {
        const bytes = encode(writeVarlong, v);
        const c = cursor(bytes);
        expect(readVarlong(c)).toBe(v);
        expect(c.pos).toBe(bytes.length);
        expect(sizeOfVarlong(v)).toBe(bytes.length);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        const bytes = encode(writeUnsignedVarint, v);
        expect(readUnsignedVarint(cursor(bytes))).toBe(v);
        expect(sizeOfUnsignedVarint(v)).toBe(bytes.length);
      }),
    );
  });

  it('matches 64-bit zigzag computed with BigInt', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (v) => {
        const n = BigInt(v);
        let u = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
        const expected: number[] = [];
        while (u >= 0x80n) {
          expected.push(Number(u & 0x7fn) | 0x80);
          u >>= 7n;
        }
        expected.push(Number(u));
        expect([...encode(writeVarlong, v)]).toEqual(expected);
      }),
    );
  });

  it('reads across the one- and two-byte fast path and the general loop alike', () => {
    for (const value of [0, 1, 127, 128, 255, 8191, 16383, 16384, 2_097_151, 2_097_152, 2 ** 32 - 1]) {
      const bytes = encode(writeUnsignedVarint, value);
      const c = cursor(Buffer.concat([bytes, Buffer.from([0x05])]));
      expect(readUnsignedVarint(c)).toBe(value);
      expect(c.pos).toBe(bytes.length);
      expect(readUnsignedVarint(c)).toBe(5);
    }
    // A second byte with its continuation bit set leaves the fast path; one past `end` is not read.
    expectCorrupt(
      () => readUnsignedVarint(cursor(Buffer.from('ff8001', 'hex'), 0, 2)),
      /Truncated varint at byte 2/,
    );
    expectCorrupt(
      () => readUnsignedVarint(cursor(Buffer.from('ff01', 'hex'), 1, 1)),
      /Truncated varint at byte 1/,
    );
  });

  it('reads several values in sequence from one cursor', () => {
    const buf = Buffer.from('02d80401', 'hex');
    const c = cursor(buf);
    expect([readVarint(c), readVarint(c), readVarlong(c)]).toEqual([1, 300, -1]);
    expect(c.pos).toBe(4);
  });

  it('rejects truncated varints without reading past the cursor end', () => {
    expectCorrupt(() => readVarint(cursor(Buffer.alloc(0))), /Truncated varint at byte 0/);
    expectCorrupt(() => readVarint(cursor(Buffer.from('8080', 'hex'))), /Truncated varint at byte 2/);
    expectCorrupt(() => readVarlong(cursor(Buffer.from('ffff', 'hex'))), /Truncated varlong/);
    // The byte after `end` would complete the varint, but lies outside this record.
    expectCorrupt(() => readVarint(cursor(Buffer.from('8001', 'hex'), 0, 1)), /Truncated varint at byte 1/);
  });

  it('rejects overlong and overflowing varints', () => {
    expectCorrupt(
      () => readVarint(cursor(Buffer.from('ffffffffff01', 'hex'))),
      /longer than 5 bytes|overflows/,
    );
    expectCorrupt(() => readVarint(cursor(Buffer.from('ffffffff1f', 'hex'))), /overflows 32 bits/);
    expectCorrupt(
      () => readVarlong(cursor(Buffer.from('ffffffffffffffffffff01', 'hex'))),
      /longer than 10 bytes/,
    );
    // 2^53 as a zigzag varlong: valid Kafka, but beyond what a JS number holds exactly.
    expectCorrupt(
      () => readVarlong(cursor(Buffer.from('8080808080808020', 'hex'))),
      /outside the supported range/,
    );
  });

  it('refuses to write values out of range', () => {
    expect(() => encode(writeVarint, 2 ** 31)).toThrow(/Varint/);
    expect(() => encode(writeVarlong, 2 ** 53)).toThrow(/Varlong/);
    expect(() => encode(writeVarlong, 1.5)).toThrow(/Varlong/);
    expect(() => encode(writeUnsignedVarint, -1)).toThrow(/Unsigned varint/);
  });
});
