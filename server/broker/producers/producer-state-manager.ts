import { BrokerError } from '../errors';
import {
  type BatchMetadata,
  type ProducerBatchHeader,
  NO_PRODUCER_EPOCH,
  ProducerStateEntry,
  inSequence,
  lastSequenceOf,
} from './producer-state-entry';
import { type ProducerStateSnapshot, parseProducerStateSnapshot } from './producer-state-snapshot';

/**
 * Idempotent producer state of one partition, after Kafka's ProducerStateManager.
 *
 * The partition actor, for each batch with a producer id (>= 0):
 *   1. `checkAppend(header)`: pure; throws the Kafka error, or says the batch is a duplicate (answer
 *      with the original offsets and write nothing), or lets it through;
 *   2. writes the batch at the offset it assigns;
 *   3. `onAppended(header, baseOffset)`: records it.
 * Nothing changes if the write fails between 1 and 3. The actor processes one message at a time,
 * so no other append can slip in between.
 *
 * On start: `loadSnapshot()` of the newest snapshot not beyond the log end (if any), then
 * `rebuild()` from the stored batch headers from `mapEndOffset` on (or from the log start without a
 * snapshot). Headers only: no record is decoded. Whenever the log is truncated below
 * `mapEndOffset` (torn tail, purge), `reset()` and rebuild.
 *
 * Unknown producers (no state here, e.g. expired or never seen) follow Kafka >= 2.5 (KIP-360) by
 * default: any sequence is accepted and starts the producer's state, because clients such as
 * kafkajs treat UNKNOWN_PRODUCER_ID as fatal. `unknownProducerPolicy: 'reject'` gives Kafka
 * 0.11-2.4's behaviour: a first batch with a sequence other than 0 is UNKNOWN_PRODUCER_ID.
 */

export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000; // producer.id.expiration.ms, 1 day

export type UnknownProducerPolicy = 'accept' | 'reject';

export interface ProducerStateManagerOptions {
  /** Names the partition in error messages, e.g. "orders-3". */
  topicPartition: string;
  producerIdExpirationMs?: number;
  unknownProducerPolicy?: UnknownProducerPolicy;
}

/** The outcome of `checkAppend` when it does not throw. */
export type AppendCheck = { duplicate: null } | { duplicate: BatchMetadata };

const APPEND: AppendCheck = Object.freeze({ duplicate: null });
const CONTROL_FLAG = 0x20;

export interface RebuildOptions {
  /** Producers whose last data lies below it are dropped, as Kafka's truncateHead. */
  logStartOffset?: number;
  /** Drop producers expired at this time once the log is read. */
  nowMs?: number;
}

export class ProducerStateManager {
  readonly topicPartition: string;
  readonly producerIdExpirationMs: number;
  readonly unknownProducerPolicy: UnknownProducerPolicy;
  private readonly producers = new Map<number, ProducerStateEntry>();
  private endOffset = 0;

  constructor(options: ProducerStateManagerOptions) {
    this.topicPartition = options.topicPartition;
    this.producerIdExpirationMs = options.producerIdExpirationMs ?? DEFAULT_PRODUCER_ID_EXPIRATION_MS;
    this.unknownProducerPolicy = options.unknownProducerPolicy ?? 'accept';
  }

  /** Every batch below this offset is reflected in the state (Kafka's mapEndOffset). */
  get mapEndOffset(): number {
    return this.endOffset;
  }

  get producerCount(): number {
    return this.producers.size;
  }

  lastEntry(producerId: number): Readonly<ProducerStateEntry> | undefined {
    return this.producers.get(producerId);
  }

  checkAppend(header: ProducerBatchHeader): AppendCheck {
    const { producerId, producerEpoch, baseSequence } = header;
    if (producerId < 0) return APPEND;
    if (producerEpoch < 0) {
      throw new BrokerError(
        'INVALID_RECORD',
        `Invalid producer epoch ${producerEpoch} for producer ${producerId}`,
      );
    }
    const entry = this.producers.get(producerId);
    if ((header.attributes & CONTROL_FLAG) !== 0) {
      if (entry) this.checkProducerEpoch(entry, producerEpoch);
      return APPEND;
    }
    if (baseSequence < 0) {
      // Kafka's LogValidator: a batch with a producer id must carry a sequence.
      throw new BrokerError(
        'INVALID_RECORD',
        `Invalid sequence number ${baseSequence} in record batch with producerId ${producerId}`,
      );
    }
    if (!entry) {
      if (this.unknownProducerPolicy === 'reject' && baseSequence !== 0) {
        throw new BrokerError(
          'UNKNOWN_PRODUCER_ID',
          `Found no record of producerId=${producerId} in partition ${this.topicPartition}; ` +
            `its first batch has sequence ${baseSequence}, expected 0`,
        );
      }
      return APPEND;
    }
    const duplicate = entry.findDuplicateBatch(header);
    if (duplicate) return { duplicate };
    this.checkProducerEpoch(entry, producerEpoch);
    this.checkSequence(entry, producerEpoch, baseSequence, lastSequenceOf(header));
    return APPEND;
  }

  private checkProducerEpoch(entry: ProducerStateEntry, producerEpoch: number): void {
    if (producerEpoch < entry.producerEpoch) {
      throw new BrokerError(
        'INVALID_PRODUCER_EPOCH',
        `Epoch of producer ${entry.producerId} is ${producerEpoch}, which is smaller than the last seen ` +
          `epoch ${entry.producerEpoch} in partition ${this.topicPartition}`,
      );
    }
  }

