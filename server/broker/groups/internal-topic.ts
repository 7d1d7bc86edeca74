import type { BrokerContext } from '../broker-context';
import { isBrokerError } from '../errors';
import type { DecodedRecord, RecordInput } from '../log/record';
import { decodeBatches, encodeRecordBatch } from '../log/record-batch';
import { askPartition, requestPartition } from '../partition/partition-call';
import { appendBatch } from '../produce/produce';
import type { CreateTopicRequest } from '../topic-manager/topic-manager';

/**
 * Reading and writing one of the broker's own compacted topics (`__consumer_offsets`,
 * `__sluice_rebalances`) through the partition actors, like any other topic.
 *
 * Writes are ordered and coalesced per partition (group commit): while one batch is being
 * appended, the records of later writes wait and go out together as the next batch, so a burst
 * of commits costs one append, and a write never overtakes an earlier one. Each batch is atomic,
 * so the records of one write are stored together or not at all. A write resolves once its batch
 * is appended (as durable as the topic's config asks), and rejects with the append's error.
 */
const MAX_COALESCED_BYTES = 512 * 1024;
const READ_BYTES = 4 * 1024 * 1024;

interface PendingWrite {
  records: RecordInput[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

class PartitionWriter {
  private readonly queue: PendingWrite[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly appendBatch: (batch: Buffer) => Promise<void>) {}

  write(records: RecordInput[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let bytes = 0;
      for (const r of records) bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0) + 16;
      this.queue.push({ records, bytes, resolve, reject });
      this.running ??= this.drain().finally(() => (this.running = undefined));
    });
  }

  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const taken: PendingWrite[] = [];
      let bytes = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0] as PendingWrite;
        if (taken.length > 0 && bytes + next.bytes > MAX_COALESCED_BYTES) break;
        taken.push(this.queue.shift() as PendingWrite);
        bytes += next.bytes;
      }
      try {
        await this.appendBatch(encodeRecordBatch(taken.flatMap((w) => w.records)));
        for (const w of taken) w.resolve();
      } catch (error) {
        for (const w of taken) w.reject(error);
      }
    }
  }
}

export class InternalTopic {
  private readonly writers = new Map<number, PartitionWriter>();
  private creating: Promise<void> | undefined;

  /**
   * The topic is created on its first write, as Kafka creates `__consumer_offsets` when a group
   * first needs it: a broker whose clients never use groups has no internal topics.
   */
  constructor(
    private readonly ctx: BrokerContext,
    readonly name: string,
    private readonly create: (name: string, request: CreateTopicRequest) => Promise<unknown>,
    private readonly request: CreateTopicRequest,
  ) {}

  get exists(): boolean {
    return this.ctx.registry.get(this.name) !== undefined;
  }

  /** The topic's partitions, or those it will be created with. */
  get partitionCount(): number {
    return this.ctx.registry.get(this.name)?.partitions.length ?? this.request.partitions;
  }

  private ensureExists(): Promise<void> {
    if (this.exists) return Promise.resolve();
    this.creating ??= this.create(this.name, { ...this.request, internal: true })
      .then(() =>
        this.ctx.options.logger.info({ topic: this.name }, `Created the internal topic ${this.name}`),
      )
      .catch((error: unknown) => {
        if (!isBrokerError(error, 'TOPIC_ALREADY_EXISTS')) throw error;
      })
      .finally(() => (this.creating = undefined));
    return this.creating;
  }

  write(partition: number, records: RecordInput[]): Promise<void> {
    let writer = this.writers.get(partition);
    if (writer === undefined) {
      const timeout = this.ctx.options.requestTimeoutMs;
      writer = new PartitionWriter(async (batch) => {
        await this.ensureExists();
        const handle = this.ctx.registry.partition(this.name, partition);
        await appendBatch(handle, batch, timeout);
      });
      this.writers.set(partition, writer);
    }
    return writer.write(records);
  }

  /** Resolves once every write issued so far has been answered. */
  async idle(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.idle()));
  }

  /** Every record of a partition from its log start to its end as of now, in offset order. */
  async readAll(partition: number, onRecord: (record: DecodedRecord) => void): Promise<number> {
    if (!this.exists) return 0;
    const handle = this.ctx.registry.partition(this.name, partition);
    const timeout = this.ctx.options.requestTimeoutMs;
    const { logStartOffset, logEndOffset } = await askPartition(handle, { type: 'watermarks' }, timeout);
    let next = logStartOffset;
    let count = 0;
    while (next < logEndOffset) {
      const read = await requestPartition(
        handle,
        { type: 'read', offset: next, maxBytes: READ_BYTES, minOneBatch: true },
        timeout,
      );
      const before = next;
      for (const batch of decodeBatches(read.records, { maxDecompressedBytes: 64 * 1024 * 1024 })) {
        if (!batch.isControl) {
          for (const record of batch.records) {
            if (record.offset < next || record.offset >= logEndOffset) continue;
            onRecord(record);
            count++;
          }
        }
        next = Math.max(next, batch.header.baseOffset + batch.header.lastOffsetDelta + 1);
      }
      // Nothing more to read below the end (a compacted tail): done.
      if (next === before) break;
    }
    return count;
  }
}
