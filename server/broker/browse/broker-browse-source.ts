import type { BrokerContext } from '../broker-context';
import { askPartition, requestPartition } from '../partition/partition-call';
import type { BrowseSource } from './browse-types';

/** Browsing over the broker's partition actors: reads go through each partition's mailbox. */
export function brokerBrowseSource(ctx: BrokerContext): BrowseSource {
  const timeout = ctx.options.requestTimeoutMs;
  return {
    partitionCount: (topic) => ctx.registry.require(topic).partitions.length,
    checkPartition: (topic, partition) => {
      ctx.registry.partition(topic, partition);
    },
    watermarks: (topic, partition) =>
      askPartition(ctx.registry.partition(topic, partition), { type: 'watermarks' }, timeout),
    read: async (topic, partition, offset, maxBytes) => {
      const handle = ctx.registry.partition(topic, partition);
      const result = await requestPartition(
        handle,
        { type: 'read', offset, maxBytes, minOneBatch: true },
        timeout,
      );
      return result.records;
    },
    offsetForTimestamp: async (topic, partition, ts) => {
      const handle = ctx.registry.partition(topic, partition);
      const found = await requestPartition(handle, { type: 'listOffset', spec: { timestamp: ts } }, timeout);
      return found.offset >= 0 ? found.offset : null;
    },
  };
}
