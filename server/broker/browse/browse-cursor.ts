import { BrokerError } from '../errors';

/**
 * The opaque page cursor: per partition the read position and the window [lo, hi) it reads
 * within (hi null: up to the log end at read time), the direction, and the timestamp range of a
 * date-range read. base64url of a small JSON, so it fits in a URL.
 *
 * Positions: forward, the next offset to examine; backward, the exclusive upper bound (every
 * offset below it is still to examine).
 */
export type Direction = 'forward' | 'backward';

export interface PartitionPosition {
  partition: number;
  position: number;
  lo: number;
  hi: number | null;
}

export interface CursorState {
  topic: string;
  direction: Direction;
  positions: PartitionPosition[];
  range: { from: number; to: number } | null;
}

interface Wire {
  v: 1;
  t: string;
  d: 'f' | 'b';
  p: [number, number, number, number | null][];
  r?: [number, number];
}

export function encodeCursor(state: CursorState): string {
  const wire: Wire = {
    v: 1,
    t: state.topic,
    d: state.direction === 'forward' ? 'f' : 'b',
    p: state.positions.map((p) => [p.partition, p.position, p.lo, p.hi]),
    ...(state.range === null ? {} : { r: [state.range.from, state.range.to] }),
  };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

const isOffset = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isTime = (v: unknown): v is number => Number.isSafeInteger(v);

/** Throws INVALID_REQUEST for anything that is not a cursor of this topic. */
export function decodeCursor(text: string, topic: string): CursorState {
  const invalid = (why: string) =>
    new BrokerError(
      'INVALID_REQUEST',
      `This page cursor is not valid for topic '${topic}' (${why}); seek again`,
    );
  let wire: Wire;
  try {
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Wire;
  } catch {
    throw invalid('unreadable');
  }
  if (typeof wire !== 'object' || wire === null || wire.v !== 1) throw invalid('unknown format');
  if (wire.t !== topic) throw invalid('it belongs to another topic');
  if (wire.d !== 'f' && wire.d !== 'b') throw invalid('bad direction');
  if (!Array.isArray(wire.p) || wire.p.length === 0) throw invalid('no partitions');
  const seen = new Set<number>();
  const positions = wire.p.map((entry) => {
    if (!Array.isArray(entry) || entry.length !== 4) throw invalid('bad position');
    const [partition, position, lo, hi] = entry;
    if (!isOffset(partition) || !isOffset(position) || !isOffset(lo) || (hi !== null && !isOffset(hi))) {
      throw invalid('bad position');
    }
    if (seen.has(partition)) throw invalid('repeated partition');
    seen.add(partition);
    return { partition, position, lo, hi };
  });
  let range: CursorState['range'] = null;
  if (wire.r !== undefined) {
    if (!Array.isArray(wire.r) || !isTime(wire.r[0]) || !isTime(wire.r[1])) throw invalid('bad range');
    range = { from: wire.r[0], to: wire.r[1] };
  }
  return { topic, direction: wire.d === 'f' ? 'forward' : 'backward', positions, range };
}
