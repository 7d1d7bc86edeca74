import type { ClusterRecord, MessagePage, ReadMessagesRequest, TimestampType } from '../../cluster/types';
import { ClusterError } from '../../cluster/cluster';
import { matchesFilter, type MemoryPartitionLog, type StoredRecord, toClusterRecord } from './memory-log';

export interface ReadableTopic {
  name: string;
  logs: MemoryPartitionLog[];
  timestampType: TimestampType;
}

/** Per partition: the read position and the bounds of the read ([lo, hi), hi null = log end). */
type Part = [partition: number, pos: number, lo: number, hi: number | null];

interface Cursor {
  v: 1;
  topic: string;
  /** Forward reads [pos, hi); backward reads [lo, pos) from the top down. */
  dir: 'f' | 'b';
  parts: Part[];
  range?: { from: number; to: number };
}

/** A filtered page may scan this many records before it returns short, with a cursor onwards. */
const MAX_SCAN = 100_000;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string, topic: string): Cursor {
  const invalid = new ClusterError('INVALID_ARGUMENT', 'This page link is not valid: seek again', {
    field: 'cursor',
  });
  let cursor: Cursor;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw invalid;
  }
  if (cursor?.v !== 1 || cursor.topic !== topic || !Array.isArray(cursor.parts)) throw invalid;
  return cursor;
}

function logOf(topic: ReadableTopic, partition: number, field = 'partition'): MemoryPartitionLog {
  const log = topic.logs[partition];
  if (!log) {
    throw new ClusterError(
      'NOT_FOUND',
      `Partition ${partition} does not exist in topic '${topic.name}' (${topic.logs.length} partitions)`,
      { field },
    );
  }
  return log;
}

function startCursor(topic: ReadableTopic, request: ReadMessagesRequest): Cursor {
  const seek = request.seek;
  const chosen =
    seek.kind === 'offset' ? [seek.partition] : (request.partitions ?? topic.logs.map((_, i) => i));
  const logs = chosen.map((p) => [p, logOf(topic, p)] as const);
  const base = { v: 1 as const, topic: topic.name };
  switch (seek.kind) {
    case 'oldest':
      return { ...base, dir: 'f', parts: logs.map(([p, log]) => [p, log.startOffset, 0, null]) };
    case 'newest':
      return { ...base, dir: 'b', parts: logs.map(([p, log]) => [p, log.endOffset, 0, null]) };
    case 'timestamp':
      return {
        ...base,
        dir: 'f',
        parts: logs.map(([p, log]) => [p, log.offsetForTimestamp(seek.timestamp), 0, null]),
      };
    case 'offset': {
      const log = logs[0]?.[1] as MemoryPartitionLog;
      if (seek.offset > log.endOffset) {
        throw new ClusterError(
          'OUT_OF_RANGE',
          `Offset ${seek.offset} is past the end (${log.endOffset}) of partition ${seek.partition}`,
          { field: 'offset' },
        );
      }
      return {
        ...base,
        dir: 'f',
        parts: [[seek.partition, Math.max(seek.offset, log.startOffset), 0, null]],
      };
    }
    case 'range': {
      const parts = logs.map(([p, log]): Part => {
        const lo = log.offsetForTimestamp(seek.from);
        return [p, lo, lo, log.offsetForTimestamp(seek.to + 1)];
      });
      return { ...base, dir: 'f', parts, range: { from: seek.from, to: seek.to } };
    }
  }
}

interface Head {
  partition: number;
  log: MemoryPartitionLog;
  next: number;
  lo: number;
  hi: number;
  rawLo: number;
  rawHi: number | null;
  from: number;
}

/** (timestamp, partition, offset) order, the order of every merged read. */
function before(a: StoredRecord, pa: number, b: StoredRecord, pb: number): boolean {
  return a.timestamp !== b.timestamp ? a.timestamp < b.timestamp : pa !== pb ? pa < pb : a.offset < b.offset;
}

export function readPage(topic: ReadableTopic, request: ReadMessagesRequest): MessagePage {
  const cursor = request.cursor ? decodeCursor(request.cursor, topic.name) : startCursor(topic, request);
  const heads: Head[] = cursor.parts.map(([partition, pos, rawLo, rawHi]) => {
    const log = logOf(topic, partition, 'cursor');
    const lo = Math.max(rawLo, log.startOffset);
    const hi = Math.min(rawHi ?? log.endOffset, log.endOffset);
    const next = cursor.dir === 'f' ? Math.max(pos, lo) : Math.min(pos, hi) - 1;
    return { partition, log, next, lo, hi, rawLo, rawHi, from: Math.max(lo, Math.min(pos, hi)) };
  });
  const forward = cursor.dir === 'f';
  const taken: ClusterRecord[] = [];
  let scanned = 0;
  const inRange = (r: StoredRecord) =>
    !cursor.range || (r.timestamp >= cursor.range.from && r.timestamp <= cursor.range.to);

  while (taken.length < request.limit && scanned < MAX_SCAN) {
    let best: { head: Head; record: StoredRecord } | null = null;
    for (const head of heads) {
      if (forward ? head.next >= head.hi : head.next < head.lo) continue;
      const record = head.log.at(head.next) as StoredRecord;
      const better =
        best === null ||
        (forward
          ? before(record, head.partition, best.record, best.head.partition)
          : before(best.record, best.head.partition, record, head.partition));
      if (better) best = { head, record };
    }
    if (best === null) break;
    best.head.next += forward ? 1 : -1;
    scanned++;
    if (inRange(best.record) && matchesFilter(best.record, request.filter)) {
      taken.push(
        toClusterRecord(
          topic.name,
          best.head.partition,
          best.record,
          topic.timestampType,
          request.previewBytes,
        ),
      );
    }
  }
  if (!forward) taken.reverse();

  // Where this page starts and ends in each partition: the cursors of the pages around it.
  const starts = heads.map((h) => (forward ? h.from : h.next + 1));
  const ends = heads.map((h) => (forward ? h.next : h.from));
  const part = (h: Head, pos: number): Part => [h.partition, pos, h.rawLo, h.rawHi];
  const base = { v: 1 as const, topic: topic.name, ...(cursor.range ? { range: cursor.range } : {}) };
  const moreAfter = heads.some((h, i) => (ends[i] as number) < h.hi);
  const moreBefore = heads.some((h, i) => (starts[i] as number) > h.lo);
  return {
    records: taken,
    nextCursor: moreAfter
      ? encodeCursor({ ...base, dir: 'f', parts: heads.map((h, i) => part(h, ends[i] as number)) })
      : null,
    prevCursor: moreBefore
      ? encodeCursor({ ...base, dir: 'b', parts: heads.map((h, i) => part(h, starts[i] as number)) })
      : null,
    scanned,
    watermarks: heads.map((h) => ({
      partition: h.partition,
      startOffset: h.log.startOffset,
      endOffset: h.log.endOffset,
    })),
  };
}
