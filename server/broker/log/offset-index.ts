import type { DiskFaultInjector } from './disk-faults';
import { IndexFile } from './index-file';

export interface OffsetPosition {
  /** Offset relative to the segment's base offset. */
  relativeOffset: number;
  /** Byte position in the .log file of the batch whose base offset this is. */
  position: number;
}

/**
 * Kafka's OffsetIndex: sparse (relative offset i32, file position i32) entries, one every
 * index.interval.bytes of log. Each entry names the *base* offset of the batch starting at that
 * position, so a lookup can check the entry against the batch header it points at.
 */
export class OffsetIndex extends IndexFile {
  static readonly ENTRY_SIZE = 8;

  constructor(path: string) {
    super(path, OffsetIndex.ENTRY_SIZE);
  }

  append(relativeOffset: number, position: number, faults?: DiskFaultInjector): void {
    const entry = Buffer.allocUnsafe(OffsetIndex.ENTRY_SIZE);
    entry.writeInt32BE(relativeOffset, 0);
    entry.writeInt32BE(position, 4);
    this.appendEntry(entry, faults);
  }

  entryAt(i: number): OffsetPosition {
    const buf = this.buffer();
    const at = i * OffsetIndex.ENTRY_SIZE;
    return { relativeOffset: buf.readInt32BE(at), position: buf.readInt32BE(at + 4) };
  }

  lastEntry(): OffsetPosition | null {
    return this.entryCount === 0 ? null : this.entryAt(this.entryCount - 1);
  }

  /** The index of the last entry whose relative offset is <= target, or -1. */
  floorIndex(relativeOffset: number): number {
    const buf = this.buffer();
    let lo = 0;
    let hi = this.entryCount - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (buf.readInt32BE(mid * OffsetIndex.ENTRY_SIZE) <= relativeOffset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  lookup(relativeOffset: number): OffsetPosition | null {
    const i = this.floorIndex(relativeOffset);
    return i < 0 ? null : this.entryAt(i);
  }

  /**
   * Structural check of loaded entries: strictly increasing offsets and positions, inside the
   * segment. Returns a reason when the file cannot be trusted (then the segment rebuilds it).
   */
  problem(logSize: number, maxRelativeOffset: number): string | null {
    let previous: OffsetPosition | null = null;
    for (let i = 0; i < this.entryCount; i++) {
      const e = this.entryAt(i);
      if (
        e.relativeOffset < 0 ||
        e.position < 0 ||
        e.position >= logSize ||
        e.relativeOffset > maxRelativeOffset
      ) {
        return `entry ${i} (${e.relativeOffset} at ${e.position}) is outside the segment`;
      }
      if (previous && (e.relativeOffset <= previous.relativeOffset || e.position <= previous.position)) {
        return `entry ${i} does not increase`;
      }
      previous = e;
    }
    return null;
  }
}
