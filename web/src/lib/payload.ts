/**
 * How the console shows keys, values and header values: text when they are UTF-8, pretty JSON when
 * the text parses as JSON, hex otherwise; always capped, because a value can be 10 MB and a
 * browser must stay responsive with it on screen.
 */
export interface PayloadLike {
  encoding: 'utf8' | 'base64';
  data: string;
  sizeBytes: number;
  truncated: boolean;
}

export type PayloadFormat = 'json' | 'text' | 'binary';

export function payloadBytes(p: PayloadLike): Uint8Array {
  if (p.encoding === 'utf8') return new TextEncoder().encode(p.data);
  const raw = atob(p.data);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** JSON only when the whole value is here and parses; a truncated value cannot be reformatted. */
export function detectFormat(p: PayloadLike): PayloadFormat {
  if (p.encoding === 'base64') return 'binary';
  return !p.truncated && prettyJson(p.data) !== null ? 'json' : 'text';
}

export function prettyJson(text: string): string | null {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return null; // "42" or "true" are JSON but read better as text
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** `xxd`-style lines: offset, 16 bytes in hex, and their printable ASCII. */
export function hexDump(bytes: Uint8Array, maxBytes = bytes.length): string {
  const end = Math.min(bytes.length, maxBytes);
  const lines: string[] = [];
  for (let at = 0; at < end; at += 16) {
    const row = bytes.subarray(at, Math.min(at + 16, end));
    const hex = Array.from(row, hex2).join(' ').padEnd(47, ' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex}  |${ascii}|`);
  }
  return lines.join('\n');
}

/** One line for a table cell: whitespace collapsed, at most `maxChars`, binary as hex. */
export function cellPreview(p: PayloadLike | null, maxChars = 120): string {
  if (p === null) return 'null';
  if (p.encoding === 'base64') {
    const bytes = payloadBytes({ ...p, data: p.data.slice(0, 32) });
    const shown = Array.from(bytes.subarray(0, 16), hex2).join(' ');
    return p.sizeBytes > 16 ? `${shown} …` : shown;
  }
  const line = p.data.replace(/\s+/g, ' ');
  if (line.length > maxChars) return `${line.slice(0, maxChars)}…`;
  return p.truncated ? `${line}…` : line;
}

/** The first `limit` characters and how many are left, for "show more" on long text. */
export function capText(text: string, limit: number): { shown: string; remaining: number } {
  if (text.length <= limit) return { shown: text, remaining: 0 };
  return { shown: text.slice(0, limit), remaining: text.length - limit };
}
