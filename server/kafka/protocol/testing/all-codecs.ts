/** Test support: every generated message's schema with its encoder and decoder. */
import {
  API_CODECS,
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
} from '../generated/index';
import { MESSAGE_SCHEMAS, type MessageSchema } from '../generated/schema';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

export type Encode = (w: Writer, msg: unknown, version: number) => void;
export type Decode = (r: Reader, version: number) => unknown;

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
