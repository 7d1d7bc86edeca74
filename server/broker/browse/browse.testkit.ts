import type { Broker } from '../broker';
import { readAll, type ReadBack } from '../test-support/broker-fixtures';
import type { BrowsedRecord, BrowseFilter, BrowsePage, BrowseRequest } from './browse-types';

/**
 * Test helpers for browsing: a seeded data set with out-of-order timestamps, and brute-force
 * references computed from every record of every partition.
 */
export interface Row extends ReadBack {
  partition: number;
}

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'NeEdLe', 'echo', 'foxtrot'];

/**
 * Produces `perPartition` records to each partition in batches of 1 to 8, with timestamps that
 * drift upward but jump back by up to `jitter` ms (0: in order).
 */
export async function fill(
  broker: Broker,
  topic: string,
  partitions: number,
  perPartition: number,
  jitter: number,
  seed = 7,
) {
  const random = rng(seed);
  for (let p = 0; p < partitions; p++) {
    let i = 0;
    while (i < perPartition) {
      const n = Math.min(perPartition - i, 1 + Math.floor(random() * 8));
      const records = Array.from({ length: n }, (_, k) => {
        const index = i + k;
        const word = WORDS[Math.floor(random() * WORDS.length)] as string;
        return {
          partition: p,
          key: random() < 0.2 ? null : `user-${Math.floor(random() * 7)}`,
          value: `${word} ${p}/${index}`,
          headers: random() < 0.3 ? [{ key: 'trace', value: `t-${index % 5}` }] : [],
          timestamp: 1_000_000 + index * 1000 + p * 7 - Math.floor(random() * jitter),
        };
      });
      await broker.produceRecords(topic, records);
      i += n;
    }
  }
}

export async function allRows(broker: Broker, topic: string, partitions: number): Promise<Row[][]> {
  const out: Row[][] = [];
  for (let p = 0; p < partitions; p++)
    out.push((await readAll(broker, topic, p)).map((r) => ({ ...r, partition: p })));
  return out;
}

export function before(a: Row, b: Row): boolean {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  if (a.partition !== b.partition) return a.partition < b.partition;
  return a.offset < b.offset;
}

/** Merges per-partition lists (each in offset order) by always taking the smallest head. */
export function headsMerge(lists: Row[][]): Row[] {
  const index = lists.map(() => 0);
  const out: Row[] = [];
  for (;;) {
    let best = -1;
    lists.forEach((list, p) => {
      const row = list[index[p] as number];
      if (row !== undefined && (best < 0 || before(row, lists[best]![index[best] as number]!))) best = p;
    });
    if (best < 0) return out;
    out.push(lists[best]![index[best]!]!);
    index[best]!++;
  }
}

const has = (text: string | null, needle: string) =>
  text !== null && text.toLowerCase().includes(needle.toLowerCase());

export function matches(row: Row, filter: BrowseFilter = {}): boolean {
  if (filter.key && !has(row.key, filter.key)) return false;
  if (filter.value && !has(row.value, filter.value)) return false;
  if (filter.header && !row.headers.some((h) => has(h.key, filter.header!) || has(h.value, filter.header!)))
    return false;
  return true;
}

/**
 * The documented range semantics, by brute force over every record: per partition the window
 * from the first record with timestamp >= from to the first with timestamp > to, records in it
 * with from <= timestamp <= to, merged by heads.
 */
export function rangeReference(rows: Row[][], from: number, to: number, filter?: BrowseFilter): Row[] {
  return headsMerge(
    rows.map((list) => {
      const lo = list.findIndex((r) => r.timestamp >= from);
      const hiFound = list.findIndex((r) => r.timestamp > to);
      const start = lo < 0 ? list.length : lo;
      const end = hiFound < 0 ? list.length : hiFound;
      return list
        .slice(start, Math.max(start, end))
        .filter((r) => r.timestamp >= from && r.timestamp <= to && matches(r, filter));
    }),
  );
}

export const id = (r: { partition: number; offset: number }) => `${r.partition}@${r.offset}`;

/** Follows nextCursor from a first request to the end; returns every record and the pages. */
export async function pageThrough(
  broker: Broker,
  first: BrowseRequest,
): Promise<{ records: BrowsedRecord[]; pages: BrowsePage[] }> {
  const pages: BrowsePage[] = [];
  let page = await broker.browse(first);
  pages.push(page);
  while (page.nextCursor !== null && pages.length < 10_000) {
    page = await broker.browse({
      topic: first.topic,
      limit: first.limit,
      filter: first.filter,
      budget: first.budget,
      cursor: page.nextCursor,
    });
    pages.push(page);
  }
  return { records: pages.flatMap((p) => p.records), pages };
}
