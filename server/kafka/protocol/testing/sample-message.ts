/**
 * Test support: builds sample messages from the generated field model (generated/schema.ts), so
 * that round-trip tests cover every field of every version without hand-written fixtures.
 *
 * - 'full': every field present in the version holds a non-default value (tagged fields included,
 *   so they are written), and flexible structs carry two unknown tagged fields.
 * - 'nulls': nullable fields are null, arrays empty, everything else non-default.
 * Fields the version lacks hold their default, which is what the decoder fills in.
 */
import type {
  DefaultSchema,
  FieldSchema,
  MessageSchema,
  TypeSchema,
  VersionRanges,
} from '../generated/schema';

export type SampleMode = 'full' | 'nulls';
export type Sample = { [key: string]: unknown };

function inRanges(r: VersionRanges, v: number): boolean {
  return r.some(([lo, hi]) => v >= lo && v <= hi);
}

/** Records bytes: opaque to the codec; large enough to take the writer's zero-copy path. */
export function sampleRecords(seed: number, size = 600): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}

function uuidFor(seed: number): string {
  const hex = (seed * 2654435761 + 0x9e3779b9).toString(16).padStart(8, '0').slice(-8);
  return `${hex}-1234-4abc-8def-${hex}abcd`;
}

export class SampleBuilder {
  private seed = 1;

  constructor(
    private readonly schema: MessageSchema,
    private readonly version: number,
    private readonly mode: SampleMode,
  ) {}

  private get flexible(): boolean {
    return inRanges(this.schema.flexible, this.version);
  }

  build(): Sample {
    return this.struct(this.schema.name);
  }

  private fields(name: string): readonly FieldSchema[] {
    const fields = this.schema.structs[name];
    if (!fields) throw new Error(`no struct ${name} in ${this.schema.name}`);
    return fields;
  }

  struct(name: string): Sample {
    const out: Sample = {};
    for (const f of this.fields(name)) {
      out[f.name] = inRanges(f.versions, this.version) ? this.value(f) : this.defaultOf(f.type, f.default);
    }
    if (this.flexible && this.mode === 'full') {
      out['unknownTaggedFields'] = [
        { tag: 40, data: Buffer.from([1, 2, 3]) },
        { tag: 1000, data: Buffer.alloc(0) },
      ];
    }
    return out;
  }

  /** The value a decoder produces for a field the version lacks. */
  defaultOf(type: TypeSchema, d: DefaultSchema): unknown {
    switch (d.kind) {
      case 'value':
        return d.value;
      case 'uuid':
        return '00000000-0000-0000-0000-000000000000';
      case 'empty':
        return type.kind === 'array' ? [] : Buffer.alloc(0);
      case 'struct': {
        if (type.kind !== 'struct') throw new Error('struct default on a non-struct');
        const out: Sample = {};
        for (const f of this.fields(type.struct)) out[f.name] = this.defaultOf(f.type, f.default);
        return out;
      }
    }
  }

  private value(f: FieldSchema): unknown {
    const nullable = inRanges(f.nullable, this.version);
    if (this.mode === 'nulls') {
      if (nullable) return null;
      if (f.type.kind === 'array') return [];
    }
    return this.nonDefault(f.type, f.default);
  }

  private nonDefault(type: TypeSchema, d: DefaultSchema): unknown {
    const k = this.seed++;
    const avoid = d.kind === 'value' ? d.value : undefined;
    const pick = <T>(a: T, b: T): T => (a === avoid ? b : a);
    switch (type.kind) {
      case 'array': {
        const n = type.element.kind === 'struct' ? 2 : 3;
        return Array.from({ length: n }, () => this.nonDefault(type.element, { kind: 'empty' }));
      }
      case 'struct':
        return this.struct(type.struct);
      case 'primitive':
        switch (type.name) {
          case 'int8':
            return pick(3 + (k % 100), 120);
          case 'int16':
            return pick(300 + k, -300 - k);
          case 'uint16':
            return pick(40000 + k, 1);
          case 'int32':
            return pick(70000 + k * 3, -70000 - k);
          case 'uint32':
            return pick(3_000_000_000 + k, 1);
          case 'int64':
            return pick(2n ** 40n + BigInt(k), -(2n ** 40n));
          case 'float64':
            return pick(k + 0.25, -1.5);
          case 'bool':
            return avoid === undefined ? true : !avoid;
          case 'string':
            return pick(`s${k}-é-✓`, `t${k}`);
          case 'uuid':
            return uuidFor(k);
          case 'bytes':
            return Buffer.from([k & 0xff, 0, 255, 7]);
          case 'records':
            return sampleRecords(k);
        }
    }
  }
}

export function buildSample(schema: MessageSchema, version: number, mode: SampleMode): Sample {
  return new SampleBuilder(schema, version, mode).build();
}
