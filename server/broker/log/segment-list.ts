import type { LogSegment } from './log-segment';

/**
 * The log's segments in offset order, the last one active. Offset lookups binary-search the
 * base offsets; timestamp lookups binary-search a running maximum of the closed segments'
 * largest timestamps (non-decreasing even when timestamps are not), recomputed only when the
 * list changes, so both stay logarithmic in the number of segments.
 */
export class SegmentList {
  private list: LogSegment[];
  private prefixMaxTimestamp: number[] | null = null;
  private closedBytes: number | null = null;

  constructor(segments: LogSegment[]) {
    if (segments.length === 0) throw new Error('A log has at least one segment');
    this.list = segments;
  }

  get all(): readonly LogSegment[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
  }

  get active(): LogSegment {
    return this.list[this.list.length - 1] as LogSegment;
  }

  get first(): LogSegment {
    return this.list[0] as LogSegment;
  }

  at(i: number): LogSegment | undefined {
    return this.list[i];
  }

  /** Index of the last segment whose base offset is <= offset (0 when offset is before all). */
  floorIndex(offset: number): number {
    let lo = 0;
    let hi = this.list.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.list[mid] as LogSegment).baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The offset just past segment i: the next segment's base, or the log end for the active one. */
  nextOffsetOf(i: number): number {
    return this.list[i + 1]?.baseOffset ?? this.active.nextOffset;
  }

  /** Index of the first segment whose largest timestamp is >= ts, or -1. */
  firstWithMaxTimestampAtLeast(ts: number): number {
    const prefix = this.prefixMax();
    let lo = 0;
    let hi = prefix.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((prefix[mid] as number) >= ts) {
        found = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    if (found >= 0) return found;
    return this.active.maxTimestamp >= ts ? this.list.length - 1 : -1;
  }

  get sizeInBytes(): number {
    if (this.closedBytes === null) {
      this.closedBytes = 0;
      for (let i = 0; i < this.list.length - 1; i++) this.closedBytes += (this.list[i] as LogSegment).size;
    }
    return this.closedBytes + this.active.size;
  }

  push(segment: LogSegment): void {
    this.list.push(segment);
    this.changed();
  }

  removeFirst(count: number): LogSegment[] {
    const removed = this.list.splice(0, Math.min(count, this.list.length - 1));
    this.changed();
    return removed;
  }

  /** Whether `group` is still a run of consecutive closed segments of this list. */
  containsRun(group: readonly LogSegment[]): boolean {
    return this.runStart(group) >= 0;
  }

  private runStart(group: readonly LogSegment[]): number {
    const start = this.list.indexOf(group[0] as LogSegment);
    if (start < 0 || start + group.length >= this.list.length) return -1;
    return group.every((segment, i) => this.list[start + i] === segment) ? start : -1;
  }

  /** Swaps a run of closed segments for one; false when they are no longer all present. */
  replace(group: readonly LogSegment[], replacement: LogSegment): boolean {
    const start = this.runStart(group);
    if (start < 0) return false;
    this.list.splice(start, group.length, replacement);
    this.changed();
    return true;
  }

  resetTo(segments: LogSegment[]): void {
    if (segments.length === 0) throw new Error('A log has at least one segment');
    this.list = segments;
    this.changed();
  }

  /** A closed segment's size or timestamps changed (index rebuild cut a damaged tail). */
  changed(): void {
    this.prefixMaxTimestamp = null;
    this.closedBytes = null;
  }

  private prefixMax(): number[] {
    if (this.prefixMaxTimestamp === null) {
      const prefix: number[] = [];
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < this.list.length - 1; i++) {
        max = Math.max(max, (this.list[i] as LogSegment).maxTimestamp);
        prefix.push(max);
      }
      this.prefixMaxTimestamp = prefix;
    }
    return this.prefixMaxTimestamp;
  }
}
