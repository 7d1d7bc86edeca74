import { BrokerError } from '../errors';
import {
  encodeCursor,
  decodeCursor,
  type CursorState,
  type Direction,
  type PartitionPosition,
} from './browse-cursor';
import type { BrowsePage, BrowseRequest, BrowseSource } from './browse-types';
import { PartitionScanner, type ScanBudget } from './partition-scanner';
import { compareCandidates, matcher, toBrowsedRecord, type Candidate, type Matcher } from './record-view';
import { seekState } from './seek';

/**
 * Browsing a topic's records for the console.
 *
 * Every read walks, in each partition, a window of offsets [lo, hi) in offset order, and merges
 * the partitions by (timestamp, partition, offset): each step emits the smallest of the
 * partitions' next matching records (forward), or the largest (backward, then the page is
 * reversed). A cursor holds, per partition, where the walk stopped, so pages never overlap and
 * paging forward never skips a record.
 *
 * Date range [from, to], inclusive, with timestamps that may be out of order in a partition
 * (CreateTime is the producers' clock): per partition the window is
 *   lo = offsetForTimestamp(from)      the first record with timestamp >= from (Kafka ListOffsets),
 *   hi = offsetForTimestamp(to + 1)    the first record with timestamp > to, or the end offset,
 * both fixed when the seek is made; and a record is included when it lies in the window and
 * from <= timestamp <= to. So: no record before lo is in range (by definition of lo); inside the
 * window out-of-range records are skipped and in-range ones are found even after a later-
 * timestamped one; a late record stored after hi (after the first record past `to`) is not
 * included. Both bounds are two logarithmic lookups, so a range read is bounded by its window,
 * never by the partition. With timestamps in order, the result is exactly every record with
 * from <= timestamp <= to, merged in timestamp order. (range.test.ts checks this against a brute
 * force.)
 *
 * Paging: `nextCursor` continues after the page, `prevCursor` returns the page before it. Going
 * back then forward returns the same page. Going forward then back returns the same page when
 * timestamps are in order in each partition; with out-of-order timestamps the previous page is
 * the records before the boundary in backward merge order, which may group them differently.
 *
 * Filters are substrings of the UTF-8 text of the key, the value, or a header key or value,
 * case-insensitive. The scan of one request is bounded by a byte and record budget: when it runs
 * out the page may be short (even empty) with `budgetExhausted` and a cursor to continue from.
 */
const MAX_LIMIT = 10_000;
const DEFAULT_VALUE_BYTES = 4096;
const DEFAULT_BUDGET_BYTES = 8 * 1024 * 1024;
const DEFAULT_BUDGET_RECORDS = 100_000;

function positiveInt(what: string, value: unknown, max: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > max) {
    throw new BrokerError(
      'INVALID_REQUEST',
      `${what} must be an integer between 1 and ${max}, got ${String(value)}`,
    );
  }
  return value as number;
}

function budgetOf(request: BrowseRequest): ScanBudget {
  const maxBytes = request.budget?.maxBytes ?? DEFAULT_BUDGET_BYTES;
  const maxRecords = request.budget?.maxRecords ?? DEFAULT_BUDGET_RECORDS;
  positiveInt('budget.maxBytes', maxBytes, 1024 * 1024 * 1024);
  positiveInt('budget.maxRecords', maxRecords, 10_000_000);
  return { bytes: 0, records: 0, maxBytes, maxRecords };
}

async function mergePage(
  scanners: PartitionScanner[],
  direction: Direction,
  limit: number,
  budget: ScanBudget,
  accept: Matcher,
): Promise<{ picked: Candidate[]; budgetExhausted: boolean }> {
  const picked: Candidate[] = [];
  const sign = direction === 'forward' ? 1 : -1;
  while (picked.length < limit) {
    for (const scanner of scanners) {
      if (scanner.head === undefined && !(await scanner.resolve(budget, accept))) {
        return { picked, budgetExhausted: true };
      }
    }
    let best: PartitionScanner | undefined;
    for (const scanner of scanners) {
      if (!scanner.head) continue;
      if (best === undefined || sign * compareCandidates(scanner.head, best.head as Candidate) < 0)
        best = scanner;
    }
    if (best === undefined) break;
    picked.push(best.take());
  }
  return { picked, budgetExhausted: false };
}

