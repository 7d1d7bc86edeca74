import type { Broker, BrowseRequest, BrowseSeek } from '../../broker/broker';
import type * as T from '../types';
import { guard, unknownTopicOrPartitionField, type FieldRules } from './errors';
import { fromBrowsed, toBuffer } from './payloads';

/** Browsing, one record, and the produce form, over the broker's browse and produceRecords. */

/** An offset read names the offset (past the end), a range read its end ('from' after 'to'). */
const READ_FIELDS: FieldRules = {
  UNKNOWN_TOPIC_OR_PARTITION: unknownTopicOrPartitionField,
  OFFSET_OUT_OF_RANGE: 'offset',
  INVALID_REQUEST: (m) => (/cursor/i.test(m) ? 'cursor' : /range|from|to\b/.test(m) ? 'to' : undefined),
};

function toBrowseSeek(seek: T.MessageSeek): BrowseSeek {
  switch (seek.kind) {
    case 'oldest':
      return { kind: 'oldest' };
    case 'newest':
      return { kind: 'newest' };
    case 'offset':
      return { kind: 'offset', partition: seek.partition, offset: seek.offset };
    case 'timestamp':
      return { kind: 'timestamp', timestamp: seek.timestamp };
    case 'range':
      return { kind: 'range', from: seek.from, to: seek.to };
  }
}

export async function readMessages(broker: Broker, request: T.ReadMessagesRequest): Promise<T.MessagePage> {
  const browse: BrowseRequest = {
    topic: request.topic,
    limit: request.limit,
    maxValueBytes: request.previewBytes,
    ...(request.cursor === undefined ? { seek: toBrowseSeek(request.seek) } : { cursor: request.cursor }),
    // An offset seek names its one partition; the partition filter is for the merged reads.
    ...(request.partitions === undefined || request.seek.kind === 'offset'
      ? {}
      : { partitions: request.partitions }),
    ...(request.filter === undefined ? {} : { filter: request.filter }),
  };
  const page = await guard(() => broker.browse(browse), READ_FIELDS);
  return {
    records: page.records.map((r) => fromBrowsed(request.topic, r)),
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    scanned: page.scanned,
    watermarks: page.watermarks.map((w) => ({
      partition: w.partition,
      startOffset: w.logStartOffset,
      endOffset: w.logEndOffset,
    })),
  };
}

export async function getRecord(
  broker: Broker,
  topic: string,
  partition: number,
  offset: number,
  options: T.GetRecordOptions,
): Promise<T.ClusterRecord> {
  const record = await guard(
    () => broker.getRecord(topic, partition, offset, { maxValueBytes: options.maxValueBytes }),
    READ_FIELDS,
  );
  return fromBrowsed(topic, record);
}

const PRODUCE_FIELDS: FieldRules = {
  UNKNOWN_TOPIC_OR_PARTITION: unknownTopicOrPartitionField,
  MESSAGE_TOO_LARGE: 'value',
  RECORD_LIST_TOO_LARGE: 'value',
  INVALID_RECORD: (m) => (/timestamp/i.test(m) ? 'timestamp' : /header/i.test(m) ? 'headers' : 'value'),
};

export async function produce(broker: Broker, request: T.ProduceRequest): Promise<T.ProduceResult> {
  const [produced] = await guard(
    () =>
      broker.produceRecords(request.topic, [
        {
          key: toBuffer(request.key),
          value: toBuffer(request.value),
          headers: request.headers.map((h) => ({ key: h.key, value: toBuffer(h.value) })),
          ...(request.timestamp === undefined ? {} : { timestamp: request.timestamp }),
          ...(request.partition === undefined ? {} : { partition: request.partition }),
        },
      ]),
    PRODUCE_FIELDS,
  );
  if (produced === undefined) throw new Error('produceRecords returned no result for one record');
  return {
    topic: request.topic,
    partition: produced.partition,
    offset: produced.offset,
    timestamp: produced.timestamp,
    timestampType: produced.timestampType,
  };
}
