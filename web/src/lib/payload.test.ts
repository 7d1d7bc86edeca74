import { describe, expect, it } from 'vitest';
import {
  capText,
  cellPreview,
  detectFormat,
  hexDump,
  payloadBytes,
  prettyJson,
  type PayloadLike,
} from './payload';

const text = (data: string, truncated = false): PayloadLike => ({
  encoding: 'utf8',
  data,
  sizeBytes: new TextEncoder().encode(data).length,
  truncated,
});
const binary = (bytes: number[]): PayloadLike => ({
  encoding: 'base64',
  data: btoa(String.fromCharCode(...bytes)),
  sizeBytes: bytes.length,
  truncated: false,
});

describe('payload formatting', () => {
  it('detects JSON objects and arrays, plain text and binary', () => {
    expect(detectFormat(text('{"a":1}'))).toBe('json');
    expect(detectFormat(text(' [1,2]'))).toBe('json');
    expect(detectFormat(text('42'))).toBe('text');
    expect(detectFormat(text('{"a":'))).toBe('text');
    expect(detectFormat(text('{"a":1}', true))).toBe('text');
    expect(detectFormat(text('hello'))).toBe('text');
    expect(detectFormat(binary([0xff, 0]))).toBe('binary');
  });

  it('pretty-prints JSON and refuses anything else', () => {
    expect(prettyJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson('nope')).toBeNull();
    expect(prettyJson('"str"')).toBeNull();
  });

  it('decodes text and base64 to bytes', () => {
    expect(Array.from(payloadBytes(text('é')))).toEqual([0xc3, 0xa9]);
    expect(Array.from(payloadBytes(binary([1, 2, 255])))).toEqual([1, 2, 255]);
  });

  it('dumps hex like xxd, capped', () => {
    const bytes = new Uint8Array(Array.from({ length: 20 }, (_, i) => 0x41 + i));
    expect(hexDump(bytes)).toBe(
      '00000000  41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n' +
        '00000010  51 52 53 54                                      |QRST|',
    );
    expect(hexDump(new Uint8Array([0, 0x7f, 0x20]))).toBe(`00000000  00 7f 20${' '.repeat(39)}  |.. |`);
    expect(hexDump(bytes, 4).split('\n')).toHaveLength(1);
  });

  it('previews one line for a table cell, capped and marked when cut', () => {
    expect(cellPreview(null)).toBe('null');
    expect(cellPreview(text('a\n  b\tc'))).toBe('a b c');
    expect(cellPreview(text('x'.repeat(200)), 10)).toBe(`${'x'.repeat(10)}…`);
    expect(cellPreview(text('abc', true))).toBe('abc…');
    expect(cellPreview(binary([0xde, 0xad, 0xbe, 0xef]))).toBe('de ad be ef');
    expect(cellPreview(binary(Array.from({ length: 20 }, () => 1)))).toBe(
      `${Array(16).fill('01').join(' ')} …`,
    );
  });

  it('caps long text and says how much is left', () => {
    expect(capText('abcdef', 4)).toEqual({ shown: 'abcd', remaining: 2 });
    expect(capText('ab', 4)).toEqual({ shown: 'ab', remaining: 0 });
  });
});