/** The last `limit` matches of each partition, walked backward one partition at a time. */
async function perPartition(
  scanners: PartitionScanner[],
  limit: number,
  budget: ScanBudget,
  accept: Matcher,
): Promise<{ picked: Candidate[]; budgetExhausted: boolean }> {
  const picked: Candidate[] = [];
  let budgetExhausted = false;
  for (const scanner of scanners) {
    for (let n = 0; n < limit && !budgetExhausted; n++) {
      if (!(await scanner.resolve(budget, accept))) budgetExhausted = true;
      else if (scanner.head) picked.push(scanner.take());
      else break;
    }
  }
  return { picked: picked.sort(compareCandidates), budgetExhausted };
}

export async function browse(source: BrowseSource, request: BrowseRequest): Promise<BrowsePage> {
  const { topic } = request;
  const count = source.partitionCount(topic);
  const limit = positiveInt('limit', request.limit, MAX_LIMIT);
  const maxValueBytes = request.maxValueBytes ?? DEFAULT_VALUE_BYTES;
  if (!Number.isSafeInteger(maxValueBytes) || maxValueBytes < 0) {
    throw new BrokerError(
      'INVALID_REQUEST',
      `maxValueBytes must be an integer >= 0, got ${String(maxValueBytes)}`,
    );
  }
  const budget = budgetOf(request);
  let state: CursorState;
  if (request.cursor !== undefined) {
    state = decodeCursor(request.cursor, topic);
    for (const p of state.positions) source.checkPartition(topic, p.partition);
  } else {
    state = await seekState(source, request, count);
  }
  const marks = await Promise.all(state.positions.map((p) => source.watermarks(topic, p.partition)));
  const scanners = state.positions.map((p, i) => {
    const mark = marks[i] as { logStartOffset: number; logEndOffset: number };
    const lo = Math.min(Math.max(p.lo, mark.logStartOffset), mark.logEndOffset);
    const hi = Math.max(lo, Math.min(p.hi ?? mark.logEndOffset, mark.logEndOffset));
    return new PartitionScanner(source, topic, p.partition, state.direction, p.position, lo, hi);
  });
  const accept = matcher(request.filter, state.range);
  const newestPerPartition =
    request.cursor === undefined && request.seek?.kind === 'newest' && request.seek.perPartition === true;
  const { picked, budgetExhausted } = newestPerPartition
    ? await perPartition(scanners, limit, budget, accept)
    : await mergePage(scanners, state.direction, limit, budget, accept);
  if (state.direction === 'backward' && !newestPerPartition) picked.reverse();

  const forward = state.direction === 'forward';
  const reached = scanners.map((s) => s.position());
  const starts = forward ? scanners.map((s) => s.start) : reached;
  const ends = forward ? reached : scanners.map((s) => s.start);
  const cursorAt = (direction: Direction, at: number[]): string =>
    encodeCursor({
      ...state,
      direction,
      positions: state.positions.map((p, i): PartitionPosition => ({ ...p, position: at[i] as number })),
    });
  return {
    records: picked.map((c) => toBrowsedRecord(c, maxValueBytes)),
    nextCursor: scanners.some((s, i) => (ends[i] as number) < s.hi) ? cursorAt('forward', ends) : null,
    prevCursor: scanners.some((s, i) => (starts[i] as number) > s.lo) ? cursorAt('backward', starts) : null,
    scanned: budget.records,
    scannedBytes: budget.bytes,
    budgetExhausted,
    watermarks: state.positions.map((p, i) => ({
      partition: p.partition,
      ...(marks[i] as (typeof marks)[number]),
    })),
  };
}
