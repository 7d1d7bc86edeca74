import type { BrokerLogger } from '../broker-options';
import type { RecordInput } from '../log/record';
import type { GroupSnapshot } from './group-snapshot';
import type { CommittedOffset } from './group-service-api';
import type { InternalTopic } from './internal-topic';
import {
  decodeGroupValue,
  decodeOffsetsKey,
  decodeOffsetValue,
  groupKey,
  groupValue,
  offsetKey,
  offsetValue,
  partitionForGroup,
} from './offsets-format';

/** topic → partition → commit */
export type GroupOffsets = Map<string, Map<number, CommittedOffset>>;

export interface TopicPartition {
  topic: string;
  partition: number;
}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Committed offsets and stored group metadata: the in-memory cache of `__consumer_offsets` (the
 * log is the database, DESIGN "Producers, consumers, groups"). Loaded at start by reading the
 * whole topic; every change is appended first and applied to the cache once its append resolved,
 * in append order, so the cache only ever shows what is in the log. Group snapshots are the
 * exception: the coordinator's latest one is kept at once (a restarted group actor rebuilds
 * from it) and written behind.
 */
export class OffsetStore {
  private readonly offsets = new Map<string, GroupOffsets>();
  private readonly snapshots = new Map<string, GroupSnapshot>();
  /** Offsets being appended, so that a deletion issued meanwhile tombstones them too. */
  private readonly pending = new Map<string, Map<string, TopicPartition & { count: number }>>();

  constructor(
    private readonly topic: InternalTopic,
    private readonly logger: BrokerLogger,
  ) {}

  partitionOf(groupId: string): number {
    return partitionForGroup(groupId, this.topic.partitionCount);
  }

  // ---- loading --------------------------------------------------------------------------------

  /** Replays the whole topic into an empty cache (so a failed load can simply be run again). */
  async load(): Promise<{ records: number; skipped: number }> {
    this.offsets.clear();
    this.snapshots.clear();
    let records = 0;
    let skipped = 0;
    for (let p = 0; p < this.topic.partitionCount; p++) {
      records += await this.topic.readAll(p, (record) => {
        if (record.key === null) {
          skipped++;
          return;
        }
        try {
          const key = decodeOffsetsKey(record.key);
          if (key.kind === 'offset') {
            if (record.value === null) this.removeOffset(key.group, key.topic, key.partition);
            else this.setOffset(key.group, key.topic, key.partition, decodeOffsetValue(record.value));
          } else if (record.value === null) {
            this.snapshots.delete(key.group);
          } else {
            this.snapshots.set(key.group, decodeGroupValue(record.value));
          }
        } catch (error) {
          skipped++;
          this.logger.warn(
            { topic: this.topic.name, partition: p, offset: record.offset, err: (error as Error).message },
            'Skipped an unreadable record of the offsets topic',
          );
        }
      });
    }
    return { records, skipped };
  }

  // ---- reading --------------------------------------------------------------------------------

  groupIds(): string[] {
    return [...new Set([...this.snapshots.keys(), ...this.offsets.keys()])];
  }

  snapshot(groupId: string): GroupSnapshot | undefined {
    return this.snapshots.get(groupId);
  }

  committed(groupId: string): ReadonlyMap<string, ReadonlyMap<number, CommittedOffset>> | undefined {
    return this.offsets.get(groupId);
  }

  committedOffset(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(groupId)?.get(topic)?.get(partition);
  }

  hasOffsets(groupId: string): boolean {
    return this.offsets.has(groupId);
  }

  /** Every (group, topic, partition, offset), for the lag sampler. */
  *allOffsets(): Generator<[string, string, number, CommittedOffset]> {
    for (const [group, topics] of this.offsets) {
      for (const [topic, partitions] of topics) {
        for (const [partition, committed] of partitions) yield [group, topic, partition, committed];
      }
    }
  }

  // ---- writing --------------------------------------------------------------------------------

  /** Appends the commits as one batch; they are in the cache once this resolves. */
  async commit(
    groupId: string,
    commits: ReadonlyArray<TopicPartition & { value: CommittedOffset }>,
  ): Promise<void> {
    const records = commits.map((c) => ({
      key: offsetKey(groupId, c.topic, c.partition),
      value: offsetValue(c.value),
    }));
    for (const c of commits) this.addPending(groupId, c.topic, c.partition, 1);
    try {
      await this.topic.write(this.partitionOf(groupId), records);
      for (const c of commits) this.setOffset(groupId, c.topic, c.partition, c.value);
    } finally {
      for (const c of commits) this.addPending(groupId, c.topic, c.partition, -1);
    }
  }

