import { gzipSync } from 'node:zlib';
import { compressFrameSync } from 'lz4-napi';
import snappy from 'snappy';
import { describe, expect, it } from 'vitest';
import { ATTR, BATCH, readBatchHeader, validateBatch } from './batch-header';
import type { RecordInput } from './record';
import {
  assertRecordCount,
  decodeBatches,
  decodeRecordBatch,
  encodeRecordBatch,
  setBaseOffset,
  setLogAppendTime,
} from './record-batch';
import {
  expectBrokerError,
  forgeBatch,
  kafkajsDecode,
  kafkajsEncode,
  type KafkajsRecordInput,
  referenceCrc32c,
} from './record-batch.testkit';

const T0 = 1_700_000_000_000;
const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('a batch written out by hand from the Kafka spec', () => {
  // One record, key "key", value "value", no headers, CreateTime 1700000000000, offset 0, no
  // producer id (-1 / -1 / -1) and leader epoch -1, as the Java producer sends it.
  const SPEC_BATCH = [
    '0000000000000000', // baseOffset
    '00000040', // batchLength = 64 (49 header bytes after it + 15 record bytes)
    'ffffffff', // partitionLeaderEpoch
    '02', // magic
    'db5e9cdd', // CRC-32C of everything from attributes on
    '0000', // attributes: no compression, CreateTime, not transactional
    '00000000', // lastOffsetDelta
    '0000018bcfe56800', // baseTimestamp
    '0000018bcfe56800', // maxTimestamp
    'ffffffffffffffff', // producerId
    'ffff', // producerEpoch
    'ffffffff', // baseSequence
    '00000001', // recordCount
    // record: length 14 (zigzag 0x1c), attributes, timestampDelta 0, offsetDelta 0,
    // key length 3 (0x06) "key", value length 5 (0x0a) "value", 0 headers
    '1c',
    '00',
    '00',
    '00',
    '06',
    '6b6579',
    '0a',
    '76616c7565',
    '00',
  ].join('');

  it('has the CRC-32C the spec defines', () => {
    const bytes = Buffer.from(SPEC_BATCH, 'hex');
    expect(referenceCrc32c(bytes.subarray(BATCH.ATTRIBUTES))).toBe(0xdb5e9cdd);
    expect(validateBatch(bytes).crc).toBe(0xdb5e9cdd);
  });

  it('is what we encode', () => {
    const ours = encodeRecordBatch([{ key: b('key'), value: b('value'), timestamp: T0 }]);
    expect(ours.toString('hex')).toBe(SPEC_BATCH);
  });

  it('decodes field by field', () => {
    const decoded = decodeRecordBatch(Buffer.from(SPEC_BATCH, 'hex'));
    expect(decoded.timestampType).toBe('CreateTime');
    expect(decoded.isControl).toBe(false);
    expect(decoded.compression).toBe('none');
    expect(decoded.records).toEqual([
      { offset: 0, timestamp: T0, key: b('key'), value: b('value'), headers: [], sizeInBytes: 15 },
    ]);
  });
});

const KAFKAJS_RECORDS: KafkajsRecordInput[] = [
  {
    key: b('user-1'),
    value: b('{"a":1}'),
    timestamp: T0 + 50,
    headers: { trace: b('abc'), ключ: b('значение') },
  },
  { key: null, value: b(''), timestamp: T0 },
  { key: Buffer.from([0, 255, 1]), value: null, timestamp: T0 + 7, headers: { dup: [b('x'), b('y')] } },
  { key: b(''), value: Buffer.alloc(300, 0x61), timestamp: T0 - 3 },
];

/** The same records as our RecordInput (kafkajs flattens repeated header keys in order). */
const OUR_RECORDS: RecordInput[] = [
  {
    key: b('user-1'),
    value: b('{"a":1}'),
    timestamp: T0 + 50,
    headers: [
      { key: 'trace', value: b('abc') },
      { key: 'ключ', value: b('значение') },
    ],
  },
  { key: null, value: b(''), timestamp: T0 },
  {
    key: Buffer.from([0, 255, 1]),
    value: null,
    timestamp: T0 + 7,
    headers: [
      { key: 'dup', value: b('x') },
      { key: 'dup', value: b('y') },
    ],
  },
  { key: b(''), value: Buffer.alloc(300, 0x61), timestamp: T0 - 3 },
];
const PRODUCER = { producerId: 4242, producerEpoch: 3, baseSequence: 17 };

