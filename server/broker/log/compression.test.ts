import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { compressFrameSync } from 'lz4-napi';
import snappy from 'snappy';
import { describe, expect, it } from 'vitest';
import { type BrokerErrorCode, isBrokerError } from '../errors';
import {
  COMPRESSION_CODECS,
  ENCODABLE_CODECS,
  codecFromAttributes,
  codecToAttributeBits,
  compress,
  decompress,
} from './compression';

function expectBrokerError(fn: () => unknown, code: BrokerErrorCode, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isBrokerError(caught, code), `expected ${code}, got ${String(caught)}`).toBe(true);
  if (message) expect((caught as Error).message).toMatch(message);
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const text = (lines: number): Buffer =>
  Buffer.from(Array.from({ length: lines }, (_, i) => `record-${i + 1} value\n`).join(''));

/** Java's SnappyOutputStream framing (xerial snappy-java), built from the spec. */
function xerialFrame(data: Buffer, blockSize = 32 * 1024): Buffer {
  const header = Buffer.alloc(16);
  Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]).copy(header, 0);
  header.writeInt32BE(1, 8); // version
  header.writeInt32BE(1, 12); // minimum compatible version
  const parts: Buffer[] = [header];
  for (let pos = 0; pos < data.length; pos += blockSize) {
    const block = snappy.compressSync(data.subarray(pos, pos + blockSize));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

// Frames written by the zstd and lz4 command-line tools (reference implementations).
const ZSTD = {
  /** `zstd h` for "hello": single segment, content size 5. */
  hello: '28b52ffd240529000068656c6c6fa36d9f88',
  /** `zstd z1`, 1,000,000 zero bytes: content size declared. */
  zerosWithSize:
    '28b52ffda440420f005400001000000100fbff39c00202001000020010000200100002001000020010000200100003120a00ccaeca39',
  /** `zstd < z1`: streamed, no content size, 2 MiB window (as Java's zstd-jni writes). */
  zerosStreamed:
    '28b52ffd04585400001000000100fbff39c00202001000020010000200100002001000020010000200100003120a00ccaeca39',
  /** `zstd --long=27 < z1`: streamed with a 128 MiB window descriptor. */
  zerosLongWindow:
    '28b52ffd04886400001000000200e9ff3773e0012c02001000020010000200100002001000020010000200100003120a00ccaeca39',
  /** `zstd -19 < t300`, t300 = text(300). */
  text300:
    '28b52ffd0468e40500028e1d13b0198b01380a3254920291ddddbd67be491404b76ddbb66ddbb66dd7755dd7755dd7354dd3344dd3344dffffffffffcff33ccff33ccff36ae259d1b3ab8967458fae269e153db99a7856f4e06ae259d173ab8967458fad269e153db59a7856f4d06ae259d1f36ae259116028c7b0040b45821046128096a810a0deefe0a5351046842d1fbba5dddc6e6e57b7abc3ad8c955739554e65a87cca99722923a99c77d6adb3cc9d65dd3acbdc59d6ad539e62263293e740c04e01750400c6d21f0ab0376344d4ad25649869220019001a00a3d168341a8d469bcd66b3d96c369bcd6432994c2693c964b2b1b1b1b1b1b1b1b1b1ffbfbbbbbbbb0b82200882200882b55aad56abd56ab51a8d02a594e3388ee3388ee3288aa2288aa2288a61188661188661f81f20d45a6badb5d64a29a594524ae99c73ce39e79c524a29a5048096580200104e84fd01fe576d4df16f',
};
const LZ4_TEXT = 'hello hello hello hello from the lz4 command line';
const LZ4 = {
  /** `lz4 l`: 4 MiB blocks, content checksum. */
  cli: '04224d186440a7240000006e68656c6c6f200600f00a66726f6d20746865206c7a3420636f6d6d616e64206c696e6500000000b14fd91b',
  /** `lz4 --content-size -BD -BX l`: linked blocks, block checksums, content size. */
  cliLinked:
    '04224d187c40310000000000000064240000006e68656c6c6f200600f00a66726f6d20746865206c7a3420636f6d6d616e64206c696e650906897900000000b14fd91b',
};

describe('codec ids', () => {
  it('maps codecs to attribute bits 0..4 as Kafka does', () => {
    expect(COMPRESSION_CODECS.map(codecToAttributeBits)).toEqual([0, 1, 2, 3, 4]);
    for (const codec of COMPRESSION_CODECS)
      expect(codecFromAttributes(codecToAttributeBits(codec) | 0x18)).toBe(codec);
  });

  it('rejects the unassigned ids 5-7', () => {
    for (const id of [5, 6, 7])
      expectBrokerError(() => codecFromAttributes(id), 'UNSUPPORTED_COMPRESSION_TYPE');
  });
});

describe('compress and decompress', () => {
  it('round-trips arbitrary bytes through every encodable codec', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ENCODABLE_CODECS),
        fc.uint8Array({ maxLength: 4096 }),
        (codec, bytes) => {
          const data = Buffer.from(bytes);
          expect(decompress(codec, compress(codec, data)).equals(data)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('round-trips multi-block data', () => {
    const data = text(30_000); // ~500 KB: several lz4 and zstd blocks
    for (const codec of ENCODABLE_CODECS) {
      const packed = compress(codec, data);
      if (codec !== 'none') expect(packed.length).toBeLessThan(data.length / 2);
      expect(decompress(codec, packed).equals(data)).toBe(true);
    }
  });

  it('refuses to encode zstd with a clear error', () => {
    expectBrokerError(() => compress('zstd', Buffer.from('x')), 'UNSUPPORTED_COMPRESSION_TYPE', /zstd/);
  });

  it('writes lz4 frames with the header Kafka writes (independent 64 KiB blocks)', () => {
    expect(compress('lz4', Buffer.from('abc')).subarray(0, 6).toString('hex')).toBe('04224d186040');
  });

  it('enforces the limit on uncompressed records too', () => {
    expectBrokerError(() => decompress('none', Buffer.alloc(11), 10), 'RECORD_LIST_TOO_LARGE');
  });
});

describe('gzip', () => {
  it('reads concatenated gzip members as Java GZIPInputStream does', () => {
    const data = Buffer.concat([gzipSync('abc'), gzipSync('def')]);
    expect(decompress('gzip', data).toString()).toBe('abcdef');
  });

  it('stops a decompression bomb at the limit', () => {
    const bomb = gzipSync(Buffer.alloc(10_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    expectBrokerError(() => decompress('gzip', bomb, 1_000_000), 'RECORD_LIST_TOO_LARGE', /1000000/);
  });

  it('accepts an unbounded limit', () => {
    expect(decompress('gzip', gzipSync('abc'), Number.POSITIVE_INFINITY).toString()).toBe('abc');
  });

  it('rejects truncated and garbage input as corrupt', () => {
    const packed = gzipSync(text(100));
    expectBrokerError(() => decompress('gzip', packed.subarray(0, packed.length - 10)), 'CORRUPT_MESSAGE');
    expectBrokerError(() => decompress('gzip', Buffer.from('not gzip at all')), 'CORRUPT_MESSAGE');
  });
});

describe('snappy', () => {
  it('reads raw snappy (kafkajs-snappy, librdkafka, @platformatic/kafka)', () => {
    const data = text(200);
    expect(decompress('snappy', snappy.compressSync(data)).equals(data)).toBe(true);
  });

  it('reads xerial-framed snappy (Java client), one and many blocks', () => {
    for (const data of [Buffer.from('short'), text(20_000)]) {
      const framed = xerialFrame(data);
      expect(framed.subarray(0, 8).toString('latin1')).toBe('\x82SNAPPY\x00');
      expect(decompress('snappy', framed).equals(data)).toBe(true);
    }
    expect(decompress('snappy', xerialFrame(Buffer.alloc(0))).length).toBe(0);
  });

  it('rejects broken xerial framing', () => {
    const framed = xerialFrame(text(3000), 4096);
    expectBrokerError(
      () => decompress('snappy', framed.subarray(0, 18)),
      'CORRUPT_MESSAGE',
      /Truncated xerial/,
    );
    expectBrokerError(() => decompress('snappy', framed.subarray(0, framed.length - 3)), 'CORRUPT_MESSAGE');
    const lying = Buffer.from(framed);
    lying.writeInt32BE(0x7fffffff, 16);
    expectBrokerError(() => decompress('snappy', lying), 'CORRUPT_MESSAGE', /declares 2147483647 bytes/);
  });

  it('checks the declared length against the limit before decoding', () => {
    // Preamble claims 4 GiB - 1: the decoder would allocate it up front.
    const claim = Buffer.from('ffffffff0f00', 'hex');
    expectBrokerError(() => decompress('snappy', claim), 'RECORD_LIST_TOO_LARGE', /4294967295/);
    const framed = xerialFrame(Buffer.alloc(300_000), 64 * 1024);
    expectBrokerError(() => decompress('snappy', framed, 100_000), 'RECORD_LIST_TOO_LARGE');
  });

  it('refuses a declared length its bytes cannot expand to, before the decoder allocates it', () => {
    // Found by the Kafka listener fuzz: 6 bytes claiming 200 MiB made the native decoder
    // allocate 200 MiB for a batch that then failed to decode.
    const claim = Buffer.from([0x80, 0x80, 0x80, 0x64, 0x00, 0x41]); // 200 MiB, then literal 'A'
    expectBrokerError(() => decompress('snappy', claim), 'CORRUPT_MESSAGE', /declares 209715200/);
    const framed = Buffer.concat([xerialFrame(text(10)).subarray(0, 16), Buffer.from([0, 0, 0, 6]), claim]);
    expectBrokerError(() => decompress('snappy', framed), 'CORRUPT_MESSAGE', /declares 209715200/);
    // The densest snappy there is (zeros: 3-byte copies of 64) still decodes.
    const zeros = snappy.compressSync(Buffer.alloc(1_000_000));
    expect(decompress('snappy', zeros).equals(Buffer.alloc(1_000_000))).toBe(true);
    expect(decompress('snappy', xerialFrame(Buffer.alloc(300_000))).equals(Buffer.alloc(300_000))).toBe(true);
  });

  it('rejects corrupt raw snappy', () => {
    expectBrokerError(() => decompress('snappy', Buffer.from('0aff01020304', 'hex')), 'CORRUPT_MESSAGE');
    expectBrokerError(() => decompress('snappy', Buffer.alloc(0)), 'CORRUPT_MESSAGE');
  });
});

describe('lz4', () => {
  it('reads frames written by the lz4 command line tool', () => {
    expect(decompress('lz4', hex(LZ4.cli)).toString()).toBe(LZ4_TEXT);
    expect(decompress('lz4', hex(LZ4.cliLinked)).toString()).toBe(LZ4_TEXT);
  });

  it('stops a bomb before decoding when the blocks cannot fit', () => {
    const bomb = compressFrameSync(Buffer.alloc(10_000_000));
    expect(bomb.length).toBeLessThan(100_000);
    expectBrokerError(() => decompress('lz4', bomb, 1_000_000), 'RECORD_LIST_TOO_LARGE');
  });

  it('refuses a declared content size over the limit', () => {
    expectBrokerError(() => decompress('lz4', hex(LZ4.cliLinked), 10), 'RECORD_LIST_TOO_LARGE');
  });

  it('rejects truncated frames, bad magic and bad checksums as corrupt', () => {
    const frame = hex(LZ4.cli);
    expectBrokerError(() => decompress('lz4', frame.subarray(0, 20)), 'CORRUPT_MESSAGE', /truncated block/);
    expectBrokerError(
      () => decompress('lz4', Buffer.from('00224d1860', 'hex')),
      'CORRUPT_MESSAGE',
      /bad magic/,
    );
    const flipped = Buffer.from(frame);
    flipped[22] = (flipped[22] ?? 0) ^ 0x01; // a literal: caught by the frame's content checksum
    expectBrokerError(() => decompress('lz4', flipped), 'CORRUPT_MESSAGE', /Checksum/);
    const badHeader = Buffer.from(frame);
    badHeader[5] = 0x50; // block size id changed under the header checksum
    expectBrokerError(() => decompress('lz4', badHeader), 'CORRUPT_MESSAGE', /Checksum/);
  });
});

describe('zstd', () => {
  it('reads frames written by the zstd command line tool', () => {
    expect(decompress('zstd', hex(ZSTD.hello)).toString()).toBe('hello');
    expect(decompress('zstd', hex(ZSTD.text300)).equals(text(300))).toBe(true);
    for (const frame of [ZSTD.zerosWithSize, ZSTD.zerosStreamed, ZSTD.zerosLongWindow]) {
      expect(decompress('zstd', hex(frame)).equals(Buffer.alloc(1_000_000))).toBe(true);
    }
  });

  it('reads concatenated frames and skips skippable frames', () => {
    const skippable = Buffer.from('502a4d1803000000abcdef', 'hex');
    const data = Buffer.concat([hex(ZSTD.hello), skippable, hex(ZSTD.text300)]);
    expect(decompress('zstd', data).equals(Buffer.concat([Buffer.from('hello'), text(300)]))).toBe(true);
  });

  it('stops bombs at the limit, with or without a declared size', () => {
    for (const frame of [ZSTD.zerosWithSize, ZSTD.zerosStreamed, ZSTD.zerosLongWindow]) {
      expectBrokerError(() => decompress('zstd', hex(frame), 100_000), 'RECORD_LIST_TOO_LARGE');
    }
    // Two frames that each fit but together do not.
    const twice = Buffer.concat([hex(ZSTD.zerosStreamed), hex(ZSTD.zerosStreamed)]);
    expectBrokerError(() => decompress('zstd', twice, 1_500_000), 'RECORD_LIST_TOO_LARGE');
  });

  it('rejects truncated frames, bad magic and dictionaries as corrupt', () => {
    const frame = hex(ZSTD.text300);
    for (const cut of [3, 5, 9, 40, frame.length - 1]) {
      expectBrokerError(() => decompress('zstd', frame.subarray(0, cut)), 'CORRUPT_MESSAGE');
    }
    expectBrokerError(() => decompress('zstd', Buffer.from('28b52ffe00', 'hex')), 'CORRUPT_MESSAGE', /magic/);
    const withDict = Buffer.from('28b52ffd2101000100', 'hex'); // single segment, dictionary id 1
    expectBrokerError(() => decompress('zstd', withDict), 'CORRUPT_MESSAGE', /dictionary/);
  });

  it('refuses a declared content size its blocks cannot produce, before anything is allocated', () => {
    // Found by the Kafka listener fuzz: 13 bytes claiming 200 MiB decoded to 200 MiB of zeros
    // (then walked as records), a Produce of 100 bytes blocking the broker for seconds.
    const claim = Buffer.alloc(13);
    claim.writeUInt32LE(0xfd2fb528, 0);
    claim[4] = 0xa0; // single segment, 4-byte content size
    claim.writeUInt32LE(200 * 1024 * 1024, 5);
    claim.writeUIntLE(1 | (1 << 3), 9, 3); // the last block: raw, 1 byte
    claim[12] = 0x41;
    expectBrokerError(() => decompress('zstd', claim), 'CORRUPT_MESSAGE', /declares 209715200 bytes/);
    // Raw and RLE blocks produce exactly their sizes: a declared size must match them.
    claim.writeUInt32LE(2, 5);
    expectBrokerError(
      () => decompress('zstd', claim),
      'CORRUPT_MESSAGE',
      /declares 2 bytes but its blocks produce 1/,
    );
    claim.writeUInt32LE(1, 5);
    expect(decompress('zstd', claim).toString()).toBe('A');
    // Compressed blocks are bounded by the block size: 1,000,000 zeros in a 1,000,000-byte window.
    const zeros = hex(ZSTD.zerosWithSize);
    expect(decompress('zstd', zeros).equals(Buffer.alloc(1_000_000))).toBe(true);
  });

  it('decodes a frame whose window descriptor claims 2 GiB (lowered to what the frame can need)', () => {
    const frame = hex(ZSTD.zerosStreamed);
    expect(frame[5]).toBe(0x58); // window descriptor: 2^21
    frame[5] = (31 - 10) << 3; // 2^31: fzstd alone would refuse (or allocate) this window
    expect(decompress('zstd', frame).equals(Buffer.alloc(1_000_000))).toBe(true);
  });

  // The zstd CLI is installed by scripts/setup-system-deps.sh, like the other test tools.
  it('reads what the installed zstd writes, at several levels and sizes', () => {
    let seed = 42;
    const noise = Buffer.from(
      Array.from({ length: 200_000 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24),
    );
    for (const data of [text(25_000), noise, Buffer.alloc(0)]) {
      for (const args of [['-1'], ['-19'], ['-3', '--no-content-size'], ['--long=24']]) {
        const out = spawnSync('zstd', ['-q', '-c', ...args], { input: data, maxBuffer: 16 << 20 });
        expect(out.status).toBe(0);
        expect(decompress('zstd', out.stdout).equals(data)).toBe(true);
      }
    }
  });
});

describe('damaged input', () => {
  const samples: [string, Buffer][] = [
    ['gzip', gzipSync(text(400))],
    ['snappy', snappy.compressSync(text(400))],
    ['snappy', xerialFrame(text(400), 1024)],
    ['lz4', compressFrameSync(text(400))],
    ['lz4', hex(LZ4.cliLinked)],
    ['zstd', hex(ZSTD.text300)],
    ['zstd', hex(ZSTD.zerosStreamed)],
  ];

  it('fails only with CORRUPT_MESSAGE or RECORD_LIST_TOO_LARGE, whatever the damage', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat()),
        ([codec, sample], flips, cut) => {
          const damaged = Buffer.from(sample.subarray(0, cut === null ? sample.length : cut % sample.length));
          for (const [at, mask] of flips) {
            if (damaged.length > 0) damaged[at % damaged.length] = (damaged[at % damaged.length] ?? 0) ^ mask;
          }
          try {
            decompress(codec as 'gzip' | 'snappy' | 'lz4' | 'zstd', damaged, 2_000_000);
          } catch (error) {
            const code = isBrokerError(error) ? error.code : String(error);
            expect(['CORRUPT_MESSAGE', 'RECORD_LIST_TOO_LARGE']).toContain(code);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
