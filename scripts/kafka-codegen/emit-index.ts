/**
 * Emits `generated/index.ts`: the API_KEYS table, header-version rules, the codec table and
 * re-exports of every message's top-level types and functions.
 */
import { CodeWriter } from './code-writer';
import { GENERATED_BANNER } from './emit-message';
import type { MessageModel } from './model';
import { isEmpty, lowest } from './version-range';

export interface ApiPair {
  readonly request: MessageModel;
  readonly response: MessageModel;
}

function flexibleFrom(m: MessageModel): string {
  return isEmpty(m.flexible) ? 'null' : String(lowest(m.flexible));
}

export function emitIndexFile(apis: readonly ApiPair[], headers: readonly MessageModel[]): string {
  const out = new CodeWriter();
  const sorted = [...apis].sort((a, b) => (a.request.apiKey ?? 0) - (b.request.apiKey ?? 0));
  out.line(GENERATED_BANNER);
  out.line('// npm run codegen');
  out.line();
  for (const m of [...headers, ...sorted.flatMap((a) => [a.request, a.response])]) {
    const n = m.specName;
    out.line(`import { decode${n}, encode${n} } from './${m.fileBase}';`);
  }
  out.line();
  for (const m of [...headers, ...sorted.flatMap((a) => [a.request, a.response])]) {
    const n = m.specName;
    out.line(`export { decode${n}, encode${n}, type ${n}, type ${n}Input } from './${m.fileBase}';`);
  }
  out.line();
  out.doc('Kafka API keys of the APIs Sluice serves.');
  out.block(
    'export const ApiKey =',
    () => {
      for (const a of sorted) out.line(`${a.request.apiName}: ${a.request.apiKey},`);
    },
    ' as const;',
  );
  out.line();
  out.line('export type ApiName = keyof typeof ApiKey;');
  out.line();
  out.block('export interface ApiKeyInfo', () => {
    out.line('readonly name: ApiName;');
    out.line('readonly key: number;');
    out.doc('Versions Sluice advertises and has codecs for.');
    out.line('readonly minVersion: number;');
    out.line('readonly maxVersion: number;');
    out.doc('First flexible (KIP-482) version of the request / response, or null if none is.');
    out.line('readonly requestFlexibleFrom: number | null;');
    out.line('readonly responseFlexibleFrom: number | null;');
  });
  out.line();
  out.doc('One entry per supported API, by API key.');
  out.list(
    'export const API_KEYS: readonly ApiKeyInfo[] =',
    () => {
      for (const a of sorted) {
        const r = a.request;
        out.line(
          `{ name: '${r.apiName}', key: ${r.apiKey}, minVersion: ${r.minVersion}, maxVersion: ${r.maxVersion}, ` +
            `requestFlexibleFrom: ${flexibleFrom(r)}, responseFlexibleFrom: ${flexibleFrom(a.response)} },`,
        );
      }
    },
    ';',
  );
  out.line();
  out.line('const BY_KEY: ReadonlyMap<number, ApiKeyInfo> = new Map(API_KEYS.map((a) => [a.key, a]));');
  out.line();
  out.block('export function apiKeyInfo(key: number): ApiKeyInfo | undefined', () =>
    out.line('return BY_KEY.get(key);'),
  );
  out.line();
  out.doc(
    "Request header version: 2 (flexible) from the API's first flexible request version, even past the " +
      'supported maximum (a newer ApiVersions request must still be parsed); else 1. Unknown APIs: 1.',
  );
  out.block('export function requestHeaderVersion(apiKey: number, apiVersion: number): 1 | 2', () => {
    out.line('const from = BY_KEY.get(apiKey)?.requestFlexibleFrom;');
    out.line('return from !== undefined && from !== null && apiVersion >= from ? 2 : 1;');
  });
  out.line();
  out.doc(
    'Response header version: 1 (flexible) for flexible responses, except ApiVersions, whose response ' +
      'always uses header v0 so that a client can read it whatever version it asked for.',
  );
  out.block('export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1', () => {
    out.line('if (apiKey === ApiKey.ApiVersions) return 0;');
    out.line('const from = BY_KEY.get(apiKey)?.responseFlexibleFrom;');
    out.line('return from !== undefined && from !== null && apiVersion >= from ? 1 : 0;');
  });
  out.line();
  out.doc('Encoders and decoders of every supported API, by name (for dispatch tables and tests).');
  out.block(
    'export const API_CODECS =',
    () => {
      for (const a of sorted) {
        const q = a.request.specName;
        const p = a.response.specName;
        out.block(
          `${a.request.apiName}:`,
          () => {
            out.line(`key: ${a.request.apiKey},`);
            out.line(`minVersion: ${a.request.minVersion},`);
            out.line(`maxVersion: ${a.request.maxVersion},`);
            out.line(`decodeRequest: decode${q},`);
            out.line(`encodeRequest: encode${q},`);
            out.line(`decodeResponse: decode${p},`);
            out.line(`encodeResponse: encode${p},`);
          },
          ',',
        );
      }
    },
    ' as const;',
  );
  return out.toString();
}
