import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { rawRequest, type RawRequestInput } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

type Topic = RawRequestInput<'CreatePartitions'>['topics'][number];

describe('CreatePartitions', () => {
  it('kafkajs createPartitions grows a topic; the new partitions take writes', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('grow', { partitions: 2 });
    const kafka = new Kafka({ brokers: [s.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    try {
      await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 5 }] });
      expect(s.broker.partitionCount('grow')).toBe(5);
      await expect(
        admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 3 }] }),
      ).rejects.toMatchObject({
        type: 'INVALID_PARTITIONS',
      });
      await producer.connect();
      const [ack] = await producer.send({ topic: 'grow', messages: [{ value: 'new', partition: 4 }] });
      expect(ack).toMatchObject({ partition: 4, errorCode: 0 });
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('validateOnly, assignments, duplicates and unknown topics', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    await s.broker.createTopic('u', { partitions: 1 });
    const ask = (topics: Topic[], validateOnly = false, version = 3) =>
      rawRequest(s?.port ?? 0, 'CreatePartitions', version, { topics, timeoutMs: 1000, validateOnly });
    const dry = await ask([{ name: 't', count: 4, assignments: null }], true);
    expect(dry.results).toEqual([expect.objectContaining({ name: 't', errorCode: 0, errorMessage: null })]);
    expect(s.broker.partitionCount('t')).toBe(1);

    const response = await ask(
      [
        { name: 't', count: 3, assignments: [{ brokerIds: [0] }, { brokerIds: [0] }] },
        { name: 'u', count: 3, assignments: [{ brokerIds: [1] }, { brokerIds: [0] }] },
        { name: 'gone', count: 2, assignments: null },
        { name: 'dup', count: 2, assignments: null },
        { name: 'dup', count: 3, assignments: null },
      ],
      false,
      0,
    );
    expect(response.results.map((r) => [r.name, r.errorCode])).toEqual([
      ['t', 0],
      ['u', KafkaError.INVALID_REPLICA_ASSIGNMENT],
      ['gone', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      ['dup', KafkaError.INVALID_REQUEST],
      ['dup', KafkaError.INVALID_REQUEST],
    ]);
    expect(response.results[1]?.errorMessage).toMatch(/broker 0/);
    expect(s.broker.partitionCount('t')).toBe(3);
    expect(s.broker.partitionCount('u')).toBe(1);
    const shrink = await ask([{ name: 't', count: 2, assignments: null }]);
    expect(shrink.results[0]).toMatchObject({ errorCode: KafkaError.INVALID_PARTITIONS });
    expect(shrink.results[0]?.errorMessage).toMatch(/already has 3 partitions/);
  });
});
