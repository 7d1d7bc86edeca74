import type { ActorSnapshot, ActorState } from '../actors';
import type { BrokerContext } from '../broker-context';
import type { LogConfig } from '../log/log-config';
import type { SegmentInfo } from '../log/log';
import { askPartition } from '../partition/partition-call';
import type { PartitionHandle } from '../partition/partition-handle';
import type { PartitionLogStatus } from '../partition/partition-protocol';
import { TOPICS_SUPERVISOR } from '../supervision/broker-supervision';
import { describeTopicConfig, type TopicConfigEntry } from '../topics/topic-config';
import { isInternalTopicName } from '../topics/topic-name';
import type { TopicRuntime } from './topic-registry';

export interface PartitionActorStatus {
  path: string;
  state: ActorState;
  restarts: number;
  /** While restarting: when the next attempt is due (epoch ms). */
  nextRestartAt: number | null;
  lastError: { message: string; at: number } | null;
}

export interface PartitionDescription {
  partition: number;
  logStartOffset: number;
  logEndOffset: number;
  /** Offsets between start and end (compaction may have removed some of them). */
  records: number;
  sizeInBytes: number;
  /** null when the partition could not be asked (offline): the figures above are the last known. */
  segments: SegmentInfo[] | null;
  firstTimestamp: number | null;
  maxTimestamp: number | null;
  /** Idempotent producers with state in this partition. */
  producers: number | null;
  actor: PartitionActorStatus;
  /** Why the live figures are missing (offline, restarting past the deadline). */
  error: string | null;
}

export interface TopicDescription {
  name: string;
  topicId: string;
  internal: boolean;
  createdAt: number;
  partitions: PartitionDescription[];
  configs: TopicConfigEntry[];
  records: number;
  sizeInBytes: number;
}

export interface TopicSummary {
  name: string;
  topicId: string;
  internal: boolean;
  partitions: number;
  /** Partitions whose actor is offline or stopped. */
  offlinePartitions: number;
  records: number;
  sizeInBytes: number;
  createdAt: number;
  config: Pick<LogConfig, 'cleanupPolicy' | 'retentionMs' | 'retentionBytes' | 'messageTimestampType'>;
}

function actorStatus(handle: PartitionHandle, snapshot: ActorSnapshot | undefined): PartitionActorStatus {
  return {
    path: handle.path,
    state: snapshot?.state ?? handle.state,
    restarts: snapshot?.restartCount ?? 0,
    nextRestartAt: snapshot?.nextRestartAt ?? null,
    lastError: snapshot?.lastError ?? null,
  };
}

function topicSnapshot(ctx: BrokerContext, topic: string): ActorSnapshot | undefined {
  const topics = ctx.system.snapshot().children.find((c) => c.name === TOPICS_SUPERVISOR);
  return topics?.children.find((c) => c.name === topic);
}

export async function describeTopic(ctx: BrokerContext, runtime: TopicRuntime): Promise<TopicDescription> {
  const snapshot = topicSnapshot(ctx, runtime.meta.name);
  // A restarting partition answers once it is back; an offline one at once with its error.
  const timeout = Math.min(ctx.options.requestTimeoutMs, 5_000);
  const partitions = await Promise.all(
    runtime.partitions.map(async (handle): Promise<PartitionDescription> => {
      const actor = actorStatus(
        handle,
        snapshot?.children.find((c) => c.name === String(handle.partition)),
      );
      let status: PartitionLogStatus | null = null;
      let error: string | null = null;
      try {
        status = await askPartition(handle, { type: 'status' }, timeout);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const start = status?.logStartOffset ?? handle.stats.logStartOffset;
      const end = status?.logEndOffset ?? handle.stats.logEndOffset;
      return {
        partition: handle.partition,
        logStartOffset: start,
        logEndOffset: end,
        records: end - start,
        sizeInBytes: status?.sizeInBytes ?? handle.stats.sizeInBytes,
        segments: status?.segments ?? null,
        firstTimestamp: status?.firstTimestamp ?? null,
        maxTimestamp: status?.maxTimestamp ?? null,
        producers: status?.producers ?? null,
        actor,
        error,
      };
    }),
  );
  const { meta } = runtime;
  return {
    name: meta.name,
    topicId: meta.topicId,
    internal: isInternalTopicName(meta.name),
    createdAt: meta.createdAt,
    partitions,
    configs: describeTopicConfig(meta.configs, ctx.options.topicDefaults),
    records: partitions.reduce((sum, p) => sum + p.records, 0),
    sizeInBytes: partitions.reduce((sum, p) => sum + p.sizeInBytes, 0),
  };
}

/** From the watermarks the partitions last reported: no round trip to any actor. */
export function summarizeTopic(runtime: TopicRuntime): TopicSummary {
  const { meta, logConfig } = runtime;
  let records = 0;
  let sizeInBytes = 0;
  let offlinePartitions = 0;
  for (const handle of runtime.partitions) {
    records += handle.stats.logEndOffset - handle.stats.logStartOffset;
    sizeInBytes += handle.stats.sizeInBytes;
    if (handle.offline) offlinePartitions++;
  }
  return {
    name: meta.name,
    topicId: meta.topicId,
    internal: isInternalTopicName(meta.name),
    partitions: runtime.partitions.length,
    offlinePartitions,
    records,
    sizeInBytes,
    createdAt: meta.createdAt,
    config: {
      cleanupPolicy: logConfig.cleanupPolicy,
      retentionMs: logConfig.retentionMs,
      retentionBytes: logConfig.retentionBytes,
      messageTimestampType: logConfig.messageTimestampType,
    },
  };
}
