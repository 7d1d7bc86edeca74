import type { BrowsedRecord, CappedBytes } from '../../broker/browse/browse-types';
import type { DecodedRecord, TimestampType } from '../../broker/log/record';
import type { ClusterRecord, PayloadInput, PayloadPreview } from '../types';

/**
 * Bytes across the Cluster interface: text when they are UTF-8, base64 otherwise (types.ts).
 * The broker hands out capped copies (at most the preview size), so the decision is made on the
 * prefix: a prefix cut in the middle of a character loses the partial character, not its text.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes of a UTF-8 sequence cut off at the end of `bytes` (0 when it ends on a whole character). */
function partialTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

export function previewOf(data: Buffer, sizeBytes: number, truncated: boolean): PayloadPreview {
  const text = truncated ? data.subarray(0, data.length - partialTail(data)) : data;
  try {
    return { encoding: 'utf8', data: utf8.decode(text), sizeBytes, truncated };
  } catch {
    return { encoding: 'base64', data: data.toString('base64'), sizeBytes, truncated };
  }
}

export function previewCapped(bytes: CappedBytes | null): PayloadPreview | null {
  return bytes === null ? null : previewOf(bytes.data, bytes.size, bytes.truncated);
}

export function previewBuffer(bytes: Buffer | null, cap: number): PayloadPreview | null {
  if (bytes === null) return null;
  const truncated = bytes.length > cap;
  return previewOf(truncated ? bytes.subarray(0, cap) : bytes, bytes.length, truncated);
}

export function toBuffer(payload: PayloadInput | null): Buffer | null {
  if (payload === null) return null;
  return Buffer.from(payload.data, payload.encoding === 'utf8' ? 'utf8' : 'base64');
}

/** Key + value + header bytes: what the console calls a record's size. */
function payloadSize(key: number, value: number, headers: readonly { key: string; value: number }[]): number {
  return key + value + headers.reduce((sum, h) => sum + Buffer.byteLength(h.key) + h.value, 0);
}

export function fromBrowsed(topic: string, record: BrowsedRecord): ClusterRecord {
  return {
    topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: record.timestampType,
    key: previewCapped(record.key),
    value: previewCapped(record.value),
    headers: record.headers.map((h) => ({ key: h.key, value: previewCapped(h.value) })),
    sizeBytes: payloadSize(
      record.key?.size ?? 0,
      record.value?.size ?? 0,
      record.headers.map((h) => ({ key: h.key, value: h.value?.size ?? 0 })),
    ),
  };
}

export function fromDecoded(
  topic: string,
  partition: number,
  record: DecodedRecord,
  timestampType: TimestampType,
  cap: number,
): ClusterRecord {
  return {
    topic,
    partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType,
    key: previewBuffer(record.key, cap),
    value: previewBuffer(record.value, cap),
    headers: record.headers.map((h) => ({ key: h.key, value: previewBuffer(h.value, cap) })),
    sizeBytes: payloadSize(
      record.key?.length ?? 0,
      record.value?.length ?? 0,
      record.headers.map((h) => ({ key: h.key, value: h.value?.length ?? 0 })),
    ),
  };
}
