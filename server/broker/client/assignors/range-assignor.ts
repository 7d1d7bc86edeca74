import {
  AssignmentBuilder,
  existingSubscribedTopics,
  sortMembers,
  type AssignorMember,
  type GroupAssignment,
  type PartitionAssignor,
} from './partition-assignor';

/**
 * Kafka's RangeAssignor: per topic, the members subscribed to it (in MemberInfo order) get
 * consecutive ranges of partitions; the first `partitions % members` get one more.
 */
export class RangeAssignor implements PartitionAssignor {
  readonly name = 'range';
  readonly supportedProtocols = ['eager'] as const;

  assign(
    members: readonly AssignorMember[],
    partitionsPerTopic: ReadonlyMap<string, number>,
  ): GroupAssignment {
    const sorted = sortMembers(members);
    const out = new AssignmentBuilder(sorted.map((m) => m.memberId));
    for (const topic of existingSubscribedTopics(members, partitionsPerTopic)) {
      const consumers = sorted.filter((m) => m.subscription.topics.includes(topic));
      const numPartitions = partitionsPerTopic.get(topic) ?? 0;
      const perConsumer = Math.floor(numPartitions / consumers.length);
      const withExtra = numPartitions % consumers.length;
      consumers.forEach((consumer, i) => {
        const start = perConsumer * i + Math.min(i, withExtra);
        const length = perConsumer + (i < withExtra ? 1 : 0);
        for (let p = start; p < start + length; p++) out.add(consumer.memberId, topic, p);
      });
    }
    return out.build();
  }
}
