import type {
  CleanupPolicy,
  ConfigAlteration,
  PartitionStart,
  PartitionDescription,
  Rates,
  TimestampType,
  TopicDescription,
  TopicSummary,
} from '../../cluster/types';
import { ClusterError } from '../../cluster/cluster';
import { configValue, describeConfigs, validateConfig } from './memory-configs';
import { MemoryPartitionLog } from './memory-log';

export const ZERO_RATES: Rates = {
  recordsInPerSec: 0,
  bytesInPerSec: 0,
  recordsOutPerSec: 0,
  bytesOutPerSec: 0,
};

export class MemoryTopic {
  readonly logs: MemoryPartitionLog[] = [];

  constructor(
    readonly name: string,
    partitions: number,
    public overrides: Record<string, string>,
    readonly internal = false,
  ) {
    this.grow(partitions);
  }

  grow(total: number): void {
    while (this.logs.length < total) this.logs.push(new MemoryPartitionLog());
  }

  /** Incremental: all alterations are checked before any applies. */
  alter(alterations: ConfigAlteration[]): void {
    for (const a of alterations) if (a.op === 'set') validateConfig(a.name, a.value);
    const next = { ...this.overrides };
    for (const a of alterations) {
      if (a.op === 'set') next[a.name] = a.value;
      else delete next[a.name];
    }
    this.overrides = next;
  }

  addPartitions(total: number): void {
    if (total <= this.logs.length) {
      throw new ClusterError(
        'INVALID_ARGUMENT',
        `Topic '${this.name}' already has ${this.logs.length} partitions: the count can only grow`,
        { field: 'totalPartitions' },
      );
    }
    this.grow(total);
  }

  /** DeleteRecords up to the end offset: the records go, the offsets stay. */
  purge(partitions?: number[]): PartitionStart[] {
    return (partitions ?? this.logs.map((_, i) => i)).map((partition) => {
      const log = this.logs[partition];
      if (!log) {
        throw new ClusterError('NOT_FOUND', `Partition ${partition} does not exist`, { field: 'partitions' });
      }
      log.truncateBefore(log.endOffset);
      return { partition, startOffset: log.startOffset };
    });
  }

  get timestampType(): TimestampType {
    return configValue(this.overrides, 'message.timestamp.type') as TimestampType;
  }

  config(name: string): string {
    return configValue(this.overrides, name);
  }

  summary(rates: Rates): TopicSummary {
    return {
      name: this.name,
      internal: this.internal,
      partitions: this.logs.length,
      records: this.logs.reduce((s, l) => s + l.endOffset - l.startOffset, 0),
      sizeBytes: this.logs.reduce((s, l) => s + l.sizeBytes, 0),
      retentionMs: Number(this.config('retention.ms')),
      retentionBytes: Number(this.config('retention.bytes')),
      cleanupPolicy: this.config('cleanup.policy') as CleanupPolicy,
      timestampType: this.timestampType,
      rates,
    };
  }

  describe(
    partitionRates: (p: number) => Rates,
    actor: (p: number) => PartitionDescription['actor'],
  ): TopicDescription {
    const partitions = this.logs.map((log, partition): PartitionDescription => ({
      partition,
      startOffset: log.startOffset,
      endOffset: log.endOffset,
      records: log.endOffset - log.startOffset,
      sizeBytes: log.sizeBytes,
      segments: 1,
      firstTimestamp: log.records[0]?.timestamp ?? null,
      lastTimestamp: log.records.at(-1)?.timestamp ?? null,
      actor: actor(partition),
      rates: partitionRates(partition),
    }));
    return {
      name: this.name,
      internal: this.internal,
      partitions,
      configs: describeConfigs(this.overrides),
      records: partitions.reduce((s, p) => s + p.records, 0),
      sizeBytes: partitions.reduce((s, p) => s + p.sizeBytes, 0),
    };
  }
}

export function notFound(topic: string): ClusterError {
  return new ClusterError('NOT_FOUND', `Topic '${topic}' does not exist`, { field: 'topic' });
}
