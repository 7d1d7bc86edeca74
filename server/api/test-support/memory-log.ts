import type {
  ClusterRecord,
  MessageFilter,
  PayloadInput,
  PayloadPreview,
  TimestampType,
} from '../../cluster/types';
import { ClusterError } from '../../cluster/cluster';

export interface StoredHeader {
  key: string;
  value: Buffer | null;
}

export interface StoredRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: StoredHeader[];
}

/** One partition of the test double: an array of records after a moving start offset. */
export class MemoryPartitionLog {
  readonly records: StoredRecord[] = [];
  startOffset = 0;
  endOffset = 0;

  append(record: Omit<StoredRecord, 'offset'>): StoredRecord {
    const stored = { ...record, offset: this.endOffset++ };
    this.records.push(stored);
    return stored;
  }

  at(offset: number): StoredRecord | undefined {
    const first = this.records[0];
    return first === undefined ? undefined : this.records[offset - first.offset];
  }

  /** Kafka's ListOffsets: the earliest offset whose timestamp is >= t, or the end offset. */
  offsetForTimestamp(t: number): number {
    return this.records.find((r) => r.timestamp >= t)?.offset ?? this.endOffset;
  }

  truncateBefore(offset: number): void {
    while (this.records.length > 0 && (this.records[0] as StoredRecord).offset < offset) this.records.shift();
    this.startOffset = Math.max(this.startOffset, offset);
  }

  get sizeBytes(): number {
    return this.records.reduce((sum, r) => sum + recordSize(r), 0);
  }
}

export function recordSize(r: StoredRecord): number {
  const headers = r.headers.reduce((s, h) => s + Buffer.byteLength(h.key) + (h.value?.length ?? 0), 0);
  return (r.key?.length ?? 0) + (r.value?.length ?? 0) + headers;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the bytes are UTF-8, base64 otherwise; at most `cap` bytes of it. */
export function preview(bytes: Buffer | null, cap: number): PayloadPreview | null {
  if (bytes === null) return null;
  const slice = bytes.subarray(0, cap);
  const truncated = bytes.length > cap;
  try {
    utf8.decode(bytes);
    // A cut in the middle of a character leaves a replacement character: drop it.
    const text = slice.toString('utf8').replace(truncated ? /\uFFFD$/ : /$^/, '');
    return { encoding: 'utf8', data: text, sizeBytes: bytes.length, truncated };
  } catch {
    return { encoding: 'base64', data: slice.toString('base64'), sizeBytes: bytes.length, truncated };
  }
}

export function toBuffer(payload: PayloadInput | null): Buffer | null {
  if (payload === null) return null;
  return Buffer.from(payload.data, payload.encoding === 'utf8' ? 'utf8' : 'base64');
}

export function toClusterRecord(
  topic: string,
  partition: number,
  r: StoredRecord,
  timestampType: TimestampType,
  cap: number,
): ClusterRecord {
  return {
    topic,
    partition,
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType,
    key: preview(r.key, cap),
    value: preview(r.value, cap),
    headers: r.headers.map((h) => ({ key: h.key, value: preview(h.value, cap) })),
    sizeBytes: recordSize(r),
  };
}

function contains(bytes: Buffer | null, needle: string): boolean {
  return bytes !== null && bytes.toString('utf8').toLowerCase().includes(needle.toLowerCase());
}

export function matchesFilter(r: StoredRecord, filter: MessageFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.key && !contains(r.key, filter.key)) return false;
  if (filter.value && !contains(r.value, filter.value)) return false;
  if (filter.header) {
    const needle = filter.header.toLowerCase();
    const hit = r.headers.some((h) => h.key.toLowerCase().includes(needle) || contains(h.value, needle));
    if (!hit) return false;
  }
  return true;
}

export function outOfRange(partition: number, offset: number, log: MemoryPartitionLog): ClusterError | null {
  if (offset >= log.endOffset) {
    return new ClusterError(
      'OUT_OF_RANGE',
      `Offset ${offset} is past the end (${log.endOffset}) of partition ${partition}`,
      { field: 'offset' },
    );
  }
  if (offset < log.startOffset) {
    return new ClusterError(
      'OUT_OF_RANGE',
      `Offset ${offset} is before the start (${log.startOffset}) of partition ${partition}: it was deleted`,
      { field: 'offset' },
    );
  }
  return null;
}
