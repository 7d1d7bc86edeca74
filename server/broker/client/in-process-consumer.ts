import type { Broker } from '../broker';
import { BrokerError, isBrokerError } from '../errors';
import type { TopicPartitions } from '../groups/consumer-protocol';
import type { DecodedRecord } from '../log/record';
import { decodeBatches } from '../log/record-batch';
import { RangeAssignor } from './assignors/range-assignor';
import type { PartitionAssignor } from './assignors/partition-assignor';
import { RoundRobinAssignor } from './assignors/round-robin-assignor';
import { CooperativeStickyAssignor, StickyAssignor } from './assignors/sticky-assignor';
import { abortableSleep, AbortedError, tpKey } from './client-support';
import { GroupMembership, type GroupBroker } from './group-membership';

/**
 * A group consumer inside the broker's process. It takes exactly the path a remote Kafka
 * consumer's requests take (joinGroup/syncGroup/heartbeat/commitOffsets/leaveGroup on the Broker,
 * protocol type "consumer", the assignors' subscription metadata), so the console's demo
 * workload exercises the real coordinator.
 *
 * `run(handler)` loops: (re)join when needed, fetch with a long poll from each partition's
 * position, hand each partition's records to the handler, and only then move the position, so
 * delivery is at least once. Positions start at the committed offset, else at the log start or
 * end (`autoOffsetReset`). Auto-commit commits the positions every `autoCommitIntervalMs`, before
 * rejoining and on close. On a rebalance the eager protocol gives everything up first; the
 * cooperative one (every assignor cooperative, e.g. cooperative-sticky) gives up only what moves
 * and rejoins once more (KIP-429). `close()` commits and leaves; the broker's stop closes its
 * in-process consumers.
 */
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

export class InProcessConsumer {
  readonly stats: ConsumerStats = { consumed: 0, commits: 0, rebalances: 0, lastError: null };
  private readonly membership: GroupMembership;
  private readonly positions = new Map<string, { topic: string; partition: number; offset: number }>();
  private readonly committed = new Map<string, number>();
  private readonly stop = new AbortController();
  private pollAbort: AbortController | undefined;
  private lastCommitAt = Date.now();
  private loop: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private unregister: (() => void) | undefined;

  constructor(
    private readonly broker: ConsumerBroker & Partial<Pick<Broker, 'groups'>>,
    private readonly options: InProcessConsumerOptions,
  ) {
    if (options.topics.length === 0) throw new BrokerError('INVALID_REQUEST', 'A consumer needs topics');
    this.membership = new GroupMembership(
      broker,
      {
        groupId: options.groupId,
        clientId: options.clientId ?? `in-process-${++clientSeq}`,
        groupInstanceId: options.groupInstanceId ?? null,
        topics: options.topics,
        assignors: (options.assignors ?? ['range']).map(makeAssignor),
        sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
        rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 30_000,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3_000,
        retryBackoffMs: options.retryBackoffMs ?? 100,
      },
      () => this.pollAbort?.abort(),
    );
  }

  get memberId(): string {
    return this.membership.memberId;
  }

  get generationId(): number {
    return this.membership.generationId;
  }

  /** The partitions this member owns now. */
  assignment(): TopicPartitions[] {
    return this.membership.owned.map((tp) => ({ topic: tp.topic, partitions: [...tp.partitions] }));
  }

  /** Starts consuming; resolves when the consumer is closed. */
  run(handler: BatchHandler): Promise<void> {
    if (this.loop !== undefined) throw new BrokerError('INVALID_REQUEST', 'The consumer is already running');
    this.unregister = this.broker.groups?.onStop(() => this.close());
    this.loop = this.runLoop(handler);
    return this.loop;
  }

  private get stopped(): boolean {
    return this.stop.signal.aborted;
  }