describe('kafkajs compatibility', () => {
  for (const gzip of [false, true]) {
    it(`decodes a ${gzip ? 'gzip' : 'plain'} batch written by kafkajs exactly`, async () => {
      const batch = await kafkajsEncode(KAFKAJS_RECORDS, {
        gzip,
        firstOffset: 1000,
        ...PRODUCER,
        firstSequence: 17,
      });
      const decoded = decodeRecordBatch(batch);
      expect(decoded.compression).toBe(gzip ? 'gzip' : 'none');
      expect(decoded.header).toMatchObject({
        baseOffset: 1000,
        producerId: 4242,
        producerEpoch: 3,
        baseSequence: 17,
      });
      expect(decoded.header.maxTimestamp).toBe(T0 + 50);
      expect(decoded.records.map(({ sizeInBytes: _, ...r }) => r)).toEqual(
        OUR_RECORDS.map((r, i) => ({
          offset: 1000 + i,
          timestamp: r.timestamp,
          key: r.key,
          value: r.value,
          headers: r.headers ?? [],
        })),
      );
      expect(() => assertRecordCount(batch, decoded.header)).not.toThrow();
    });
  }

  it('encodes byte for byte what kafkajs encodes, plain and gzip', async () => {
    for (const gzip of [false, true]) {
      const theirs = await kafkajsEncode(KAFKAJS_RECORDS, {
        gzip,
        firstOffset: 1000,
        ...PRODUCER,
        firstSequence: 17,
      });
      const ours = encodeRecordBatch(OUR_RECORDS, {
        compression: gzip ? 'gzip' : 'none',
        baseOffset: 1000,
        ...PRODUCER,
      });
      expect(ours.toString('hex')).toBe(theirs.toString('hex'));
    }
  });

  it('is decoded by kafkajs as we meant it', async () => {
    for (const compression of ['none', 'gzip'] as const) {
      const ours = encodeRecordBatch(OUR_RECORDS, {
        compression,
        baseOffset: 77,
        isTransactional: true,
        ...PRODUCER,
      });
      const theirs = await kafkajsDecode(ours);
      expect(theirs.firstOffset).toBe('77');
      expect(theirs.producerId).toBe('4242');
      expect(theirs.inTransaction).toBe(true);
      expect(theirs.records.map((r) => [r.offset, r.timestamp, r.key, r.value, r.headers])).toEqual(
        KAFKAJS_RECORDS.map((r, i) => [String(77 + i), String(r.timestamp), r.key, r.value, r.headers ?? {}]),
      );
    }
  });

  it('agrees with kafkajs on LogAppendTime: every record takes maxTimestamp', async () => {
    const batch = encodeRecordBatch(OUR_RECORDS, { baseOffset: 5 });
    setLogAppendTime(batch, T0 + 9999);
    expect(validateBatch(batch).attributes & ATTR.TIMESTAMP_TYPE_LOG_APPEND).toBeTruthy();
    const ours = decodeRecordBatch(batch);
    expect(ours.timestampType).toBe('LogAppendTime');
    expect(ours.records.map((r) => r.timestamp)).toEqual([T0 + 9999, T0 + 9999, T0 + 9999, T0 + 9999]);
    const theirs = await kafkajsDecode(batch);
    expect(theirs.records.map((r) => r.timestamp)).toEqual(Array(4).fill(String(T0 + 9999)));
  });
});

describe('compressed batches as other clients write them', () => {
  const plain = encodeRecordBatch(OUR_RECORDS, { baseOffset: 10 });
  const section = plain.subarray(BATCH.RECORDS);
  const expected = decodeRecordBatch(plain).records;
  const xerial = (data: Buffer): Buffer => {
    const block = snappy.compressSync(data);
    const head = Buffer.from('82534e41505059000000000100000001', 'hex');
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length);
    return Buffer.concat([head, length, block]);
  };

  it.each([
    ['gzip', 1, gzipSync(section)],
    ['raw snappy', 2, snappy.compressSync(section)],
    ['xerial snappy', 2, xerial(section)],
    ['lz4 frame', 3, compressFrameSync(section)],
  ])('decodes %s', (_name, codecId, payload) => {
    const batch = forgeBatch(plain, payload, { attributes: codecId });
    expect(decodeRecordBatch(batch).records).toEqual(expected);
  });

  it('decodes zstd frames written by the zstd tool, with and without content size', () => {
    // Records section of two records: ("k1", "zstd value one", header h=x) and (null, "zstd value two").
    const frames = [
      '28b52ffd2430650100440234000000046b311c7a7374642076616c7565206f6e65020268027828000a020174776f000100606e3e019e4c2411',
      '28b52ffd0458650100440234000000046b311c7a7374642076616c7565206f6e65020268027828000a020174776f000100606e3e019e4c2411',
    ];
    const template = encodeRecordBatch(
      [
        { key: null, value: null },
        { key: null, value: null },
      ],
      { baseTimestamp: T0 },
    );
    for (const frame of frames) {
      const decoded = decodeRecordBatch(forgeBatch(template, Buffer.from(frame, 'hex'), { attributes: 4 }));
      expect(decoded.compression).toBe('zstd');
      expect(
        decoded.records.map((r) => [r.offset, r.timestamp, r.key, r.value?.toString(), r.headers]),
      ).toEqual([
        [0, T0, b('k1'), 'zstd value one', [{ key: 'h', value: b('x') }]],
        [1, T0 + 5, null, 'zstd value two', []],
      ]);
    }
  });

  it('encodes snappy and lz4 batches that decode back', () => {
    for (const compression of ['snappy', 'lz4'] as const) {
      const batch = encodeRecordBatch(OUR_RECORDS, { compression, baseOffset: 10 });
      expect(batch.readInt16BE(BATCH.ATTRIBUTES) & ATTR.COMPRESSION_MASK).toBe(
        compression === 'snappy' ? 2 : 3,
      );
      expect(decodeRecordBatch(batch).records.map(({ sizeInBytes: _, ...r }) => r)).toEqual(
        expected.map(({ sizeInBytes: _, ...r }) => r),
      );
    }
  });
});

