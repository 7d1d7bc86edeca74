/**
 * TypeScript fragments for one field: its types, default value, read expression, write statement
 * and "is not the default" test. Shared by the type, decoder and encoder emitters.
 */
import type { DefaultValue, FieldModel, MessageModel, StructModel, TypeModel } from './model';
import { contains, isEmpty, versionCondition, type VersionSet } from './version-range';

/** Tracks what a generated file needs: runtime helpers and per-struct default/isDefault helpers. */
export class EmitContext {
  readonly runtime = new Set<string>();
  readonly taggedRuntime = new Set<string>();
  readonly errors = new Set<string>();
  readonly needDefault = new Set<StructModel>();
  readonly needIsDefault = new Set<StructModel>();

  constructor(readonly msg: MessageModel) {}

  /** The message-level `flexible` condition, e.g. `version >= 9`, or 'true' / 'false'. */
  get flexibleCond(): string {
    return versionCondition(this.msg.flexible, this.msg.versions);
  }

  rt(name: string): string {
    this.runtime.add(name);
    return name;
  }
}

const INT_METHOD: Readonly<Record<string, string>> = {
  int8: 'Int8',
  int16: 'Int16',
  uint16: 'UInt16',
  int32: 'Int32',
  uint32: 'UInt32',
  int64: 'Int64',
  float64: 'Float64',
  bool: 'Bool',
  uuid: 'Uuid',
};

/** The decoded (complete) TypeScript type of a value of `type`. */
export function decodedType(type: TypeModel): string {
  switch (type.kind) {
    case 'struct':
      return type.struct.specName;
    case 'array':
      return `${decodedType(type.element)}[]`;
    case 'primitive':
      switch (type.name) {
        case 'int64':
          return 'bigint';
        case 'bool':
          return 'boolean';
        case 'string':
        case 'uuid':
          return 'string';
        case 'bytes':
        case 'records':
          return 'Buffer';
        default:
          return 'number';
      }
  }
}

/** The type an encoder accepts for a value of `type`. */
export function inputType(type: TypeModel, ctx: EmitContext): string {
  switch (type.kind) {
    case 'struct':
      return `${type.struct.specName}Input`;
    case 'array':
      return `readonly ${inputType(type.element, ctx)}[]`;
    case 'primitive':
      if (type.name === 'records') return ctx.rt('RecordsInput');
      return decodedType(type);
  }
}

export function withNull(t: string, f: FieldModel): string {
  return isEmpty(f.nullable) ? t : `${t} | null`;
}

/** A fresh default value of a field (arrays and structs are new objects each time). */
export function defaultExpr(f: FieldModel, ctx: EmitContext): string {
  return defaultValueExpr(f.default, f.type, ctx);
}

function defaultValueExpr(d: DefaultValue, type: TypeModel, ctx: EmitContext): string {
  switch (d.kind) {
    case 'number':
      return Object.is(d.value, -0) ? '-0' : String(d.value);
    case 'bigint':
      return `${d.value}n`;
    case 'bool':
      return String(d.value);
    case 'string':
      return JSON.stringify(d.value);
    case 'uuid':
      return ctx.rt('ZERO_UUID');
    case 'null':
      return 'null';
    case 'empty':
      return type.kind === 'array' ? '[]' : ctx.rt('EMPTY_BYTES');
    case 'struct':
      if (type.kind !== 'struct') throw new Error('struct default on a non-struct');
      ctx.needDefault.add(type.struct);
      return `default${type.struct.specName}()`;
  }
}

/**
 * A condition that is true when `v` (known not to be undefined) differs from the field's default:
 * Kafka writes tagged fields, and refuses non-ignorable fields in versions lacking them, on this test.
 */
