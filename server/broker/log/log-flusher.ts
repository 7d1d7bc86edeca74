import fs from 'node:fs';
import type { LogConfig } from './log-config';
import { fdatasync } from './log-files';

/** setTimeout's ceiling: a longer flush.ms (Kafka's "never") must not fire at once. */
const MAX_TIMER_MS = 0x7fffffff;

/**
 * When the log's bytes reach the disk. Writes land in the page cache and are acknowledged
 * there; fsync follows flush.messages, flush.ms or fsyncBeforeAck. Concurrent appends that must
 * wait for an fsync share one (group commit): an append waits for the first fsync that *started*
 * after its write, so appends arriving during an fsync are covered by the next single one.
 *
 * A failed fsync is final for the flusher: on Linux the kernel may have dropped the dirty pages
 * and reports the error once, so a second fsync could "succeed" without the bytes ever reaching
 * the disk. Every later flush fails with the first error, and so does close: no clean-shutdown
 * marker, and the next open re-validates and fsyncs the active segment.
 */
export class LogFlusher {
  private written = 0;
  private flushed = 0;
  private inFlight: Promise<void> | null = null;
  private readonly retiring = new Set<Promise<void>>();
  private unflushedRecords = 0;
  private timer: NodeJS.Timeout | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly activeFd: () => number | null,
    private readonly config: () => LogConfig,
    private readonly onBackgroundError: (error: unknown) => void,
  ) {}

  /** After a write: the fsync the acknowledgement must wait for, or null. */
  afterWrite(records: number): Promise<void> | null {
    this.written += 1;
    this.unflushedRecords += records;
    const config = this.config();
    if (config.fsyncBeforeAck || this.unflushedRecords >= config.flushMessages) {
      this.unflushedRecords = 0;
      return this.flushUpTo(this.written);
    }
    if (this.timer === null && config.flushMs < MAX_TIMER_MS) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush().catch(this.onBackgroundError);
      }, config.flushMs);
      this.timer.unref();
    }
    return null;
  }

  flush(): Promise<void> {
    return this.flushUpTo(this.written);
  }

  private async flushUpTo(target: number): Promise<void> {
    while (this.flushed < target || this.failure !== null) {
      if (this.failure !== null) throw this.failure.error;
      if (this.inFlight !== null) {
        await this.inFlight;
        continue;
      }
      const covers = this.written;
      const attempt = this.fsyncAll().then(
        () => {
          this.flushed = Math.max(this.flushed, covers);
        },
        (error: unknown) => {
          this.failure ??= { error };
          throw error;
        },
      );
      this.inFlight = attempt;
      try {
        await attempt;
      } finally {
        if (this.inFlight === attempt) this.inFlight = null;
      }
    }
  }

  private async fsyncAll(): Promise<void> {
    const fd = this.activeFd();
    const pending = [...this.retiring];
    await Promise.all([fd === null ? undefined : fdatasync(fd), ...pending]);
  }

  /**
   * Takes the descriptor of a rolled or removed segment: synced (as Kafka flushes a segment when
   * it rolls) and closed once no fsync in flight can still be using it.
   */
  retire(fd: number, sync: boolean): void {
    const before = this.inFlight;
    const task = (async () => {
      try {
        if (before !== null) await before.catch(() => undefined);
        if (sync) await fdatasync(fd);
      } finally {
        fs.closeSync(fd);
      }
    })();
    this.retiring.add(task);
    task.then(
      () => this.retiring.delete(task),
      (error: unknown) => {
        this.retiring.delete(task);
        this.failure ??= { error };
        this.onBackgroundError(error);
      },
    );
  }

  /** Flushes everything and waits for retired descriptors to close. */
  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    try {
      await this.flush();
    } finally {
      await Promise.allSettled([...this.retiring]);
    }
  }
}
