import { BrokerError } from '../../errors';
import {
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type TopicPartitions,
} from '../../groups/consumer-protocol';
import type { PartitionAssignor } from './partition-assignor';

/**
 * The consumer-side glue around an assignor: what a member sends in JoinGroup, and what the
 * leader computes from the JoinGroup response and sends in SyncGroup.
 */

/** The protocol metadata (a ConsumerProtocol Subscription) for one assignor. */
export function subscriptionMetadata(
  assignor: PartitionAssignor,
  topics: readonly string[],
  ownedPartitions: readonly TopicPartitions[] = [],
  generationId = -1,
): Buffer {
  return encodeSubscription({
    topics: [...topics],
    userData: assignor.subscriptionUserData?.(ownedPartitions, generationId) ?? null,
    ownedPartitions: [...ownedPartitions],
    generationId,
  });
}

/**
 * The leader's part: decode every member's subscription, run the assignor, encode the result.
 * A member whose metadata does not decode fails the whole assignment, as in Kafka's client.
 */
export function performAssignment(
  assignor: PartitionAssignor,
  members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>,
  partitionsPerTopic: ReadonlyMap<string, number>,
): Array<{ memberId: string; assignment: Buffer }> {
  const decoded = members.map((m) => {
    try {
      return {
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        subscription: decodeSubscription(m.metadata),
      };
    } catch (cause) {
      throw new BrokerError('INVALID_REQUEST', `Member ${m.memberId} sent an undecodable subscription`, {
        cause,
      });
    }
  });
  const result = assignor.assign(decoded, partitionsPerTopic);
  return members.map((m) => ({
    memberId: m.memberId,
    assignment: encodeAssignment({ assignedPartitions: result.get(m.memberId) ?? [] }),
  }));
}
