/**
 * Splits a connection's byte stream into Kafka frames (int32 size, then `size` bytes).
 *
 * Chunks are kept as a list and a frame is assembled only once all of its bytes have arrived, so
 * every byte is copied at most once however finely the stream is split (no quadratic re-concat).
 * A frame that lies inside one chunk is returned as a view of it, without copying. The declared
 * size is checked the moment its four bytes are known, before anything is allocated for it.
 */

/** Kafka's `socket.request.max.bytes` default: 100 MiB. */
export const DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;

export class FrameSizeError extends Error {
  override readonly name = 'FrameSizeError';

  constructor(
    readonly size: number,
    readonly max: number,
  ) {
    super(
      size <= 0
        ? `invalid frame size ${size}`
        : `frame size ${size} exceeds socket.request.max.bytes (${max})`,
    );
  }
}

export class FrameDecoder {
  private readonly chunks: Buffer[] = [];
  /** Bytes of `chunks[0]` already consumed. */
  private headOffset = 0;
  private buffered = 0;
  /** Size of the frame being assembled, once its prefix has been read; -1 before. */
  private pendingSize = -1;

  constructor(private readonly maxFrameBytes: number = DEFAULT_MAX_REQUEST_BYTES) {}

  /** Bytes received and not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /**
   * The next complete frame's payload (without its size prefix), or undefined until more bytes
   * arrive. Throws FrameSizeError for a size that is zero, negative or above the maximum; the
   * caller must then drop the connection (the stream cannot be resynchronised).
   */
  next(): Buffer | undefined {
    if (this.pendingSize < 0) {
      if (this.buffered < 4) return undefined;
      const size = this.take(4).readInt32BE(0);
      if (size <= 0 || size > this.maxFrameBytes) throw new FrameSizeError(size, this.maxFrameBytes);
      this.pendingSize = size;
    }
    if (this.buffered < this.pendingSize) return undefined;
    const frame = this.take(this.pendingSize);
    this.pendingSize = -1;
    return frame;
  }

  /** Takes `n` <= buffered bytes off the front: a view when they lie in one chunk, else one copy. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const head = this.chunks[0] as Buffer;
    const inHead = head.length - this.headOffset;
    if (n <= inHead) {
      const out = head.subarray(this.headOffset, this.headOffset + n);
      this.advanceHead(n, inHead);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let used = 0;
    let headOffset = this.headOffset;
    while (filled < n) {
      const chunk = this.chunks[used] as Buffer;
      const count = Math.min(chunk.length - headOffset, n - filled);
      chunk.copy(out, filled, headOffset, headOffset + count);
      filled += count;
      if (headOffset + count === chunk.length) {
        used++;
        headOffset = 0;
      } else {
        headOffset += count;
      }
    }
    // One splice per frame, not one shift per chunk: linear in the number of chunks consumed.
    this.chunks.splice(0, used);
    this.headOffset = headOffset;
    return out;
  }

  private advanceHead(n: number, inHead: number): void {
    if (n === inHead) {
      this.chunks.shift();
      this.headOffset = 0;
    } else {
      this.headOffset += n;
    }
  }
}
