import type { BrokerContext } from '../broker-context';
import { BrokerError } from '../errors';
import type { PartitionHandle } from '../partition/partition-handle';

/**
 * Produce of a prepared RecordBatch (the Kafka door). The batch is validated by the log (magic,
 * length, CRC, record count, max.message.bytes) and by the partition's producer state
 * (sequence, epoch, duplicates); the records themselves are never decoded, and the buffer is
 * written as it is, with its offsets assigned in place.
 *
 * acks: on a single broker 1 and -1 (all) mean the same: answered once the batch is in the log
 * (and fsynced when the topic asks for it). 0 is served the same way; not answering is the
 * door's business.
 */
export type Acks = 0 | 1 | -1;

export interface ProduceOptions {
  acks: Acks;
  /** Deadline for the append (REQUEST_TIMED_OUT past it); default the broker's requestTimeoutMs. */
  timeoutMs?: number;
}

export interface ProduceResult {
  baseOffset: number;
  lastOffset: number;
  /** Kafka's ProduceResponse: the broker's timestamp on LogAppendTime topics, -1 otherwise. */
  logAppendTime: number;
  logStartOffset: number;
  recordCount: number;
  /** A retried idempotent batch answered with its original offsets; nothing was written. */
  duplicate: boolean;
}

export function checkTimeout(timeoutMs: number | undefined, fallback: number): number {
  if (timeoutMs === undefined) return fallback;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new BrokerError(
      'INVALID_REQUEST',
      `timeoutMs must be a positive integer, got ${String(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

function checkAcks(acks: unknown): void {
  if (acks !== 0 && acks !== 1 && acks !== -1) {
    throw new BrokerError('INVALID_REQUEST', `acks must be 0, 1 or -1 (all), got ${String(acks)}`);
  }
}

export async function appendBatch(
  handle: PartitionHandle,
  batch: Buffer,
  timeoutMs: number,
): Promise<ProduceResult> {
  let reply;
  try {
    reply = await handle.ref.ask({ type: 'append', batch }, timeoutMs);
  } catch (error) {
    throw handle.wrapError(error);
  }
  if (!reply.ok) throw reply.error;
  const outcome = reply.value;
  await outcome.durable;
  return {
    baseOffset: outcome.baseOffset,
    lastOffset: outcome.lastOffset,
    logAppendTime: outcome.logAppendTime,
    logStartOffset: outcome.logStartOffset,
    recordCount: outcome.recordCount,
    duplicate: outcome.duplicate,
  };
}

export async function produce(
  ctx: BrokerContext,
  topic: string,
  partition: number,
  batch: Buffer,
  options: ProduceOptions,
): Promise<ProduceResult> {
  checkAcks(options.acks);
  if (!Buffer.isBuffer(batch)) throw new BrokerError('CORRUPT_MESSAGE', 'The record batch must be a Buffer');
  const handle = ctx.registry.partition(topic, partition);
  return appendBatch(handle, batch, checkTimeout(options.timeoutMs, ctx.options.requestTimeoutMs));
}
