import type { Broker } from '../broker';
import { BrokerError, isBrokerError } from '../errors';
import type { CompressionCodec } from '../log/compression';
import type { RecordInput } from '../log/record';
import { encodeRecordBatch } from '../log/record-batch';
import type { ProducedRecord, ProduceRecordInput } from '../produce/produce-records';
import { DefaultPartitioner } from '../partitioner/default-partitioner';
import { abortableSleep } from './client-support';

/**
 * A producer inside the broker's process (the console's workload, tests), without sockets.
 *
 * Plain: `broker.produceRecords` (the broker picks partitions with Kafka's default partitioner).
 * Idempotent (`idempotent: true`): like Kafka's idempotent producer, it gets a (producerId,
 * epoch) from InitProducerId, picks partitions itself with the same partitioner, numbers each
 * partition's batches with sequences and keeps one batch in flight per partition, so order
 * holds. A batch whose answer is lost (a timeout, an overloaded or restarting partition) is sent
 * again byte for byte: the partition recognises the sequence and answers with the original
 * offsets, writing nothing twice. A sequence error (OUT_OF_ORDER_SEQUENCE_NUMBER,
 * UNKNOWN_PRODUCER_ID) bumps the epoch (KIP-360) and resets the sequences; the batch that met it
 * fails. INVALID_PRODUCER_EPOCH means a newer instance of the producer took over: fatal, as in
 * Kafka, every later send fails with it.
 */
export type ProducerBroker = Pick<Broker, 'produce' | 'produceRecords' | 'initProducerId' | 'partitionCount'>;

export interface InProcessProducerOptions {
  idempotent?: boolean;
  compression?: CompressionCodec;
  /** Sends of one batch after a retriable error. Default 5. */
  retries?: number;
  /** Pause before a retry. Default 50 ms. */
  retryBackoffMs?: number;
  /** Deadline of each append. Default the broker's. */
  timeoutMs?: number;
}

const RETRIABLE: ReadonlySet<string> = new Set([
  'REQUEST_TIMED_OUT',
  'OVERLOADED',
  'PARTITION_OFFLINE',
  'KAFKA_STORAGE_ERROR',
]);
const INT32_MAX = 2 ** 31 - 1;

