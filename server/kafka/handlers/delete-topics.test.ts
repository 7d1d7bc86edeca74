import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('DeleteTopics', () => {
  it('kafkajs deleteTopics removes topics; an unknown one is an error', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('a', { partitions: 2 });
    await s.broker.createTopic('b', { partitions: 1 });
    const kafka = new Kafka({ brokers: [s.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: ['a', 'b'] });
      expect(s.broker.listTopics()).toEqual([]);
      // retriable for kafkajs: it gives up once its retries are spent
      await expect(admin.deleteTopics({ topics: ['a'] })).rejects.toMatchObject({
        cause: { type: 'UNKNOWN_TOPIC_OR_PARTITION' },
      });
    } finally {
      await admin.disconnect();
    }
  });

  it('v0-v5 by name, v6 by name or id, per-topic errors with messages (v5+)', async () => {
    s = await startBrokerListener();
    for (const name of ['n0', 'n5', 'by-name', 'by-id']) await s.broker.createTopic(name, { partitions: 1 });
    const idOf = (name: string) => s?.broker.listTopics().find((t) => t.name === name)?.topicId ?? '';
    const byIdTopicId = idOf('by-id');

    const v0 = await rawRequest(s.port, 'DeleteTopics', 0, { topicNames: ['n0', 'gone'], timeoutMs: 1000 });
    expect(v0.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['n0', 0],
      ['gone', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    const v5 = await rawRequest(s.port, 'DeleteTopics', 5, { topicNames: ['n5', 'gone'], timeoutMs: 1000 });
    expect(v5.responses[1]?.errorMessage).toMatch(/gone/);

    const unknownId = '0a0b0c0d-0000-4000-8000-000000000001';
    const v6 = await rawRequest(s.port, 'DeleteTopics', 6, {
      topics: [
        { name: 'by-name' },
        { name: null, topicId: byIdTopicId },
        { name: null, topicId: unknownId },
        { name: 'both', topicId: unknownId },
      ],
      timeoutMs: 1000,
    });
    expect(v6.responses.map((r) => [r.name, r.topicId, r.errorCode])).toEqual([
      ['by-name', expect.any(String), 0],
      ['by-id', byIdTopicId, 0],
      [null, unknownId, KafkaError.UNKNOWN_TOPIC_ID],
      ['both', unknownId, KafkaError.INVALID_REQUEST],
    ]);
    expect(s.broker.listTopics()).toEqual([]);
  });

  it('internal topics are not deleted', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('__internal_test', { partitions: 1, internal: true });
    const response = await rawRequest(s.port, 'DeleteTopics', 5, {
      topicNames: ['__internal_test'],
      timeoutMs: 1000,
    });
    expect(response.responses[0]?.errorCode).not.toBe(0);
    expect(s.broker.partitionCount('__internal_test')).toBe(1);
  });
});
