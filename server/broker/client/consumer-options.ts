import type { Broker } from '../broker';
import type { TopicPartitions } from '../groups/consumer-protocol';
import type { DecodedRecord } from '../log/record';
import { RangeAssignor } from './assignors/range-assignor';
import type { PartitionAssignor } from './assignors/partition-assignor';
import { RoundRobinAssignor } from './assignors/round-robin-assignor';
import { CooperativeStickyAssignor, StickyAssignor } from './assignors/sticky-assignor';
import type { GroupBroker, MembershipConfig } from './group-membership';

// The in-process consumer's options, the types it hands out, and its assignors by name.
export type ConsumerBroker = GroupBroker &
  Pick<Broker, 'commitOffsets' | 'fetchOffsets' | 'fetch' | 'listOffsets'>;

export type AssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

export interface InProcessConsumerOptions {
  groupId: string;
  topics: readonly string[];
  clientId?: string;
  /** KIP-345 static membership: the member keeps its slot across restarts and does not leave on close. */
  groupInstanceId?: string | null;
  /** In order of preference. Default ['range']. */
  assignors?: ReadonlyArray<AssignorName | PartitionAssignor>;
  /** Default 10 000 ms (within the coordinator's bounds). */
  sessionTimeoutMs?: number;
  /** Default 30 000 ms. */
  rebalanceTimeoutMs?: number;
  /** Default 3 000 ms. */
  heartbeatIntervalMs?: number;
  /** Where to start without a committed offset. Default 'latest', as Kafka. */
  autoOffsetReset?: 'earliest' | 'latest';
  /** Default true. */
  autoCommit?: boolean;
  /** Default 5 000 ms. */
  autoCommitIntervalMs?: number;
  /** Long poll. Default 500 ms. */
  maxWaitMs?: number;
  /** Default 1 MiB per fetch, 256 KiB per partition. */
  maxBytes?: number;
  maxPartitionBytes?: number;
  /** Pause after an error. Default 100 ms. */
  retryBackoffMs?: number;
  /** After each successful commit, with what it committed. */
  onCommit?: (offsets: ReadonlyArray<{ topic: string; partition: number; offset: number }>) => void;
  /** After each completed rebalance, with this member's new assignment. */
  onAssignment?: (assignment: readonly TopicPartitions[], generationId: number) => void;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  records: DecodedRecord[];
  highWatermark: number;
}

export type BatchHandler = (batch: ConsumedBatch) => void | Promise<void>;

export interface ConsumerStats {
  consumed: number;
  commits: number;
  rebalances: number;
  lastError: string | null;
}

function makeAssignor(a: AssignorName | PartitionAssignor): PartitionAssignor {
  if (typeof a !== 'string') return a;
  switch (a) {
    case 'range':
      return new RangeAssignor();
    case 'roundrobin':
      return new RoundRobinAssignor();
    case 'sticky':
      return new StickyAssignor();
    case 'cooperative-sticky':
      return new CooperativeStickyAssignor();
  }
}

let clientSeq = 0;

/** The group membership's settings, with the defaults filled in. */
export function membershipConfig(options: InProcessConsumerOptions): MembershipConfig {
  return {
    groupId: options.groupId,
    clientId: options.clientId ?? `in-process-${++clientSeq}`,
    groupInstanceId: options.groupInstanceId ?? null,
    topics: options.topics,
    assignors: (options.assignors ?? ['range']).map(makeAssignor),
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
    rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 30_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3_000,
    retryBackoffMs: options.retryBackoffMs ?? 100,
  };
}
