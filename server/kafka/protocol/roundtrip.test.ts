import { describe, expect, it } from 'vitest';
import {
  API_CODECS,
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
} from './generated/index';
import { MESSAGE_SCHEMAS, type MessageSchema } from './generated/schema';
import { Reader } from './reader';
import { buildSample, type SampleMode } from './testing/sample-message';
import { Writer } from './writer';

type Encode = (w: Writer, msg: unknown, version: number) => void;
type Decode = (r: Reader, version: number) => unknown;

/** Every generated message with its codec functions, found through the index (not the files). */
export function allCodecs(): { schema: MessageSchema; encode: Encode; decode: Decode }[] {
  const byName = new Map<string, { encode: Encode; decode: Decode }>();
  byName.set('RequestHeader', { encode: encodeRequestHeader as Encode, decode: decodeRequestHeader });
  byName.set('ResponseHeader', { encode: encodeResponseHeader as Encode, decode: decodeResponseHeader });
  for (const [name, c] of Object.entries(API_CODECS)) {
    byName.set(`${name}Request`, { encode: c.encodeRequest as Encode, decode: c.decodeRequest });
    byName.set(`${name}Response`, { encode: c.encodeResponse as Encode, decode: c.decodeResponse });
  }
  return MESSAGE_SCHEMAS.map((schema) => {
    const c = byName.get(schema.name);
    if (!c) throw new Error(`no codec for ${schema.name}`);
    return { schema, ...c };
  });
}

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
  it('covers all 23 APIs (request + response) and both headers', () => {
    expect(MESSAGE_SCHEMAS.length).toBe(23 * 2 + 2);
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
