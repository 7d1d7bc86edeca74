import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A field as written in Kafka's JSON message specs. */
export interface RawField {
  readonly name: string;
  readonly type: string;
  readonly versions: string;
  readonly nullableVersions?: string;
  readonly taggedVersions?: string;
  readonly tag?: number;
  readonly default?: string | number | boolean;
  readonly ignorable?: boolean;
  readonly flexibleVersions?: string;
  readonly about?: string;
  readonly fields?: readonly RawField[];
}

export interface RawStruct {
  readonly name: string;
  readonly versions: string;
  readonly fields: readonly RawField[];
}

/** One spec file: a request, response or header. */
export interface RawMessageSpec {
  readonly name: string;
  readonly type: 'request' | 'response' | 'header' | 'data';
  readonly apiKey?: number;
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly fields: readonly RawField[];
  readonly commonStructs: readonly RawStruct[];
}

/**
 * Removes `//` line comments (the specs are JSON with comments), leaving `//` inside strings alone
 * (the "about" texts contain URLs).
 */
export function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: { [key: string]: Json }, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new Error(`${where}: "${key}" must be a string`);
  return v;
}

function optStr(o: { [key: string]: Json }, key: string, where: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, where);
}

function parseField(v: Json, where: string): RawField {
  if (!isObject(v)) throw new Error(`${where}: a field must be an object`);
  const name = str(v, 'name', where);
  const at = `${where}.${name}`;
  const tag = v['tag'];
  if (tag !== undefined && (typeof tag !== 'number' || !Number.isInteger(tag) || tag < 0)) {
    throw new Error(`${at}: "tag" must be a non-negative integer`);
  }
  const def = v['default'];
  if (def !== undefined && typeof def !== 'string' && typeof def !== 'number' && typeof def !== 'boolean') {
    throw new Error(`${at}: "default" must be a string, number or boolean`);
  }
  const ignorable = v['ignorable'];
  if (ignorable !== undefined && typeof ignorable !== 'boolean')
    throw new Error(`${at}: "ignorable" must be a boolean`);
  const fields = v['fields'];
  if (fields !== undefined && !Array.isArray(fields)) throw new Error(`${at}: "fields" must be an array`);
  return {
    name,
    type: str(v, 'type', at),
    versions: str(v, 'versions', at),
    nullableVersions: optStr(v, 'nullableVersions', at),
    taggedVersions: optStr(v, 'taggedVersions', at),
    tag,
    default: def,
    ignorable,
    flexibleVersions: optStr(v, 'flexibleVersions', at),
    about: optStr(v, 'about', at),
    fields: fields?.map((f) => parseField(f, at)),
  };
}

function parseFields(v: Json | undefined, where: string): RawField[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${where}: "fields" must be an array`);
  return v.map((f) => parseField(f, where));
}

/** Parses one spec file's text (comments allowed). */
export function parseSpec(text: string, where: string): RawMessageSpec {
  const json = JSON.parse(stripComments(text)) as Json;
  if (!isObject(json)) throw new Error(`${where}: the spec must be a JSON object`);
  const name = str(json, 'name', where);
  const type = str(json, 'type', where);
  if (type !== 'request' && type !== 'response' && type !== 'header' && type !== 'data') {
    throw new Error(`${where}: unknown spec type "${type}"`);
  }
  const apiKey = json['apiKey'];
  if (apiKey !== undefined && typeof apiKey !== 'number')
    throw new Error(`${where}: "apiKey" must be a number`);
  const common = json['commonStructs'];
  if (common !== undefined && !Array.isArray(common))
    throw new Error(`${where}: "commonStructs" must be an array`);
  return {
    name,
    type,
    apiKey,
    validVersions: str(json, 'validVersions', where),
    flexibleVersions: optStr(json, 'flexibleVersions', where) ?? 'none',
    fields: parseFields(json['fields'], name),
    commonStructs: (common ?? []).map((c) => {
      if (!isObject(c)) throw new Error(`${where}: a common struct must be an object`);
      const cname = str(c, 'name', where);
      return { name: cname, versions: str(c, 'versions', cname), fields: parseFields(c['fields'], cname) };
    }),
  };
}

/** Reads `<dir>/<name>.json`. */
export function loadSpec(dir: string, name: string): RawMessageSpec {
  const file = join(dir, `${name}.json`);
  return parseSpec(readFileSync(file, 'utf8'), file);
}