export function nonDefaultCond(f: FieldModel, v: string, ctx: EmitContext): string {
  const d = f.default;
  const nullable = !isEmpty(f.nullable);
  switch (d.kind) {
    case 'number':
    case 'bool':
    case 'string':
      return `${v} !== ${defaultValueExpr(d, f.type, ctx)}`;
    case 'bigint':
      return `${v} !== ${d.value}n`;
    case 'null':
      return `${v} !== null`;
    case 'uuid':
      return `!${ctx.rt('isZeroUuid')}(${v})`;
    case 'empty':
      return nullable ? `(${v} === null || ${v}.length !== 0)` : `${v}.length !== 0`;
    case 'struct': {
      if (f.type.kind !== 'struct') throw new Error('struct default on a non-struct');
      ctx.needIsDefault.add(f.type.struct);
      const call = `!isDefault${f.type.struct.specName}(${v})`;
      return nullable ? `(${v} === null || ${call})` : call;
    }
  }
}

/** The value of field `f` from encoder input `s`, with the default filled in when it is optional. */
export function inputValue(f: FieldModel, s: string, optional: boolean, ctx: EmitContext): string {
  return optional
    ? `(${s}.${f.prop} === undefined ? ${defaultExpr(f, ctx)} : ${s}.${f.prop})`
    : `${s}.${f.prop}`;
}

/** Smallest encoded size of a value (bounds array counts against the bytes left). */
export function minSize(
  type: TypeModel,
  compact: boolean,
  msg: MessageModel,
  seen = new Set<StructModel>(),
): number {
  switch (type.kind) {
    case 'array':
      return compact ? 1 : 4;
    case 'struct': {
      if (seen.has(type.struct)) return 0;
      seen.add(type.struct);
      let best = Infinity;
      const top = msg.maxVersion;
      for (let v = msg.minVersion; v <= top; v++) {
        let size = contains(msg.flexible, v) ? 1 : 0;
        for (const f of type.struct.fields) {
          if (!contains(f.versions, v) || contains(f.tagged, v)) continue;
          size += minSize(f.type, contains(f.flexible, v), msg, seen);
        }
        best = Math.min(best, size);
      }
      seen.delete(type.struct);
      return best === Infinity ? 0 : best;
    }
    case 'primitive':
      switch (type.name) {
        case 'int8':
        case 'bool':
          return 1;
        case 'int16':
        case 'uint16':
          return 2;
        case 'int32':
        case 'uint32':
          return 4;
        case 'int64':
        case 'float64':
          return 8;
        case 'uuid':
          return 16;
        case 'string':
          return compact ? 1 : 2;
        case 'bytes':
        case 'records':
          return compact ? 1 : 4;
      }
  }
}

/** How a field is read or written in a given set of versions. */
export interface FieldSite {
  readonly field: FieldModel;
  /** Versions in which this code runs (the surrounding `if`). */
  readonly within: VersionSet;
  /** 'true', 'false', 'flexible' or a version test. */
  readonly compact: string;
  /** 'true', 'false' or a version test. */
  readonly nullAllowed: string;
}

export function site(f: FieldModel, within: VersionSet, ctx: EmitContext): FieldSite {
  let compact = versionCondition(f.flexible, within);
  if (compact !== 'true' && compact !== 'false' && compact === ctx.flexibleCond) compact = 'flexible';
  return { field: f, within, compact, nullAllowed: versionCondition(f.nullable, within) };
}

function compactIsConstant(s: FieldSite): boolean | undefined {
  return s.compact === 'true' ? true : s.compact === 'false' ? false : undefined;
}

/** An expression reading the field's value from reader `r`. */
export function readExpr(s: FieldSite, r: string, ctx: EmitContext): string {
  return readTypeExpr(s.field.type, s, r, ctx, true);
}

