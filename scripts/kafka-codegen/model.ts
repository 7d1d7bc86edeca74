/**
 * The type model the emitters work from: a spec resolved against the version range being
 * generated. Fields that exist in none of the generated versions are dropped, version sets are
 * clipped to the range, struct types (inline or commonStructs) are resolved, defaults are parsed.
 */
import type { RawField, RawMessageSpec, RawStruct } from './spec-loader';
import { camelCase, kebabCase, RESERVED_TYPE_NAMES } from './naming';
import { intersect, isEmpty, lowest, parseVersions, range, subtract, type VersionSet } from './version-range';

export type Primitive =
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'string'
  | 'uuid'
  | 'bytes'
  | 'records';

const PRIMITIVES: ReadonlySet<string> = new Set<Primitive>([
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'bool',
  'string',
  'uuid',
  'bytes',
  'records',
]);

export type TypeModel =
  | { readonly kind: 'primitive'; readonly name: Primitive }
  | { readonly kind: 'array'; readonly element: TypeModel }
  | { readonly kind: 'struct'; readonly struct: StructModel };

/** A field's default: a scalar literal, null, an empty array/bytes, or the struct of defaults. */
export type DefaultValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bigint'; readonly value: bigint }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'null' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'struct' };

export interface FieldModel {
  readonly specName: string;
  readonly prop: string;
  /** Dotted path for error messages, e.g. ProduceRequest.TopicData.Name. */
  readonly path: string;
  readonly about: string;
  readonly type: TypeModel;
  readonly versions: VersionSet;
  readonly nullable: VersionSet;
  readonly tagged: VersionSet;
  readonly tag: number | undefined;
  readonly default: DefaultValue;
  /** True when the spec gave a default explicitly. */
  readonly explicitDefault: boolean;
  readonly ignorable: boolean;
  /** Versions in which strings/bytes/arrays of this field use compact encodings. */
  readonly flexible: VersionSet;
}

export interface StructModel {
  readonly specName: string;
  readonly path: string;
  readonly fields: FieldModel[];
}

export interface MessageModel {
  readonly specName: string;
  /** Spec name without Request/Response, e.g. "Produce"; the header name for headers. */
  readonly apiName: string;
  readonly kind: 'request' | 'response' | 'header';
  readonly apiKey: number | undefined;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly versions: VersionSet;
  readonly flexible: VersionSet;
  readonly root: StructModel;
  /** Every nested struct, in order of first use. */
  readonly structs: StructModel[];
  readonly fileBase: string;
  /** Messages clamped to the spec's validVersions say so here. */
  readonly clampNote: string | undefined;
}

export function buildMessageModel(spec: RawMessageSpec, wantMin: number, wantMax: number): MessageModel {
  if (spec.type === 'data') throw new Error(`${spec.name}: "data" specs are not messages`);
  const valid = parseVersions(spec.validVersions, spec.name);
  const versions = intersect(valid, range(wantMin, wantMax));
  if (isEmpty(versions) || versions.length !== 1) {
    throw new Error(
      `${spec.name}: no contiguous versions in ${wantMin}-${wantMax} (spec: ${spec.validVersions})`,
    );
  }
  const minVersion = lowest(versions);
  const maxVersion = (versions[0] as { hi: number }).hi;
  const clampNote =
    minVersion !== wantMin || maxVersion !== wantMax
      ? `asked for ${wantMin}-${wantMax}, spec defines ${spec.validVersions}: generated ${minVersion}-${maxVersion}`
      : undefined;
  const flexible = intersect(parseVersions(spec.flexibleVersions, spec.name), versions);
  const common = new Map<string, RawStruct>(spec.commonStructs.map((s) => [s.name, s]));
  const structs: StructModel[] = [];
  const byName = new Map<string, StructModel>();

  const defineStruct = (name: string, rawFields: readonly RawField[], path: string): StructModel => {
    if (byName.has(name)) throw new Error(`${path}: struct ${name} is defined twice`);
    if (name === spec.name || RESERVED_TYPE_NAMES.has(name) || name.endsWith('Input')) {
      throw new Error(`${path}: struct name ${name} clashes with a generated name`);
    }
    const fields: FieldModel[] = [];
    const model: StructModel = { specName: name, path, fields };
    byName.set(name, model);
    structs.push(model);
    fields.push(...buildFields(rawFields, path));
    return model;
  };

  const resolveType = (raw: RawField, path: string): TypeModel => {
    const isArray = raw.type.startsWith('[]');
    const base = isArray ? raw.type.slice(2) : raw.type;
    let element: TypeModel;
    if (PRIMITIVES.has(base)) {
      if (raw.fields) throw new Error(`${path}: primitive type ${base} cannot have fields`);
      element = { kind: 'primitive', name: base as Primitive };
    } else if (raw.fields) {
      element = { kind: 'struct', struct: defineStruct(base, raw.fields, path) };
    } else {
      const existing = byName.get(base);
      const c = common.get(base);
      if (existing) element = { kind: 'struct', struct: existing };
      else if (c) element = { kind: 'struct', struct: defineStruct(base, c.fields, path) };
      else throw new Error(`${path}: unknown type ${raw.type}`);
    }
    if (isArray && element.kind === 'primitive' && element.name === 'records') {
      throw new Error(`${path}: arrays of records are not supported`);
    }
    return isArray ? { kind: 'array', element } : element;
  };

  const buildFields = (rawFields: readonly RawField[], parentPath: string): FieldModel[] => {
    const out: FieldModel[] = [];
    const seenTags = new Map<number, string>();
    for (const raw of rawFields) {
      const path = `${parentPath}.${raw.name}`;
      const fieldVersions = intersect(parseVersions(raw.versions, path), versions);
      if (isEmpty(fieldVersions)) continue;
      const type = resolveType(raw, path);
      const nullable = intersect(parseVersions(raw.nullableVersions, path), fieldVersions);
      const tagged = intersect(parseVersions(raw.taggedVersions, path), fieldVersions);
      if (!isEmpty(tagged)) {
        if (raw.tag === undefined) throw new Error(`${path}: taggedVersions without a tag`);
        if (!isEmpty(subtract(tagged, flexible))) {
          throw new Error(`${path}: tagged in a non-flexible version`);
        }
        const other = seenTags.get(raw.tag);
        if (other) throw new Error(`${path}: tag ${raw.tag} already used by ${other}`);
        seenTags.set(raw.tag, path);
      }
      if (!isEmpty(nullable) && !nullableKind(type)) {
        throw new Error(`${path}: type ${raw.type} cannot be nullable`);
      }
      const fieldFlexible =
        raw.flexibleVersions === undefined
          ? flexible
          : intersect(parseVersions(raw.flexibleVersions, path), fieldVersions);
      out.push({
        specName: raw.name,
        prop: camelCase(raw.name),
        path,
        about: raw.about ?? '',
        type,
        versions: fieldVersions,
        nullable,
        tagged,
        tag: isEmpty(tagged) ? undefined : raw.tag,
        default: parseDefault(raw, type, !isEmpty(nullable), path),
        explicitDefault: raw.default !== undefined,
        ignorable: raw.ignorable === true,
        flexible: fieldFlexible,
      });
    }
    const props = new Set<string>();
    for (const f of out) {
      if (props.has(f.prop) || f.prop === 'unknownTaggedFields')
        throw new Error(`${f.path}: duplicate property`);
      props.add(f.prop);
    }
    return out;
  };

  const root: StructModel = { specName: spec.name, path: spec.name, fields: [] };
  root.fields.push(...buildFields(spec.fields, spec.name));
  const apiName = spec.type === 'header' ? spec.name : spec.name.replace(/(Request|Response)$/, '');
  return {
    specName: spec.name,
    apiName,
    kind: spec.type,
    apiKey: spec.apiKey,
    minVersion,
    maxVersion,
    versions,
    flexible,
    root,
    structs,
    fileBase: kebabCase(spec.name),
    clampNote,
  };
}

