import {
  AssignmentBuilder,
  existingSubscribedTopics,
  sortMembers,
  type AssignorMember,
  type GroupAssignment,
  type PartitionAssignor,
} from './partition-assignor';

/**
 * Kafka's RoundRobinAssignor: all partitions of all subscribed topics, sorted by topic then
 * partition, dealt one by one to the members in MemberInfo order, skipping members not subscribed
 * to the partition's topic. With identical subscriptions, counts differ by at most one.
 */
export class RoundRobinAssignor implements PartitionAssignor {
  readonly name = 'roundrobin';
  readonly supportedProtocols = ['eager'] as const;

  assign(
    members: readonly AssignorMember[],
    partitionsPerTopic: ReadonlyMap<string, number>,
  ): GroupAssignment {
    const sorted = sortMembers(members);
    const out = new AssignmentBuilder(sorted.map((m) => m.memberId));
    const subscriptions = sorted.map((m) => new Set(m.subscription.topics));
    let next = 0;
    for (const topic of existingSubscribedTopics(members, partitionsPerTopic)) {
      const numPartitions = partitionsPerTopic.get(topic) ?? 0;
      for (let partition = 0; partition < numPartitions; partition++) {
        // Someone subscribes to this topic, so the search ends within one turn of the circle.
        while (!subscriptions[next % sorted.length]?.has(topic)) next++;
        const member = sorted[next % sorted.length];
        if (member) out.add(member.memberId, topic, partition);
        next++;
      }
    }
    return out.build();
  }
}
