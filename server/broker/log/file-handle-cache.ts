import fs from 'node:fs';
import { LruCache } from './lru-cache';

/**
 * Read-only descriptors of closed segments' .log files, opened on first read and closed when
 * they fall out of the LRU, so a partition with thousands of segments holds at most `capacity`.
 * Reads are synchronous, so a descriptor is never closed while a read uses it.
 */
export class FileHandleCache {
  private readonly lru: LruCache<string, number>;

  constructor(capacity: number) {
    this.lru = new LruCache(capacity, (_path, fd) => {
      try {
        fs.closeSync(fd);
      } catch {
        // Closing a read-only descriptor cannot lose data; nothing to do if it fails.
      }
    });
  }

  get openCount(): number {
    return this.lru.size;
  }

  fd(file: string): number {
    const cached = this.lru.get(file);
    if (cached !== undefined) return cached;
    const fd = fs.openSync(file, 'r');
    this.lru.set(file, fd);
    return fd;
  }

  /** Forgets a file about to be renamed or deleted, closing its descriptor. */
  release(file: string): void {
    this.lru.evict(file);
  }

  closeAll(): void {
    this.lru.clear();
  }
}
