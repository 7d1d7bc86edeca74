import { BrokerError } from '../errors';
import type { CursorState, PartitionPosition } from './browse-cursor';
import type { BrowseRequest, BrowseSource } from './browse-types';

/**
 * The starting state of a browse from a seek (browse.ts has the semantics):
 * - oldest: forward from each partition's start;
 * - newest: backward from each partition's end;
 * - offset: forward from that offset of one partition (an offset past the end is an error; the
 *   end itself is an empty page; an offset before the start starts at the start);
 * - timestamp: forward from offsetForTimestamp(t) in each partition (its end when none);
 * - range: the windows [offsetForTimestamp(from), offsetForTimestamp(to + 1)), fixed now.
 */
const OPEN = Number.MAX_SAFE_INTEGER;

function chosenPartitions(source: BrowseSource, request: BrowseRequest, count: number): number[] {
  if (request.partitions === undefined) return Array.from({ length: count }, (_, i) => i);
  if (!Array.isArray(request.partitions) || request.partitions.length === 0) {
    throw new BrokerError('INVALID_REQUEST', 'partitions must list at least one partition when given');
  }
  const unique = [...new Set(request.partitions)];
  for (const p of unique) source.checkPartition(request.topic, p);
  return unique.sort((a, b) => a - b);
}

function checkTime(what: string, value: unknown): number {
  if (!Number.isSafeInteger(value)) {
    throw new BrokerError(
      'INVALID_REQUEST',
      `${what} must be a timestamp in epoch milliseconds, got ${String(value)}`,
    );
  }
  return value as number;
}

export async function seekState(
  source: BrowseSource,
  request: BrowseRequest,
  count: number,
): Promise<CursorState> {
  const { topic } = request;
  const seek = request.seek ?? { kind: 'oldest' };
  const base = { topic, range: null };
  const at = (partition: number, position: number, lo = 0, hi: number | null = null): PartitionPosition => ({
    partition,
    position,
    lo,
    hi,
  });
  switch (seek.kind) {
    case 'oldest':
      return {
        ...base,
        direction: 'forward',
        positions: chosenPartitions(source, request, count).map((p) => at(p, 0)),
      };
    case 'newest':
      return {
        ...base,
        direction: 'backward',
        positions: chosenPartitions(source, request, count).map((p) => at(p, OPEN)),
      };
    case 'offset': {
      source.checkPartition(topic, seek.partition);
      if (!Number.isSafeInteger(seek.offset) || seek.offset < 0) {
        throw new BrokerError('INVALID_REQUEST', `Offset ${String(seek.offset)} is not an offset`);
      }
      const { logEndOffset } = await source.watermarks(topic, seek.partition);
      if (seek.offset > logEndOffset) {
        throw new BrokerError(
          'OFFSET_OUT_OF_RANGE',
          `Offset ${seek.offset} is past the end (${logEndOffset}) of ${topic}-${seek.partition}`,
        );
      }
      return { ...base, direction: 'forward', positions: [at(seek.partition, seek.offset)] };
    }
    case 'timestamp': {
      const ts = checkTime('timestamp', seek.timestamp);
      const positions = await Promise.all(
        chosenPartitions(source, request, count).map(async (p) => {
          const found = await source.offsetForTimestamp(topic, p, ts);
          return at(p, found ?? (await source.watermarks(topic, p)).logEndOffset);
        }),
      );
      return { ...base, direction: 'forward', positions };
    }
    case 'range': {
      const from = checkTime('from', seek.from);
      const to = checkTime('to', seek.to);
      if (from > to)
        throw new BrokerError('INVALID_REQUEST', `The range starts (${from}) after it ends (${to})`);
      const positions = await Promise.all(
        chosenPartitions(source, request, count).map(async (p) => {
          const { logEndOffset } = await source.watermarks(topic, p);
          const lo = (await source.offsetForTimestamp(topic, p, from)) ?? logEndOffset;
          const hi =
            to === OPEN
              ? logEndOffset
              : ((await source.offsetForTimestamp(topic, p, to + 1)) ?? logEndOffset);
          return at(p, lo, lo, Math.max(lo, hi));
        }),
      );
      return { topic, range: { from, to }, direction: 'forward', positions };
    }
    default:
      throw new BrokerError('INVALID_REQUEST', `Unknown seek '${String((seek as { kind: unknown }).kind)}'`);
  }
}