describe('encoder options', () => {
  it('writes LogAppendTime, control and transactional bits and the clock', () => {
    const batch = encodeRecordBatch([{ key: null, value: b('v') }], {
      timestampType: 'LogAppendTime',
      isControl: true,
      isTransactional: true,
      partitionLeaderEpoch: 7,
      now: () => T0,
    });
    const decoded = decodeRecordBatch(batch);
    expect(decoded.header).toMatchObject({ partitionLeaderEpoch: 7, baseTimestamp: T0, maxTimestamp: T0 });
    expect(decoded.header.attributes).toBe(
      ATTR.TIMESTAMP_TYPE_LOG_APPEND | ATTR.CONTROL | ATTR.TRANSACTIONAL,
    );
    expect(decoded.isControl).toBe(true);
    expect(decoded.records[0]?.timestamp).toBe(T0);
  });

  it('takes maxTimestamp from the largest record timestamp, out of order', () => {
    const batch = encodeRecordBatch([
      { key: null, value: null, timestamp: 20 },
      { key: null, value: null, timestamp: 90 },
      { key: null, value: null, timestamp: 5 },
    ]);
    expect(readBatchHeader(batch)).toMatchObject({
      baseTimestamp: 20,
      maxTimestamp: 90,
      lastOffsetDelta: 2,
      recordCount: 3,
    });
  });

  it('refuses an empty batch and non-integer timestamps', () => {
    expectBrokerError(() => encodeRecordBatch([]), 'INVALID_RECORD');
    expectBrokerError(
      () => encodeRecordBatch([{ key: null, value: null, timestamp: 1.5 }]),
      'INVALID_RECORD',
    );
  });
});

describe('offsets, timestamps and batch sequences', () => {
  it('setBaseOffset moves every offset and keeps the CRC valid', () => {
    const batch = encodeRecordBatch(OUR_RECORDS);
    setBaseOffset(batch, 2 ** 40);
    expect(decodeRecordBatch(batch).records.map((r) => r.offset)).toEqual(
      [0, 1, 2, 3].map((i) => 2 ** 40 + i),
    );
  });

  it('decodeBatches walks concatenated batches and ignores a trailing partial one', () => {
    const batches = [0, 4, 8].map((base) =>
      encodeRecordBatch(OUR_RECORDS, { baseOffset: base, compression: 'gzip' }),
    );
    const partial = encodeRecordBatch(OUR_RECORDS, { baseOffset: 12 });
    for (const cut of [0, 5, 12, 61, partial.length - 1]) {
      const log = Buffer.concat([...batches, partial.subarray(0, cut)]);
      expect([...decodeBatches(log)].flatMap((d) => d.records.map((r) => r.offset))).toEqual([
        ...Array(12).keys(),
      ]);
    }
    expect([...decodeBatches(Buffer.alloc(0))]).toEqual([]);
  });

  it('decodeBatches rejects an impossible length in the middle of a log', () => {
    const log = Buffer.concat([
      encodeRecordBatch(OUR_RECORDS),
      Buffer.from('000000000000000000000010', 'hex'),
      Buffer.alloc(60),
    ]);
    const iterate = (): number => [...decodeBatches(log)].length;
    expectBrokerError(iterate, 'CORRUPT_MESSAGE', /impossible size 28/);
  });
});

