import {
  AssignmentBuilder,
  existingSubscribedTopics,
  sortMembers,
  type AssignorMember,
  type GroupAssignment,
  type PartitionAssignor,
  type TopicPartitions,
} from './partition-assignor';
import {
  decodeCooperativeUserData,
  decodeStickyUserData,
  encodeCooperativeUserData,
  encodeStickyUserData,
} from './sticky-user-data';

/** What a member held, and in which generation (only claims of the newest generation count). */
interface Ownership {
  generationId: number;
  owned: readonly TopicPartitions[];
}

const SEP = '\u0000';
const key = (topic: string, partition: number) => `${topic}${SEP}${partition}`;
const topicOf = (k: string) => k.slice(0, k.lastIndexOf(SEP));

/**
 * The sticky assignment shared by both sticky assignors, in the spirit of Kafka's
 * AbstractStickyAssignor (simplified, documented trade-off): a balanced assignment that moves as
 * few partitions as it can.
 *
 * 1. Members keep the partitions they owned in the newest generation that still exist and that
 *    they still subscribe to; a partition claimed twice in that generation goes to neither.
 * 2. Every other partition (topic, then partition order) goes to the subscribed member with the
 *    fewest partitions.
 * 3. While some member has two partitions more than another member that could take one of them,
 *    one moves, newly assigned partitions before kept ones. Each move lowers the sum of squared
 *    counts, so this ends; with identical subscriptions counts end within one of each other.
 */
function stickyAssign(
  members: readonly AssignorMember[],
  partitionsPerTopic: ReadonlyMap<string, number>,
  ownershipOf: (member: AssignorMember) => Ownership,
): GroupAssignment {
  const sorted = sortMembers(members);
  const subscriptions = sorted.map((m) => new Set(m.subscription.topics));
  const topics = existingSubscribedTopics(members, partitionsPerTopic);
  const eligible = new Map(
    topics.map((t) => [t, sorted.flatMap((_, i) => (subscriptions[i]?.has(t) ? [i] : []))]),
  );
  const assigned = sorted.map(() => new Set<string>());
  const kept = sorted.map(() => new Set<string>());
  const count = (i: number) => assigned[i]?.size ?? 0;
  const give = (i: number, k: string) => assigned[i]?.add(k);

  // 1. Keep valid claims of the newest generation.
  const ownerships = sorted.map(ownershipOf);
  const newest = Math.max(-1, ...ownerships.map((o) => o.generationId));
  const claims = new Map<string, Set<number>>();
  ownerships.forEach((ownership, i) => {
    if (ownership.generationId !== newest) return;
    for (const { topic, partitions } of ownership.owned) {
      const numPartitions = partitionsPerTopic.get(topic) ?? 0;
      if (!subscriptions[i]?.has(topic)) continue;
      for (const p of partitions) {
        if (p < 0 || p >= numPartitions) continue;
        const claimants = claims.get(key(topic, p)) ?? new Set<number>();
        claims.set(key(topic, p), claimants.add(i));
      }
    }
  });
  for (const [k, claimants] of claims) {
    if (claimants.size !== 1) continue;
    const [i] = claimants;
    if (i === undefined) continue;
    give(i, k);
    kept[i]?.add(k);
  }

  // 2. Hand out the rest to the least loaded subscribed member.
  const lightest = (topic: string, except?: number): number | undefined => {
    let best: number | undefined;
    for (const i of eligible.get(topic) ?? []) {
      if (i !== except && (best === undefined || count(i) < count(best))) best = i;
    }
    return best;
  };
  for (const topic of topics) {
    const numPartitions = partitionsPerTopic.get(topic) ?? 0;
    for (let p = 0; p < numPartitions; p++) {
      const k = key(topic, p);
      if (claims.get(k)?.size === 1) continue;
      const i = lightest(topic);
      if (i !== undefined) give(i, k);
    }
  }

  // 3. Even out, moving as little as possible.
  const byLoad = sorted.map((_, i) => i);
  for (let moved = true; moved;) {
    moved = false;
    byLoad.sort((a, b) => count(b) - count(a) || a - b);
    for (const from of byLoad) {
      if (count(from) < 2) break;
      const candidates = [...(assigned[from] ?? [])].sort(
        (x, y) => Number(kept[from]?.has(x) ?? false) - Number(kept[from]?.has(y) ?? false),
      );
      const target = new Map<string, number | undefined>();
      for (const k of candidates) {
        const topic = topicOf(k);
        if (!target.has(topic)) target.set(topic, lightest(topic, from));
        const to = target.get(topic);
        if (to === undefined || count(to) >= count(from) - 1) continue;
        assigned[from]?.delete(k);
        give(to, k);
        moved = true;
        break;
      }
      if (moved) break;
    }
  }

  const out = new AssignmentBuilder(sorted.map((m) => m.memberId));
  assigned.forEach((keys, i) => {
    const member = sorted[i];
    if (!member) return;
    for (const k of keys) out.add(member.memberId, topicOf(k), Number(k.slice(k.lastIndexOf(SEP) + 1)));
  });
  return out.build();
}

