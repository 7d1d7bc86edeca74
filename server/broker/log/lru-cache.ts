/**
 * A least-recently-used map with an eviction callback, bounding resources held per closed
 * segment (file descriptors, index buffers) however many segments a partition has.
 * A Map iterates in insertion order, so re-inserting on access keeps the oldest entry first.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(
    private capacity: number,
    private readonly onEvict: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.trim();
  }

  /** Removes the entry, running the eviction callback so its resource is released. */
  evict(key: K): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.onEvict(key, value);
  }

  setCapacity(capacity: number): void {
    this.capacity = capacity;
    this.trim();
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.evict(key);
  }

  private trim(): void {
    while (this.entries.size > Math.max(0, this.capacity)) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.evict(oldest.value);
    }
  }
}
