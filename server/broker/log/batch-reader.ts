import { readAt, readInto } from './log-files';

/**
 * Lookups (offset, timestamp) only take numbers out of what they read and finish before any
 * other lookup starts (all synchronous), so they share one read buffer instead of allocating
 * a chunk per lookup: thousands of lookups a second would otherwise churn the GC.
 */
const SHARED_SCRATCH = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * Sequential access to a segment's bytes through one read-ahead buffer, so that walking batch
 * headers costs one read per chunk rather than one per batch. Views returned are only valid
 * until the next call, and with `shared` until any other shared reader reads: callers copy
 * what they keep and never hold two shared readers at once.
 */
export class BatchReader {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;

  constructor(
    private readonly fd: number,
    /** Exclusive end: bytes past it (uncommitted or torn) are never read. */
    private readonly end: number,
    private readonly chunkSize: number,
    private readonly shared = false,
  ) {}

  /** Bytes [position, position + length), or null when they run past the end. */
  view(position: number, length: number): Buffer | null {
    if (length < 0 || position < 0 || position + length > this.end) return null;
    const from = position - this.chunkStart;
    if (from >= 0 && from + length <= this.chunk.length) return this.chunk.subarray(from, from + length);
    const size = Math.min(this.end - position, Math.max(this.chunkSize, length));
    this.chunk =
      this.shared && size <= SHARED_SCRATCH.length
        ? readInto(this.fd, SHARED_SCRATCH.subarray(0, size), position)
        : readAt(this.fd, size, position);
    this.chunkStart = position;
    return this.chunk.length >= length ? this.chunk.subarray(0, length) : null;
  }
}
