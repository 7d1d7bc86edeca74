/**
 * The generator on inline fixture specs (the real spec folder is not available at test time):
 * features the supported APIs do not use (commonStructs, nullable structs, float64, uint16/32,
 * field-level flexibleVersions, non-ignorable fields that disappear) are compiled and round-tripped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { Reader } from '../../server/kafka/protocol/reader';
import { Writer } from '../../server/kafka/protocol/writer';
import { ProtocolError } from '../../server/kafka/protocol/protocol-error';
import { emitMessageFile } from './emit-message';
import { buildMessageModel } from './model';
import { parseSpec } from './spec-loader';

const WIDGET = `// Licensed to nobody. A fixture.
{
  "apiKey": 900,
  "type": "request",
  "name": "WidgetRequest",
  "validVersions": "0-5",
  "flexibleVersions": "2+",
  "fields": [
    { "name": "Ratio", "type": "float64", "versions": "0+", "default": "1.5" },
    { "name": "Port", "type": "uint16", "versions": "0+" },
    { "name": "Big", "type": "uint32", "versions": "1+" },
    { "name": "Owner", "type": "Person", "versions": "0+", "nullableVersions": "1+" },
    { "name": "People", "type": "[]Person", "versions": "0+" },
    { "name": "Note", "type": "string", "versions": "0+", "flexibleVersions": "none",
      "about": "see http://example.com//x" }, // a comment after a field
    { "name": "Extra", "type": "int32", "versions": "3+", "taggedVersions": "3+", "tag": 4, "default": "-1" },
    { "name": "Label", "type": "string", "versions": "2+", "nullableVersions": "2+", "default": "null",
      "taggedVersions": "2+", "tag": 1 },
    { "name": "Gone", "type": "int64", "versions": "0-1", "ignorable": false },
    { "name": "Future", "type": "int8", "versions": "9+" }
  ],
  "commonStructs": [
    { "name": "Person", "versions": "0+", "fields": [
      { "name": "Name", "type": "string", "versions": "0+" },
      { "name": "Id", "type": "uuid", "versions": "2+" }
    ]}
  ]
}`;

const RUNTIME = fileURLToPath(new URL('../../server/kafka/protocol/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kafka-codegen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface WidgetModule {
  encodeWidgetRequest(w: Writer, msg: object, version: number): void;
  decodeWidgetRequest(r: Reader, version: number): Record<string, unknown>;
}

async function loadWidget(version = 5): Promise<WidgetModule> {
  const model = buildMessageModel(parseSpec(WIDGET, 'widget.json'), 0, version);
  const text = emitMessageFile(model).replace(
    /from '\.\.\/([a-z-]+)'/g,
    (_m, mod: string) => `from '${RUNTIME}${mod}.ts'`,
  );
  const file = join(dir, `widget-${version}.ts`);
  writeFileSync(file, text);
  return (await import(file)) as WidgetModule;
}

function roundTrip(
  mod: WidgetModule,
  msg: object,
  version: number,
): { bytes: Buffer; decoded: Record<string, unknown> } {
  const w = new Writer();
  mod.encodeWidgetRequest(w, msg, version);
  const bytes = w.toBuffer();
  const r = new Reader(bytes);
  const decoded = mod.decodeWidgetRequest(r, version);
  expect(r.remaining).toBe(0);
  return { bytes, decoded };
}

describe('kafka-codegen on a fixture spec', () => {
  it('is deterministic', () => {
    const a = emitMessageFile(buildMessageModel(parseSpec(WIDGET, 'w'), 0, 5));
    const b = emitMessageFile(buildMessageModel(parseSpec(WIDGET, 'w'), 0, 5));
    expect(a).toBe(b);
  });

  it('clamps the requested range to validVersions and drops fields outside it', () => {
    const model = buildMessageModel(parseSpec(WIDGET, 'w'), 0, 9);
    expect([model.minVersion, model.maxVersion]).toEqual([0, 5]);
    expect(model.clampNote).toMatch(/asked for 0-9/);
    expect(model.root.fields.map((f) => f.prop)).not.toContain('future');
    expect(emitMessageFile(model)).toMatch(/Note: asked for 0-9/);
  });

  it('emits code that type-checks under strict settings (noUncheckedIndexedAccess)', async () => {
    await loadWidget();
    const program = ts.createProgram([join(dir, 'widget-5.ts')], {
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [fileURLToPath(new URL('../../node_modules/@types', import.meta.url))],
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('v0 wire format: float64, uint16, non-nullable struct, int16 strings, no tagged section', async () => {
    const mod = await loadWidget();
    const msg = {
      ratio: 2.25,
      port: 65535,
      owner: { name: 'ann' },
      people: [{ name: 'bo' }],
      note: 'n',
      gone: 7n,
    };
    const { bytes, decoded } = roundTrip(mod, msg, 0);
    expect(bytes.toString('hex')).toBe(
      '4002000000000000' + 'ffff' + '0003616e6e' + '00000001' + '0002626f' + '00016e' + '0000000000000007',
    );
    expect(decoded).toMatchObject({ ...msg, big: 0, extra: -1, label: null });
    expect(() => roundTrip(mod, { ...msg, owner: null }, 0)).toThrow(ProtocolError);
  });

  it('v1: uint32 and a nullable struct (int8 marker)', async () => {
    const mod = await loadWidget();
    const msg = { ratio: 1.5, port: 1, big: 4_000_000_000, owner: null, people: [], note: '', gone: -1n };
    const { bytes, decoded } = roundTrip(mod, msg, 1);
    expect(bytes.subarray(10, 15).toString('hex')).toBe('ee6b2800' + 'ff');
    expect(decoded).toMatchObject(msg);
  });

  it('v3: compact strings except the field marked flexibleVersions none; tagged fields in tag order', async () => {
    const mod = await loadWidget();
    const id = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    const msg = {
      ratio: 1.5,
      port: 2,
      big: 3,
      owner: { name: 'a', id },
      people: [],
      note: 'xy',
      extra: 9,
      label: 'L',
      unknownTaggedFields: [{ tag: 2, data: Buffer.from([0xee]) }],
    };
    const { bytes, decoded } = roundTrip(mod, msg, 3);
    const tail = bytes.subarray(bytes.length - 18).toString('hex');
    // note: int16 length even though v3 is flexible; then 3 tagged fields: 1 (Label), 2 (unknown), 4 (Extra).
    expect(tail).toBe('0002' + '7879' + '03' + '0102024c' + '0201ee' + '040400000009');
    expect(decoded).toMatchObject({
      extra: 9,
      label: 'L',
      unknownTaggedFields: [{ tag: 2, data: Buffer.from([0xee]) }],
    });
    expect((decoded['owner'] as Record<string, unknown>)['id']).toBe(id);
  });

  it('refuses a non-default value for a non-ignorable field the version lacks', async () => {
    const mod = await loadWidget();
    const msg = { ratio: 1.5, port: 2, big: 3, owner: null, people: [], note: '' };
    expect(() => roundTrip(mod, { ...msg, gone: 5n }, 2)).toThrow(
      /Gone: non-default value cannot be sent at version 2/,
    );
    expect(roundTrip(mod, { ...msg, gone: 0n }, 2).decoded['gone']).toBe(0n);
  });

  it('reports spec errors clearly', () => {
    const bad =
      (fields: string): (() => unknown) =>
      () =>
        buildMessageModel(
          parseSpec(
            `{ "type": "request", "name": "BadRequest", "apiKey": 1, "validVersions": "0-3",
          "flexibleVersions": "2+", "fields": [ ${fields} ] }`,
            'bad',
          ),
          0,
          3,
        );
    expect(bad('{ "name": "A", "type": "Nope", "versions": "0+" }')).toThrow(/unknown type Nope/);
    expect(
      bad('{ "name": "A", "type": "int32", "versions": "0+", "taggedVersions": "0+", "tag": 0 }'),
    ).toThrow(/tagged in a non-flexible version/);
    expect(
      bad(
        '{ "name": "A", "type": "int32", "versions": "2+", "taggedVersions": "2+", "tag": 0 },' +
          '{ "name": "B", "type": "int32", "versions": "2+", "taggedVersions": "2+", "tag": 0 }',
      ),
    ).toThrow(/tag 0 already used/);
    expect(bad('{ "name": "A", "type": "int32", "versions": "0+", "nullableVersions": "0+" }')).toThrow(
      /cannot be nullable/,
    );
    expect(bad('{ "name": "A", "type": "int8", "versions": "0+", "default": "300" }')).toThrow(
      /out of range/,
    );
  });
});
