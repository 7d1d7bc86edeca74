import type { MetricsRegistry } from '../metrics/metrics-registry';
import type { TopicRegistry } from '../topic-manager/topic-registry';
import { CONSUMER_PROTOCOL_TYPE, tryDecodeAssignment, tryDecodeSubscription } from './consumer-protocol';
import type { GroupDescription } from './group-api';
import type { GroupSnapshot } from './group-snapshot';
import type { GroupOffsetsDescription, GroupPartitionLag } from './group-service-api';
import type { OffsetStore } from './offset-store';

/**
 * Consumer lag: per group and partition, the partition's end offset minus the committed offset
 * (never below 0). Sampled with the metrics (once a second) into MetricsRegistry.groupLag, whose
 * ring buffers the console charts; partitions without a commit have no lag series. A negative
 * commit (kafkajs's reset: -2 earliest, -1 latest, resolved by the consumer) is not a position:
 * it counts as no commit.
 */
export function sampleGroupLag(registry: TopicRegistry, metrics: MetricsRegistry, store: OffsetStore): void {
  for (const [group, topic, partition, committed] of store.allOffsets()) {
    const handle = registry.get(topic)?.partitions[partition];
    if (handle === undefined) continue;
    if (committed.offset < 0) {
      metrics.removeGroupPartition(group, topic, partition);
      continue;
    }
    metrics.groupLag(group, topic, partition).set(Math.max(0, handle.stats.logEndOffset - committed.offset));
  }
}

interface Owner {
  memberId: string;
  clientId: string;
}

/** Who owns which partition in the group's last stored assignment, and what it subscribes to. */
function readAssignment(stored: GroupSnapshot | undefined): {
  owners: Map<string, Owner>;
  topics: Set<string>;
} {
  const owners = new Map<string, Owner>();
  const topics = new Set<string>();
  if (stored?.protocolType !== CONSUMER_PROTOCOL_TYPE) return { owners, topics };
  for (const m of stored.members) {
    const subscription = m.protocols.find((p) => p.name === stored.protocolName);
    if (subscription !== undefined) {
      for (const t of tryDecodeSubscription(Buffer.from(subscription.metadata, 'base64'))?.topics ?? []) {
        topics.add(t);
      }
    }
    const assignment = tryDecodeAssignment(Buffer.from(m.assignment, 'base64'));
    for (const { topic, partitions } of assignment?.assignedPartitions ?? []) {
      topics.add(topic);
      for (const p of partitions)
        owners.set(`${topic}\u0000${p}`, { memberId: m.memberId, clientId: m.clientId });
    }
  }
  return { owners, topics };
}

/** The console's view of a group's offsets: every partition of the topics it reads or committed. */
export function describeOffsets(
  registry: TopicRegistry,
  store: OffsetStore,
  description: GroupDescription,
  stored: GroupSnapshot | undefined,
): GroupOffsetsDescription {
  const { groupId } = description;
  const { owners, topics } = readAssignment(stored);
  const committed = store.committed(groupId);
  for (const topic of committed?.keys() ?? []) topics.add(topic);
  const sorted = [...topics].sort();
  const partitions: GroupPartitionLag[] = [];
  let totalLag = 0;
  for (const topic of sorted) {
    const runtime = registry.get(topic);
    if (runtime === undefined) continue;
    for (const handle of runtime.partitions) {
      const stored = committed?.get(topic)?.get(handle.partition);
      const commit = stored !== undefined && stored.offset >= 0 ? stored : undefined;
      const endOffset = handle.stats.logEndOffset;
      const lag = commit === undefined ? null : Math.max(0, endOffset - commit.offset);
      const owner = owners.get(`${topic}\u0000${handle.partition}`);
      totalLag += lag ?? 0;
      partitions.push({
        topic,
        partition: handle.partition,
        committedOffset: commit?.offset ?? null,
        endOffset,
        lag,
        memberId: owner?.memberId ?? null,
        clientId: owner?.clientId ?? null,
      });
    }
  }
  return {
    groupId,
    state: description.state,
    protocolType: description.protocolType,
    protocol: stored?.protocolName ?? description.protocol,
    generationId: description.generationId,
    topics: sorted,
    partitions,
    totalLag,
  };
}
