import type { Broker } from '../broker';
import { BrokerError } from '../errors';
import type { TopicPartitions } from '../groups/consumer-protocol';
import { InProcessConsumer, type AssignorName, type InProcessConsumerOptions } from './in-process-consumer';
import { InProcessProducer } from './in-process-producer';

/**
 * The console's demo workload: producers at a chosen rate and record size, and consumer groups
 * of in-process members that can grow and shrink to cause rebalances. Everything is bounded
 * (limits below, one produce in flight per producer, a rate carry of at most one second) and
 * stoppable; it all stops with the broker (its stop hook), consumers committing and leaving.
 */
export interface WorkloadLimits {
  maxProducers: number;
  maxGroups: number;
  maxMembersPerGroup: number;
  maxRatePerSec: number;
  maxRecordBytes: number;
}

export const DEFAULT_WORKLOAD_LIMITS: WorkloadLimits = {
  maxProducers: 16,
  maxGroups: 16,
  maxMembersPerGroup: 32,
  maxRatePerSec: 100_000,
  maxRecordBytes: 1024 * 1024,
};

export interface WorkloadOptions {
  limits?: Partial<WorkloadLimits>;
  /** Consumer settings for the members (timeouts, assignors, auto-commit interval...). */
  consumer?: Partial<Omit<InProcessConsumerOptions, 'groupId' | 'topics'>>;
  /** Produce tick. Default 100 ms. */
  tickMs?: number;
}

export interface StartProducerRequest {
  topic: string;
  ratePerSec: number;
  recordBytes: number;
  idempotent?: boolean;
}

export interface ProducerStatus {
  id: string;
  topic: string;
  ratePerSec: number;
  recordBytes: number;
  startedAt: number;
  produced: number;
  errors: number;
  lastError: string | null;
}

export interface StartConsumerGroupRequest {
  groupId: string;
  topic: string;
  members: number;
  assignor?: AssignorName;
}

export interface MemberStatus {
  memberId: string;
  clientId: string;
  consumed: number;
  assignment: TopicPartitions[];
}

export interface ConsumerGroupStatus {
  groupId: string;
  topic: string;
  members: MemberStatus[];
  consumed: number;
  /** Sum over the topic's partitions of end offset minus committed offset. */
  lag: number;
}

export interface WorkloadStatus {
  producers: ProducerStatus[];
  consumerGroups: ConsumerGroupStatus[];
}

interface RunningProducer {
  status: ProducerStatus;
  producer: InProcessProducer;
  timer: ReturnType<typeof setInterval>;
  carry: number;
  inFlight: Promise<void> | undefined;
}

interface RunningMember {
  clientId: string;
  consumer: InProcessConsumer;
}

interface RunningGroup {
  groupId: string;
  topic: string;
  assignor: AssignorName;
  members: RunningMember[];
  /** Records consumed by members already removed. */
  consumedBefore: number;
}

function invalid(message: string): BrokerError {
  return new BrokerError('INVALID_REQUEST', message);
}

/** A JSON value of about `bytes` bytes, like an order event. */
export function demoValue(n: number, bytes: number): string {
  const base = JSON.stringify({ id: n, at: new Date().toISOString(), amount: (n * 7919) % 1000 });
  if (base.length >= bytes) return base.slice(0, Math.max(1, bytes));
  return `${base.slice(0, -1)},"pad":"${'x'.repeat(Math.max(0, bytes - base.length - 9))}"}`;
}

export class Workload {
  private readonly limits: WorkloadLimits;
  private readonly producers = new Map<string, RunningProducer>();
  private readonly groups = new Map<string, RunningGroup>();
  private seq = 0;
  private records = 0;
  private stopped = false;
  private readonly unregister: () => void;

  constructor(
    private readonly broker: Broker,
    private readonly options: WorkloadOptions = {},
  ) {
    this.limits = { ...DEFAULT_WORKLOAD_LIMITS, ...options.limits };
    this.unregister = broker.groups.onStop(() => this.stop());
  }

  // ---- producers ----------------------------------------------------------------------------------

  startProducer(request: StartProducerRequest): ProducerStatus {
    this.checkRunning();
    const { topic, ratePerSec, recordBytes } = request;
    if (this.broker.partitionCount(topic) === undefined) {
      throw new BrokerError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' does not exist`);
    }
    if (!(ratePerSec > 0 && ratePerSec <= this.limits.maxRatePerSec)) {
      throw invalid(`ratePerSec must be in (0, ${this.limits.maxRatePerSec}], got ${ratePerSec}`);
    }
    if (!Number.isInteger(recordBytes) || recordBytes < 1 || recordBytes > this.limits.maxRecordBytes) {
      throw invalid(
        `recordBytes must be an integer in [1, ${this.limits.maxRecordBytes}], got ${recordBytes}`,
      );
    }
    if (this.producers.size >= this.limits.maxProducers) {
      throw invalid(`At most ${this.limits.maxProducers} workload producers may run at once`);
    }
    const id = `producer-${++this.seq}`;
    const tickMs = this.options.tickMs ?? 100;
    const running: RunningProducer = {
      status: {
        id,
        topic,
        ratePerSec,
        recordBytes,
        startedAt: Date.now(),
        produced: 0,
        errors: 0,
        lastError: null,
      },
      producer: new InProcessProducer(this.broker, { idempotent: request.idempotent ?? false }),
      timer: setInterval(() => this.tick(running, tickMs), tickMs),
      carry: 0,
      inFlight: undefined,
    };
    this.producers.set(id, running);
    return { ...running.status };
  }