describe('bad batches', () => {
  const good = encodeRecordBatch(OUR_RECORDS, { baseOffset: 3 });
  const goodGzip = encodeRecordBatch(OUR_RECORDS, { baseOffset: 3, compression: 'gzip' });
  const section = good.subarray(BATCH.RECORDS);

  it('rejects every truncation', () => {
    for (let cut = 0; cut < good.length; cut++) {
      expectBrokerError(() => decodeRecordBatch(good.subarray(0, cut)), 'CORRUPT_MESSAGE');
    }
  });

  it('rejects a wrong magic and a lying length', () => {
    const magic = Buffer.from(good);
    magic[BATCH.MAGIC] = 1;
    expectBrokerError(() => decodeRecordBatch(magic), 'CORRUPT_MESSAGE', /magic 1/);
    for (const delta of [-1, 1, 1000]) {
      const lying = Buffer.from(good);
      lying.writeInt32BE(good.length - BATCH.LOG_OVERHEAD + delta, BATCH.LENGTH);
      expectBrokerError(() => decodeRecordBatch(lying), 'CORRUPT_MESSAGE', /length field/);
    }
  });

  it('rejects a record count that is too high or too low, compressed or not', () => {
    for (const [batch, count] of [
      [good, 5],
      [good, 3],
      [goodGzip, 5],
      [goodGzip, 3],
    ] as const) {
      const forged = Buffer.from(batch);
      forged.writeInt32BE(count, BATCH.RECORD_COUNT);
      forged.writeInt32BE(count - 1, BATCH.LAST_OFFSET_DELTA);
      const header = readBatchHeader(forged);
      const message = new RegExp(`declares ${count} records but holds 4`);
      expectBrokerError(
        () => decodeRecordBatch(forgeBatch(forged, forged.subarray(BATCH.RECORDS))),
        'CORRUPT_MESSAGE',
        message,
      );
      expectBrokerError(() => assertRecordCount(forged, header), 'CORRUPT_MESSAGE', message);
    }
    expect(() => assertRecordCount(goodGzip, readBatchHeader(goodGzip))).not.toThrow();
  });

  const cases: [string, string, RegExp][] = [
    ['a record longer than the batch', '7f00000000000000', /declares -64 bytes|only 7 remain/],
    ['a record length running past the end', '2000000000000000', /declares 16 bytes but only 7 remain/],
    ['a truncated varint inside a record', '0800000080000000', /Truncated varint/],
    ['a truncated timestamp varlong', '0400ff00000000', /Truncated varlong/],
    ['a key longer than its record', '0c0000000a6162', /key of 5 bytes/],
    ['a negative header count', '0c00000001010300', /invalid header count -2/],
    ['trailing bytes inside a record', '0e00000001010000ff', /1 bytes after its last field/],
    ['a null header key', '100000000101020100', /null key/],
    ['an empty record', '00000000000000', /no attributes byte/],
  ];
  it.each(cases)('rejects %s', (_name, records, message) => {
    const batch = forgeBatch(good, Buffer.from(records, 'hex'), { recordCount: 1, lastOffsetDelta: 0 });
    expectBrokerError(() => decodeRecordBatch(batch), 'CORRUPT_MESSAGE', message);
  });

  it('assertRecordCount walks lengths only, and rejects a length that leaves the batch', () => {
    const overrun = forgeBatch(good, Buffer.concat([section, Buffer.from('20', 'hex')]), { recordCount: 5 });
    expectBrokerError(
      () => assertRecordCount(overrun, readBatchHeader(overrun)),
      'CORRUPT_MESSAGE',
      /only 0 remain/,
    );
  });

  it('stops a decompression bomb at maxDecompressedBytes', () => {
    const bomb = encodeRecordBatch([{ key: null, value: Buffer.alloc(5_000_000) }], { compression: 'gzip' });
    expect(bomb.length).toBeLessThan(10_000);
    expectBrokerError(
      () => decodeRecordBatch(bomb, { maxDecompressedBytes: 1_000_000 }),
      'RECORD_LIST_TOO_LARGE',
    );
    expectBrokerError(
      () => assertRecordCount(bomb, readBatchHeader(bomb), { maxDecompressedBytes: 1_000_000 }),
      'RECORD_LIST_TOO_LARGE',
    );
    expect(decodeRecordBatch(bomb).records[0]?.value?.length).toBe(5_000_000);
  });

  it('rejects the unassigned compression ids', () => {
    const batch = forgeBatch(good, section, { attributes: 6 });
    expectBrokerError(() => decodeRecordBatch(batch), 'UNSUPPORTED_COMPRESSION_TYPE');
  });
});