/**
 * Kafka's StickyAssignor ("sticky", eager): members revoke everything before each rebalance, so
 * what they owned travels in userData (StickyAssignorUserData v1), else in ownedPartitions.
 */
export class StickyAssignor implements PartitionAssignor {
  readonly name = 'sticky';
  readonly supportedProtocols = ['eager'] as const;

  assign(
    members: readonly AssignorMember[],
    partitionsPerTopic: ReadonlyMap<string, number>,
  ): GroupAssignment {
    return stickyAssign(members, partitionsPerTopic, ({ subscription }) => {
      const fromUserData = decodeStickyUserData(subscription.userData);
      if (fromUserData) return { generationId: fromUserData.generationId, owned: fromUserData.owned };
      return { generationId: subscription.generationId ?? -1, owned: subscription.ownedPartitions ?? [] };
    });
  }

  subscriptionUserData(ownedPartitions: readonly TopicPartitions[], generationId: number): Buffer {
    return encodeStickyUserData(ownedPartitions, generationId);
  }
}

/**
 * Kafka's CooperativeStickyAssignor ("cooperative-sticky", KIP-429): the sticky assignment, minus
 * every partition that changes owner. The previous owner revokes those and rejoins, and the next
 * rebalance hands them to their new owner, so a partition is never owned twice at any moment.
 */
export class CooperativeStickyAssignor implements PartitionAssignor {
  readonly name = 'cooperative-sticky';
  readonly supportedProtocols = ['cooperative', 'eager'] as const;

  assign(
    members: readonly AssignorMember[],
    partitionsPerTopic: ReadonlyMap<string, number>,
  ): GroupAssignment {
    const target = stickyAssign(members, partitionsPerTopic, ({ subscription }) => ({
      generationId:
        subscription.generationId !== undefined && subscription.generationId >= 0
          ? subscription.generationId
          : (decodeCooperativeUserData(subscription.userData) ?? -1),
      owned: subscription.ownedPartitions ?? [],
    }));
    // Kafka's computePartitionsTransferringOwnership: added to one member, revoked from another.
    const revoked = new Set<string>();
    for (const m of members) {
      const now = new Set(
        (target.get(m.memberId) ?? []).flatMap((tp) => tp.partitions.map((p) => key(tp.topic, p))),
      );
      for (const tp of m.subscription.ownedPartitions ?? []) {
        for (const p of tp.partitions) if (!now.has(key(tp.topic, p))) revoked.add(key(tp.topic, p));
      }
    }
    const adjusted: GroupAssignment = new Map();
    for (const m of members) {
      const owned = new Set(
        (m.subscription.ownedPartitions ?? []).flatMap((tp) => tp.partitions.map((p) => key(tp.topic, p))),
      );
      const list = (target.get(m.memberId) ?? [])
        .map((tp) => ({
          topic: tp.topic,
          partitions: tp.partitions.filter(
            (p) => owned.has(key(tp.topic, p)) || !revoked.has(key(tp.topic, p)),
          ),
        }))
        .filter((tp) => tp.partitions.length > 0);
      adjusted.set(m.memberId, list);
    }
    return adjusted;
  }

  subscriptionUserData(_ownedPartitions: readonly TopicPartitions[], generationId: number): Buffer {
    return encodeCooperativeUserData(generationId);
  }
}
