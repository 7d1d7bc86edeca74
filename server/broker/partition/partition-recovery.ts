import { BATCH, type BatchHeader, batchSize, readBatchHeader } from '../log/batch-header';
import type { Log } from '../log/log';
import { ProducerStateManager } from '../producers/producer-state-manager';
import { readProducerStateSnapshot, writeProducerStateSnapshot } from '../producers/producer-state-snapshot';

/**
 * Rebuilding a partition's idempotent-producer state when its actor starts, as Kafka's
 * ProducerStateManager does on log load: the newest snapshot not beyond the recovered log end,
 * then the headers of the batches stored after it. No record is decoded. Snapshots are written
 * at a clean close and by the retention worker's periodic maintenance, so that the tail to replay
 * after a crash stays short.
 */

/** Bytes read per step while replaying headers. */
const SCAN_BYTES = 1024 * 1024;

/** The headers of the stored batches from `from` to the log end, in offset order. */
export function* storedBatchHeaders(log: Log, from: number): Generator<BatchHeader> {
  let offset = Math.max(from, log.logStartOffset);
  const end = log.logEndOffset;
  while (offset < end) {
    const { records } = log.read(offset, SCAN_BYTES, { minOneBatch: true });
    let next = offset;
    let pos = 0;
    while (records.length - pos >= BATCH.HEADER_SIZE) {
      const size = batchSize(records, pos);
      if (size < BATCH.HEADER_SIZE || pos + size > records.length) break;
      const header = readBatchHeader(records, pos);
      if (header.baseOffset + header.lastOffsetDelta >= offset) yield header;
      next = Math.max(next, header.baseOffset + header.lastOffsetDelta + 1);
      pos += size;
    }
    if (next > offset) {
      offset = next;
      continue;
    }
    // Nothing at `offset` (a gap left by compaction at a segment's end): go on at the next segment.
    const following = log.segments().find((s) => s.baseOffset > offset);
    if (following === undefined) return;
    offset = following.baseOffset;
  }
}

export async function recoverProducerState(
  log: Log,
  topicPartition: string,
  now: number,
): Promise<ProducerStateManager> {
  const producers = new ProducerStateManager({ topicPartition });
  const snapshot = await readProducerStateSnapshot(log.dir, log.logEndOffset);
  if (snapshot !== undefined) producers.loadSnapshot(snapshot, now);
  producers.rebuild(storedBatchHeaders(log, producers.mapEndOffset), {
    logStartOffset: log.logStartOffset,
    nowMs: now,
  });
  return producers;
}

/** Writes a snapshot unless one at this offset was already written by this incarnation. */
export class ProducerSnapshots {
  private lastWritten = -1;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {}

  write(producers: ProducerStateManager): Promise<void> {
    const snapshot = producers.snapshot();
    if (snapshot.offset === this.lastWritten) return this.writing;
    this.lastWritten = snapshot.offset;
    // One write at a time, in order: a later snapshot never loses to an earlier one.
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => writeProducerStateSnapshot(this.dir, snapshot))
      .catch((error: unknown) => {
        this.lastWritten = -1;
        throw error;
      });
    return this.writing;
  }

  /** Waits for the write under way, ignoring its failure (the next one retries). */
  settle(): Promise<void> {
    return this.writing.catch(() => undefined);
  }
}