function readTypeExpr(type: TypeModel, s: FieldSite, r: string, ctx: EmitContext, top: boolean): string {
  const p = JSON.stringify(s.field.path);
  const nul = top ? s.nullAllowed : 'false';
  const pick = (nullable: string, plain: string): string =>
    nul === 'true' ? nullable : nul === 'false' ? plain : `(${nul} ? ${nullable} : ${plain})`;
  switch (type.kind) {
    case 'primitive': {
      const m = INT_METHOD[type.name];
      if (m) return `${r}.read${m}(${p})`;
      const kind = type.name === 'string' ? 'String' : 'Bytes';
      return pick(`${r}.readNullable${kind}(${p}, ${s.compact})`, `${r}.read${kind}(${p}, ${s.compact})`);
    }
    case 'struct': {
      // The int8 presence marker exists only in the versions where the struct is nullable.
      const call = `read${type.struct.specName}(${r}, version)`;
      if (nul === 'false') return call;
      const nullable = `${ctx.rt('readNullableStruct')}(${r}, ${p}, (sr) => read${type.struct.specName}(sr, version))`;
      return nul === 'true' ? nullable : `(${nul} ? ${nullable} : ${call})`;
    }
    case 'array': {
      const c = compactIsConstant(s);
      const min =
        c === undefined
          ? Math.min(minSize(type.element, true, ctx.msg), minSize(type.element, false, ctx.msg))
          : minSize(type.element, c, ctx.msg);
      const elem = `(er) => ${readTypeExpr(type.element, s, 'er', ctx, false)}`;
      if (nul === 'false') return `${ctx.rt('readArray')}(${r}, ${p}, ${s.compact}, ${min}, ${elem})`;
      return `${ctx.rt('readNullableArray')}(${r}, ${p}, ${s.compact}, ${min}, ${nul}, ${elem})`;
    }
  }
}

/** A statement writing value `v` of the field with writer `w`. */
export function writeStmt(s: FieldSite, w: string, v: string, ctx: EmitContext): string {
  return writeTypeStmt(s.field.type, s, w, v, ctx, true);
}

function writeTypeStmt(
  type: TypeModel,
  s: FieldSite,
  w: string,
  v: string,
  ctx: EmitContext,
  top: boolean,
): string {
  const p = JSON.stringify(s.field.path);
  const nul = top ? s.nullAllowed : 'false';
  const nullable = top && !isEmpty(s.field.nullable);
  // A field nullable in other versions but not in these: null must be refused, not written.
  const checked =
    nul === 'true' || !nullable
      ? v
      : nul === 'false'
        ? `${ctx.rt('nonNull')}(${v}, ${p})`
        : `(${nul} ? ${v} : ${ctx.rt('nonNull')}(${v}, ${p}))`;
  switch (type.kind) {
    case 'primitive': {
      const m = INT_METHOD[type.name];
      if (type.name === 'uuid') return `${w}.writeUuid(${v}, ${p});`;
      if (m) return `${w}.write${m}(${v});`;
      if (type.name === 'records') {
        return nullable
          ? `${w}.writeRecords(${checked}, ${s.compact});`
          : `${w}.writeRecords(${v}, ${s.compact});`;
      }
      const kind = type.name === 'string' ? 'String' : 'Bytes';
      if (!nullable) return `${w}.write${kind}(${v}, ${s.compact});`;
      if (nul === 'false') return `${w}.write${kind}(${checked}, ${s.compact});`;
      return `${w}.writeNullable${kind}(${checked}, ${s.compact});`;
    }
    case 'struct': {
      const name = type.struct.specName;
      if (!nullable) return `write${name}(${w}, ${v}, version);`;
      if (nul === 'false') return `write${name}(${w}, ${checked}, version);`;
      const nullableWrite = `${ctx.rt('writeNullableStruct')}(${w}, ${v}, (sw, sv) => write${name}(sw, sv, version))`;
      if (nul === 'true') return `${nullableWrite};`;
      return `${nul} ? ${nullableWrite} : write${name}(${w}, ${ctx.rt('nonNull')}(${v}, ${p}), version);`;
    }
    case 'array': {
      const elem = `(ew, e) => ${writeTypeStmt(type.element, s, 'ew', 'e', ctx, false).replace(/;$/, '')}`;
      if (!nullable) return `${ctx.rt('writeArray')}(${w}, ${v}, ${s.compact}, ${elem});`;
      if (nul === 'false') return `${ctx.rt('writeArray')}(${w}, ${checked}, ${s.compact}, ${elem});`;
      return `${ctx.rt('writeNullableArray')}(${w}, ${checked}, ${s.compact}, ${elem});`;
    }
  }
}
