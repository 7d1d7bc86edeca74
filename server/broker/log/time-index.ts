import fs from 'node:fs';
import type { DiskFaultInjector } from './disk-faults';
import { IndexFile, readInt64, writeInt64 } from './index-file';
import { errnoCode } from './log-files';

export interface TimestampOffset {
  timestamp: number;
  /** Relative base offset of the batch where `timestamp` was first reached. */
  relativeOffset: number;
}

/**
 * Kafka's TimeIndex: (max timestamp so far i64, relative offset i32) entries, written at the
 * offset index's interval and only when the segment's max timestamp has grown. An entry (T, R)
 * promises that every batch before R has a max timestamp below T, so a search for t may start
 * at the last entry with T <= t. Offsets are batch base offsets (see OffsetIndex).
 */
export class TimeIndex extends IndexFile {
  static readonly ENTRY_SIZE = 12;

  constructor(path: string) {
    super(path, TimeIndex.ENTRY_SIZE);
  }

  append(timestamp: number, relativeOffset: number, faults?: DiskFaultInjector): void {
    const entry = Buffer.allocUnsafe(TimeIndex.ENTRY_SIZE);
    writeInt64(entry, timestamp, 0);
    entry.writeInt32BE(relativeOffset, 8);
    this.appendEntry(entry, faults);
  }

  entryAt(i: number): TimestampOffset {
    const buf = this.buffer();
    const at = i * TimeIndex.ENTRY_SIZE;
    return { timestamp: readInt64(buf, at), relativeOffset: buf.readInt32BE(at + 8) };
  }

  lastEntry(): TimestampOffset | null {
    return this.entryCount === 0 ? null : this.entryAt(this.entryCount - 1);
  }

  /** The last entry whose timestamp is <= target, or null. */
  lookup(timestamp: number): TimestampOffset | null {
    const buf = this.buffer();
    let lo = 0;
    let hi = this.entryCount - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (readInt64(buf, mid * TimeIndex.ENTRY_SIZE) <= timestamp) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? null : this.entryAt(found);
  }

  /** Keeps the entries whose batch lies before `relativeOffset` (recovery from an index entry). */
  truncateBefore(relativeOffset: number): void {
    let keep = this.entryCount;
    while (keep > 0 && this.entryAt(keep - 1).relativeOffset >= relativeOffset) keep -= 1;
    this.truncateEntries(keep);
  }

  problem(maxRelativeOffset: number): string | null {
    let previous: TimestampOffset | null = null;
    for (let i = 0; i < this.entryCount; i++) {
      const e = this.entryAt(i);
      if (
        e.relativeOffset < 0 ||
        e.relativeOffset > maxRelativeOffset ||
        !Number.isSafeInteger(e.timestamp)
      ) {
        return `entry ${i} (${e.timestamp} at ${e.relativeOffset}) is outside the segment`;
      }
      if (previous && (e.timestamp <= previous.timestamp || e.relativeOffset <= previous.relativeOffset)) {
        return `entry ${i} does not increase`;
      }
      previous = e;
    }
    return null;
  }

  /**
   * The last entry read straight from the file, without loading the index: a closed segment's
   * largest timestamp, needed at open for every segment. 'damaged' when the size is not whole.
   */
  static readLastEntry(path: string): TimestampOffset | null | 'damaged' {
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return 'damaged';
      throw error;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size % TimeIndex.ENTRY_SIZE !== 0) return 'damaged';
      if (size === 0) return null;
      const buf = Buffer.alloc(TimeIndex.ENTRY_SIZE);
      fs.readSync(fd, buf, 0, TimeIndex.ENTRY_SIZE, size - TimeIndex.ENTRY_SIZE);
      return { timestamp: readInt64(buf, 0), relativeOffset: buf.readInt32BE(8) };
    } finally {
      fs.closeSync(fd);
    }
  }
}