function toBuffer(bytes: ProduceRecordInput['value'] | undefined): Buffer | null {
  if (bytes === null || bytes === undefined) return null;
  if (typeof bytes === 'string') return Buffer.from(bytes, 'utf8');
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function toRecord(input: ProduceRecordInput, now: number): RecordInput {
  return {
    key: toBuffer(input.key),
    value: toBuffer(input.value),
    headers: (input.headers ?? []).map((h) => ({ key: h.key, value: toBuffer(h.value) })),
    timestamp: input.timestamp ?? now,
  };
}

export class InProcessProducer {
  private readonly partitioner = new DefaultPartitioner();
  private readonly sequences = new Map<string, number>();
  /** The tail of each partition's chain of sends: one batch in flight per partition. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private identity: Promise<{ producerId: number; producerEpoch: number }> | undefined;
  private closed = false;
  private fenced: BrokerError | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly broker: ProducerBroker,
    private readonly options: InProcessProducerOptions = {},
  ) {}

  /** The (producerId, epoch) of an idempotent producer, once it sent something. */
  async producerIdentity(): Promise<{ producerId: number; producerEpoch: number }> {
    this.identity ??= this.broker.initProducerId();
    return this.identity;
  }

  /** Sends the records (each to its `partition`, else the partitioner's); resolves with their offsets. */
  async send(topic: string, records: readonly ProduceRecordInput[]): Promise<ProducedRecord[]> {
    if (this.closed) throw new BrokerError('INVALID_REQUEST', 'The producer is closed');
    if (this.fenced) throw this.fenced;
    if (!this.options.idempotent) {
      const options = {
        ...(this.options.compression === undefined ? {} : { compression: this.options.compression }),
        ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
      };
      return this.withRetries(() => this.broker.produceRecords(topic, records, options));
    }
    const count = this.broker.partitionCount(topic);
    if (count === undefined) {
      throw new BrokerError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' does not exist`);
    }
    const byPartition = new Map<number, number[]>();
    records.forEach((r, i) => {
      const p = r.partition ?? this.partitioner.partition(topic, toBuffer(r.key), count);
      const list = byPartition.get(p) ?? [];
      list.push(i);
      byPartition.set(p, list);
    });
    for (const p of byPartition.keys()) this.partitioner.onNewBatch(topic, count, p);
    const out: ProducedRecord[] = new Array<ProducedRecord>(records.length);
    await Promise.all(
      [...byPartition].map(async ([partition, indexes]) => {
        const now = Date.now();
        const batch = indexes.map((i) => toRecord(records[i] as ProduceRecordInput, now));
        const result = await this.sendIdempotent(topic, partition, batch);
        indexes.forEach((recordIndex, k) => {
          out[recordIndex] = {
            partition,
            offset: result.baseOffset + k,
            timestamp: result.logAppendTime >= 0 ? result.logAppendTime : (batch[k]?.timestamp ?? now),
            timestampType: result.logAppendTime >= 0 ? 'LogAppendTime' : 'CreateTime',
          };
        });
      }),
    );
    return out;
  }

  private sendIdempotent(topic: string, partition: number, records: RecordInput[]) {
    const key = `${topic}\u0000${partition}`;
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const sent = previous
      .catch(() => undefined)
      .then(async () => {
        const { producerId, producerEpoch } = await this.producerIdentity();
        const baseSequence = this.sequences.get(key) ?? 0;
        const batch = encodeRecordBatch(records, {
          producerId,
          producerEpoch,
          baseSequence,
          ...(this.options.compression === undefined ? {} : { compression: this.options.compression }),
        });
        try {
          const result = await this.withRetries(() =>
            this.broker.produce(topic, partition, batch, {
              acks: -1,
              ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
            }),
          );
          this.sequences.set(key, (baseSequence + records.length) % (INT32_MAX + 1));
          return result;
        } catch (error) {
          if (isBrokerError(error, 'INVALID_PRODUCER_EPOCH')) {
            this.fenced ??= new BrokerError(
              'INVALID_PRODUCER_EPOCH',
              `Producer ${producerId} epoch ${producerEpoch} was fenced by a newer epoch: ${error.message}`,
            );
          } else if (
            isBrokerError(error, 'OUT_OF_ORDER_SEQUENCE_NUMBER') ||
            isBrokerError(error, 'UNKNOWN_PRODUCER_ID')
          ) {
            await this.bumpEpoch(producerId, producerEpoch);
          }
          throw error;
        }
      });
    this.inFlight.set(key, sent);
    void sent
      .finally(() => {
        if (this.inFlight.get(key) === sent) this.inFlight.delete(key);
      })
      .catch(() => undefined);
    return sent;
  }

  /** KIP-360: a new epoch of the same id (or a new id), every sequence back to 0. */
  private async bumpEpoch(producerId: number, producerEpoch: number): Promise<void> {
    const current = await this.producerIdentity();
    if (current.producerId !== producerId || current.producerEpoch !== producerEpoch) return;
    this.identity = this.broker.initProducerId({ producerId, producerEpoch });
    this.sequences.clear();
    await this.identity.catch(() => {
      this.identity = undefined;
    });
  }

  private async withRetries<T>(send: () => Promise<T>): Promise<T> {
    const retries = this.options.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const retriable = isBrokerError(error) && RETRIABLE.has(error.code);
        if (!retriable || attempt >= retries || this.closed) throw error;
        await abortableSleep(this.options.retryBackoffMs ?? 50, this.abort.signal);
      }
    }
  }

  /** Waits for the batches in flight; later sends are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }
}
