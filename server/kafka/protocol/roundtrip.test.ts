import { describe, expect, it } from 'vitest';
import { API_CODECS } from './generated/index';
import { MESSAGE_SCHEMAS } from './generated/schema';
import { Reader } from './reader';
import { allCodecs, type Encode } from './testing/all-codecs';
import { buildSample, type SampleMode } from './testing/sample-message';
import { Writer } from './writer';

function encodeToBuffer(encode: Encode, msg: unknown, version: number): Buffer {
  const w = new Writer(64);
  encode(w, msg, version);
  return w.toBuffer();
}

const cases = allCodecs().flatMap((c) => {
  const out: { name: string; version: number; codec: typeof c }[] = [];
  for (let v = c.schema.minVersion; v <= c.schema.maxVersion; v++)
    out.push({ name: c.schema.name, version: v, codec: c });
  return out;
});

describe('generated codecs round-trip every supported version', () => {
  it('covers all 24 APIs (request + response) and both headers', () => {
    expect(MESSAGE_SCHEMAS.length).toBe(24 * 2 + 2);
    expect(cases.length).toBeGreaterThan(250);
  });

  it.each(cases)('$name v$version', ({ version, codec }) => {
    for (const mode of ['full', 'nulls'] satisfies SampleMode[]) {
      const sample = buildSample(codec.schema, version, mode);
      const bytes = encodeToBuffer(codec.encode, sample, version);
      const r = new Reader(bytes);
      const decoded = codec.decode(r, version);
      expect(r.remaining, `${mode}: bytes left after decoding`).toBe(0);
      expect(decoded, mode).toEqual(sample);
      // Re-encoding the decoded message gives the same bytes (tagged fields, unknown ones included).
      expect(encodeToBuffer(codec.encode, decoded, version).equals(bytes), `${mode}: re-encode`).toBe(true);
    }
  });

  it('rejects versions outside the generated range', () => {
    const produce = API_CODECS.Produce;
    expect(() => produce.decodeRequest(new Reader(Buffer.alloc(100)), 2)).toThrow(/outside 3-9/);
    expect(() => produce.encodeResponse(new Writer(), { responses: [], throttleTimeMs: 0 }, 10)).toThrow(
      /outside 3-9/,
    );
  });
});
