import type { Broker } from '../broker';
import { BrokerError, isBrokerError } from '../errors';
import type { TopicPartitions } from '../groups/consumer-protocol';
import type { DecodedRecord } from '../log/record';
import { decodeBatches } from '../log/record-batch';
import { abortableSleep, AbortedError, tpKey } from './client-support';
import { commitPositions, initPositions, type ConsumerOffsets, type Position } from './consumer-offsets';
import {
  membershipConfig,
  type BatchHandler,
  type ConsumerBroker,
  type ConsumerStats,
  type InProcessConsumerOptions,
} from './consumer-options';
import { GroupMembership } from './group-membership';

export type {
  AssignorName,
  BatchHandler,
  ConsumedBatch,
  ConsumerBroker,
  ConsumerStats,
  InProcessConsumerOptions,
} from './consumer-options';

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
export class InProcessConsumer {
  readonly stats: ConsumerStats = { consumed: 0, commits: 0, rebalances: 0, lastError: null };
  private readonly membership: GroupMembership;
  private readonly positions = new Map<string, Position>();
  private readonly committed = new Map<string, number>();
  private readonly offsets: ConsumerOffsets;
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
    this.membership = new GroupMembership(broker, membershipConfig(options), () => this.pollAbort?.abort());
    this.offsets = {
      broker,
      options,
      membership: this.membership,
      stats: this.stats,
      positions: this.positions,
      committed: this.committed,
    };
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

  // ---- fetching -----------------------------------------------------------------------------------

  private async poll(handler: BatchHandler): Promise<void> {
    await initPositions(this.offsets, this.membership.owned);
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
    this.lastCommitAt = Date.now();
    await commitPositions(this.offsets);
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
