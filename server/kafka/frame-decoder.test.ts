import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameDecoder, FrameSizeError } from './frame-decoder';

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

function payloads(): Buffer[] {
  return [1, 2, 3, 7, 100, 513].map((n, i) => Buffer.alloc(n, i + 1));
}

function drain(d: FrameDecoder): Buffer[] {
  const out: Buffer[] = [];
  for (let f = d.next(); f !== undefined; f = d.next()) out.push(Buffer.from(f));
  return out;
}

describe('FrameDecoder', () => {
  afterEach(() => vi.restoreAllMocks());

  it('decodes many frames from one chunk', () => {
    const d = new FrameDecoder();
    d.push(Buffer.concat(payloads().map(frame)));
    expect(drain(d)).toEqual(payloads());
    expect(d.bufferedBytes).toBe(0);
  });

  it('decodes identically when the stream is split at every byte boundary', () => {
    const stream = Buffer.concat(payloads().map(frame));
    for (let cut = 1; cut < stream.length; cut++) {
      const d = new FrameDecoder();
      const out: Buffer[] = [];
      d.push(stream.subarray(0, cut));
      out.push(...drain(d));
      d.push(stream.subarray(cut));
      out.push(...drain(d));
      expect(out, `cut at ${cut}`).toEqual(payloads());
    }
  });

  it('decodes identically when fed one byte at a time', () => {
    const stream = Buffer.concat(payloads().map(frame));
    const d = new FrameDecoder();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) {
      d.push(stream.subarray(i, i + 1));
      out.push(...drain(d));
    }
    expect(out).toEqual(payloads());
  });

  it('returns a frame inside one chunk as a view, not a copy', () => {
    const chunk = frame(Buffer.from('hello'));
    const d = new FrameDecoder();
    d.push(chunk);
    const f = d.next() as Buffer;
    expect(f.buffer).toBe(chunk.buffer);
  });

  it('copies each byte of a frame spread over many chunks once', () => {
    const payload = Buffer.alloc(64 * 1024, 7);
    const stream = frame(payload);
    const d = new FrameDecoder();
    const alloc = vi.spyOn(Buffer, 'allocUnsafe');
    for (let i = 0; i < stream.length; i += 1000) {
      d.push(stream.subarray(i, i + 1000));
      if (i + 1000 < stream.length) expect(d.next()).toBeUndefined();
    }
    expect(d.next()).toEqual(payload);
    // One allocation for the assembled frame, none per chunk.
    expect(alloc.mock.calls.filter(([n]) => n >= payload.length)).toHaveLength(1);
    expect(alloc.mock.calls).toHaveLength(1);
  });

  it.each([
    ['2 GiB - 1', 0x7fffffff],
    ['2 GiB (negative as int32)', -0x80000000],
    ['-1', -1],
    ['zero', 0],
    ['one byte over the maximum', 1025],
  ])('rejects a declared size of %s before allocating anything', (_name, size) => {
    const d = new FrameDecoder(1024);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(size);
    const alloc = vi.spyOn(Buffer, 'allocUnsafe');
    const allocSafe = vi.spyOn(Buffer, 'alloc');
    d.push(prefix);
    expect(() => d.next()).toThrow(FrameSizeError);
    expect(alloc).not.toHaveBeenCalled();
    expect(allocSafe).not.toHaveBeenCalled();
  });

  it('accepts a frame of exactly the maximum size', () => {
    const d = new FrameDecoder(1024);
    d.push(frame(Buffer.alloc(1024, 1)));
    expect(d.next()).toHaveLength(1024);
  });

  it('waits for the rest of a truncated frame', () => {
    const d = new FrameDecoder();
    d.push(frame(Buffer.alloc(100)).subarray(0, 50));
    expect(d.next()).toBeUndefined();
    expect(d.bufferedBytes).toBe(46);
  });
});
