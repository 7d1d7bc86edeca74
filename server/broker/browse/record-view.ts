import type { DecodedRecord, TimestampType } from '../log/record';
import type { BrowsedRecord, BrowseFilter, CappedBytes } from './browse-types';

/** A decoded record as a scan holds it, before it is copied out into a page. */
export interface Candidate {
  partition: number;
  record: DecodedRecord;
  timestampType: TimestampType;
}

function contains(bytes: Buffer | null, needle: string): boolean {
  return bytes !== null && bytes.toString('utf8').toLowerCase().includes(needle);
}

export interface Matcher {
  (candidate: Candidate): boolean;
}

/** The filter (lower-cased once) and the timestamp range as one predicate. */
export function matcher(
  filter: BrowseFilter | undefined,
  range: { from: number; to: number } | null,
): Matcher {
  const key = filter?.key ? filter.key.toLowerCase() : undefined;
  const value = filter?.value ? filter.value.toLowerCase() : undefined;
  const header = filter?.header ? filter.header.toLowerCase() : undefined;
  return ({ record }) => {
    if (range !== null && (record.timestamp < range.from || record.timestamp > range.to)) return false;
    if (key !== undefined && !contains(record.key, key)) return false;
    if (value !== undefined && !contains(record.value, value)) return false;
    if (header !== undefined) {
      const hit = record.headers.some(
        (h) => h.key.toLowerCase().includes(header) || contains(h.value, header),
      );
      if (!hit) return false;
    }
    return true;
  };
}

function cap(bytes: Buffer | null, max: number): CappedBytes | null {
  if (bytes === null) return null;
  const truncated = bytes.length > max;
  return { data: Buffer.from(truncated ? bytes.subarray(0, max) : bytes), size: bytes.length, truncated };
}

/** Copies what the page keeps, so a page never pins the batches it was read from. */
export function toBrowsedRecord(candidate: Candidate, maxValueBytes: number): BrowsedRecord {
  const { record } = candidate;
  return {
    partition: candidate.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: candidate.timestampType,
    key: cap(record.key, maxValueBytes),
    value: cap(record.value, maxValueBytes),
    headers: record.headers.map((h) => ({ key: h.key, value: cap(h.value, maxValueBytes) })),
    sizeInBytes: record.sizeInBytes,
  };
}

/** The merge order of every read: (timestamp, partition, offset). Negative when a comes first. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.record.timestamp !== b.record.timestamp) return a.record.timestamp - b.record.timestamp;
  if (a.partition !== b.partition) return a.partition - b.partition;
  return a.record.offset - b.record.offset;
}
