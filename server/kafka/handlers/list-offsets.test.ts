import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../broker/log/record-batch';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { KCAT } from '../testing/kcat';
import { rawRequest } from '../testing/raw-request';
import { runOk } from '../testing/run-process';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

/** Partition 0: offsets 0-2 at t=1000, 2000, 3000; offset 3 at t=9000; partition 1 empty. */
async function timedTopic(): Promise<BrokerListener> {
  s = await startBrokerListener();
  await s.broker.createTopic('timed', { partitions: 2 });
  const records = [1000, 2000, 3000].map((timestamp, i) => ({
    key: null,
    value: Buffer.from(`r${i}`),
    timestamp,
  }));
  await s.broker.produce('timed', 0, encodeRecordBatch(records), { acks: -1 });
  await s.broker.produce(
    'timed',
    0,
    encodeRecordBatch([{ key: null, value: Buffer.from('late'), timestamp: 9000 }]),
    { acks: -1 },
  );
  return s;
}

async function listOffsets(
  b: BrokerListener,
  version: number,
  timestamp: bigint,
  partition = 0,
  topic = 'timed',
) {
  const response = await rawRequest(b.port, 'ListOffsets', version, {
    replicaId: -1,
    ...(version >= 2 && { isolationLevel: 1 }),
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp, currentLeaderEpoch: 0 }] }],
  });
  const p = response.topics[0]?.partitions[0];
  if (p === undefined) throw new Error('no partition in the response');
  return p;
}

describe('ListOffsets', () => {
  it('latest, earliest, by timestamp and max timestamp (v7), leader epoch 0 from v4', async () => {
    const b = await timedTopic();
    for (let version = 1; version <= 7; version++) {
      expect(await listOffsets(b, version, -1n), `v${version}`).toMatchObject({
        errorCode: 0,
        offset: 4n,
        timestamp: -1n,
        ...(version >= 4 && { leaderEpoch: 0 }),
      });
      expect(await listOffsets(b, version, -2n)).toMatchObject({ errorCode: 0, offset: 0n });
      expect(await listOffsets(b, version, 1500n)).toMatchObject({
        errorCode: 0,
        offset: 1n,
        timestamp: 2000n,
      });
      expect(await listOffsets(b, version, 3000n)).toMatchObject({ offset: 2n, timestamp: 3000n });
      // no record at or after it
      expect(await listOffsets(b, version, 10_000n)).toMatchObject({
        errorCode: 0,
        offset: -1n,
        timestamp: -1n,
      });
    }
    expect(await listOffsets(b, 7, -3n)).toMatchObject({ errorCode: 0, offset: 3n, timestamp: 9000n });
    expect((await listOffsets(b, 6, -3n)).errorCode).toBe(KafkaError.UNSUPPORTED_VERSION);
    expect((await listOffsets(b, 7, -7n)).errorCode).toBe(KafkaError.INVALID_REQUEST);
    // the empty partition
    expect(await listOffsets(b, 5, -1n, 1)).toMatchObject({ errorCode: 0, offset: 0n });
    expect(await listOffsets(b, 5, 0n, 1)).toMatchObject({ errorCode: 0, offset: -1n });
  });

  it('per-partition errors: unknown topic, bad partition, the same partition twice', async () => {
    const b = await timedTopic();
    expect((await listOffsets(b, 5, -1n, 0, 'nope')).errorCode).toBe(KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await listOffsets(b, 5, -1n, 9)).errorCode).toBe(KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
    const twice = await rawRequest(b.port, 'ListOffsets', 3, {
      replicaId: -1,
      topics: [
        {
          name: 'timed',
          partitions: [
            { partitionIndex: 0, timestamp: -1n },
            { partitionIndex: 0, timestamp: -2n },
            { partitionIndex: 1, timestamp: -1n },
          ],
        },
      ],
    });
    expect(twice.topics[0]?.partitions.map((p) => p.errorCode)).toEqual([
      KafkaError.INVALID_REQUEST,
      KafkaError.INVALID_REQUEST,
      0,
    ]);
  });

  it('kafkajs fetchTopicOffsets and fetchTopicOffsetsByTimestamp', async () => {
    const b = await timedTopic();
    const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets('timed');
      expect(offsets.sort((x, y) => x.partition - y.partition)).toEqual([
        { partition: 0, offset: '4', high: '4', low: '0' },
        { partition: 1, offset: '0', high: '0', low: '0' },
      ]);
      const byTime = await admin.fetchTopicOffsetsByTimestamp('timed', 2500);
      // kafkajs answers the end offset where no record is at or after the time
      expect(byTime.sort((x, y) => x.partition - y.partition)).toEqual([
        { partition: 0, offset: '2' },
        { partition: 1, offset: '0' },
      ]);
    } finally {
      await admin.disconnect();
    }
  });

  it('kcat -Q: offsets for a timestamp', async () => {
    const b = await timedTopic();
    const query = async (spec: string) =>
      (await runOk(KCAT, ['-Q', '-b', b.bootstrap, '-t', spec])).stdout.trim();
    expect(await query('timed:0:1500')).toMatch(/timed \[0\]\s+offset 1$/);
    expect(await query('timed:0:5000')).toMatch(/timed \[0\]\s+offset 3$/);
    expect(await query('timed:0:-2')).toMatch(/timed \[0\]\s+offset 0$/);
    expect(await query('timed:0:-1')).toMatch(/timed \[0\]\s+offset 4$/);
  });
});
