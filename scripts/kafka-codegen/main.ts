/**
 * Kafka protocol code generator.
 *
 *   npx tsx scripts/kafka-codegen/main.ts <spec-dir> <out-dir>      (npm run codegen)
 *
 * Reads Kafka's JSON message specs for the supported APIs (supported-apis.ts) and writes one
 * TypeScript codec file per message, the headers, `index.ts` and `schema.ts` into <out-dir>.
 * The output depends only on the specs and this generator (no dates, sorted tables), so running it
 * twice gives identical files; stale generated files in <out-dir> are removed.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { emitIndexFile, type ApiPair } from './emit-index';
import { GENERATED_BANNER, emitMessageFile } from './emit-message';
import { emitSchemaFile } from './emit-schema';
import { buildMessageModel, type MessageModel } from './model';
import { loadSpec } from './spec-loader';
import { HEADER_SPECS, SUPPORTED_APIS } from './supported-apis';

export interface GeneratedFile {
  readonly name: string;
  readonly text: string;
}

/** Builds every output file in memory (also used by the generator's tests). */
export function generate(loader: (specName: string) => ReturnType<typeof loadSpec>): {
  files: GeneratedFile[];
  notes: string[];
} {
  const notes: string[] = [];
  const headers: MessageModel[] = HEADER_SPECS.map((name) => {
    const spec = loader(name);
    const all = spec.validVersions.match(/\d+/g)?.map(Number) ?? [0];
    return buildMessageModel(spec, Math.min(...all), Math.max(...all));
  });
  const apis: ApiPair[] = SUPPORTED_APIS.map((api) => {
    const request = buildMessageModel(loader(`${api.name}Request`), api.minVersion, api.maxVersion);
    const response = buildMessageModel(loader(`${api.name}Response`), api.minVersion, api.maxVersion);
    if (request.apiKey === undefined || request.apiKey !== response.apiKey) {
      throw new Error(`${api.name}: request and response disagree on the API key`);
    }
    if (request.minVersion !== response.minVersion || request.maxVersion !== response.maxVersion) {
      throw new Error(`${api.name}: request and response version ranges differ`);
    }
    if (request.clampNote) notes.push(`${api.name}: ${request.clampNote}`);
    return { request, response };
  });
  const messages = [...headers, ...apis.flatMap((a) => [a.request, a.response])];
  const files: GeneratedFile[] = messages.map((m) => ({
    name: `${m.fileBase}.ts`,
    text: emitMessageFile(m),
  }));
  files.push({ name: 'index.ts', text: emitIndexFile(apis, headers) });
  files.push({ name: 'schema.ts', text: emitSchemaFile(messages) });
  return { files, notes };
}

/** Formats generated code with the repository's Prettier settings, so that it reads like code. */
async function prettify(file: string, text: string): Promise<string> {
  const options = (await resolveConfig(file)) ?? {};
  return format(text, { ...options, filepath: file });
}

async function main(argv: readonly string[]): Promise<void> {
  const [specDir, outDir] = argv;
  if (!specDir || !outDir) {
    console.error('usage: tsx scripts/kafka-codegen/main.ts <spec-dir> <out-dir>');
    process.exit(2);
  }
  const { files, notes } = generate((name) => loadSpec(specDir, name));
  mkdirSync(outDir, { recursive: true });
  const keep = new Set(files.map((f) => f.name));
  for (const existing of readdirSync(outDir)) {
    if (!existing.endsWith('.ts') || keep.has(existing)) continue;
    const path = join(outDir, existing);
    if (readFileSync(path, 'utf8').startsWith(GENERATED_BANNER)) rmSync(path);
  }
  for (const f of files) {
    const path = join(outDir, f.name);
    writeFileSync(path, await prettify(path, f.text));
  }
  for (const n of notes) console.log(`note: ${n}`);
  console.log(`kafka-codegen: wrote ${files.length} files to ${outDir}`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
