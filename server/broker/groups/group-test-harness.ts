/** Test support for the group coordinator: a fake clock, a scripted consumer, invariant checks. */
import { expect } from 'vitest';
import { performAssignment, subscriptionMetadata } from '../client/assignors/leader-assignment';
import { RangeAssignor } from '../client/assignors/range-assignor';
import type { PartitionAssignor } from '../client/assignors/partition-assignor';
import { decodeAssignment, type TopicPartitions } from './consumer-protocol';
import type { GroupCoordinatorConfig, GroupProtocol, JoinGroupMember, JoinGroupResult } from './group-api';
import { GroupCoordinator } from './group-coordinator';
import type { GroupSnapshot } from './group-snapshot';
import type { RebalanceRecord } from './rebalance-record';
import { ManualScheduler } from './scheduler';

export const SESSION_TIMEOUT = 300;
export const REBALANCE_TIMEOUT = 1000;
export const INITIAL_DELAY = 100;

export function setup(config: Partial<GroupCoordinatorConfig> = {}) {
  const scheduler = new ManualScheduler(1_000_000);
  const records: RebalanceRecord[] = [];
  const stored: GroupSnapshot[] = [];
  let ids = 0;
  const coordinator = new GroupCoordinator({
    scheduler,
    config: { initialRebalanceDelayMs: INITIAL_DELAY, minSessionTimeoutMs: 10, ...config },
    listener: { onRebalance: (r) => records.push(r), onGroupStored: (g) => stored.push(g) },
    newMemberId: (clientId) => `${clientId}-m${++ids}`,
  });
  return { scheduler, coordinator, records, stored };
}

/** Lets promise continuations (a consumer's next request) run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export function rangeProtocol(topics: string[]): GroupProtocol {
  return { name: 'range', metadata: subscriptionMetadata(new RangeAssignor(), topics) };
}

/** Resolved value of a promise if it has settled, else 'pending'. */
export async function peek<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, settle().then(() => 'pending' as const)]);
}

/** A consumer as Kafka clients behave: join (with the MEMBER_ID_REQUIRED round trip), sync, heartbeat. */
export class TestConsumer {
  memberId = '';
  generationId = -1;
  leader = '';
  joinMembers: JoinGroupMember[] = [];
  partitions: TopicPartitions[] = [];

  constructor(
    private readonly coordinator: GroupCoordinator,
    readonly groupId: string,
    readonly clientId: string,
    public protocols: GroupProtocol[] = [rangeProtocol(['t'])],
    readonly groupInstanceId: string | null = null,
    readonly partitionsPerTopic = new Map([['t', 6]]),
    readonly assignor: PartitionAssignor = new RangeAssignor(),
  ) {}

  get isLeader(): boolean {
    return this.leader === this.memberId;
  }

  async join(protocolType = 'consumer'): Promise<JoinGroupResult> {
    const request = () => ({
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
      clientId: this.clientId,
      clientHost: `/10.0.0.${this.clientId.length}`,
      protocolType,
      protocols: this.protocols,
      sessionTimeoutMs: SESSION_TIMEOUT,
      rebalanceTimeoutMs: REBALANCE_TIMEOUT,
      requireKnownMemberId: true,
    });
    let result = await this.coordinator.join(this.groupId, request());
    if (result.error?.code === 'MEMBER_ID_REQUIRED') {
      this.memberId = result.memberId;
      result = await this.coordinator.join(this.groupId, request());
    }
    if (!result.error) {
      this.memberId = result.memberId;
      this.generationId = result.generationId;
      this.leader = result.leader;
      this.joinMembers = result.members;
    }
    return result;
  }

  async sync() {
    const assignments = this.isLeader
      ? performAssignment(this.assignor, this.joinMembers, this.partitionsPerTopic)
      : [];
    const result = await this.coordinator.sync(this.groupId, {
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
      assignments,
    });
    if (!result.error) this.partitions = decodeAssignment(result.assignment).assignedPartitions;
    return result;
  }

  heartbeat() {
    return this.coordinator.heartbeat(this.groupId, {
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
      generationId: this.generationId,
    });
  }

  leave() {
    return this.coordinator.leave(this.groupId, [
      { memberId: this.memberId, groupInstanceId: this.groupInstanceId },
    ]);
  }

  partitionCount(): number {
    return this.partitions.reduce((n, tp) => n + tp.partitions.length, 0);
  }
}

/**
 * Joins and syncs every consumer into one generation. Members arriving during the initial delay
 * extend it once (Kafka's InitialDelayedJoin), hence two delays.
 */
export async function formGroup(scheduler: ManualScheduler, consumers: TestConsumer[]): Promise<void> {
  const joins = consumers.map((c) => c.join());
  await settle();
  scheduler.advance(2 * INITIAL_DELAY);
  for (const result of await Promise.all(joins)) expect(result.error).toBeUndefined();
  for (const result of await Promise.all(consumers.map((c) => c.sync())))
    expect(result.error).toBeUndefined();
}

/** Rejoin and sync, as consumers do after REBALANCE_IN_PROGRESS. */
export async function rebalance(consumers: TestConsumer[]): Promise<void> {
  const joins = await Promise.all(consumers.map((c) => c.join()));
  for (const j of joins) expect(j.error).toBeUndefined();
  for (const s of await Promise.all(consumers.map((c) => c.sync()))) expect(s.error).toBeUndefined();
}

/** Moves time forward in small steps while the given consumers heartbeat. */
export function advanceWithHeartbeats(
  scheduler: ManualScheduler,
  ms: number,
  alive: TestConsumer[],
  step = 50,
) {
  for (let done = 0; done < ms; done += step) {
    scheduler.advance(Math.min(step, ms - done));
    for (const c of alive) c.heartbeat();
  }
}

/** Topic-partitions assigned to more than one member, in either side of a record. */
export function doublyAssigned(record: RebalanceRecord): string[] {
  const dupes: string[] = [];
  for (const side of [record.assignmentsBefore, record.assignmentsAfter]) {
    const seen = new Set<string>();
    for (const a of side) {
      if (a.format !== 'consumer') continue;
      for (const tp of a.partitions) {
        for (const p of tp.partitions) {
          const k = `${tp.topic}-${p}`;
          if (seen.has(k)) dupes.push(k);
          seen.add(k);
        }
      }
    }
  }
  return dupes;
}

export function allPartitions(consumers: TestConsumer[]): string[] {
  return consumers
    .flatMap((c) => c.partitions.flatMap((tp) => tp.partitions.map((p) => `${tp.topic}-${p}`)))
    .sort();
}
