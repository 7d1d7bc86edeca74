import { SerialQueue, type BrokerContext } from '../broker-context';
import { BrokerError } from '../errors';
import { validateLogConfig } from '../log/log-config';
import { askPartition, requestPartition } from '../partition/partition-call';
import {
  describeTopicConfig,
  toLogConfig,
  validateTopicConfigName,
  validateTopicConfigs,
  type ConfigInput,
  type TopicConfigEntry,
  type TopicConfigOverrides,
} from '../topics/topic-config';
import type { TopicMetadata } from '../topics/topic-metadata';
import type { AlterConfigsRequest } from '../topics/topic-store';
import { partitionDir, reconcilePartitionDirs, removePartitionDir, setAsideStaleDir } from './partition-dirs';
import { awaitPartitionsOpen, spawnPartition, spawnTopic } from './partition-spawner';
import type { TopicRuntime } from './topic-registry';

export interface CreateTopicRequest {
  partitions: number;
  /** Kafka-named overrides, as strings (admin clients) or typed values (the console). */
  configs?: Readonly<Record<string, ConfigInput>>;
  /** Allows `__*` names: only the broker's own components set it (`__consumer_offsets`). */
  internal?: boolean;
}

export interface PartitionOffset {
  partition: number;
  /** Delete every record below it; -1 means the end offset (Kafka's DeleteRecords high watermark). */
  offset: number;
}

export interface LowWatermark {
  partition: number;
  lowWatermark: number;
}

/**
 * Topic administration. Every change runs on one queue, validates everything first (names,
 * counts, configs, the storage config they resolve to, offsets), persists the registry, and only
 * then touches actors and files: a refused request changes nothing.
 */
export class TopicManager {
  private readonly queue = new SerialQueue();

  constructor(private readonly ctx: BrokerContext) {}

  /** Start: reconcile the directories with the registry and open every partition. */
  async openAll(): Promise<void> {
    const { store, options } = this.ctx;
    const counts = new Map(store.list().map((t) => [t.name, t.partitions]));
    const present = reconcilePartitionDirs(options.dataDir, counts, options.logger);
    const runtimes = store.list().map((meta) => {
      for (let p = 0; p < meta.partitions; p++) {
        if (!present.has(`${meta.name}-${p}`)) {
          options.logger.warn(
            { topic: meta.name, partition: p },
            `The directory of ${meta.name}-${p} is missing; the partition starts empty`,
          );
        }
      }
      return spawnTopic(this.ctx, meta);
    });
    await awaitPartitionsOpen(
      this.ctx,
      runtimes.flatMap((r) => r.partitions),
    );
  }

  /** CreateTopics validateOnly: everything create checks, nothing done. */
  validateCreate(name: string, request: CreateTopicRequest): TopicMetadata {
    const { store, options } = this.ctx;
    const flags = { allowInternal: request.internal === true };
    const planned = store.validateCreate(name, request.partitions, request.configs ?? {}, flags);
    validateLogConfig(toLogConfig(planned.configs, options.topicDefaults));
    return planned;
  }

  create(name: string, request: CreateTopicRequest): Promise<TopicMetadata> {
    return this.queue.run(async () => {
      const { store, options } = this.ctx;
      const flags = { allowInternal: request.internal === true };
      const configs = request.configs ?? {};
      const planned = this.validateCreate(name, request);
      for (let p = 0; p < planned.partitions; p++) {
        setAsideStaleDir(partitionDir(options.dataDir, name, p), options.clock(), options.logger);
      }
      const meta = await store.create(name, request.partitions, configs, flags);
      const runtime = spawnTopic(this.ctx, meta);
      await awaitPartitionsOpen(this.ctx, runtime.partitions);
      options.logger.info({ topic: name, partitions: meta.partitions }, 'Created topic');
      return meta;
    });
  }

  delete(name: string, options: { internal?: boolean } = {}): Promise<void> {
    return this.queue.run(async () => {
      const { store, registry, metrics, topicsSupervisor } = this.ctx;
      registry.require(name);
      await store.delete(name, { allowInternal: options.internal === true });
      const runtime = registry.remove(name) as TopicRuntime;
      await topicsSupervisor.removeChild(name);
      for (const handle of runtime.partitions) handle.changed();
      metrics.removeTopic(name);
      const now = this.ctx.options.clock();
      await Promise.all(runtime.partitions.map((h) => removePartitionDir(h.dir, now)));
      this.ctx.options.logger.info({ topic: name }, 'Deleted topic');
    });
  }

