import type { BrokerContext } from '../broker-context';
import { BrokerError } from '../errors';
import type { CompressionCodec } from '../log/compression';
import type { RecordInput } from '../log/record';
import { encodeRecordBatch } from '../log/record-batch';
import type { PartitionHandle } from '../partition/partition-handle';
import type { DefaultPartitioner } from '../partitioner/default-partitioner';
import { appendBatch, checkTimeout } from './produce';

/**
 * Produce of plain records (the console's produce form, the in-process client): the broker picks
 * each record's partition with Kafka's default partitioner (murmur2 of the key; one sticky
 * partition per call for keyless records, moved on after the call), encodes one batch per
 * partition and appends them. Everything that can be refused (partitions, offline partitions,
 * timestamps, batch sizes) is checked before the first batch is written; each batch is atomic.
 */
export type Bytes = Buffer | Uint8Array | string;

export interface ProduceRecordInput {
  key?: Bytes | null;
  value: Bytes | null;
  headers?: readonly { key: string; value: Bytes | null }[];
  /** CreateTime; default now. Replaced by the broker's clock on LogAppendTime topics. */
  timestamp?: number;
  /** Default: the partitioner's choice. */
  partition?: number;
}

export interface ProduceRecordsOptions {
  compression?: CompressionCodec;
  timeoutMs?: number;
}

export interface ProducedRecord {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
}

function toBuffer(bytes: Bytes | null | undefined): Buffer | null {
  if (bytes === null || bytes === undefined) return null;
  if (typeof bytes === 'string') return Buffer.from(bytes, 'utf8');
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

interface Group {
  handle: PartitionHandle;
  indexes: number[];
  inputs: RecordInput[];
}

export async function produceRecords(
  ctx: BrokerContext,
  partitioner: DefaultPartitioner,
  topic: string,
  records: readonly ProduceRecordInput[],
  options: ProduceRecordsOptions = {},
): Promise<ProducedRecord[]> {
  const runtime = ctx.registry.require(topic);
  if (!Array.isArray(records) || records.length === 0) {
    throw new BrokerError('INVALID_RECORD', `No records to produce to '${topic}'`);
  }
  const timeoutMs = checkTimeout(options.timeoutMs, ctx.options.requestTimeoutMs);
  const count = runtime.partitions.length;
  const available = runtime.partitions.filter((h) => !h.offline).map((h) => h.partition);
  const now = ctx.options.clock();
  const groups = new Map<number, Group>();
  const timestamps: number[] = [];
  let sticky: number | undefined;

  records.forEach((record, index) => {
    const key = toBuffer(record.key);
    let partition: number;
    if (record.partition !== undefined) {
      partition = ctx.registry.partition(topic, record.partition).partition;
    } else {
      partition = partitioner.partition(topic, key, count, available);
      if (key === null) sticky = partition;
    }
    const timestamp = record.timestamp ?? now;
    if (!Number.isSafeInteger(timestamp) || timestamp < -1) {
      throw new BrokerError(
        'INVALID_RECORD',
        `Record ${index} has an invalid timestamp ${String(timestamp)}`,
      );
    }
    timestamps.push(timestamp);
    let group = groups.get(partition);
    if (group === undefined) {
      group = { handle: runtime.partitions[partition] as PartitionHandle, indexes: [], inputs: [] };
      groups.set(partition, group);
    }
    group.indexes.push(index);
    group.inputs.push({
      key,
      value: toBuffer(record.value),
      headers: (record.headers ?? []).map((h: { key: string; value: Bytes | null }) => ({
        key: String(h.key),
        value: toBuffer(h.value),
      })),
      timestamp,
    });
  });

  const maxBytes = runtime.logConfig.maxMessageBytes;
  const batches = [...groups.values()].map((group) => {
    if (group.handle.offline) {
      throw new BrokerError(
        'PARTITION_OFFLINE',
        `Partition ${group.handle.partition} of '${topic}' is offline; nothing was produced`,
      );
    }
    const batch = encodeRecordBatch(group.inputs, {
      ...(options.compression === undefined ? {} : { compression: options.compression }),
      now: ctx.options.clock,
    });
    if (batch.length > maxBytes) {
      throw new BrokerError(
        'MESSAGE_TOO_LARGE',
        `The records for ${group.handle.name} take ${batch.length} bytes, more than max.message.bytes ` +
          `(${maxBytes}); nothing was produced`,
      );
    }
    return { group, batch };
  });

  const settled = await Promise.allSettled(
    batches.map(({ group, batch }) => appendBatch(group.handle, batch, timeoutMs)),
  );
  if (sticky !== undefined) partitioner.onNewBatch(topic, count, sticky, available);
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;

  const logAppend = runtime.logConfig.messageTimestampType === 'LogAppendTime';
  const out: ProducedRecord[] = new Array<ProducedRecord>(records.length);
  settled.forEach((s, i) => {
    const { group } = batches[i] as (typeof batches)[number];
    const result = (s as PromiseFulfilledResult<Awaited<ReturnType<typeof appendBatch>>>).value;
    group.indexes.forEach((recordIndex, position) => {
      out[recordIndex] = {
        partition: group.handle.partition,
        offset: result.baseOffset + position,
        timestamp:
          logAppend && result.logAppendTime >= 0 ? result.logAppendTime : (timestamps[recordIndex] as number),
        timestampType: logAppend ? 'LogAppendTime' : 'CreateTime',
      };
    });
  });
  return out;
}
