import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBrokerError } from '../errors';
import { BATCH, computeBatchCrc, readBatchHeader } from './batch-header';
import { ENCODABLE_CODECS } from './compression';
import type { RecordInput } from './record';
import { assertRecordCount, decodeRecordBatch, encodeRecordBatch, type EncodeOptions } from './record-batch';
import { catchError, fixCrc, kafkajsDecode } from './record-batch.testkit';

const NOW = 1_717_171_717_171;

const bytes = (maxLength: number): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ maxLength }).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq: 4 });

const recordArb: fc.Arbitrary<RecordInput> = fc.record(
  {
    key: nullable(bytes(48)),
    value: nullable(bytes(300)),
    headers: fc.array(
      fc.record({ key: fc.string({ unit: 'grapheme', maxLength: 12 }), value: nullable(bytes(24)) }),
      {
        maxLength: 4,
      },
    ),
    // Any order, including before the epoch and missing (then the producer's clock is used).
    timestamp: fc.option(fc.integer({ min: -1, max: 4_102_444_800_000 }), { nil: undefined }),
  },
  { requiredKeys: ['key', 'value'] },
);

const optionsArb: fc.Arbitrary<EncodeOptions> = fc.record({
  compression: fc.constantFrom(...ENCODABLE_CODECS),
  baseOffset: fc.integer({ min: 0, max: 2 ** 50 }),
  producerId: fc.integer({ min: -1, max: 2 ** 50 }),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  isTransactional: fc.boolean(),
  partitionLeaderEpoch: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
});

const batchArb = fc.tuple(fc.array(recordArb, { minLength: 1, maxLength: 12 }), optionsArb);

/** What decoding must give back for `records` encoded with `options`. */
function expected(records: RecordInput[], options: EncodeOptions) {
  const fallback = records[0]?.timestamp ?? NOW;
  return records.map((r, i) => ({
    offset: (options.baseOffset ?? 0) + i,
    timestamp: r.timestamp ?? fallback,
    key: r.key,
    value: r.value,
    headers: r.headers ?? [],
  }));
}

const encode = (records: RecordInput[], options: EncodeOptions): Buffer =>
  encodeRecordBatch(records, { ...options, now: () => NOW });

describe('RecordBatch v2 properties', () => {
  it('decode(encode(records)) gives the records back, with a valid CRC and header', () => {
    fc.assert(
      fc.property(batchArb, ([records, options]) => {
        const batch = encode(records, options);
        const decoded = decodeRecordBatch(batch);
        expect(decoded.records.map(({ sizeInBytes: _, ...r }) => r)).toEqual(expected(records, options));
        expect(decoded.header.crc).toBe(computeBatchCrc(batch));
        expect(decoded.compression).toBe(options.compression);
        expect(decoded.header).toMatchObject({
          baseOffset: options.baseOffset,
          producerId: options.producerId,
          producerEpoch: options.producerEpoch,
          baseSequence: options.baseSequence,
          partitionLeaderEpoch: options.partitionLeaderEpoch,
          recordCount: records.length,
          lastOffsetDelta: records.length - 1,
          maxTimestamp: Math.max(...expected(records, options).map((r) => r.timestamp)),
        });
        expect(decoded.timestampType).toBe('CreateTime');
        expect(decoded.header.attributes & 0x10).toBe(options.isTransactional ? 0x10 : 0);
        if (options.compression === 'none') {
          const sizes = decoded.records.reduce((sum, r) => sum + r.sizeInBytes, 0);
          expect(sizes).toBe(batch.length - BATCH.HEADER_SIZE);
        }
        expect(() => assertRecordCount(batch, decoded.header)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any bit flip from the length field on as CORRUPT_MESSAGE', () => {
    fc.assert(
      fc.property(batchArb, fc.nat(), fc.integer({ min: 0, max: 7 }), ([records, options], at, bit) => {
        const batch = encode(records, options);
        // Bytes 0-7 (baseOffset) and 12-15 (leader epoch) are outside the CRC by design.
        const covered = [8, 9, 10, 11, ...Array.from({ length: batch.length - 16 }, (_, i) => 16 + i)];
        const index = covered[at % covered.length] ?? 16;
        batch[index] = (batch[index] ?? 0) ^ (1 << bit);
        const error = catchError(() => decodeRecordBatch(batch));
        expect(isBrokerError(error, 'CORRUPT_MESSAGE'), `flip at byte ${index}: ${String(error)}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never crashes on damaged records that carry a valid CRC, and agrees with assertRecordCount', () => {
    const allowed = ['CORRUPT_MESSAGE', 'RECORD_LIST_TOO_LARGE', 'UNSUPPORTED_COMPRESSION_TYPE'];
    fc.assert(
      fc.property(
        batchArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        ([records, options], flips) => {
          const batch = encode(records, options);
          for (const [at, mask] of flips) {
            const index = BATCH.ATTRIBUTES + (at % (batch.length - BATCH.ATTRIBUTES));
            batch[index] = (batch[index] ?? 0) ^ mask;
          }
          fixCrc(batch); // only the record-level checks stand between the damage and the reader
          const decodeError = catchError(() => decodeRecordBatch(batch, { maxDecompressedBytes: 1 << 20 }));
          if (decodeError !== undefined) {
            expect(isBrokerError(decodeError) ? decodeError.code : String(decodeError)).toSatisfy(
              (c: string) => allowed.includes(c),
            );
          }
          const countError = catchError(() =>
            assertRecordCount(batch, readBatchHeader(batch), { maxDecompressedBytes: 1 << 20 }),
          );
          if (countError !== undefined) {
            expect(isBrokerError(countError) ? countError.code : String(countError)).toSatisfy((c: string) =>
              allowed.includes(c),
            );
            // The cheap check may only fail when the full decode fails too.
            expect(decodeError).toBeDefined();
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('kafkajs decodes what we encode (plain and gzip), records and headers alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordArb, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('none' as const, 'gzip' as const),
        fc.integer({ min: 0, max: 2 ** 40 }),
        async (records, compression, baseOffset) => {
          const theirs = await kafkajsDecode(encode(records, { compression, baseOffset }));
          const want = expected(records, { baseOffset });
          expect(theirs.records.map((r) => [r.offset, r.timestamp, r.key, r.value])).toEqual(
            want.map((r) => [String(r.offset), String(r.timestamp), r.key, r.value]),
          );
          // kafkajs folds headers into an object, repeated keys into arrays, in order.
          const folded = want.map((r) => {
            const out: Record<string, Buffer | null | (Buffer | null)[]> = {};
            for (const h of r.headers) {
              const prev = out[h.key];
              out[h.key] =
                prev === undefined ? h.value : Array.isArray(prev) ? [...prev, h.value] : [prev, h.value];
            }
            return out;
          });
          expect(theirs.records.map((r) => r.headers)).toEqual(folded);
        },
      ),
      { numRuns: 100 },
    );
  });
});