function nullableKind(type: TypeModel): boolean {
  if (type.kind !== 'primitive') return true;
  return type.name === 'string' || type.name === 'bytes' || type.name === 'records';
}

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function parseIntText(text: string, path: string): bigint {
  const m = /^(-?)(0x[0-9a-fA-F]+|\d+)$/.exec(text.trim());
  if (!m) throw new Error(`${path}: bad integer default "${text}"`);
  const v = BigInt(m[2] as string);
  return m[1] === '-' ? -v : v;
}

function parseDefault(raw: RawField, type: TypeModel, nullable: boolean, path: string): DefaultValue {
  const d = raw.default;
  if (d === 'null') {
    if (!nullable) throw new Error(`${path}: default null on a non-nullable field`);
    return { kind: 'null' };
  }
  if (type.kind === 'array') {
    if (d !== undefined) throw new Error(`${path}: arrays only take a null default`);
    return { kind: 'empty' };
  }
  if (type.kind === 'struct') {
    if (d !== undefined) throw new Error(`${path}: structs only take a null default`);
    return { kind: 'struct' };
  }
  const t = type.name;
  const text = d === undefined ? undefined : String(d);
  switch (t) {
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32': {
      const v = text === undefined ? 0n : parseIntText(text, path);
      const [lo, hi] = INT_RANGES[t] as readonly [number, number];
      // Kafka writes int32 bit patterns such as 0x80000000 as hex; keep them in the signed range.
      let n = Number(v);
      if (t === 'int32' && n > hi && n <= 0xffffffff) n -= 2 ** 32;
      if (n < lo || n > hi) throw new Error(`${path}: default ${text} out of range for ${t}`);
      return { kind: 'number', value: n };
    }
    case 'int64': {
      const v = text === undefined ? 0n : parseIntText(text, path);
      return { kind: 'bigint', value: BigInt.asIntN(64, v) };
    }
    case 'float64': {
      const v = text === undefined ? 0 : Number(text);
      if (Number.isNaN(v) && text !== 'NaN') throw new Error(`${path}: bad float default "${text}"`);
      return { kind: 'number', value: v };
    }
    case 'bool':
      if (text === undefined || text === 'false') return { kind: 'bool', value: false };
      if (text === 'true') return { kind: 'bool', value: true };
      throw new Error(`${path}: bad bool default "${text}"`);
    case 'string':
      return { kind: 'string', value: text ?? '' };
    case 'uuid':
      if (text !== undefined) throw new Error(`${path}: uuid defaults are not supported`);
      return { kind: 'uuid' };
    case 'bytes':
      if (text !== undefined) throw new Error(`${path}: bytes defaults other than null are not supported`);
      return { kind: 'empty' };
    case 'records':
      if (text !== undefined) throw new Error(`${path}: records defaults other than null are not supported`);
      if (!nullable) return { kind: 'empty' };
      return { kind: 'null' };
  }
}

/** Structs reachable from a type (for walking). */
export function structOf(type: TypeModel): StructModel | undefined {
  if (type.kind === 'struct') return type.struct;
  if (type.kind === 'array') return structOf(type.element);
  return undefined;
}
