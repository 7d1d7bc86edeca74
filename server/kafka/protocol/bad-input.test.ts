import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequestFrame } from './frame';
import {
  decodeCreateTopicsRequest,
  decodeFetchRequest,
  decodeMetadataRequest,
  decodeProduceRequest,
} from './generated/index';
import { ProtocolError } from './protocol-error';
import { Reader } from './reader';
import { allCodecs } from './testing/all-codecs';
import { buildSample } from './testing/sample-message';
import { Writer } from './writer';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Decoding must either succeed or throw a ProtocolError: never a RangeError, TypeError or crash. */
function decodeOrProtocolError(fn: () => unknown): 'ok' | ProtocolError {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
}

const samples = allCodecs().flatMap((c) => {
  const out: { name: string; version: number; bytes: Buffer; decode: (r: Reader, v: number) => unknown }[] =
    [];
  for (let v = c.schema.minVersion; v <= c.schema.maxVersion; v++) {
    const w = new Writer();
    c.encode(w, buildSample(c.schema, v, 'full'), v);
    out.push({ name: c.schema.name, version: v, bytes: w.toBuffer(), decode: c.decode });
  }
  return out;
});

describe('bad input', () => {
  it('every truncation of every sample message is a ProtocolError', () => {
    let checked = 0;
    for (const s of samples) {
      // Record bytes are opaque: cut inside them only every 97 bytes to keep this quick.
      for (let len = 0; len < s.bytes.length; len += len > 64 && len < s.bytes.length - 64 ? 97 : 1) {
        const res = decodeOrProtocolError(() => s.decode(new Reader(s.bytes.subarray(0, len)), s.version));
        if (res === 'ok') throw new Error(`${s.name} v${s.version}: a ${len}-byte prefix decoded`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('random corruption of sample messages never escapes as another error', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: samples.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (i, edits) => {
          const s = samples[i];
          if (!s) return;
          const bytes = Buffer.from(s.bytes);
          for (const [pos, value] of edits) bytes[pos % bytes.length] = value;
          decodeOrProtocolError(() => s.decode(new Reader(bytes), s.version));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random bytes never escape as another error, whatever the API and version', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: samples.length - 1 }),
        fc.uint8Array({ maxLength: 200 }),
        (i, data) => {
          const s = samples[i];
          if (!s) return;
          decodeOrProtocolError(() => s.decode(new Reader(Buffer.from(data)), s.version));
          decodeOrProtocolError(() => decodeRequestFrame(Buffer.from(data)));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a huge array count is refused from the count alone (no allocation, no loop)', () => {
    // Produce v3: transactionalId=null, acks, timeout, then 2^31-1 topics in 4 bytes.
    const err = decodeOrProtocolError(() =>
      decodeProduceRequest(new Reader(hex('ffff 0001 00001388 7fffffff 0000')), 3),
    );
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err).toMatchObject({ kind: 'invalid-length', field: 'ProduceRequest.TopicData' });

    // Flexible (compact) count 2^32-2 in Metadata v12.
    const err2 = decodeOrProtocolError(() =>
      decodeMetadataRequest(new Reader(hex('ffffffff0f 00 00 00')), 12),
    );
    expect(err2).toMatchObject({ kind: 'invalid-length', field: 'MetadataRequest.Topics' });
  });

  it('a string or records length past the end is refused', () => {
    // Fetch v4 topic name claiming 30000 bytes.
    const fetch = hex('ffffffff 000001f4 00000001 00100000 00 00000001 7530 6162');
    expect(decodeOrProtocolError(() => decodeFetchRequest(new Reader(fetch), 4))).toMatchObject({
      kind: 'invalid-length',
      field: 'FetchRequest.Topics.Topic',
    });
    // Produce v3 records claiming 1 GiB.
    const produce = hex('ffff 0001 00001388 00000001 0001 74 00000001 00000000 40000000 00');
    expect(decodeOrProtocolError(() => decodeProduceRequest(new Reader(produce), 3))).toMatchObject({
      kind: 'invalid-length',
      field: 'ProduceRequest.TopicData.PartitionData.Records',
    });
  });

  it('negative lengths on non-nullable fields are refused', () => {
    // CreateTopics v0: one topic whose name has length -1 (null on a non-nullable string).
    expect(
      decodeOrProtocolError(() =>
        decodeCreateTopicsRequest(new Reader(Buffer.concat([hex('00000001 ffff'), Buffer.alloc(24)])), 0),
      ),
    ).toMatchObject({
      kind: 'null-not-allowed',
      field: 'CreateTopicsRequest.Topics.Name',
    });
    // Metadata v0 does not allow a null topic list (v1+ does).
    expect(decodeOrProtocolError(() => decodeMetadataRequest(new Reader(hex('ffffffff')), 0))).toMatchObject({
      kind: 'null-not-allowed',
    });
    expect(decodeMetadataRequest(new Reader(hex('ffffffff 01')), 4).topics).toBeNull();
    // A count of -2 is never valid.
    expect(decodeOrProtocolError(() => decodeMetadataRequest(new Reader(hex('fffffffe')), 1))).toMatchObject({
      kind: 'invalid-length',
    });
  });

  it('a known tagged field whose declared size disagrees with its content is refused', () => {
    // Fetch v12 with tagged field 0 (ClusterId) declared as 5 bytes holding a 1-byte compact null.
    const body = hex('00000000 00000001 00100000 00 00000000 ffffffff 01 01 01 00 01 0005 0000000000');
    const res = decodeOrProtocolError(() => decodeFetchRequest(new Reader(body), 12));
    expect(res).toBeInstanceOf(ProtocolError);
  });
});
