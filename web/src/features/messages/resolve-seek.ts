import type { MessageSeek } from '../../api/types';
import { parseTimeExpression, type TimeZoneMode } from '../../lib/relative-time';
import type { MessagesSearch } from './search';

export type SeekErrors = Partial<Record<'at' | 'from' | 'to' | 'offset' | 'partition', string>>;

export type ResolvedSeek = { ok: true; seek: MessageSeek } | { ok: false; errors: SeekErrors };

/**
 * Turns the URL's view state into a read request. Relative times resolve against `now`, once per
 * URL change, so that re-rendering does not move the window; problems come back per field.
 * `endOffsets` (per partition, when known) catch an offset past the end before asking the server,
 * which checks again.
 */
export function resolveSeek(
  search: MessagesSearch,
  now: number,
  endOffsets?: readonly number[],
): ResolvedSeek {
  const zone: TimeZoneMode = search.tz;
  const time = (text: string | undefined, fallback: string) =>
    parseTimeExpression(text ?? fallback, { now, zone });
  switch (search.mode) {
    case 'newest':
    case 'oldest':
      return { ok: true, seek: { kind: search.mode } };
    case 'offset': {
      const partition = search.partition ?? 0;
      const offset = search.offset ?? 0;
      const end = endOffsets?.[partition];
      if (endOffsets && end === undefined) {
        const count = endOffsets.length;
        return {
          ok: false,
          errors: { partition: `Partition ${partition} does not exist (${count} partitions)` },
        };
      }
      if (end !== undefined && offset > end) {
        return {
          ok: false,
          errors: { offset: `Offset ${offset} is past the end (${end}) of partition ${partition}` },
        };
      }
      return { ok: true, seek: { kind: 'offset', partition, offset } };
    }
    case 'timestamp': {
      const at = time(search.at, '-15m');
      return at.ok
        ? { ok: true, seek: { kind: 'timestamp', timestamp: at.ms } }
        : { ok: false, errors: { at: at.error } };
    }
    case 'range': {
      const from = time(search.from, '-15m');
      const to = time(search.to, 'now');
      const errors: SeekErrors = {};
      if (!from.ok) errors.from = from.error;
      if (!to.ok) errors.to = to.error;
      if (from.ok && to.ok && from.ms > to.ms) errors.to = "The date range is empty: 'from' is after 'to'";
      if (!from.ok || !to.ok || errors.to) return { ok: false, errors };
      return { ok: true, seek: { kind: 'range', from: from.ms, to: to.ms } };
    }
  }
}
