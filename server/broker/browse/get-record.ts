import { BrokerError } from '../errors';
import { decodeBatches } from '../log/record-batch';
import type { BrowsedRecord, BrowseSource, GetRecordOptions } from './browse-types';
import { toBrowsedRecord } from './record-view';

/** One record, whole by default (the console's detail view), or capped at `maxValueBytes`. */
export async function getRecord(
  source: BrowseSource,
  topic: string,
  partition: number,
  offset: number,
  options: GetRecordOptions = {},
): Promise<BrowsedRecord> {
  source.checkPartition(topic, partition);
  const name = `${topic}-${partition}`;
  const cap = options.maxValueBytes ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(cap) || cap < 0) {
    throw new BrokerError('INVALID_REQUEST', `maxValueBytes must be an integer >= 0, got ${String(cap)}`);
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new BrokerError('INVALID_REQUEST', `Offset ${String(offset)} is not an offset`);
  }
  const { logStartOffset, logEndOffset } = await source.watermarks(topic, partition);
  if (offset >= logEndOffset) {
    throw new BrokerError(
      'OFFSET_OUT_OF_RANGE',
      `Offset ${offset} is past the end (${logEndOffset}) of ${name}`,
    );
  }
  if (offset < logStartOffset) {
    throw new BrokerError(
      'OFFSET_OUT_OF_RANGE',
      `Offset ${offset} is before the start (${logStartOffset}) of ${name}: it was deleted`,
    );
  }
  const bytes = await source.read(topic, partition, offset, 1);
  for (const batch of decodeBatches(bytes)) {
    if (batch.isControl) continue;
    const record = batch.records.find((r) => r.offset === offset);
    if (record !== undefined) {
      return toBrowsedRecord({ partition, record, timestampType: batch.timestampType }, cap);
    }
  }
  throw new BrokerError(
    'OFFSET_OUT_OF_RANGE',
    `Offset ${offset} of ${name} holds no record (removed by compaction, or a transaction marker)`,
  );
}