  private async runLoop(handler: BatchHandler): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.membership.rejoinNeeded) await this.rebalance();
        else await this.poll(handler);
      } catch (error) {
        if (this.stopped || error instanceof AbortedError) continue;
        if (isBrokerError(error, 'BROKER_NOT_AVAILABLE') && this.broker.state !== 'running') {
          this.halt();
          break;
        }
        this.stats.lastError = error instanceof Error ? error.message : String(error);
        await abortableSleep(this.options.retryBackoffMs ?? 100, this.stop.signal);
      }
    }
    this.membership.stopHeartbeats();
  }

  // ---- rebalance ----------------------------------------------------------------------------------

  private async rebalance(): Promise<void> {
    const m = this.membership;
    m.stopHeartbeats();
    if (m.inGeneration && this.autoCommit) await this.commitQuietly();
    if (!m.cooperative) this.revoke(m.owned);
    let assignment: TopicPartitions[];
    try {
      assignment = await m.joinAndSync(this.stop.signal);
    } catch (error) {
      m.rejoinNeeded = true; // whatever failed, the next turn of the loop joins again
      throw error;
    }
    const now = new Set(assignment.flatMap((tp) => tp.partitions.map((p) => tpKey(tp.topic, p))));
    const revoked = m.owned
      .map((tp) => ({
        topic: tp.topic,
        partitions: tp.partitions.filter((p) => !now.has(tpKey(tp.topic, p))),
      }))
      .filter((tp) => tp.partitions.length > 0);
    this.revoke(revoked);
    m.owned = assignment;
    m.startHeartbeats();
    // KIP-429: what was given up goes to its new owner in one more rebalance.
    if (m.cooperative && revoked.length > 0) m.requestRejoin('partitions revoked');
    this.stats.rebalances++;
    this.options.onAssignment?.(this.assignment(), m.generationId);
  }

  private revoke(partitions: readonly TopicPartitions[]): void {
    for (const { topic, partitions: list } of partitions) {
      for (const p of list) this.positions.delete(tpKey(topic, p));
    }
    if (!this.membership.cooperative) this.membership.owned = [];
  }

  /** Each new partition starts at its committed offset, else at autoOffsetReset. */
  private async initPositions(assignment: readonly TopicPartitions[]): Promise<void> {
    const missing = assignment
      .map((tp) => ({
        topic: tp.topic,
        partitions: tp.partitions.filter((p) => !this.positions.has(tpKey(tp.topic, p))),
      }))
      .filter((tp) => tp.partitions.length > 0);
    if (missing.length === 0) return;
    const fetched = await this.broker.fetchOffsets(this.options.groupId, missing);
    if (fetched.error) throw fetched.error;
    for (const { topic, partitions } of fetched.topics) {
      for (const { partition, offset, error } of partitions) {
        if (error) throw error;
        let start = offset;
        if (start < 0) {
          start = (await this.broker.listOffsets(topic, partition, this.options.autoOffsetReset ?? 'latest'))
            .offset;
        } else {
          this.committed.set(tpKey(topic, partition), offset);
        }
        this.positions.set(tpKey(topic, partition), { topic, partition, offset: start });
      }
    }
  }

  // ---- fetching -----------------------------------------------------------------------------------

  private async poll(handler: BatchHandler): Promise<void> {
    await this.initPositions(this.membership.owned);
    const wanted = [...this.positions.values()];
    this.pollAbort = new AbortController();
    const signal = AbortSignal.any([this.pollAbort.signal, this.stop.signal]);
    if (wanted.length === 0) {
      await abortableSleep(this.options.maxWaitMs ?? 500, signal);
      return;
    }
    const partitionBytes = this.options.maxPartitionBytes ?? 256 * 1024;
    const response = await this.broker.fetch({
      partitions: wanted.map((p) => ({ ...p, maxBytes: partitionBytes })),
      maxWaitMs: this.options.maxWaitMs ?? 500,
      minBytes: 1,
      maxBytes: this.options.maxBytes ?? 1024 * 1024,
      signal,
    });
    for (const result of response.partitions) {
      if (this.stopped) return;
      const key = tpKey(result.topic, result.partition);
      const position = this.positions.get(key);
      if (position === undefined) continue;
      if (result.error) {
        if (result.error.code === 'OFFSET_OUT_OF_RANGE') {
          const reset = this.options.autoOffsetReset ?? 'latest';
          position.offset = (await this.broker.listOffsets(result.topic, result.partition, reset)).offset;
        }
        continue;
      }
      let next = position.offset;
      const records: DecodedRecord[] = [];
      for (const batch of decodeBatches(result.records)) {
        if (!batch.isControl) for (const r of batch.records) if (r.offset >= next) records.push(r);
        next = Math.max(next, batch.header.baseOffset + batch.header.lastOffsetDelta + 1);
      }
      if (records.length > 0) {
        await handler({
          topic: result.topic,
          partition: result.partition,
          records,
          highWatermark: result.highWatermark,
        });
        this.stats.consumed += records.length;
      }
      // Only after the handler is done: a failure above leaves the position for a retry.
      if (this.positions.get(key) === position) position.offset = next;
    }
    const interval = this.options.autoCommitIntervalMs ?? 5_000;
    if (this.autoCommit && Date.now() - this.lastCommitAt >= interval) await this.commitQuietly();
  }

  // ---- commits ------------------------------------------------------------------------------------

  private get autoCommit(): boolean {
    return this.options.autoCommit ?? true;
  }

  /** Commits the positions of the owned partitions that moved since their last commit. */
  async commit(): Promise<void> {
    const m = this.membership;
    this.lastCommitAt = Date.now();
    const offsets = [...this.positions.values()].filter(
      (p) => this.committed.get(tpKey(p.topic, p.partition)) !== p.offset,
    );
    if (offsets.length === 0 || !m.inGeneration) return;
    const snapshot = offsets.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset }));
    const results = await this.broker.commitOffsets(
      this.options.groupId,
      m.memberId,
      m.generationId,
      this.options.groupInstanceId ?? null,
      snapshot,
    );
    const done = snapshot.filter((_, i) => results[i]?.error === undefined);
    for (const p of done) this.committed.set(tpKey(p.topic, p.partition), p.offset);
    if (done.length > 0) {
      this.stats.commits++;
      this.options.onCommit?.(done);
    }
    const failure = results.find((r) => r.error !== undefined)?.error;
    if (failure === undefined) return;
    if (failure.code === 'UNKNOWN_MEMBER_ID') m.resetMember();
    if (
      ['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'].includes(
        failure.code,
      )
    ) {
      m.requestRejoin(failure.code);
    }
    throw failure;
  }

  private async commitQuietly(): Promise<void> {
    try {
      await this.commit();
    } catch (error) {
      this.stats.lastError = error instanceof Error ? error.message : String(error);
    }
  }

  // ---- stopping -----------------------------------------------------------------------------------

  /** Stops fetching, commits (auto-commit), leaves the group. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.halt();
      await this.loop;
      if (this.broker.state !== 'running') return;
      if (this.autoCommit && this.membership.inGeneration) await this.commitQuietly();
      try {
        await this.membership.leave();
      } catch (error) {
        this.stats.lastError = error instanceof Error ? error.message : String(error);
      }
      this.positions.clear();
      this.membership.owned = [];
    })();
    return this.closing;
  }

  /** Stops at once without committing or leaving, as a crashed process would: the session expires. */
  async kill(): Promise<void> {
    this.closing ??= (async () => {
      this.halt();
      await this.loop;
    })();
    return this.closing;
  }

  private halt(): void {
    this.unregister?.();
    this.unregister = undefined;
    this.stop.abort();
    this.pollAbort?.abort();
    this.membership.stopHeartbeats();
  }
}
