/**
 * One producer's state in one partition, after Kafka's ProducerStateEntry: its current epoch and
 * the metadata of its last few batches, enough to recognise a retried batch and answer it with the
 * offsets it was first written at.
 */

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
/** Kafka's NUM_BATCHES_TO_RETAIN: the producer has at most 5 in-flight requests per connection. */
export const NUM_BATCHES_TO_RETAIN = 5;
const INT32_MAX = 0x7fffffff;

/** The header fields the producer state needs; `BatchHeader` from log/batch-header satisfies it. */
export interface ProducerBatchHeader {
  baseOffset: number;
  lastOffsetDelta: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  maxTimestamp: number;
  attributes: number;
}

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
  /** The batch's maxTimestamp (Kafka keeps it to answer a duplicate with its LogAppendTime). */
  timestamp: number;
}

/** Sequences are Int32 and wrap from 2^31-1 to 0, as in Kafka's DefaultRecordBatch. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

export function decrementSequence(sequence: number, decrement: number): number {
  if (sequence < decrement) return INT32_MAX - (decrement - sequence) + 1;
  return sequence - decrement;
}

/** Kafka's inSequence: `next` directly follows `last`, across the wrap. */
export function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

/** Kafka derives a batch's last sequence from lastOffsetDelta, not recordCount. */
export function lastSequenceOf(header: ProducerBatchHeader): number {
  return incrementSequence(header.baseSequence, header.lastOffsetDelta);
}

export class ProducerStateEntry {
  readonly producerId: number;
  producerEpoch: number;
  /** Oldest first, at most NUM_BATCHES_TO_RETAIN, all of the current epoch. */
  readonly batches: BatchMetadata[] = [];
  /** maxTimestamp of the last batch, used for expiration as Kafka does. */
  lastTimestamp: number;

  constructor(producerId: number, producerEpoch = NO_PRODUCER_EPOCH, lastTimestamp = -1) {
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.lastTimestamp = lastTimestamp;
  }

  get isEmpty(): boolean {
    return this.batches.length === 0;
  }

  get lastSeq(): number {
    return this.batches.at(-1)?.lastSeq ?? NO_SEQUENCE;
  }

  get firstSeq(): number {
    return this.batches[0]?.firstSeq ?? NO_SEQUENCE;
  }

  /** The last offset this producer wrote data at, or -1. */
  get lastDataOffset(): number {
    return this.batches.at(-1)?.lastOffset ?? -1;
  }

  /** A new epoch starts a new sequence space: what was retained for the old one no longer applies. */
  maybeUpdateProducerEpoch(producerEpoch: number): void {
    if (this.producerEpoch !== producerEpoch) {
      this.batches.length = 0;
      this.producerEpoch = producerEpoch;
    }
  }

  addBatch(batch: BatchMetadata): void {
    this.batches.push(batch);
    if (this.batches.length > NUM_BATCHES_TO_RETAIN) this.batches.shift();
    this.lastTimestamp = batch.timestamp;
  }

  /** A retained batch with exactly the same epoch and sequence range, as Kafka's findDuplicateBatch. */
  findDuplicateBatch(header: ProducerBatchHeader): BatchMetadata | undefined {
    if (header.producerEpoch !== this.producerEpoch) return undefined;
    const lastSeq = lastSequenceOf(header);
    return this.batches.find((b) => b.firstSeq === header.baseSequence && b.lastSeq === lastSeq);
  }
}
