import type { BrokerContext } from '../broker-context';
import { partitionActor } from '../partition/partition-actor';
import { PartitionHandle } from '../partition/partition-handle';
import { partitionStrategy, partitionUnavailableError, topicPath } from '../supervision/broker-supervision';
import { toLogConfig } from '../topics/topic-config';
import type { TopicMetadata } from '../topics/topic-metadata';
import { partitionDir } from './partition-dirs';
import type { TopicRuntime } from './topic-registry';

/**
 * Brings topics and partitions to life in the supervision tree: a supervisor per topic under
 * `/broker/topics`, a partition actor per partition under it. The handle is registered before the
 * actor is spawned so that its first lifecycle events find it.
 */
export function spawnTopic(ctx: BrokerContext, meta: TopicMetadata): TopicRuntime {
  const supervisor = ctx.topicsSupervisor.spawnSupervisor(meta.name, {
    strategy: partitionStrategy(ctx.options),
  });
  const runtime: TopicRuntime = {
    meta,
    logConfig: toLogConfig(meta.configs, ctx.options.topicDefaults),
    supervisor,
    partitions: [],
  };
  ctx.registry.add(runtime);
  for (let p = 0; p < meta.partitions; p++) spawnPartition(ctx, runtime, p);
  return runtime;
}

export function spawnPartition(
  ctx: BrokerContext,
  runtime: TopicRuntime,
  partition: number,
): PartitionHandle {
  const { options } = ctx;
  const topic = runtime.meta.name;
  const handle = new PartitionHandle(
    topic,
    partition,
    partitionDir(options.dataDir, topic, partition),
    topicPath(topic),
    ctx.metrics.partition(topic, partition),
  );
  ctx.registry.addPartition(runtime, handle);
  const ref = runtime.supervisor.spawn(String(partition), {
    factory: partitionActor({
      handle,
      config: () => runtime.logConfig,
      clock: options.clock,
      logger: options.logger,
      maxOpenSegments: options.maxOpenSegmentsPerLog,
      maxLoadedIndexes: options.maxLoadedIndexesPerLog,
    }),
    mailboxCapacity: options.partitionMailboxCapacity,
    stashCapacity: options.partitionMailboxCapacity,
    unavailableError: partitionUnavailableError(topic, partition),
  });
  handle.attach(ref);
  return handle;
}

/** Waits until each partition has opened its log (or failed for good); never rejects. */
export async function awaitPartitionsOpen(
  ctx: BrokerContext,
  handles: readonly PartitionHandle[],
): Promise<void> {
  await Promise.allSettled(
    handles.map((h) => h.ref.ask({ type: 'watermarks' }, ctx.options.requestTimeoutMs)),
  );
}