  /** Kafka's IncrementalAlterConfigs; applies to the live partitions. Returns the configs after. */
  alterConfigs(name: string, request: AlterConfigsRequest): Promise<TopicConfigEntry[]> {
    return this.queue.run(async () => {
      const { store, registry, options } = this.ctx;
      const runtime = registry.require(name);
      const next: TopicConfigOverrides = {
        ...runtime.meta.configs,
        ...validateTopicConfigs(request.set ?? {}),
      };
      for (const key of (request.delete ?? []).map(validateTopicConfigName)) delete next[key];
      validateLogConfig(toLogConfig(next, options.topicDefaults));
      const meta = await store.alterConfigs(name, request);
      runtime.meta = meta;
      runtime.logConfig = toLogConfig(meta.configs, options.topicDefaults);
      // A partition that is offline or restarting reads the new config when it opens its log.
      await Promise.allSettled(
        runtime.partitions.map((h) =>
          requestPartition(h, { type: 'updateConfig' }, options.requestTimeoutMs),
        ),
      );
      return describeTopicConfig(meta.configs, options.topicDefaults);
    });
  }

  /** Kafka's CreatePartitions: grows the topic to `total` partitions. */
  addPartitions(name: string, total: number): Promise<TopicMetadata> {
    return this.queue.run(async () => {
      const { store, registry, options } = this.ctx;
      const runtime = registry.require(name);
      const before = runtime.partitions.length;
      if (Number.isInteger(total) && total > before) {
        for (let p = before; p < Math.min(total, 10_000); p++) {
          setAsideStaleDir(partitionDir(options.dataDir, name, p), options.clock(), options.logger);
        }
      }
      const meta = await store.addPartitions(name, total);
      runtime.meta = meta;
      const added = [];
      for (let p = before; p < meta.partitions; p++) added.push(spawnPartition(this.ctx, runtime, p));
      await awaitPartitionsOpen(this.ctx, added);
      return meta;
    });
  }

  /** Kafka's DeleteRecords. All partitions and offsets are checked before any is changed. */
  async deleteRecords(name: string, offsets: readonly PartitionOffset[]): Promise<LowWatermark[]> {
    const { registry, options } = this.ctx;
    const timeout = options.requestTimeoutMs;
    const targets = offsets.map(({ partition, offset }) => {
      const handle = registry.partition(name, partition);
      if (!Number.isSafeInteger(offset) || offset < -1) {
        throw new BrokerError(
          'OFFSET_OUT_OF_RANGE',
          `Cannot delete records of ${handle.name} before ${String(offset)}: not an offset`,
        );
      }
      return { handle, offset };
    });
    const resolved = await Promise.all(
      targets.map(async ({ handle, offset }) => {
        const { logEndOffset } = await askPartition(handle, { type: 'watermarks' }, timeout);
        if (offset > logEndOffset) {
          throw new BrokerError(
            'OFFSET_OUT_OF_RANGE',
            `Offset ${offset} is past the end (${logEndOffset}) of ${handle.name}: cannot delete records before it`,
          );
        }
        return { handle, offset: offset === -1 ? logEndOffset : offset };
      }),
    );
    return Promise.all(
      resolved.map(async ({ handle, offset }) => ({
        partition: handle.partition,
        lowWatermark: await requestPartition(handle, { type: 'deleteRecords', offset }, timeout),
      })),
    );
  }

  /** Removes every record of the given partitions (all by default); offsets are never reused. */
  async purge(name: string, partitions?: readonly number[]): Promise<LowWatermark[]> {
    const { registry, options } = this.ctx;
    const runtime = registry.require(name);
    const handles = (partitions ?? runtime.partitions.map((h) => h.partition)).map((p) =>
      registry.partition(name, p),
    );
    return Promise.all(
      handles.map(async (handle) => ({
        partition: handle.partition,
        lowWatermark: await requestPartition(handle, { type: 'truncateFully' }, options.requestTimeoutMs),
      })),
    );
  }

  /** Waits for admin changes under way (broker stop). */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}
