import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTR, BATCH, computeBatchCrc } from '../../broker/log/batch-header';
import { encodeRecordBatch, type EncodeOptions } from '../../broker/log/record-batch';
import { partitionForKey } from '../../broker/partitioner/murmur2';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { KCAT, kcatConsumeAll } from '../testing/kcat';
import { runProcess } from '../testing/run-process';
import { RawKafkaClient } from '../testing/raw-kafka-client';
import { rawRequest } from '../testing/raw-request';
import {
  ApiKey,
  decodeListOffsetsResponse,
  encodeListOffsetsRequest,
  encodeProduceRequest,
} from '../protocol/generated/index';
import { Reader } from '../protocol/reader';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

function batch(values: string[], options: EncodeOptions = {}): Buffer {
  return encodeRecordBatch(
    values.map((v) => ({ key: Buffer.from(`k-${v}`), value: Buffer.from(v) })),
    options,
  );
}

async function produceRaw(
  b: BrokerListener,
  version: number,
  records: Buffer | null,
  options: { topic?: string; partition?: number; acks?: number; transactionalId?: string | null } = {},
) {
  const response = await rawRequest(b.port, 'Produce', version, {
    transactionalId: options.transactionalId ?? null,
    acks: options.acks ?? -1,
    timeoutMs: 5000,
    topicData: [{ name: options.topic ?? 't', partitionData: [{ index: options.partition ?? 0, records }] }],
  });
  const p = response.responses[0]?.partitionResponses[0];
  if (p === undefined) throw new Error('no partition response');
  return p;
}

