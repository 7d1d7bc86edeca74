/**
 * Emits `generated/schema.ts`: the field model of every generated message as data (names, types,
 * version sets, defaults). Nothing on the broker's hot path uses it; tests derive sample messages
 * from it, and tools can describe messages with it, without reading the spec folder.
 */
import { GENERATED_BANNER } from './emit-message';
import type { DefaultValue, FieldModel, MessageModel, TypeModel } from './model';
import type { VersionSet } from './version-range';

const PRELUDE = `/** Inclusive version ranges, clipped to the generated range. */
export type VersionRanges = readonly (readonly [number, number])[];

export type TypeSchema =
  | { readonly kind: 'primitive'; readonly name: PrimitiveName }
  | { readonly kind: 'array'; readonly element: TypeSchema }
  | { readonly kind: 'struct'; readonly struct: string };

export type PrimitiveName =
  | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'float64'
  | 'bool' | 'string' | 'uuid' | 'bytes' | 'records';

/** 'value': a literal; 'empty': [] or an empty buffer; 'uuid': the zero UUID; 'struct': the struct of defaults. */
export type DefaultSchema =
  | { readonly kind: 'value'; readonly value: number | bigint | boolean | string | null }
  | { readonly kind: 'empty' | 'uuid' | 'struct' };

export interface FieldSchema {
  readonly name: string;
  readonly type: TypeSchema;
  readonly versions: VersionRanges;
  readonly nullable: VersionRanges;
  readonly tagged: VersionRanges;
  readonly tag: number | null;
  readonly default: DefaultSchema;
  readonly ignorable: boolean;
}

export interface MessageSchema {
  readonly name: string;
  readonly kind: 'request' | 'response' | 'header';
  readonly apiKey: number | null;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly flexible: VersionRanges;
  /** Struct name → fields; the message itself is the struct named \`name\`. */
  readonly structs: Readonly<Record<string, readonly FieldSchema[]>>;
}
`;

function ranges(s: VersionSet, max: number): string {
  return `[${s.map((i) => `[${i.lo}, ${Math.min(i.hi, max)}]`).join(', ')}]`;
}

function typeSchema(t: TypeModel): string {
  switch (t.kind) {
    case 'primitive':
      return `{ kind: 'primitive', name: '${t.name}' }`;
    case 'array':
      return `{ kind: 'array', element: ${typeSchema(t.element)} }`;
    case 'struct':
      return `{ kind: 'struct', struct: '${t.struct.specName}' }`;
  }
}

function defaultSchema(d: DefaultValue): string {
  switch (d.kind) {
    case 'number':
      return `{ kind: 'value', value: ${d.value} }`;
    case 'bigint':
      return `{ kind: 'value', value: ${d.value}n }`;
    case 'bool':
      return `{ kind: 'value', value: ${d.value} }`;
    case 'string':
      return `{ kind: 'value', value: ${JSON.stringify(d.value)} }`;
    case 'null':
      return `{ kind: 'value', value: null }`;
    case 'empty':
    case 'uuid':
    case 'struct':
      return `{ kind: '${d.kind}' }`;
  }
}

function fieldSchema(f: FieldModel, max: number): string {
  return (
    `{ name: '${f.prop}', type: ${typeSchema(f.type)}, versions: ${ranges(f.versions, max)}, ` +
    `nullable: ${ranges(f.nullable, max)}, tagged: ${ranges(f.tagged, max)}, tag: ${f.tag ?? 'null'}, ` +
    `default: ${defaultSchema(f.default)}, ignorable: ${f.ignorable} },`
  );
}

export function emitSchemaFile(messages: readonly MessageModel[]): string {
  const lines: string[] = [GENERATED_BANNER, '// npm run codegen', '', PRELUDE];
  lines.push('export const MESSAGE_SCHEMAS: readonly MessageSchema[] = [');
  for (const m of messages) {
    lines.push('  {');
    lines.push(`    name: '${m.specName}',`);
    lines.push(`    kind: '${m.kind}',`);
    lines.push(`    apiKey: ${m.apiKey ?? 'null'},`);
    lines.push(`    minVersion: ${m.minVersion},`);
    lines.push(`    maxVersion: ${m.maxVersion},`);
    lines.push(`    flexible: ${ranges(m.flexible, m.maxVersion)},`);
    lines.push('    structs: {');
    for (const st of [m.root, ...m.structs]) {
      lines.push(`      ${st.specName}: [`);
      for (const f of st.fields) lines.push(`        ${fieldSchema(f, m.maxVersion)}`);
      lines.push('      ],');
    }
    lines.push('    },');
    lines.push('  },');
  }
  lines.push('];');
  return lines.join('\n') + '\n';
}
