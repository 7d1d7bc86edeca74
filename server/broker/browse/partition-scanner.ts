import { decodeBatches } from '../log/record-batch';
import type { Direction } from './browse-cursor';
import type { BrowseSource } from './browse-types';
import type { Candidate, Matcher } from './record-view';

/** What one browse request may read and decode before it stops and hands back a cursor. */
export interface ScanBudget {
  bytes: number;
  records: number;
  readonly maxBytes: number;
  readonly maxRecords: number;
}

const FIRST_CHUNK = 64 * 1024;
const CHUNK = 256 * 1024;
/** Backward reads aim at about this many batch bytes per step (steps are in offsets). */
const BACKWARD_TARGET_BYTES = 512 * 1024;
const MAX_BACKWARD_STEP = 1 << 20;

/**
 * Walks one partition's window [lo, hi) of offsets, forward (ascending offsets) or backward
 * (descending), decoding stored batches a chunk at a time, and finds its "head": the next record
 * in walking order that the matcher accepts. Control batches and offsets outside the window are
 * skipped. Backward walking reads forward from a step below the current bound and reverses.
 *
 * The first chunk of a request is read whatever the budget says, so that every request makes
 * progress on every partition; further chunks only while the budget lasts.
 */
export class PartitionScanner {
  /** undefined: not looked for yet; null: none left in the window. */
  head: Candidate | null | undefined = undefined;
  readonly start: number;
  private buffer: Candidate[] = [];
  private index = 0;
  private fetchPos: number;
  private examined: number;
  private fills = 0;
  private step = 16;

  constructor(
    private readonly source: BrowseSource,
    private readonly topic: string,
    readonly partition: number,
    readonly direction: Direction,
    position: number,
    readonly lo: number,
    readonly hi: number,
  ) {
    this.start = Math.min(Math.max(position, lo), hi);
    this.fetchPos = this.start;
    this.examined = this.start;
  }

  /**
   * Where the next page in the same direction continues: forward the next offset to examine,
   * backward the exclusive bound below which everything is still to examine. A head found but
   * not taken is not consumed.
   */
  position(): number {
    if (this.head)
      return this.direction === 'forward' ? this.head.record.offset : this.head.record.offset + 1;
    return this.examined;
  }

  /** Finds the head. False when the budget ran out first (the head is still unknown). */
  async resolve(budget: ScanBudget, accept: Matcher): Promise<boolean> {
    const forward = this.direction === 'forward';
    while (this.head === undefined) {
      if (this.index < this.buffer.length) {
        const candidate = this.buffer[this.index++] as Candidate;
        budget.records++;
        this.examined = forward ? candidate.record.offset + 1 : candidate.record.offset;
        if (accept(candidate)) this.head = candidate;
        continue;
      }
      // Everything below (forward) or above (backward) fetchPos has been examined, gaps included.
      this.examined = this.fetchPos;
      this.buffer = [];
      this.index = 0;
      if (forward ? this.fetchPos >= this.hi : this.fetchPos <= this.lo) {
        this.head = null;
        break;
      }
      if (this.fills > 0 && (budget.bytes >= budget.maxBytes || budget.records >= budget.maxRecords)) {
        return false;
      }
      if (forward) await this.fillForward(budget);
      else await this.fillBackward(budget);
    }
    return true;
  }

  take(): Candidate {
    const head = this.head;
    if (!head) throw new Error(`No head to take in partition ${this.partition}`);
    this.head = undefined;
    return head;
  }

  /** Decodes stored batches, keeping records in [from, to); returns the offset after the last batch. */
  private collect(bytes: Buffer, from: number, to: number, into: Candidate[]): number {
    let next = -1;
    for (const batch of decodeBatches(bytes)) {
      next = Math.max(next, batch.header.baseOffset + batch.header.lastOffsetDelta + 1);
      if (batch.isControl) continue;
      for (const record of batch.records) {
        if (record.offset >= from && record.offset < to) {
          into.push({ partition: this.partition, record, timestampType: batch.timestampType });
        }
      }
    }
    return next;
  }

  private async fillForward(budget: ScanBudget): Promise<void> {
    const bytes = await this.source.read(
      this.topic,
      this.partition,
      this.fetchPos,
      this.fills === 0 ? FIRST_CHUNK : CHUNK,
    );
    this.fills++;
    budget.bytes += bytes.length;
    const next = this.collect(bytes, this.fetchPos, this.hi, this.buffer);
    // Nothing readable at fetchPos means the log ends there.
    this.fetchPos = next > this.fetchPos ? Math.min(next, this.hi) : this.hi;
  }

  private async fillBackward(budget: ScanBudget): Promise<void> {
    const upper = this.fetchPos;
    const start = Math.max(this.lo, upper - this.step);
    const collected: Candidate[] = [];
    let bytesRead = 0;
    for (let at = start; at < upper;) {
      const bytes = await this.source.read(this.topic, this.partition, at, CHUNK);
      this.fills++;
      bytesRead += bytes.length;
      const next = this.collect(bytes, start, upper, collected);
      if (next <= at) break;
      at = next;
    }
    budget.bytes += bytesRead;
    collected.reverse();
    this.buffer = collected;
    this.index = 0;
    this.fetchPos = start;
    // Size the next step in offsets to read about BACKWARD_TARGET_BYTES; widen across empty gaps.
    const perOffset = bytesRead / Math.max(1, upper - start);
    const wanted =
      collected.length === 0 ? this.step * 4 : Math.floor(BACKWARD_TARGET_BYTES / Math.max(1, perOffset));
    this.step = Math.min(MAX_BACKWARD_STEP, Math.max(1, wanted));
  }
}