  /** The coordinator's snapshot: kept at once, written behind (a failure is logged). */
  storeGroup(snapshot: GroupSnapshot): void {
    this.snapshots.set(snapshot.groupId, snapshot);
    this.topic
      .write(this.partitionOf(snapshot.groupId), [
        { key: groupKey(snapshot.groupId), value: groupValue(snapshot) },
      ])
      .catch((error: unknown) =>
        this.logger.warn(
          { group: snapshot.groupId, err: (error as Error).message },
          'Could not store the group metadata',
        ),
      );
  }

  /** Tombstones for these offsets (those committed or being committed now). */
  async deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<void> {
    const known = partitions.filter(
      (tp) =>
        this.committedOffset(groupId, tp.topic, tp.partition) !== undefined ||
        this.pending.get(groupId)?.has(tpKey(tp.topic, tp.partition)),
    );
    if (known.length === 0) return;
    await this.topic.write(this.partitionOf(groupId), known.map(tombstoneOf(groupId)));
    for (const tp of known) this.removeOffset(groupId, tp.topic, tp.partition);
  }

  /** Tombstones for every offset of the group and for its metadata. */
  async deleteGroup(groupId: string): Promise<void> {
    const targets = this.offsetsOf(groupId, () => true);
    this.snapshots.delete(groupId);
    const records: RecordInput[] = targets.map(tombstoneOf(groupId));
    records.push({ key: groupKey(groupId), value: null });
    await this.topic.write(this.partitionOf(groupId), records);
    for (const tp of targets) this.removeOffset(groupId, tp.topic, tp.partition);
  }

  /** A deleted topic: tombstones for its offsets in every group. */
  async deleteTopic(topic: string): Promise<void> {
    await this.deleteWhere((tp) => tp.topic === topic);
  }

  /** Tombstones for the offsets whose topic or partition no longer exists. */
  async deleteWhere(gone: (tp: TopicPartition) => boolean): Promise<number> {
    const writes: Promise<void>[] = [];
    let count = 0;
    for (const groupId of [...this.offsets.keys(), ...this.pending.keys()]) {
      const targets = this.offsetsOf(groupId, gone);
      if (targets.length === 0) continue;
      count += targets.length;
      writes.push(
        this.topic.write(this.partitionOf(groupId), targets.map(tombstoneOf(groupId))).then(() => {
          for (const tp of targets) this.removeOffset(groupId, tp.topic, tp.partition);
        }),
      );
    }
    await Promise.all(writes);
    return count;
  }

  // ---- cache ----------------------------------------------------------------------------------

  private offsetsOf(groupId: string, match: (tp: TopicPartition) => boolean): TopicPartition[] {
    const found = new Map<string, TopicPartition>();
    for (const [topic, partitions] of this.offsets.get(groupId) ?? []) {
      for (const partition of partitions.keys()) {
        if (match({ topic, partition })) found.set(tpKey(topic, partition), { topic, partition });
      }
    }
    for (const [key, { topic, partition }] of this.pending.get(groupId) ?? []) {
      if (match({ topic, partition })) found.set(key, { topic, partition });
    }
    return [...found.values()];
  }

  private addPending(groupId: string, topic: string, partition: number, delta: number): void {
    let byKey = this.pending.get(groupId);
    if (byKey === undefined) {
      byKey = new Map();
      this.pending.set(groupId, byKey);
    }
    const key = tpKey(topic, partition);
    const entry = byKey.get(key) ?? { topic, partition, count: 0 };
    entry.count += delta;
    if (entry.count > 0) byKey.set(key, entry);
    else byKey.delete(key);
    if (byKey.size === 0) this.pending.delete(groupId);
  }

  private setOffset(groupId: string, topic: string, partition: number, value: CommittedOffset): void {
    let topics = this.offsets.get(groupId);
    if (topics === undefined) {
      topics = new Map();
      this.offsets.set(groupId, topics);
    }
    let partitions = topics.get(topic);
    if (partitions === undefined) {
      partitions = new Map();
      topics.set(topic, partitions);
    }
    partitions.set(partition, value);
  }

  private removeOffset(groupId: string, topic: string, partition: number): void {
    const topics = this.offsets.get(groupId);
    const partitions = topics?.get(topic);
    if (topics === undefined || partitions === undefined) return;
    partitions.delete(partition);
    if (partitions.size === 0) topics.delete(topic);
    if (topics.size === 0) this.offsets.delete(groupId);
  }
}

function tombstoneOf(groupId: string): (tp: TopicPartition) => RecordInput {
  return (tp) => ({ key: offsetKey(groupId, tp.topic, tp.partition), value: null });
}
