import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../broker/log/record-batch';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

async function filled(): Promise<BrokerListener> {
  s = await startBrokerListener();
  await s.broker.createTopic('t', { partitions: 2 });
  for (const p of [0, 1]) {
    const records = Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.from(`r${i}`) }));
    await s.broker.produce('t', p, encodeRecordBatch(records), { acks: -1 });
  }
  return s;
}

describe('DeleteRecords', () => {
  it('kafkajs deleteTopicRecords moves the low watermark; -1 means the high watermark', async () => {
    const b = await filled();
    const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.fetchTopicMetadata({ topics: ['t'] }); // kafkajs finds leaders in its cached metadata
      await admin.deleteTopicRecords({
        topic: 't',
        partitions: [
          { partition: 0, offset: '4' },
          { partition: 1, offset: '-1' },
        ],
      });
      const offsets = await admin.fetchTopicOffsets('t');
      expect(offsets.sort((x, y) => x.partition - y.partition)).toEqual([
        { partition: 0, offset: '10', high: '10', low: '4' },
        { partition: 1, offset: '10', high: '10', low: '10' },
      ]);
    } finally {
      await admin.disconnect();
    }
  });

  it('per-partition results: low watermarks and errors', async () => {
    const b = await filled();
    const response = await rawRequest(b.port, 'DeleteRecords', 2, {
      timeoutMs: 1000,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, offset: 3n },
            { partitionIndex: 1, offset: 11n },
            { partitionIndex: 2, offset: 1n },
          ],
        },
        { name: 'nope', partitions: [{ partitionIndex: 0, offset: 1n }] },
      ],
    });
    expect(
      response.topics.map((t) =>
        t.partitions.map((p) => [t.name, p.partitionIndex, p.errorCode, p.lowWatermark]),
      ),
    ).toEqual([
      [
        ['t', 0, 0, 3n],
        ['t', 1, KafkaError.OFFSET_OUT_OF_RANGE, -1n],
        ['t', 2, KafkaError.UNKNOWN_TOPIC_OR_PARTITION, -1n],
      ],
      [['nope', 0, KafkaError.UNKNOWN_TOPIC_OR_PARTITION, -1n]],
    ]);
    // below the current start: nothing changes, the current start is answered
    const again = await rawRequest(b.port, 'DeleteRecords', 0, {
      timeoutMs: 1000,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, offset: 1n },
            { partitionIndex: 1, offset: -2n },
          ],
        },
      ],
    });
    expect(again.topics[0]?.partitions.map((p) => [p.errorCode, p.lowWatermark])).toEqual([
      [0, 3n],
      [KafkaError.OFFSET_OUT_OF_RANGE, -1n],
    ]);
    // the deleted records are gone for fetches
    const fetched = await rawRequest(b.port, 'Fetch', 5, {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1_000_000,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1_000_000 }] }],
    });
    expect(fetched.responses[0]?.partitions[0]).toMatchObject({
      errorCode: KafkaError.OFFSET_OUT_OF_RANGE,
      logStartOffset: 3n,
    });
  });
});
