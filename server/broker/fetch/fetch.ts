import type { BrokerContext } from '../broker-context';
import { BrokerError, isBrokerError } from '../errors';
import { BATCH } from '../log/batch-header';
import { requestPartition } from '../partition/partition-call';
import type { PartitionHandle } from '../partition/partition-handle';
import type { FetchWaiters } from './fetch-waiter';

/**
 * Fetch (Kafka's FetchRequest, without sessions): stored batches as they are on disk, per
 * partition, under per-partition and response byte limits. As in Kafka (KIP-74), the first batch
 * of the first partition that has data is returned whole even when it exceeds the limits, so a
 * consumer always progresses; later partitions get only whole batches within what is left.
 *
 * Long poll: with fewer than `minBytes` available and `maxWaitMs` > 0, the fetch waits for
 * appends to the requested partitions (see FetchWaiters) and reads again when enough bytes were
 * appended or the wait expires. A partition error (unknown, offline, offset out of range) answers
 * at once. Broker stop and `signal` end the wait early.
 */
export interface FetchPartitionRequest {
  topic: string;
  partition: number;
  offset: number;
  maxBytes: number;
}

export interface FetchRequest {
  partitions: readonly FetchPartitionRequest[];
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  /** The client went away: answer at once. */
  signal?: AbortSignal;
}

export interface FetchPartitionResult {
  topic: string;
  partition: number;
  /** Whole stored batches; the first may start before the requested offset (clients skip). */
  records: Buffer;
  /** -1 when unknown (the partition does not exist). */
  highWatermark: number;
  logStartOffset: number;
  error?: BrokerError;
}

export interface FetchResponse {
  partitions: FetchPartitionResult[];
}

const EMPTY = Buffer.alloc(0);

/**
 * The longest long poll: setTimeout's ceiling, past which Node fires after 1 ms (a client would
 * busy-loop). It is also the largest MaxWaitMs a Kafka client can send (an int32), so every
 * Kafka request keeps its own wait; larger in-process values are capped, not refused.
 */
export const MAX_FETCH_WAIT_MS = 0x7fffffff;

function checkRequest(request: FetchRequest): void {
  const nonNegative = (what: string, value: unknown): void => {
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      throw new BrokerError('INVALID_REQUEST', `Fetch ${what} must be an integer >= 0, got ${String(value)}`);
    }
  };
  nonNegative('maxWaitMs', request.maxWaitMs);
  nonNegative('minBytes', request.minBytes);
  nonNegative('maxBytes', request.maxBytes);
  if (!Array.isArray(request.partitions))
    throw new BrokerError('INVALID_REQUEST', 'Fetch partitions must be a list');
  for (const p of request.partitions) {
    nonNegative(`maxBytes of ${p.topic}-${p.partition}`, p.maxBytes);
    if (!Number.isSafeInteger(p.offset)) {
      throw new BrokerError('INVALID_REQUEST', `Fetch offset of ${p.topic}-${p.partition} is not an integer`);
    }
  }
}

/** Records in whole batches, from their headers (for the records-out meter). */
export function countRecords(records: Buffer): number {
  let count = 0;
  for (let pos = 0; records.length - pos >= BATCH.HEADER_SIZE;) {
    count += records.readInt32BE(pos + BATCH.RECORD_COUNT);
    pos += BATCH.LOG_OVERHEAD + records.readInt32BE(pos + BATCH.LENGTH);
  }
  return count;
}

interface Pass {
  results: FetchPartitionResult[];
  handles: (PartitionHandle | undefined)[];
  /** Each partition's appended-bytes counter when its read was served. */
  baselines: number[];
  bytes: number;
  failed: boolean;
}

async function readPass(ctx: BrokerContext, request: FetchRequest): Promise<Pass> {
  const pass: Pass = { results: [], handles: [], baselines: [], bytes: 0, failed: false };
  const timeout = ctx.options.requestTimeoutMs;
  for (const p of request.partitions) {
    let handle: PartitionHandle | undefined;
    try {
      handle = ctx.registry.partition(p.topic, p.partition);
      const limit = Math.max(0, Math.min(p.maxBytes, request.maxBytes - pass.bytes));
      const minOneBatch = pass.bytes === 0;
      const read = await requestPartition(
        handle,
        { type: 'read', offset: p.offset, maxBytes: limit, minOneBatch },
        timeout,
      );
      pass.results.push({
        topic: p.topic,
        partition: p.partition,
        records: read.records,
        highWatermark: read.highWatermark,
        logStartOffset: read.logStartOffset,
      });
      pass.bytes += read.records.length;
      pass.baselines.push(read.appendedBytes);
    } catch (error) {
      const typed = isBrokerError(error)
        ? error
        : (handle?.wrapError(error) ?? new BrokerError('KAFKA_STORAGE_ERROR', String(error)));
      pass.failed = true;
      pass.results.push({
        topic: p.topic,
        partition: p.partition,
        records: EMPTY,
        highWatermark: handle?.stats.logEndOffset ?? -1,
        logStartOffset: handle?.stats.logStartOffset ?? -1,
        error: typed,
      });
      pass.baselines.push(handle?.appendedBytes ?? 0);
    }
    pass.handles.push(handle);
  }
  return pass;
}

function respond(pass: Pass): FetchResponse {
  pass.results.forEach((result, i) => {
    const handle = pass.handles[i];
    if (handle !== undefined && result.records.length > 0) {
      handle.metrics.flow.onFetch(countRecords(result.records), result.records.length);
    }
  });
  return { partitions: pass.results };
}

export async function fetch(
  ctx: BrokerContext,
  waiters: FetchWaiters,
  request: FetchRequest,
): Promise<FetchResponse> {
  checkRequest(request);
  const first = await readPass(ctx, request);
  const enough = first.bytes >= request.minBytes || first.bytes >= request.maxBytes;
  if (enough || first.failed || request.maxWaitMs === 0 || ctx.stopping() || request.signal?.aborted) {
    return respond(first);
  }
  const handles = first.handles as PartitionHandle[]; // no failure: every partition resolved
  await waiters.wait(
    handles,
    first.baselines,
    request.minBytes - first.bytes,
    Math.min(request.maxWaitMs, MAX_FETCH_WAIT_MS),
    request.signal,
  );
  if (ctx.stopping()) return respond(first);
  return respond(await readPass(ctx, request));
}