  private tick(running: RunningProducer, tickMs: number): void {
    const { status } = running;
    running.carry = Math.min(running.carry + (status.ratePerSec * tickMs) / 1000, status.ratePerSec);
    if (running.inFlight !== undefined) return; // the broker is behind: the carry waits (bounded)
    const count = Math.floor(running.carry);
    if (count < 1) return;
    running.carry -= count;
    const records = Array.from({ length: count }, () => {
      const n = ++this.records;
      return { key: `key-${n % 64}`, value: demoValue(n, status.recordBytes) };
    });
    running.inFlight = running.producer
      .send(status.topic, records)
      .then(
        () => {
          status.produced += count;
        },
        (error: unknown) => {
          status.errors++;
          status.lastError = error instanceof Error ? error.message : String(error);
        },
      )
      .finally(() => (running.inFlight = undefined));
  }

  async stopProducer(id: string): Promise<void> {
    const running = this.producers.get(id);
    if (running === undefined) throw invalid(`No workload producer '${id}'`);
    this.producers.delete(id);
    clearInterval(running.timer);
    await running.inFlight;
    await running.producer.close();
  }

  // ---- consumer groups ----------------------------------------------------------------------------

  startConsumerGroup(request: StartConsumerGroupRequest): ConsumerGroupStatus {
    this.checkRunning();
    const { groupId, topic, members } = request;
    if (!groupId) throw invalid('The group id must not be empty');
    if (this.groups.has(groupId)) throw invalid(`Workload group '${groupId}' is already running`);
    if (this.broker.partitionCount(topic) === undefined) {
      throw new BrokerError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' does not exist`);
    }
    if (!Number.isInteger(members) || members < 1 || members > this.limits.maxMembersPerGroup) {
      throw invalid(`members must be an integer in [1, ${this.limits.maxMembersPerGroup}], got ${members}`);
    }
    if (this.groups.size >= this.limits.maxGroups) {
      throw invalid(`At most ${this.limits.maxGroups} workload groups may run at once`);
    }
    const group: RunningGroup = {
      groupId,
      topic,
      assignor: request.assignor ?? 'cooperative-sticky',
      members: [],
      consumedBefore: 0,
    };
    this.groups.set(groupId, group);
    for (let i = 0; i < members; i++) this.spawnMember(group);
    return this.describeGroup(group, 0);
  }

  private spawnMember(group: RunningGroup): void {
    const clientId = `${group.groupId}-member-${++this.seq}`;
    const consumer = new InProcessConsumer(this.broker, {
      autoOffsetReset: 'earliest',
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      autoCommitIntervalMs: 1_000,
      assignors: [group.assignor],
      ...this.options.consumer,
      groupId: group.groupId,
      topics: [group.topic],
      clientId,
    });
    group.members.push({ clientId, consumer });
    void consumer.run(() => undefined);
  }

  addMember(groupId: string): ConsumerGroupStatus {
    this.checkRunning();
    const group = this.requireGroup(groupId);
    if (group.members.length >= this.limits.maxMembersPerGroup) {
      throw invalid(`Workload group '${groupId}' already has ${group.members.length} members (the limit)`);
    }
    this.spawnMember(group);
    return this.describeGroup(group, 0);
  }

  /** Removes the given member (by member id or client id), else the newest one; it leaves the group. */
  async removeMember(groupId: string, memberId?: string): Promise<ConsumerGroupStatus> {
    const group = this.requireGroup(groupId);
    const index =
      memberId === undefined
        ? group.members.length - 1
        : group.members.findIndex((m) => m.consumer.memberId === memberId || m.clientId === memberId);
    const member = group.members[index];
    if (member === undefined) throw invalid(`Workload group '${groupId}' has no member '${memberId ?? ''}'`);
    group.members.splice(index, 1);
    await member.consumer.close();
    group.consumedBefore += member.consumer.stats.consumed;
    return this.describeGroup(group, await this.lagOf(groupId));
  }

  async stopConsumerGroup(groupId: string): Promise<void> {
    const group = this.requireGroup(groupId);
    this.groups.delete(groupId);
    await Promise.all(group.members.map((m) => m.consumer.close()));
  }

  // ---- status and stop ----------------------------------------------------------------------------

  async status(): Promise<WorkloadStatus> {
    const consumerGroups = await Promise.all(
      [...this.groups.values()].map(async (g) => this.describeGroup(g, await this.lagOf(g.groupId))),
    );
    return { producers: [...this.producers.values()].map((p) => ({ ...p.status })), consumerGroups };
  }

  private async lagOf(groupId: string): Promise<number> {
    try {
      return (await this.broker.describeGroupOffsets(groupId)).totalLag;
    } catch {
      return 0; // not created yet (no member joined), or the coordinator is loading
    }
  }

  private describeGroup(group: RunningGroup, lag: number): ConsumerGroupStatus {
    const members = group.members.map((m) => ({
      memberId: m.consumer.memberId,
      clientId: m.clientId,
      consumed: m.consumer.stats.consumed,
      assignment: m.consumer.assignment(),
    }));
    const consumed = group.consumedBefore + members.reduce((sum, m) => sum + m.consumed, 0);
    return { groupId: group.groupId, topic: group.topic, members, consumed, lag };
  }

  /** Stops every producer and group (consumers commit and leave). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unregister();
    await Promise.all([...this.producers.keys()].map((id) => this.stopProducer(id)));
    await Promise.all([...this.groups.keys()].map((id) => this.stopConsumerGroup(id)));
  }

  private requireGroup(groupId: string): RunningGroup {
    const group = this.groups.get(groupId);
    if (group === undefined) throw new BrokerError('GROUP_ID_NOT_FOUND', `No workload group '${groupId}'`);
    return group;
  }

  private checkRunning(): void {
    if (this.stopped) throw invalid('The workload is stopped');
  }
}
