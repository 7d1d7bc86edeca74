import { readAt } from './log-files';

/**
 * Sequential access to a segment's bytes through one read-ahead buffer, so that walking batch
 * headers costs one read per chunk rather than one per batch. Views returned are only valid
 * until the next call.
 */
export class BatchReader {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;

  constructor(
    private readonly fd: number,
    /** Exclusive end: bytes past it (uncommitted or torn) are never read. */
    private readonly end: number,
    private readonly chunkSize: number,
  ) {}

  /** Bytes [position, position + length), or null when they run past the end. */
  view(position: number, length: number): Buffer | null {
    if (length < 0 || position < 0 || position + length > this.end) return null;
    const from = position - this.chunkStart;
    if (from >= 0 && from + length <= this.chunk.length) return this.chunk.subarray(from, from + length);
    const size = Math.min(this.end - position, Math.max(this.chunkSize, length));
    this.chunk = readAt(this.fd, size, position);
    this.chunkStart = position;
    return this.chunk.length >= length ? this.chunk.subarray(0, length) : null;
  }
}
