import type { Replies } from '../actors';
import type { BrokerError } from '../errors';
import type { CompactResult, ReadResult, SegmentInfo } from '../log/log';

/**
 * The partition actor's messages. Handlers answer request-level failures (a corrupt batch, an
 * offset out of range, a sequence gap) as `Outcome` values rather than by throwing: a throw is a
 * failure of the actor itself and goes to its supervisor (restart, reopen the log). Only storage
 * failures and bugs are thrown.
 */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BrokerError };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function failed<T>(error: BrokerError): Outcome<T> {
  return { ok: false, error };
}

export interface AppendOutcome {
  baseOffset: number;
  lastOffset: number;
  /** The broker's timestamp on LogAppendTime topics, -1 on CreateTime topics (Kafka's ProduceResponse). */
  logAppendTime: number;
  logStartOffset: number;
  recordCount: number;
  /** A retried idempotent batch: these are the offsets it was first written at; nothing was written. */
  duplicate: boolean;
  /**
   * Settles once the batch is as durable as the topic asks (fsync before ack, flush.messages);
   * already settled otherwise. Kept out of the actor's turn so that appends behind it proceed and
   * share one fsync (group commit).
   */
  durable: Promise<void>;
}

/** Kafka's ListOffsets specs; the door maps -2 / -1 / -3 to these. */
export type OffsetSpec = 'earliest' | 'latest' | 'max-timestamp' | { timestamp: number };

/** Kafka's answer: offset and timestamp, -1 for "none" (e.g. no record at or after the timestamp). */
export interface OffsetAndTimestamp {
  offset: number;
  timestamp: number;
}

export interface Watermarks {
  logStartOffset: number;
  logEndOffset: number;
}

export interface PartitionLogStatus extends Watermarks {
  sizeInBytes: number;
  segments: SegmentInfo[];
  /** The base timestamp of the first stored batch (its first record's, as producers write it), or null. */
  firstTimestamp: number | null;
  /** The largest record timestamp stored, or null when empty. */
  maxTimestamp: number | null;
  producers: number;
}

/** A read, with the partition's appended-bytes counter as it was when the read was served. */
export interface PartitionRead extends ReadResult {
  appendedBytes: number;
}

export interface ReadRequest {
  offset: number;
  maxBytes: number;
  /** Return the first batch even when it is larger than maxBytes (Kafka's minOneMessage). */
  minOneBatch: boolean;
}

export type PartitionMessage =
  | ({ type: 'append'; batch: Buffer } & Replies<Outcome<AppendOutcome>>)
  | ({ type: 'read' } & ReadRequest & Replies<Outcome<PartitionRead>>)
  | ({ type: 'listOffset'; spec: OffsetSpec } & Replies<Outcome<OffsetAndTimestamp>>)
  | ({ type: 'watermarks' } & Replies<Watermarks>)
  | ({ type: 'status' } & Replies<PartitionLogStatus>)
  | ({ type: 'deleteRecords'; offset: number } & Replies<Outcome<number>>)
  | ({ type: 'truncateFully' } & Replies<Outcome<number>>)
  | ({ type: 'updateConfig' } & Replies<Outcome<void>>)
  | ({ type: 'enforceRetention'; now: number } & Replies<{ deletedSegments: number; bytes: number }>)
  | ({ type: 'compact'; now: number } & Replies<{ done: Promise<CompactResult> }>)
  | ({ type: 'maintainProducers'; now: number } & Replies<{ done: Promise<void> }>)
  /** An fsync failed after the actor's turn; `incarnation` keeps a late report from failing a newer one. */
  | { type: 'storageFailed'; error: Error; incarnation: object };
