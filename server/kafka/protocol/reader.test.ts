import { describe, expect, it } from 'vitest';
import { ProtocolError, type ProtocolErrorKind } from './protocol-error';
import { Reader } from './reader';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function failure(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw new Error(`expected a ProtocolError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a ProtocolError, nothing was thrown');
}

function expectKind(fn: () => unknown, kind: ProtocolErrorKind, field?: string): void {
  const err = failure(fn);
  expect(err.kind).toBe(kind);
  if (field) expect(err.field).toBe(field);
}

describe('Reader', () => {
  it('reads big-endian scalars', () => {
    const r = new Reader(hex('ff 8000 ffff 80000000 ffffffff fffffffffffffffe 3ff8000000000000 01'));
    expect(r.readInt8('a')).toBe(-1);
    expect(r.readInt16('b')).toBe(-32768);
    expect(r.readUInt16('c')).toBe(65535);
    expect(r.readInt32('d')).toBe(-2147483648);
    expect(r.readUInt32('e')).toBe(4294967295);
    expect(r.readInt64('f')).toBe(-2n);
    expect(r.readFloat64('g')).toBe(1.5);
    expect(r.readBool('h')).toBe(true);
    expect(r.remaining).toBe(0);
  });

  it('every scalar read past the end is a truncation error naming the field', () => {
    const r = new Reader(hex('000000'));
    expectKind(() => r.readInt32('X.Count'), 'truncated', 'X.Count');
    expectKind(() => new Reader(Buffer.alloc(7)).readInt64('X.Offset'), 'truncated', 'X.Offset');
    expectKind(() => new Reader(Buffer.alloc(15)).readUuid('X.Id'), 'truncated', 'X.Id');
    expectKind(() => new Reader(Buffer.alloc(0)).readBool('X.B'), 'truncated');
    expect(failure(() => r.readInt32('X.Count')).message).toMatch(
      /X\.Count: need 4 byte\(s\) for int32, 3 left/,
    );
  });

  it('decodes varints and rejects overlong or truncated ones', () => {
    expect(new Reader(hex('ac02')).readUnsignedVarint('v')).toBe(300);
    expect(new Reader(hex('ffffffff0f')).readUnsignedVarint('v')).toBe(0xffffffff);
    expect(new Reader(hex('03')).readVarint('v')).toBe(-2);
    expectKind(() => new Reader(hex('ffffffffff01')).readUnsignedVarint('v'), 'invalid-value');
    expectKind(() => new Reader(hex('ffffffff1f')).readUnsignedVarint('v'), 'invalid-value');
    expectKind(() => new Reader(hex('ff')).readUnsignedVarint('v'), 'truncated');
  });

  it('reads classic and compact strings, nulls where allowed', () => {
    expect(new Reader(hex('000368c3a9')).readString('s', false)).toBe('hé');
    expect(new Reader(hex('0468c3a9')).readString('s', true)).toBe('hé');
    expect(new Reader(hex('ffff')).readNullableString('s', false)).toBeNull();
    expect(new Reader(hex('00')).readNullableString('s', true)).toBeNull();
    expectKind(() => new Reader(hex('ffff')).readString('T.Name', false), 'null-not-allowed', 'T.Name');
    expectKind(() => new Reader(hex('00')).readString('T.Name', true), 'null-not-allowed');
  });

  it('rejects lying string and byte lengths before reading', () => {
    expectKind(() => new Reader(hex('7fff 6162')).readString('T.Name', false), 'invalid-length', 'T.Name');
    expectKind(() => new Reader(hex('fffe')).readNullableString('T.Name', false), 'invalid-length');
    expectKind(() => new Reader(hex('ffffffff0f')).readString('T.Name', true), 'invalid-length');
    expectKind(() => new Reader(hex('7fffffff 00')).readBytes('P.Records', false), 'invalid-length');
    expectKind(() => new Reader(hex('80000000')).readNullableBytes('P.Records', false), 'invalid-length');
    expectKind(() => new Reader(hex('ffffffff')).readBytes('P.Records', false), 'null-not-allowed');
  });

  it('returns byte fields as views into the input (records are never copied)', () => {
    const buf = hex('00000003 010203 ff');
    const bytes = new Reader(buf).readBytes('r', false);
    expect(bytes.buffer).toBe(buf.buffer);
    buf[4] = 9;
    expect(bytes[0]).toBe(9);
  });

  it('bounds array counts by the bytes left, for any count', () => {
    const r = new Reader(hex('7fffffff 00000001'));
    expectKind(() => r.readArrayLength('T.Partitions', false, 4), 'invalid-length', 'T.Partitions');
    expect(new Reader(hex('00000001 00000001')).readArrayLength('a', false, 4)).toBe(1);
    expect(new Reader(hex('ffffffff')).readArrayLength('a', false, 4)).toBe(-1);
    expect(new Reader(hex('00')).readArrayLength('a', true, 4)).toBe(-1);
    expectKind(() => new Reader(hex('fffffffe')).readArrayLength('a', false, 1), 'invalid-length');
    expectKind(() => new Reader(hex('ffffffff0f')).readArrayLength('a', true, 1), 'invalid-length');
    // Two 8-byte elements do not fit in 15 bytes.
    expectKind(
      () => new Reader(Buffer.concat([hex('03'), Buffer.alloc(15)])).readArrayLength('a', true, 8),
      'invalid-length',
    );
  });

  it('sub-readers cannot read past their section', () => {
    const r = new Reader(hex('0001 0002 0003'));
    const sub = r.sub('tag', 2);
    expect(sub.readInt16('x')).toBe(1);
    expectKind(() => sub.readInt16('x'), 'truncated');
    expect(r.readInt16('y')).toBe(2);
    expectKind(() => r.sub('tag', 3), 'truncated');
    const trailing = new Reader(hex('0001')).sub('t', 2);
    expectKind(() => trailing.expectEnd('F'), 'invalid-value', 'F');
  });
});
