import type { Scheduler } from '../actors';
import type { PartitionHandle } from '../partition/partition-handle';

/**
 * The wait of a long-polling fetch (Kafka's DelayedFetch): listens to appends on the requested
 * partitions and wakes once `neededBytes` more bytes were appended, when the deadline passes, when
 * a partition changes otherwise (truncated, deleted, offline), on abort, or when the broker stops.
 * One timer and one listener per partition; nothing polls.
 */
export class FetchWaiters {
  private readonly active = new Set<() => void>();

  constructor(private readonly scheduler: Scheduler) {}

  get size(): number {
    return this.active.size;
  }

  /**
   * `baselines[i]` is handles[i].appendedBytes when its read was served: what was appended since
   * (before this wait began listening) counts too, so no append can slip between read and wait.
   */
  wait(
    handles: readonly PartitionHandle[],
    baselines: readonly number[],
    neededBytes: number,
    maxWaitMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    return new Promise<void>((resolve) => {
      let appended = 0;
      handles.forEach((h, i) => (appended += h.appendedBytes - (baselines[i] ?? h.appendedBytes)));
      let finished = false;
      const removals: (() => void)[] = [];
      const finish = (): void => {
        if (finished) return;
        finished = true;
        this.scheduler.clearTimeout(timer);
        for (const remove of removals) remove();
        signal?.removeEventListener('abort', finish);
        this.active.delete(finish);
        resolve();
      };
      const timer = this.scheduler.setTimeout(finish, maxWaitMs, undefined);
      this.active.add(finish);
      for (const handle of handles) {
        removals.push(
          handle.listen((bytes) => {
            appended += bytes;
            if (appended >= neededBytes) finish();
          }),
        );
      }
      if (appended >= neededBytes) finish();
      if (signal !== undefined) {
        if (signal.aborted) finish();
        else signal.addEventListener('abort', finish);
      }
    });
  }

  /** Broker stop: every waiting fetch answers now. */
  wakeAll(): void {
    for (const finish of [...this.active]) finish();
  }
}
