import type { ActorRef, EpochMillis } from './common';

/** Topics, their partitions and their configs. */

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
/** CreateTime: the producer's event time. LogAppendTime: the broker's clock when it stored it. */
export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** Per-second rates. "In" is what producers wrote, "out" what consumers fetched. */
export interface Rates {
  recordsInPerSec: number;
  bytesInPerSec: number;
  recordsOutPerSec: number;
  bytesOutPerSec: number;
}

export interface TopicSummary {
  name: string;
  internal: boolean;
  partitions: number;
  /** Records between the start and end offsets, summed over partitions. */
  records: number;
  sizeBytes: number;
  retentionMs: number;
  retentionBytes: number;
  cleanupPolicy: CleanupPolicy;
  timestampType: TimestampType;
  rates: Rates;
}

export interface PartitionDescription {
  partition: number;
  /** Log start offset: the first offset still stored. */
  startOffset: number;
  /** Log end offset: the offset the next record will get. */
  endOffset: number;
  records: number;
  sizeBytes: number;
  segments: number;
  firstTimestamp: EpochMillis | null;
  lastTimestamp: EpochMillis | null;
  actor: ActorRef | null;
  rates: Rates;
}

/** Kafka's DescribeConfigs sources, reduced to the three a single broker has. */
export type ConfigSource = 'TOPIC' | 'BROKER' | 'DEFAULT';
export type ConfigType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list' | 'password';

/** Config values are strings as in Kafka's admin API, whatever their type. */
export interface ConfigEntry {
  name: string;
  value: string | null;
  defaultValue: string | null;
  source: ConfigSource;
  type: ConfigType;
  readOnly: boolean;
  sensitive: boolean;
  documentation: string;
  /** The accepted values of an enumerated config (cleanup.policy, message.timestamp.type). */
  allowed?: string[];
}

export interface TopicDescription {
  name: string;
  internal: boolean;
  partitions: PartitionDescription[];
  configs: ConfigEntry[];
  records: number;
  sizeBytes: number;
}

export interface CreateTopicRequest {
  name: string;
  partitions: number;
  /** Overrides by Kafka config name; anything left out takes the broker default. */
  configs: Record<string, string>;
}

/** Kafka's IncrementalAlterConfigs: set one config, or delete the override to restore the default. */
export type ConfigAlteration = { name: string; op: 'set'; value: string } | { name: string; op: 'delete' };

export interface PartitionStart {
  partition: number;
  startOffset: number;
}
