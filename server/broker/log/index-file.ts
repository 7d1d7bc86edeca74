import fs from 'node:fs';
import type { DiskFaultInjector } from './disk-faults';
import { errnoCode, writeFileAtomicSync, writeFully } from './log-files';

/**
 * The storage shared by OffsetIndex and TimeIndex: fixed-size big-endian entries, in memory as
 * the file's own bytes. The active segment's index is appended to entry by entry (so that
 * recovery after a crash can start from its last entry); a closed segment's index is read whole
 * on first use and dropped again when the log's index LRU evicts it.
 */
export abstract class IndexFile {
  private data: Buffer | null = null;
  private count = 0;
  private fd: number | null = null;

  protected constructor(
    public path: string,
    readonly entrySize: number,
  ) {}

  get isLoaded(): boolean {
    return this.data !== null;
  }

  get entryCount(): number {
    return this.data === null ? 0 : this.count;
  }

  /** The file's bytes; an absent file reads as empty (a crash between creating the segment's files). */
  readFile(): Buffer {
    try {
      return fs.readFileSync(this.path);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return Buffer.alloc(0);
      throw error;
    }
  }

  /** Takes `buf` as the entries; a trailing partial entry is ignored. */
  adopt(buf: Buffer): void {
    this.data = buf;
    this.count = Math.floor(buf.length / this.entrySize);
  }

  /** Drops the in-memory entries of a closed segment; an open writer keeps them. */
  release(): void {
    if (this.fd === null) this.data = null;
  }

  openWriter(): void {
    if (this.data === null) this.adopt(Buffer.alloc(0));
    this.fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    // A torn entry at the end (crash mid-write) must not sit under the next append.
    fs.ftruncateSync(this.fd, this.count * this.entrySize);
  }

  closeWriter(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.closeSync(fd);
  }

  protected entry(i: number): Buffer {
    if (this.data === null) throw new Error(`Index ${this.path} is not loaded`);
    return this.data.subarray(i * this.entrySize, (i + 1) * this.entrySize);
  }

  protected buffer(): Buffer {
    if (this.data === null) throw new Error(`Index ${this.path} is not loaded`);
    return this.data;
  }

  /** Writes one entry at the end of the file, then keeps it in memory. */
  protected appendEntry(entry: Buffer, faults?: DiskFaultInjector): void {
    const at = this.count * this.entrySize;
    if (this.fd !== null) writeFully(this.fd, entry, at, faults);
    let data = this.buffer();
    if (data.length < at + this.entrySize) {
      const grown = Buffer.allocUnsafe(Math.max(64 * this.entrySize, data.length * 2));
      data.copy(grown, 0, 0, at);
      data = grown;
      this.data = grown;
    }
    entry.copy(data, at);
    this.count += 1;
  }

  /** Keeps the first `n` entries (rollback of a failed append, recovery). */
  truncateEntries(n: number): void {
    this.count = Math.min(this.count, n);
    if (this.fd !== null) fs.ftruncateSync(this.fd, this.count * this.entrySize);
  }

  /** fsyncs the open writer (recovery, before the log serves). */
  syncWriter(): void {
    if (this.fd !== null) fs.fdatasyncSync(this.fd);
  }

  /** Writes the in-memory entries as the whole file (after a rebuild). */
  persist(): void {
    const bytes = this.buffer().subarray(0, this.count * this.entrySize);
    if (this.fd !== null) {
      fs.ftruncateSync(this.fd, 0);
      writeFully(this.fd, bytes, 0);
    } else {
      writeFileAtomicSync(this.path, bytes);
    }
  }
}

/** Reads an i64 as two i32 halves: exact for |value| < 2^53, and no BigInt on the lookup path. */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 0x1_0000_0000 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, value: number, pos: number): void {
  const high = Math.floor(value / 0x1_0000_0000);
  buf.writeInt32BE(high, pos);
  buf.writeUInt32BE(value - high * 0x1_0000_0000, pos + 4);
}
