/**
 * Test support for the listener fuzz: well-formed request frames of every generated API and
 * version, with the position and encoding of every length prefix they hold (strings, bytes,
 * records, arrays, the header's clientId), so that a mutation can make exactly those lie.
 *
 * Each (API, version) comes as the protocol tests' raw samples ('full' and 'nulls': names no
 * topic can have, huge numbers) and as samples aimed at what the broker holds (fuzz-aim.ts).
 */
import {
  API_CODECS,
  encodeRequestHeader,
  requestHeaderVersion,
  type ApiName,
} from '../protocol/generated/index';
import { MESSAGE_SCHEMAS } from '../protocol/generated/schema';
import { buildSample, type Sample } from '../protocol/testing/sample-message';
import { Writer } from '../protocol/writer';
import { Aimer } from './fuzz-aim';
import { rng } from './fuzz-random';

/** A length or count prefix inside a frame: where it is and how it is encoded. */
export interface LengthField {
  /** Offset in the frame (size prefix included). */
  readonly at: number;
  readonly encoding: 'int16' | 'int32' | 'uvarint';
  readonly of: 'string' | 'bytes' | 'records' | 'array';
}

export interface FrameTemplate {
  readonly api: ApiName;
  readonly apiKey: number;
  readonly version: number;
  readonly variant: 'full' | 'nulls' | 'aimed';
  /** The whole frame: int32 size, request header (correlation id 0), body. */
  readonly frame: Buffer;
  readonly lengths: readonly LengthField[];
}

/** A Writer that notes where each length prefix goes (nested tagged-field writers are not seen). */
class RecordingWriter extends Writer {
  readonly lengths: LengthField[] = [];

  private note(compact: boolean, wide: boolean, of: LengthField['of']): void {
    this.lengths.push({ at: this.length, encoding: compact ? 'uvarint' : wide ? 'int32' : 'int16', of });
  }

  override writeString(v: string, compact: boolean): this {
    this.note(compact, false, 'string');
    return super.writeString(v, compact);
  }

  override writeNullableString(v: string | null, compact: boolean): this {
    if (v === null) this.note(compact, false, 'string');
    return super.writeNullableString(v, compact);
  }

  override writeBytes(v: Buffer, compact: boolean): this {
    this.note(compact, true, 'bytes');
    return super.writeBytes(v, compact);
  }

  override writeNullableBytes(v: Buffer | null, compact: boolean): this {
    if (v === null) this.note(compact, true, 'bytes');
    return super.writeNullableBytes(v, compact);
  }

  override writeRecords(v: Buffer | readonly Buffer[] | null, compact: boolean): this {
    this.note(compact, true, 'records');
    // Writer.writeBytes itself, so that the prefix is not noted twice.
    return Buffer.isBuffer(v) ? super.writeBytes(v, compact) : super.writeRecords(v, compact);
  }

  override writeArrayLength(n: number, compact: boolean): this {
    this.note(compact, true, 'array');
    return super.writeArrayLength(n, compact);
  }

  override writeNullArray(compact: boolean): this {
    this.note(compact, true, 'array');
    return super.writeNullArray(compact);
  }
}

function encodeTemplate(
  api: ApiName,
  version: number,
  variant: FrameTemplate['variant'],
  sample: Sample,
  clientId: string | null,
): FrameTemplate {
  const codec = API_CODECS[api];
  const w = new RecordingWriter();
  const size = w.reserveInt32();
  encodeRequestHeader(
    w,
    { requestApiKey: codec.key, requestApiVersion: version, correlationId: 0, clientId },
    requestHeaderVersion(codec.key, version),
  );
  (codec.encodeRequest as (w: Writer, msg: unknown, v: number) => void)(w, sample, version);
  w.patchInt32(size, w.length - 4);
  // A copy of our own: mutations write into copies of it, and the writer's chunks are views.
  const frame = Buffer.from(w.toBuffer());
  return { api, apiKey: codec.key, version, variant, frame, lengths: w.lengths };
}

/**
 * Every generated request API and version: two raw samples and `aimedPerVersion` aimed ones
 * each. Combinations the encoder refuses (an aimed value a version cannot carry) are left out.
 */
export function buildFrameTemplates(seed: number, aimedPerVersion = 3): FrameTemplate[] {
  const next = rng(seed);
  const out: FrameTemplate[] = [];
  for (const [api, codec] of Object.entries(API_CODECS) as [ApiName, (typeof API_CODECS)[ApiName]][]) {
    const schema = MESSAGE_SCHEMAS.find((s) => s.name === `${api}Request`);
    if (schema === undefined) throw new Error(`no schema for ${api}Request`);
    for (let v = codec.minVersion; v <= codec.maxVersion; v++) {
      const full = buildSample(schema, v, 'full');
      out.push(encodeTemplate(api, v, 'full', full, 'fuzz-full'));
      out.push(encodeTemplate(api, v, 'nulls', buildSample(schema, v, 'nulls'), null));
      for (let i = 0; i < aimedPerVersion; i++) {
        const mode = i % 2 === 0 ? 'full' : 'nulls';
        const aimed = new Aimer(schema, next).struct(schema.name, buildSample(schema, v, mode));
        try {
          out.push(encodeTemplate(api, v, 'aimed', aimed, i === 0 ? null : `fuzz-${i}`));
        } catch {
          // An aimed value this version cannot carry (e.g. null where it is not nullable).
        }
      }
    }
  }
  return out;
}
