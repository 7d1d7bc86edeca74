import type { TopicPartitions } from '../../groups/consumer-protocol';

export type { TopicPartitions };

/** EAGER: members give up everything before a rebalance. COOPERATIVE: only what moves (KIP-429). */
export type RebalanceProtocol = 'eager' | 'cooperative';

export interface AssignorSubscription {
  topics: readonly string[];
  userData?: Buffer | null;
  ownedPartitions?: readonly TopicPartitions[];
  /** The generation the owned partitions belong to; -1 or absent when unknown. */
  generationId?: number;
}

export interface AssignorMember {
  memberId: string;
  groupInstanceId?: string | null;
  subscription: AssignorSubscription;
}

/** Every member appears, possibly with nothing; topics and partitions come out sorted. */
export type GroupAssignment = Map<string, TopicPartitions[]>;

/**
 * A client-side partition assignor (Kafka's ConsumerPartitionAssignor): the group leader runs it
 * over every member's subscription and hands the result to the coordinator through SyncGroup.
 * `name` is the protocol name members announce in JoinGroup.
 */
export interface PartitionAssignor {
  readonly name: string;
  readonly supportedProtocols: readonly RebalanceProtocol[];
  assign(
    members: readonly AssignorMember[],
    partitionsPerTopic: ReadonlyMap<string, number>,
  ): GroupAssignment;
  /** What a member puts in its subscription's userData (sticky assignors remember the past there). */
  subscriptionUserData?(ownedPartitions: readonly TopicPartitions[], generationId: number): Buffer | null;
}

/**
 * Kafka's MemberInfo order: static members first by group instance id, then dynamic ones by
 * member id. Assignors iterate members in this order so that static members keep their place.
 */
export function sortMembers<T extends Pick<AssignorMember, 'memberId' | 'groupInstanceId'>>(
  members: readonly T[],
): T[] {
  return [...members].sort((a, b) => {
    const ai = a.groupInstanceId ?? null;
    const bi = b.groupInstanceId ?? null;
    if (ai !== null && bi !== null) return compare(ai, bi);
    if (ai !== null) return -1;
    if (bi !== null) return 1;
    return compare(a.memberId, b.memberId);
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Assignment accumulator: member → topic → partitions. */
export class AssignmentBuilder {
  private readonly byMember = new Map<string, Map<string, number[]>>();

  constructor(memberIds: Iterable<string>) {
    for (const id of memberIds) this.byMember.set(id, new Map());
  }

  add(memberId: string, topic: string, partition: number): void {
    const topics = this.byMember.get(memberId);
    if (!topics) throw new Error(`Unknown member ${memberId}`);
    const partitions = topics.get(topic);
    if (partitions) partitions.push(partition);
    else topics.set(topic, [partition]);
  }

  build(): GroupAssignment {
    const out: GroupAssignment = new Map();
    for (const [memberId, topics] of this.byMember) {
      const list = [...topics.entries()]
        .sort(([a], [b]) => compare(a, b))
        .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((x, y) => x - y) }));
      out.set(memberId, list);
    }
    return out;
  }
}

/** Subscribed topics that exist, sorted. */
export function existingSubscribedTopics(
  members: readonly AssignorMember[],
  partitionsPerTopic: ReadonlyMap<string, number>,
): string[] {
  const topics = new Set<string>();
  for (const m of members)
    for (const t of m.subscription.topics) if (partitionsPerTopic.has(t)) topics.add(t);
  return [...topics].sort(compare);
}
