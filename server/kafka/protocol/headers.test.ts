import { describe, expect, it } from 'vitest';
import { decodeRequestFrame, encodeRequestFrame, encodeResponseFrame } from './frame';
import {
  API_KEYS,
  ApiKey,
  decodeRequestHeader,
  decodeResponseHeader,
  encodeFetchResponse,
  encodeMetadataResponse,
  encodeRequestHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from './generated/index';
import { ProtocolError } from './protocol-error';
import { Reader } from './reader';
import { Writer } from './writer';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function encoded(fn: (w: Writer) => void): string {
  const w = new Writer();
  fn(w);
  return w.toBuffer().toString('hex');
}

describe('request header byte vectors', () => {
  it('v1: int16 apiKey, int16 version, int32 correlation id, int16-length clientId', () => {
    const bytes = hex('0003 0005 00000007 0003 616263');
    const h = decodeRequestHeader(new Reader(bytes), 1);
    expect(h).toEqual({ requestApiKey: 3, requestApiVersion: 5, correlationId: 7, clientId: 'abc' });
    expect(encoded((w) => encodeRequestHeader(w, h, 1))).toBe(bytes.toString('hex'));
  });

  it('v1 with a null clientId (length -1)', () => {
    const h = decodeRequestHeader(new Reader(hex('0012 0002 7fffffff ffff')), 1);
    expect(h).toMatchObject({
      requestApiKey: 18,
      requestApiVersion: 2,
      correlationId: 0x7fffffff,
      clientId: null,
    });
  });

  it('v2 keeps the int16-length clientId and ends with a tagged-field section', () => {
    const plain = hex('0003 0009 00000007 0003 616263 00');
    expect(decodeRequestHeader(new Reader(plain), 2)).toMatchObject({
      clientId: 'abc',
      unknownTaggedFields: undefined,
    });
    expect(
      encoded((w) =>
        encodeRequestHeader(
          w,
          { requestApiKey: 3, requestApiVersion: 9, correlationId: 7, clientId: 'abc' },
          2,
        ),
      ),
    ).toBe(plain.toString('hex'));

    // Two unknown tagged fields: tag 5 with 2 bytes, tag 16 with none; kept and re-encoded as is.
    const tagged = hex('0003 0009 00000007 0003 616263 02 05 02 aabb 10 00');
    const r = new Reader(tagged);
    const h = decodeRequestHeader(r, 2);
    expect(r.remaining).toBe(0);
    expect(h.unknownTaggedFields).toEqual([
      { tag: 5, data: hex('aabb') },
      { tag: 16, data: Buffer.alloc(0) },
    ]);
    expect(encoded((w) => encodeRequestHeader(w, h, 2))).toBe(tagged.toString('hex'));
  });

  it('v0 has no clientId', () => {
    expect(decodeRequestHeader(new Reader(hex('0007 0000 00000001')), 0)).toMatchObject({ clientId: '' });
  });
});

describe('response header byte vectors', () => {
  it('v0 is the correlation id; v1 adds an empty tagged-field section', () => {
    expect(encoded((w) => encodeResponseHeader(w, { correlationId: 7 }, 0))).toBe('00000007');
    expect(encoded((w) => encodeResponseHeader(w, { correlationId: 7 }, 1))).toBe('0000000700');
    expect(decodeResponseHeader(new Reader(hex('0000002a00')), 1)).toMatchObject({ correlationId: 42 });
  });
});

describe('header versions', () => {
  it('follow the first flexible version of each API', () => {
    expect(requestHeaderVersion(ApiKey.Metadata, 8)).toBe(1);
    expect(requestHeaderVersion(ApiKey.Metadata, 9)).toBe(2);
    expect(responseHeaderVersion(ApiKey.Metadata, 9)).toBe(1);
    expect(requestHeaderVersion(ApiKey.Fetch, 11)).toBe(1);
    expect(requestHeaderVersion(ApiKey.Fetch, 12)).toBe(2);
    expect(requestHeaderVersion(ApiKey.OffsetDelete, 0)).toBe(1);
    expect(responseHeaderVersion(ApiKey.OffsetDelete, 0)).toBe(0);
  });

  it('ApiVersions responses always use header v0; newer ApiVersions requests still parse (v2)', () => {
    expect(responseHeaderVersion(ApiKey.ApiVersions, 3)).toBe(0);
    expect(requestHeaderVersion(ApiKey.ApiVersions, 3)).toBe(2);
    expect(requestHeaderVersion(ApiKey.ApiVersions, 4)).toBe(2);
  });

  it('unknown API keys get request header v1', () => {
    expect(requestHeaderVersion(999, 0)).toBe(1);
  });

  it('API_KEYS lists the advertised ranges', () => {
    const table = Object.fromEntries(API_KEYS.map((a) => [a.name, [a.key, a.minVersion, a.maxVersion]]));
    expect(table).toEqual({
      Produce: [0, 3, 9],
      Fetch: [1, 4, 13],
      ListOffsets: [2, 1, 7],
      Metadata: [3, 0, 12],
      OffsetCommit: [8, 0, 8],
      OffsetFetch: [9, 1, 8],
      FindCoordinator: [10, 0, 4],
      JoinGroup: [11, 0, 6],
      Heartbeat: [12, 0, 4],
      LeaveGroup: [13, 0, 4],
      SyncGroup: [14, 0, 4],
      DescribeGroups: [15, 0, 5],
      ListGroups: [16, 0, 4],
      ApiVersions: [18, 0, 3],
      CreateTopics: [19, 0, 7],
      DeleteTopics: [20, 0, 6],
      DeleteRecords: [21, 0, 2],
      InitProducerId: [22, 0, 4],
      DescribeConfigs: [32, 0, 4],
      AlterConfigs: [33, 0, 2],
      CreatePartitions: [37, 0, 3],
      DeleteGroups: [42, 0, 2],
      IncrementalAlterConfigs: [44, 0, 1],
      OffsetDelete: [47, 0, 0],
    });
    expect(API_KEYS.find((a) => a.name === 'Produce')).toMatchObject({
      requestFlexibleFrom: 9,
      responseFlexibleFrom: 9,
    });
    expect(API_KEYS.find((a) => a.name === 'OffsetDelete')).toMatchObject({ requestFlexibleFrom: null });
  });
});

describe('frames', () => {
  it('decodeRequestFrame picks the header version from the API key and version', () => {
    const [frame] = encodeRequestFrame(
      { requestApiKey: 3, requestApiVersion: 12, correlationId: 9, clientId: 'me' },
      (w) => w.writeUInt8(1).writeUInt8(1).writeUInt8(0).writeUInt8(0),
    ).map((b) => b);
    expect(frame).toBeDefined();
    const payload = (frame as Buffer).subarray(4);
    expect((frame as Buffer).readInt32BE(0)).toBe(payload.length);
    const { header, headerVersion, body } = decodeRequestFrame(payload);
    expect(headerVersion).toBe(2);
    expect(header).toMatchObject({
      requestApiKey: 3,
      requestApiVersion: 12,
      correlationId: 9,
      clientId: 'me',
    });
    expect(body.remaining).toBe(4);
  });

  it('a frame too short for a header is a ProtocolError', () => {
    expect(() => decodeRequestFrame(hex('0003'))).toThrow(ProtocolError);
    expect(() => decodeRequestFrame(hex('0003 0001 0000'))).toThrow(ProtocolError);
  });

  it('encodeResponseFrame writes size + header v1 + body for a flexible response', () => {
    const bufs = encodeResponseFrame(ApiKey.Metadata, 9, 77, (w) =>
      encodeMetadataResponse(
        w,
        { throttleTimeMs: 0, brokers: [], clusterId: null, controllerId: 1, topics: [] },
        9,
      ),
    );
    const frame = Buffer.concat(bufs);
    // size | corr id | header tags | throttle | brokers=[] | clusterId=null | controller | topics=[]
    // | clusterAuthorizedOperations (v8-10, default INT32_MIN) | tags
    expect(frame.toString('hex')).toBe(
      '00000015' + '0000004d' + '00' + '00000000' + '01' + '00' + '00000001' + '01' + '80000000' + '00',
    );
  });

  it('ApiVersions v3 responses get header v0 (no tag byte after the correlation id)', () => {
    const frame = Buffer.concat(encodeResponseFrame(ApiKey.ApiVersions, 3, 5, (w) => w.writeInt16(35)));
    expect(frame.toString('hex')).toBe('00000006' + '00000005' + '0023');
  });

  it('Fetch responses embed record buffers without copying them', () => {
    const records = Buffer.alloc(64 * 1024, 7);
    const second = Buffer.alloc(4096, 9);
    const bufs = encodeResponseFrame(ApiKey.Fetch, 11, 1, (w) =>
      encodeFetchResponse(
        w,
        {
          throttleTimeMs: 0,
          responses: [
            {
              topic: 't',
              partitions: [
                {
                  partitionIndex: 0,
                  errorCode: 0,
                  highWatermark: 10n,
                  abortedTransactions: null,
                  records: [records, second],
                },
              ],
            },
          ],
        },
        11,
      ),
    );
    expect(bufs).toContain(records);
    expect(bufs).toContain(second);
    const frame = Buffer.concat(bufs);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  });
});
