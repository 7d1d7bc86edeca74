import { z } from 'zod';
import type { BrokerLogger } from '../broker-options';
import type { RecordInput } from '../log/record';
import type { RebalanceHistoryQuery, RebalanceListener, StoredRebalance } from './group-service-api';
import type { InternalTopic } from './internal-topic';
import type { RebalanceRecord } from './rebalance-record';

/**
 * Every completed rebalance, with a monotonically increasing id, in a bounded history: the last
 * `size` overall, and at most `perGroup` of one group (a flapping group loses its own oldest
 * records first, not everyone else's).
 *
 * It survives restarts in the internal compacted topic `__sluice_rebalances` (one partition):
 *   key   {"v":1,"id":17}
 *   value {"v":1,"record":<the StoredRebalance as JSON>}, or null (a tombstone) once the record
 *         has left the bounded history, so that compaction keeps the topic as small as the history.
 * Records are written behind (a crash may lose the last ones, never reorder them); on start the
 * history is the retained records in id order and ids go on after the largest (which is never
 * evicted, so ids never go back).
 */
export const REBALANCES_TOPIC = '__sluice_rebalances';
const DEFAULT_LIMIT = 100;

const storedSchema = z.object({
  v: z.literal(1),
  record: z
    .object({
      id: z.number().int().positive(),
      groupId: z.string(),
      reason: z.string(),
      protocolType: z.string().nullable(),
      protocolBefore: z.string().nullable(),
      protocolAfter: z.string().nullable(),
      leaderBefore: z.string().nullable(),
      leaderAfter: z.string().nullable(),
      generationBefore: z.number().int(),
      generationAfter: z.number().int(),
      startedAt: z.number(),
      endedAt: z.number(),
      durationMs: z.number(),
      membersBefore: z.array(z.unknown()),
      membersAfter: z.array(z.unknown()),
      assignmentsBefore: z.array(z.unknown()),
      assignmentsAfter: z.array(z.unknown()),
      removedMembers: z.array(z.unknown()),
    })
    .passthrough(),
});

const keyOf = (id: number) => Buffer.from(JSON.stringify({ v: 1, id }), 'utf8');

export class RebalanceHistory {
  private records: StoredRebalance[] = [];
  private readonly perGroupCount = new Map<string, number>();
  private readonly listeners = new Set<RebalanceListener>();
  private lastId = 0;

  constructor(
    private readonly topic: InternalTopic | undefined,
    private readonly size: number,
    private readonly perGroup: number,
    private readonly logger: BrokerLogger,
  ) {}

  get latestId(): number {
    return this.lastId;
  }

  async load(): Promise<void> {
    if (this.topic === undefined) return;
    const byId = new Map<number, StoredRebalance>();
    let maxId = 0;
    for (let p = 0; p < this.topic.partitionCount; p++) {
      await this.topic.readAll(p, (record) => {
        try {
          if (record.key === null) return;
          const key = z
            .object({ v: z.literal(1), id: z.number().int().positive() })
            .parse(JSON.parse(record.key.toString('utf8')));
          maxId = Math.max(maxId, key.id);
          if (record.value === null) byId.delete(key.id);
          else
            byId.set(
              key.id,
              storedSchema.parse(JSON.parse(record.value.toString('utf8')))
                .record as unknown as StoredRebalance,
            );
        } catch (error) {
          this.logger.warn(
            { topic: REBALANCES_TOPIC, offset: record.offset, err: (error as Error).message },
            'Skipped an unreadable rebalance record',
          );
        }
      });
    }
    this.lastId = Math.max(this.lastId, maxId);
    this.records = [];
    this.perGroupCount.clear();
    const loaded = [...byId.values()].sort((a, b) => a.id - b.id);
    for (const r of loaded) this.retain(r);
    this.persist(this.enforceBounds());
  }

  add(record: RebalanceRecord): StoredRebalance {
    const stored: StoredRebalance = { id: ++this.lastId, ...record };
    this.retain(stored);
    const evicted = this.enforceBounds();
    this.persist(evicted, stored);
    for (const listener of [...this.listeners]) this.deliver(listener, stored);
    return stored;
  }

  query(query: RebalanceHistoryQuery = {}): StoredRebalance[] {
    const limit = Math.max(0, Math.min(query.limit ?? DEFAULT_LIMIT, this.size));
    const matching = this.records.filter(
      (r) =>
        (query.groupId === undefined || r.groupId === query.groupId) &&
        (query.afterId === undefined || r.id > query.afterId) &&
        (query.since === undefined || r.startedAt >= query.since),
    );
    if (limit === 0) return [];
    return query.afterId === undefined ? matching.slice(-limit) : matching.slice(0, limit);
  }

  /** Records after `afterId` first (from the retained history), then live ones. Returns the unsubscribe. */
  subscribe(listener: RebalanceListener, options: { afterId?: number } = {}): () => void {
    if (options.afterId !== undefined) {
      const afterId = options.afterId;
      for (const r of this.records) if (r.id > afterId) this.deliver(listener, r);
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private deliver(listener: RebalanceListener, record: StoredRebalance): void {
    try {
      listener(record);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'A rebalance listener failed');
    }
  }

  private retain(record: StoredRebalance): void {
    this.records.push(record);
    this.perGroupCount.set(record.groupId, (this.perGroupCount.get(record.groupId) ?? 0) + 1);
  }

  private enforceBounds(): StoredRebalance[] {
    const evicted: StoredRebalance[] = [];
    const overGroups = [...this.perGroupCount].filter(([, n]) => n > this.perGroup).map(([g]) => g);
    for (const groupId of overGroups) {
      let excess = (this.perGroupCount.get(groupId) ?? 0) - this.perGroup;
      this.records = this.records.filter((r) => {
        if (excess > 0 && r.groupId === groupId) {
          excess--;
          evicted.push(r);
          return false;
        }
        return true;
      });
    }
    if (this.records.length > this.size)
      evicted.push(...this.records.splice(0, this.records.length - this.size));
    for (const r of evicted) {
      const n = (this.perGroupCount.get(r.groupId) ?? 1) - 1;
      if (n > 0) this.perGroupCount.set(r.groupId, n);
      else this.perGroupCount.delete(r.groupId);
    }
    return evicted;
  }

  private persist(evicted: readonly StoredRebalance[], added?: StoredRebalance): void {
    if (this.topic === undefined) return;
    const records: RecordInput[] = evicted.map((r) => ({ key: keyOf(r.id), value: null }));
    if (added !== undefined) {
      records.push({
        key: keyOf(added.id),
        value: Buffer.from(JSON.stringify({ v: 1, record: added }), 'utf8'),
      });
    }
    if (records.length === 0) return;
    this.topic.write(0, records).catch((error: unknown) => {
      this.logger.warn({ err: (error as Error).message }, 'Could not store a rebalance record');
    });
  }
}
