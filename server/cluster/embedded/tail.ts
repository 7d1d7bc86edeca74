import type { Broker, FetchPartitionResult } from '../../broker/broker';
import { isBrokerError } from '../../broker/errors';
import type { DecodedRecord } from '../../broker/log/record';
import { decodeBatches } from '../../broker/log/record-batch';
import { ClusterError } from '../cluster';
import type { ClusterRecord, MessageFilter, TailBatch, TailRequest } from '../types';
import { guard, toClusterError } from './errors';
import { sleep } from './live-queue';
import { fromDecoded } from './payloads';

/**
 * The live tail: a consumer of the topic's partitions from their end offsets (or a cursor), woken
 * by appends through Fetch's long poll rather than polling on a timer. Each batch carries the
 * cursor that resumes after it. Partitions added to the topic while tailing are followed from
 * their start; an offline partition is retried every second; a deleted topic ends the stream.
 */
const MAX_WAIT_MS = 30_000;
const PARTITION_BYTES = 1024 * 1024;
const RESPONSE_BYTES = 4 * 1024 * 1024;
const RETRY_MS = 1000;

interface TailCursor {
  v: 1;
  topic: string;
  /** [partition, next offset] */
  p: [number, number][];
}

export function encodeTailCursor(topic: string, positions: Map<number, number>): string {
  const cursor: TailCursor = { v: 1, topic, p: [...positions] };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeTailCursor(text: string, topic: string): Map<number, number> {
  const invalid = new ClusterError(
    'INVALID_ARGUMENT',
    'This tail position is not valid: start the tail again',
    {
      field: 'cursor',
    },
  );
  let cursor: TailCursor;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as TailCursor;
  } catch {
    throw invalid;
  }
  const valid =
    cursor?.v === 1 &&
    cursor.topic === topic &&
    Array.isArray(cursor.p) &&
    cursor.p.every(
      (e) =>
        Array.isArray(e) && e.length === 2 && e.every((n) => Number.isSafeInteger(n) && (n as number) >= 0),
    );
  if (!valid) throw invalid;
  return new Map(cursor.p);
}

function contains(bytes: Buffer | null, needle: string): boolean {
  return bytes !== null && bytes.toString('utf8').toLowerCase().includes(needle);
}

/** The browse filter's rule: case-insensitive substrings, every one that is set must match. */
export function filterMatcher(filter: MessageFilter | undefined): (record: DecodedRecord) => boolean {
  const key = filter?.key?.toLowerCase() || undefined;
  const value = filter?.value?.toLowerCase() || undefined;
  const header = filter?.header?.toLowerCase() || undefined;
  return (record) =>
    (key === undefined || contains(record.key, key)) &&
    (value === undefined || contains(record.value, value)) &&
    (header === undefined ||
      record.headers.some((h) => h.key.toLowerCase().includes(header) || contains(h.value, header)));
}

async function startPositions(broker: Broker, request: TailRequest): Promise<Map<number, number>> {
  const count = broker.partitionCount(request.topic);
  if (count === undefined) {
    throw new ClusterError('NOT_FOUND', `Topic '${request.topic}' does not exist`, { field: 'topic' });
  }
  if (request.resumeFrom !== undefined) return decodeTailCursor(request.resumeFrom, request.topic);
  const chosen = request.partitions ?? Array.from({ length: count }, (_, p) => p);
  const ends = await guard(
    () =>
      Promise.all(
        chosen.map(async (p) => [p, (await broker.listOffsets(request.topic, p, 'latest')).offset] as const),
      ),
    { UNKNOWN_TOPIC_OR_PARTITION: 'partitions' },
  );
  return new Map(ends);
}

/** Moves `positions` past what one partition's result holds; returns its matching records. */
function consume(
  request: TailRequest,
  result: FetchPartitionResult,
  positions: Map<number, number>,
  accept: (record: DecodedRecord) => boolean,
): ClusterRecord[] {
  const from = positions.get(result.partition) ?? 0;
  let next = from;
  const records: ClusterRecord[] = [];
  for (const batch of decodeBatches(result.records)) {
    next = Math.max(next, batch.header.baseOffset + batch.header.lastOffsetDelta + 1);
    if (batch.isControl) continue;
    for (const record of batch.records) {
      if (record.offset < from || !accept(record)) continue;
      records.push(
        fromDecoded(request.topic, result.partition, record, batch.timestampType, request.previewBytes),
      );
    }
  }
  positions.set(result.partition, next);
  return records;
}

export async function* tailMessages(
  broker: Broker,
  request: TailRequest,
  signal: AbortSignal,
): AsyncGenerator<TailBatch, void, undefined> {
  const positions = await startPositions(broker, request);
  const accept = filterMatcher(request.filter);
  while (!signal.aborted) {
    if (request.partitions === undefined) {
      const count = broker.partitionCount(request.topic) ?? 0;
      for (let p = 0; p < count; p++) if (!positions.has(p)) positions.set(p, 0);
    }
    let response;
    try {
      response = await broker.fetch({
        partitions: [...positions].map(([partition, offset]) => ({
          topic: request.topic,
          partition,
          offset,
          maxBytes: PARTITION_BYTES,
        })),
        maxWaitMs: MAX_WAIT_MS,
        minBytes: 1,
        maxBytes: RESPONSE_BYTES,
        signal,
      });
    } catch (error) {
      if (signal.aborted) return;
      throw toClusterError(error);
    }
    const records: ClusterRecord[] = [];
    let waiting = false;
    for (const result of response.partitions) {
      if (result.error === undefined) {
        records.push(...consume(request, result, positions, accept));
      } else if (isBrokerError(result.error, 'OFFSET_OUT_OF_RANGE')) {
        // Records were deleted under the tail (retention, purge): go on from the new start.
        const at = positions.get(result.partition) ?? 0;
        positions.set(
          result.partition,
          at < result.logStartOffset ? result.logStartOffset : result.highWatermark,
        );
      } else if (isBrokerError(result.error, 'UNKNOWN_TOPIC_OR_PARTITION')) {
        throw toClusterError(result.error);
      } else {
        waiting = true; // offline or restarting: the next round asks again
      }
    }
    if (records.length > 0) {
      records.sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset);
      yield { cursor: encodeTailCursor(request.topic, positions), records };
    } else if (waiting) {
      await sleep(RETRY_MS, signal);
    }
  }
}
