import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from './protocol-error';
import { Reader } from './reader';
import { Writer } from './writer';

describe('Writer', () => {
  it('encodes unsigned varints as Kafka does', () => {
    const enc = (v: number): string => new Writer().writeUnsignedVarint(v).toBuffer().toString('hex');
    expect(enc(0)).toBe('00');
    expect(enc(127)).toBe('7f');
    expect(enc(128)).toBe('8001');
    expect(enc(300)).toBe('ac02');
    expect(enc(0xffffffff)).toBe('ffffffff0f');
    expect(() => enc(-1)).toThrow(RangeError);
    expect(() => enc(2 ** 32)).toThrow(RangeError);
  });

  it('encodes zig-zag varints', () => {
    const enc = (v: number): string => new Writer().writeVarint(v).toBuffer().toString('hex');
    expect([enc(0), enc(-1), enc(1), enc(-2), enc(63), enc(-64)]).toEqual([
      '00',
      '01',
      '02',
      '03',
      '7e',
      '7f',
    ]);
  });

  it('writes compact and classic strings, bytes and nulls', () => {
    const w = new Writer()
      .writeString('hé', false)
      .writeString('hé', true)
      .writeNullableString(null, false)
      .writeNullableString(null, true)
      .writeBytes(Buffer.from([9]), false)
      .writeNullableBytes(null, true)
      .writeArrayLength(2, true)
      .writeNullArray(false);
    expect(w.toBuffer().toString('hex')).toBe(
      '000368c3a9' + '0468c3a9' + 'ffff' + '00' + '0000000109' + '00' + '03' + 'ffffffff',
    );
  });

  it('writes and reads UUIDs as canonical text, rejecting malformed ones', () => {
    const id = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    const b = new Writer().writeUuid(id.toUpperCase()).toBuffer();
    expect(b.toString('hex')).toBe(id.replace(/-/g, ''));
    expect(new Reader(b).readUuid('id')).toBe(id);
    expect(() => new Writer().writeUuid('not-a-uuid', 'X.TopicId')).toThrow(ProtocolError);
  });

  it('matches a reference concatenation for any sequence of writes (chunk boundaries, big buffers)', () => {
    const op = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v) => ({ kind: 'i32' as const, v })),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({ kind: 'i64' as const, v })),
      fc.string({ maxLength: 40 }).map((v) => ({ kind: 'str' as const, v })),
      fc.integer({ min: 0, max: 3000 }).map((n) => ({ kind: 'raw' as const, v: Buffer.alloc(n, n & 0xff) })),
      fc.integer({ min: 0, max: 0xffffffff }).map((v) => ({ kind: 'uvarint' as const, v })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 16, max: 300 }), (ops, initial) => {
        const w = new Writer(initial);
        const ref: Buffer[] = [];
        for (const o of ops) {
          const t = new Writer();
          switch (o.kind) {
            case 'i32':
              w.writeInt32(o.v);
              ref.push(Buffer.from([(o.v >>> 24) & 255, (o.v >>> 16) & 255, (o.v >>> 8) & 255, o.v & 255]));
              break;
            case 'i64': {
              w.writeInt64(o.v);
              const b = Buffer.alloc(8);
              b.writeBigInt64BE(o.v);
              ref.push(b);
              break;
            }
            case 'str':
              w.writeString(o.v, true);
              t.writeUnsignedVarint(Buffer.byteLength(o.v) + 1);
              ref.push(t.toBuffer(), Buffer.from(o.v, 'utf8'));
              break;
            case 'raw':
              w.writeRaw(o.v);
              ref.push(o.v);
              break;
            case 'uvarint':
              w.writeUnsignedVarint(o.v);
              ref.push(new Writer().writeUnsignedVarint(o.v).toBuffer());
              break;
          }
        }
        const expected = Buffer.concat(ref);
        expect(w.length).toBe(expected.length);
        expect(Buffer.concat(w.toBuffers()).equals(expected)).toBe(true);
        expect(w.toBuffer().equals(expected)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps large buffers by reference and copies small ones', () => {
    const big = Buffer.alloc(10_000, 1);
    const small = Buffer.alloc(10, 2);
    const w = new Writer().writeInt8(1).writeRaw(big).writeRaw(small);
    const bufs = w.toBuffers();
    expect(bufs).toContain(big);
    expect(bufs).not.toContain(small);
    small.fill(3);
    expect(
      w
        .toBuffer()
        .subarray(-10)
        .every((b) => b === 2),
    ).toBe(true);
  });

  it('grows in O(n): a megabyte of small writes makes few chunks', () => {
    const w = new Writer(16);
    for (let i = 0; i < 262_144; i++) w.writeInt32(i);
    expect(w.length).toBe(1 << 20);
    const bufs = w.toBuffers();
    expect(bufs.length).toBeLessThan(40);
    expect(w.toBuffer().readInt32BE(4 * 1000)).toBe(1000);
  });

  it('patches a reserved int32 (frame sizes) even after the writer moved to new chunks', () => {
    const w = new Writer(16);
    const slot = w.reserveInt32();
    for (let i = 0; i < 100; i++) w.writeInt32(i);
    w.patchInt32(slot, w.length - 4);
    expect(w.toBuffer().readInt32BE(0)).toBe(400);
  });
});