  private checkSequence(entry: ProducerStateEntry, epoch: number, firstSeq: number, lastSeq: number): void {
    if (epoch !== entry.producerEpoch) {
      // A bumped epoch restarts the sequence space at 0.
      if (firstSeq !== 0 && entry.producerEpoch !== NO_PRODUCER_EPOCH) {
        throw new BrokerError(
          'OUT_OF_ORDER_SEQUENCE_NUMBER',
          `Invalid sequence number for new epoch of producer ${entry.producerId} in partition ` +
            `${this.topicPartition}: epoch ${epoch} must start at sequence 0, received ${firstSeq} ` +
            `(current epoch ${entry.producerEpoch})`,
        );
      }
      return;
    }
    // An entry with no batch in this epoch (epoch set by a control batch) expects sequence 0.
    const currentLastSeq = entry.lastSeq;
    if (!inSequence(currentLastSeq, firstSeq)) {
      const expected = inSequence(currentLastSeq, 0) ? 0 : currentLastSeq + 1;
      throw new BrokerError(
        'OUT_OF_ORDER_SEQUENCE_NUMBER',
        `Out of order sequence number for producer ${entry.producerId} (epoch ${epoch}) in partition ` +
          `${this.topicPartition}: expected sequence ${expected}, received ${firstSeq}..${lastSeq}`,
      );
    }
  }

  /** Records a batch written at `baseOffset` (the header's own baseOffset when read from the log). */
  onAppended(header: ProducerBatchHeader, baseOffset = header.baseOffset): void {
    const lastOffset = baseOffset + header.lastOffsetDelta;
    if (lastOffset + 1 > this.endOffset) this.endOffset = lastOffset + 1;
    const { producerId, producerEpoch } = header;
    if (producerId < 0) return;
    let entry = this.producers.get(producerId);
    if (!entry) {
      entry = new ProducerStateEntry(producerId);
      this.producers.set(producerId, entry);
    }
    if ((header.attributes & CONTROL_FLAG) !== 0) {
      // A marker carries an epoch but no sequence; it never lowers the epoch.
      if (producerEpoch > entry.producerEpoch) entry.maybeUpdateProducerEpoch(producerEpoch);
      entry.lastTimestamp = header.maxTimestamp;
      return;
    }
    entry.maybeUpdateProducerEpoch(producerEpoch);
    entry.addBatch({
      firstSeq: header.baseSequence,
      lastSeq: lastSequenceOf(header),
      firstOffset: baseOffset,
      lastOffset,
      timestamp: header.maxTimestamp,
    });
  }

  /**
   * Replays stored batch headers (ascending offsets). Those below `mapEndOffset` are already in the
   * state (from a snapshot) and are skipped, so the caller may start its scan at the segment that
   * holds `mapEndOffset` rather than at that exact batch.
   */
  rebuild(headers: Iterable<ProducerBatchHeader>, options: RebuildOptions = {}): void {
    for (const header of headers) this.replay(header);
    this.afterRebuild(options);
  }

  async rebuildAsync(
    headers: AsyncIterable<ProducerBatchHeader> | Iterable<ProducerBatchHeader>,
    options: RebuildOptions = {},
  ): Promise<void> {
    for await (const header of headers) this.replay(header);
    this.afterRebuild(options);
  }

  private replay(header: ProducerBatchHeader): void {
    if (header.baseOffset < this.endOffset) return;
    this.onAppended(header);
  }

  private afterRebuild(options: RebuildOptions): void {
    if (options.logStartOffset !== undefined) this.truncateHead(options.logStartOffset);
    if (options.nowMs !== undefined) this.removeExpiredProducers(options.nowMs);
  }

  /** Retention or DeleteRecords moved the log start: forget producers with no data left. */
  truncateHead(logStartOffset: number): void {
    for (const [id, entry] of this.producers) {
      if (entry.isEmpty || entry.lastDataOffset < logStartOffset) this.producers.delete(id);
    }
    if (this.endOffset < logStartOffset) this.endOffset = logStartOffset;
  }

  /** Forgets everything (Kafka's truncateFullyAndStartAt): the log was truncated or purged. */
  reset(startOffset = 0): void {
    this.producers.clear();
    this.endOffset = startOffset;
  }

  /** Drops producers idle for producer.id.expiration.ms; returns how many. Called on a timer. */
  removeExpiredProducers(nowMs: number): number {
    let removed = 0;
    for (const [id, entry] of this.producers) {
      if (this.isExpired(entry, nowMs)) {
        this.producers.delete(id);
        removed += 1;
      }
    }
    return removed;
  }

  private isExpired(entry: { lastTimestamp: number }, nowMs: number): boolean {
    return nowMs - entry.lastTimestamp >= this.producerIdExpirationMs;
  }

  snapshot(): ProducerStateSnapshot {
    const producers = [...this.producers.values()].map((e) => ({
      producerId: e.producerId,
      producerEpoch: e.producerEpoch,
      lastTimestamp: e.lastTimestamp,
      batches: e.batches.map((b) => ({ ...b })),
    }));
    return { version: 1, offset: this.endOffset, producers };
  }

  /**
   * Replaces the state with a snapshot read from disk. Throws CORRUPT_MESSAGE when it is not a valid
   * snapshot; the caller then discards the file and rebuilds from the log start.
   */
  loadSnapshot(data: unknown, nowMs?: number): void {
    const snapshot = parseProducerStateSnapshot(data);
    this.reset(snapshot.offset);
    for (const p of snapshot.producers) {
      if (nowMs !== undefined && this.isExpired(p, nowMs)) continue;
      const entry = new ProducerStateEntry(p.producerId, p.producerEpoch, p.lastTimestamp);
      for (const b of p.batches) entry.addBatch({ ...b });
      entry.lastTimestamp = p.lastTimestamp;
      this.producers.set(p.producerId, entry);
    }
  }
}
