import type { ActorRef } from '../actors';
import type { BrokerContext } from '../broker-context';
import { cleanupCompacts } from '../log/log-config';
import { askPartition } from '../partition/partition-call';
import { LOG_CLEANER_WORKER, RETENTION_WORKER } from '../supervision/broker-supervision';
import { partitionWorker, type WorkerMessage } from './partition-worker';

export interface BrokerWorkers {
  retention: ActorRef<WorkerMessage>;
  logCleaner: ActorRef<WorkerMessage>;
}

/**
 * `/broker/retention`: deletes segments past retention.ms / retention.bytes (and rolls segments
 * older than segment.ms), then expires idle producers and snapshots the producer state so that a
 * restart after a crash replays a short tail. `/broker/log-cleaner`: compacts the partitions of
 * topics with cleanup.policy compact; compaction runs beside the partition's appends.
 */
export function spawnWorkers(ctx: BrokerContext): BrokerWorkers {
  const { options, registry } = ctx;
  const timeout = options.requestTimeoutMs;
  const retention = ctx.system.root.spawn(RETENTION_WORKER, {
    mailboxCapacity: 4,
    factory: partitionWorker({
      name: RETENTION_WORKER,
      intervalMs: options.retentionCheckIntervalMs,
      partitions: () => registry.allPartitions(),
      logger: options.logger,
      visit: async (handle) => {
        const now = options.clock();
        const result = await askPartition(handle, { type: 'enforceRetention', now }, timeout);
        const { done } = await askPartition(handle, { type: 'maintainProducers', now }, timeout);
        await done;
        return { deletedSegments: result.deletedSegments, deletedBytes: result.bytes };
      },
    }),
  });
  const logCleaner = ctx.system.root.spawn(LOG_CLEANER_WORKER, {
    mailboxCapacity: 4,
    factory: partitionWorker({
      name: LOG_CLEANER_WORKER,
      intervalMs: options.logCleanerIntervalMs,
      partitions: () => registry.allPartitions(),
      logger: options.logger,
      visit: async (handle) => {
        const runtime = registry.get(handle.topic);
        if (runtime === undefined || !cleanupCompacts(runtime.logConfig)) return null;
        const { done } = await askPartition(handle, { type: 'compact', now: options.clock() }, timeout);
        const result = await done;
        return {
          removedRecords: result.removedRecords,
          bytesBefore: result.bytesBefore,
          bytesAfter: result.bytesAfter,
        };
      },
    }),
  });
  return { retention, logCleaner };
}
