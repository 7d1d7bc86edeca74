import type { BrokerContext } from '../broker-context';
import { BrokerError } from '../errors';
import { askPartition, requestPartition } from '../partition/partition-call';
import type { ResetOffset, ResetOffsetsRequest } from './group-service-api';
import type { OffsetStore } from './offset-store';

/**
 * The new offsets of a reset (kafka-consumer-groups --reset-offsets): earliest, latest, the first
 * offset at or after a timestamp (the end offset when there is none, as Kafka's tool does), one
 * offset for every partition, or explicit offsets per partition. Explicit offsets outside
 * [log start, log end] are refused with OFFSET_OUT_OF_RANGE naming the partition and the range.
 */
export async function planReset(
  ctx: BrokerContext,
  store: OffsetStore,
  groupId: string,
  request: ResetOffsetsRequest,
): Promise<ResetOffset[]> {
  const { registry, options } = ctx;
  const timeout = options.requestTimeoutMs;
  const runtime = registry.require(request.topic);
  const { to } = request;
  let partitions = request.partitions ?? runtime.partitions.map((h) => h.partition);
  const explicit = typeof to === 'object' && 'offsets' in to ? new Map<number, number>() : undefined;
  if (explicit !== undefined && typeof to === 'object' && 'offsets' in to) {
    for (const { partition, offset } of to.offsets) explicit.set(partition, offset);
    if (request.partitions === undefined) partitions = [...explicit.keys()];
  }
  const handles = [...new Set(partitions)].map((p) => registry.partition(request.topic, p));
  return Promise.all(
    handles.map(async (handle): Promise<ResetOffset> => {
      let offset: number;
      if (to === 'earliest' || to === 'latest') {
        offset = (await requestPartition(handle, { type: 'listOffset', spec: to }, timeout)).offset;
      } else if ('timestamp' in to) {
        if (!Number.isSafeInteger(to.timestamp) || to.timestamp < 0) {
          throw new BrokerError(
            'INVALID_REQUEST',
            `Reset timestamp must be an epoch time in ms, got ${to.timestamp}`,
          );
        }
        const found = await requestPartition(
          handle,
          { type: 'listOffset', spec: { timestamp: to.timestamp } },
          timeout,
        );
        offset =
          found.offset >= 0
            ? found.offset
            : (await requestPartition(handle, { type: 'listOffset', spec: 'latest' }, timeout)).offset;
      } else {
        const wanted = 'offset' in to ? to.offset : explicit?.get(handle.partition);
        if (wanted === undefined) {
          throw new BrokerError(
            'INVALID_REQUEST',
            `No offset given for partition ${handle.partition} of '${request.topic}'`,
          );
        }
        const { logStartOffset, logEndOffset } = await askPartition(handle, { type: 'watermarks' }, timeout);
        if (!Number.isSafeInteger(wanted) || wanted < logStartOffset || wanted > logEndOffset) {
          throw new BrokerError(
            'OFFSET_OUT_OF_RANGE',
            `Offset ${String(wanted)} is outside ${handle.name}'s range [${logStartOffset}, ${logEndOffset}]`,
          );
        }
        offset = wanted;
      }
      return {
        topic: request.topic,
        partition: handle.partition,
        previousOffset: store.committedOffset(groupId, request.topic, handle.partition)?.offset ?? null,
        offset,
      };
    }),
  );
}
