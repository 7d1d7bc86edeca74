import type { Supervisor } from '../actors';
import { BrokerError } from '../errors';
import type { LogConfig } from '../log/log-config';
import type { PartitionHandle } from '../partition/partition-handle';
import type { TopicMetadata } from '../topics/topic-metadata';

/** A live topic: its stored metadata, its resolved storage config, its supervisor and partitions. */
export interface TopicRuntime {
  meta: TopicMetadata;
  logConfig: LogConfig;
  readonly supervisor: Supervisor;
  /** Indexed by partition number. */
  readonly partitions: PartitionHandle[];
}

/**
 * The broker's in-memory index of live topics and partitions, with the lookups every request
 * starts with and their error messages.
 */
export class TopicRegistry {
  private readonly topics = new Map<string, TopicRuntime>();
  private readonly byPath = new Map<string, PartitionHandle>();

  get size(): number {
    return this.topics.size;
  }

  get(name: string): TopicRuntime | undefined {
    return this.topics.get(name);
  }

  /** Throws UNKNOWN_TOPIC_OR_PARTITION: "Topic 'orders' does not exist". */
  require(name: string): TopicRuntime {
    const topic = this.topics.get(name);
    if (topic === undefined) {
      throw new BrokerError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${String(name)}' does not exist`);
    }
    return topic;
  }

  /** Throws UNKNOWN_TOPIC_OR_PARTITION: "Partition 7 of 'orders' does not exist (it has 6)". */
  partition(topic: string, partition: number): PartitionHandle {
    const runtime = this.require(topic);
    const handle = Number.isInteger(partition) ? runtime.partitions[partition] : undefined;
    if (handle === undefined) {
      throw new BrokerError(
        'UNKNOWN_TOPIC_OR_PARTITION',
        `Partition ${String(partition)} of '${topic}' does not exist (it has ${runtime.partitions.length})`,
      );
    }
    return handle;
  }

  byActorPath(path: string): PartitionHandle | undefined {
    return this.byPath.get(path);
  }

  list(): TopicRuntime[] {
    return [...this.topics.values()].sort((a, b) => (a.meta.name < b.meta.name ? -1 : 1));
  }

  *allPartitions(): Generator<PartitionHandle> {
    for (const topic of this.topics.values()) yield* topic.partitions;
  }

  add(runtime: TopicRuntime): void {
    this.topics.set(runtime.meta.name, runtime);
  }

  addPartition(runtime: TopicRuntime, handle: PartitionHandle): void {
    runtime.partitions[handle.partition] = handle;
    this.byPath.set(handle.path, handle);
  }

  remove(name: string): TopicRuntime | undefined {
    const runtime = this.topics.get(name);
    if (runtime === undefined) return undefined;
    this.topics.delete(name);
    for (const handle of runtime.partitions) this.byPath.delete(handle.path);
    return runtime;
  }
}
