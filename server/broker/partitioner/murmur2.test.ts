import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive } from './murmur2';

// kafkajs's Java-compatible murmur2 (not its "legacy" one), an independent implementation on Longs.
const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: Buffer,
) => number;

const bytes = (text: string) => new TextEncoder().encode(text);

describe('murmur2', () => {
  // org.apache.kafka.common.utils.UtilsTest#testMurmur2
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('matches Kafka UtilsTest for %j', (key, expected) => {
    expect(murmur2(bytes(key))).toBe(expected);
  });

  it('covers every tail length (0-3 bytes past a multiple of 4)', () => {
    for (const key of ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg']) {
      expect(murmur2(bytes(key)), key).toBe(kafkajsMurmur2(Buffer.from(key)));
    }
  });

  it('agrees with kafkajs on random byte keys, including bytes >= 0x80', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (key) => {
        expect(murmur2(key)).toBe(kafkajsMurmur2(Buffer.from(key)));
      }),
      { numRuns: 3000, seed: 0x5eed },
    );
  });

  it('agrees with kafkajs on random unicode string keys', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (key) => {
        expect(murmur2(bytes(key))).toBe(kafkajsMurmur2(Buffer.from(key, 'utf8')));
      }),
      { numRuns: 1000, seed: 42 },
    );
  });

  it('returns a signed 32-bit integer', () => {
    const h = murmur2(bytes('foobar'));
    expect(h).toBe(h | 0);
    expect(h).toBeLessThan(0);
  });
});

describe('toPositive', () => {
  it('clears the sign bit as Kafka does, unlike Math.abs', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(2147483647);
    expect(toPositive(-973932308)).toBe(-973932308 & 0x7fffffff);
    expect(toPositive(5)).toBe(5);
  });
});

describe('partitionForKey', () => {
  it('is toPositive(murmur2(key)) % n', () => {
    // -973932308 & 0x7fffffff = 1173551340, and 1173551340 % 10 = 0
    expect(partitionForKey(bytes('21'), 10)).toBe(0);
    expect(partitionForKey(bytes('21'), 7)).toBe(1173551340 % 7);
    expect(partitionForKey(bytes('foobar'), 1)).toBe(0);
  });

  it('agrees with kafkajs for random keys and partition counts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 10_000 }), (key, n) => {
        expect(partitionForKey(key, n)).toBe(toPositive(kafkajsMurmur2(Buffer.from(key))) % n);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