describe('Produce', () => {
  it('kafkajs: 10,000 keyed records land on their murmur2 partition, in order; kcat reads them all back', async () => {
    s = await startBrokerListener();
    const b = s;
    const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic: 'keyed', numPartitions: 6 }] })).toBe(true);
    await admin.disconnect();

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const total = 10_000;
    for (let start = 0; start < total; start += 1000) {
      const messages = Array.from({ length: 1000 }, (_, i) => ({
        key: `key-${(start + i) % 997}`,
        value: `v${start + i}`,
      }));
      const acks = await producer.send({ topic: 'keyed', messages, acks: -1 });
      for (const a of acks) expect(a.errorCode).toBe(0);
    }
    await producer.disconnect();

    // An idempotent producer's records go through the broker's sequence checks and land too.
    const idempotent = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await idempotent.connect();
    for (let i = 0; i < 5; i++) {
      await idempotent.send({
        topic: 'keyed',
        messages: Array.from({ length: 100 }, (_, j) => ({ key: `idem-${j}`, value: `i${i * 100 + j}` })),
      });
    }
    await idempotent.disconnect();

    const records = await kcatConsumeAll(b.bootstrap, 'keyed');
    expect(records).toHaveLength(total + 500);
    const plain = records.filter((r) => r.value.startsWith('v'));
    expect(new Set(plain.map((r) => r.value)).size).toBe(total);
    for (const r of records) {
      expect(r.partition, r.key).toBe(partitionForKey(Buffer.from(r.key), 6));
    }
    for (let p = 0; p < 6; p++) {
      const inPartition = records.filter((r) => r.partition === p);
      // offsets dense from 0, and each producer's records in the order they were sent
      expect(inPartition.map((r) => r.offset)).toEqual(inPartition.map((_, i) => i));
      const sent = (prefix: string) =>
        inPartition.filter((r) => r.value.startsWith(prefix)).map((r) => Number(r.value.slice(1)));
      expect(sent('v')).toEqual([...sent('v')].sort((x, y) => x - y));
      expect(sent('i')).toEqual([...sent('i')].sort((x, y) => x - y));
    }
    // the idempotent producer's batches carry its producer id
    const fetched = await rawRequest(b.port, 'Fetch', 4, {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 10_000_000,
      topics: [
        { topic: 'keyed', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 10_000_000 }] },
      ],
    });
    const data = fetched.responses[0]?.partitions[0]?.records ?? Buffer.alloc(0);
    const producerIds = new Set<bigint>();
    for (let pos = 0; pos < data.length; pos += BATCH.LOG_OVERHEAD + data.readInt32BE(pos + BATCH.LENGTH)) {
      producerIds.add(data.readBigInt64BE(pos + BATCH.PRODUCER_ID));
    }
    expect([...producerIds].some((id) => id >= 0n)).toBe(true);
    expect(producerIds.has(-1n)).toBe(true);
    expect(b.errors()).toEqual([]);
  });

  it('answers offsets, log append time and log start offset per version', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    await s.broker.createTopic('stamped', {
      partitions: 1,
      configs: { 'message.timestamp.type': 'LogAppendTime' },
    });
    const first = await produceRaw(s, 3, batch(['a', 'b']));
    expect(first).toMatchObject({ errorCode: 0, baseOffset: 0n, logAppendTimeMs: -1n });
    const second = await produceRaw(s, 9, batch(['c']));
    expect(second).toMatchObject({ errorCode: 0, baseOffset: 2n, logAppendTimeMs: -1n, logStartOffset: 0n });
    expect(second.recordErrors).toEqual([]);
    const before = Date.now();
    const stamped = await produceRaw(s, 5, batch(['x'], { baseTimestamp: 1000 }), { topic: 'stamped' });
    expect(stamped.errorCode).toBe(0);
    expect(Number(stamped.logAppendTimeMs)).toBeGreaterThanOrEqual(before);
  });

  it('acks=0 appends and sends no response; the next request on the connection is answered', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    const c = await RawKafkaClient.connect(s.port);
    try {
      c.request({ requestApiKey: ApiKey.Produce, requestApiVersion: 7, correlationId: 1 }, (w) =>
        encodeProduceRequest(
          w,
          {
            acks: 0,
            timeoutMs: 1000,
            topicData: [{ name: 't', partitionData: [{ index: 0, records: batch(['fire']) }] }],
          },
          7,
        ),
      );
      c.request({ requestApiKey: ApiKey.ListOffsets, requestApiVersion: 1, correlationId: 2 }, (w) =>
        encodeListOffsetsRequest(
          w,
          { replicaId: -1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -1n }] }] },
          1,
        ),
      );
      const [only] = await c.waitForResponses(1);
      expect(only?.correlationId).toBe(2);
      const listed = decodeListOffsetsResponse(new Reader(only?.body ?? Buffer.alloc(0)), 1);
      expect(listed.topics[0]?.partitions[0]?.offset).toBe(1n);
    } finally {
      c.close();
    }
    expect(s.listener.stats().requests).toMatchObject({ Produce: 1, ListOffsets: 1 });
  });

  it('per-partition errors: unknown topic, bad partition, bad acks, corrupt batches by version', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 2 });
    expect((await produceRaw(s, 7, batch(['a']), { topic: 'nope' })).errorCode).toBe(
      KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect((await produceRaw(s, 7, batch(['a']), { partition: 2 })).errorCode).toBe(
      KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect((await produceRaw(s, 7, batch(['a']), { acks: 2 })).errorCode).toBe(
      KafkaError.INVALID_REQUIRED_ACKS,
    );

    const damaged = batch(['a', 'b']);
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 1) ^ 0xff, damaged.length - 1); // CRC no longer matches
    expect((await produceRaw(s, 7, damaged)).errorCode).toBe(KafkaError.CORRUPT_MESSAGE);
    const v9 = await produceRaw(s, 9, Buffer.from(damaged));
    expect(v9.errorCode).toBe(KafkaError.CORRUPT_MESSAGE);
    expect(v9.errorMessage).toMatch(/CRC/);

    // A producer id without a sequence: INVALID_RECORD from v8, CORRUPT_MESSAGE before.
    const noSequence = () => batch(['a'], { producerId: 1, producerEpoch: 0, baseSequence: -1 });
    expect((await produceRaw(s, 7, noSequence())).errorCode).toBe(KafkaError.CORRUPT_MESSAGE);
    expect((await produceRaw(s, 8, noSequence())).errorCode).toBe(KafkaError.INVALID_RECORD);
    expect((await produceRaw(s, 8, null)).errorCode).toBe(KafkaError.INVALID_RECORD);
    expect((await produceRaw(s, 3, Buffer.alloc(10))).errorCode).toBe(KafkaError.CORRUPT_MESSAGE);

    const control = batch(['a'], { isControl: true });
    expect((await produceRaw(s, 9, control)).errorCode).toBe(KafkaError.INVALID_RECORD);
    // zstd (codec 4) needs v7: the attribute alone decides, before the records are looked at.
    const zstd = batch(['a']);
    zstd.writeInt16BE(zstd.readInt16BE(BATCH.ATTRIBUTES) | 4, BATCH.ATTRIBUTES);
    zstd.writeUInt32BE(computeBatchCrc(zstd), BATCH.CRC);
    expect((await produceRaw(s, 6, zstd)).errorCode).toBe(KafkaError.UNSUPPORTED_COMPRESSION_TYPE);
    expect((await produceRaw(s, 7, batch(['b']))).errorCode).toBe(0);
    // nothing refused was written
    expect((await s.broker.describeTopic('t')).partitions[0]?.logEndOffset).toBe(1);
  });

  it('transactional producers are refused with INVALID_REQUEST', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    const withId = await produceRaw(s, 9, batch(['a']), { transactionalId: 'tx-1' });
    expect(withId.errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect(withId.errorMessage).toMatch(/Transactions are not supported/);
    const txBatch = batch(['a'], { producerId: 7, producerEpoch: 0, baseSequence: 0, isTransactional: true });
    expect(txBatch.readInt16BE(BATCH.ATTRIBUTES) & ATTR.TRANSACTIONAL).not.toBe(0);
    expect((await produceRaw(s, 9, txBatch)).errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect((await s.broker.describeTopic('t')).partitions[0]?.logEndOffset).toBe(0);
  });

  it("internal topics are refused, as Kafka refuses client appends: nothing reaches the broker's own logs", async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('__consumer_offsets', { partitions: 1, internal: true });
    for (const version of [3, 8, 9]) {
      const p = await produceRaw(s, version, batch(['forged']), { topic: '__consumer_offsets' });
      expect(p.errorCode, `v${version}`).toBe(KafkaError.INVALID_TOPIC_EXCEPTION);
      if (version >= 8) expect(p.errorMessage).toBe('Cannot append to internal topic __consumer_offsets');
    }
    expect((await s.broker.describeTopic('__consumer_offsets')).partitions[0]?.logEndOffset).toBe(0);
    // kcat (librdkafka) gets the error for its message.
    const out = await runProcess(KCAT, ['-P', '-b', s.bootstrap, '-t', '__consumer_offsets', '-p', '0'], {
      input: 'forged\n',
    });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/invalid|Broker: Topic/i);
    expect((await s.broker.describeTopic('__consumer_offsets')).partitions[0]?.logEndOffset).toBe(0);
  });

  it('idempotence through the door: a retried batch gets its first offsets, a gap is OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    const init = await rawRequest(s.port, 'InitProducerId', 4, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
    });
    const producerId = Number(init.producerId);
    await produceRaw(s, 9, batch(['plain']));
    const idem = (seq: number, values: string[]) =>
      batch(values, { producerId, producerEpoch: init.producerEpoch, baseSequence: seq });
    expect(await produceRaw(s, 9, idem(0, ['a', 'b']))).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect(await produceRaw(s, 9, idem(0, ['a', 'b']))).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect((await produceRaw(s, 9, idem(5, ['c']))).errorCode).toBe(KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await produceRaw(s, 9, idem(2, ['c']))).toMatchObject({ errorCode: 0, baseOffset: 3n });
    expect((await s.broker.describeTopic('t')).partitions[0]?.logEndOffset).toBe(4);
  });
});
