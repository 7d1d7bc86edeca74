import { Admin as PlatformaticAdmin } from '@platformatic/kafka';
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

type Topic = RawRequestInput<'CreateTopics'>['topics'][number];

function topic(name: string, over: Partial<Topic> = {}): Topic {
  return { name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [], ...over };
}

async function create(b: BrokerListener, version: number, topics: Topic[], validateOnly = false) {
  const response = await rawRequest(b.port, 'CreateTopics', version, {
    topics,
    timeoutMs: 5000,
    ...(version >= 1 && { validateOnly }),
  });
  return response.topics;
}

describe('CreateTopics', () => {
  it('kafkajs: creates with partitions and configs; an existing topic makes it answer false', async () => {
    s = await startBrokerListener();
    const kafka = new Kafka({ brokers: [s.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const created = await admin.createTopics({
        topics: [
          { topic: 'six', numPartitions: 6 },
          { topic: 'compacted', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        ],
      });
      expect(created).toBe(true);
      expect(s.broker.partitionCount('six')).toBe(6);
      expect(s.broker.partitionCount('compacted')).toBe(1); // numPartitions -1: the default
      expect(s.broker.describeTopicConfigs('compacted').find((c) => c.name === 'cleanup.policy')?.value).toBe(
        'compact',
      );
      expect(await admin.createTopics({ topics: [{ topic: 'six', numPartitions: 2 }] })).toBe(false);
      const refused = await admin
        .createTopics({ topics: [{ topic: 'bad name', numPartitions: 1 }], waitForLeaders: false })
        .catch((e: unknown) => e as { errors?: { type: string }[] });
      expect((refused as { errors?: { type: string }[] }).errors?.map((e) => e.type)).toEqual([
        'INVALID_TOPIC_EXCEPTION',
      ]);
    } finally {
      await admin.disconnect();
    }
  });

  it('per-topic errors with messages (v1+): name, duplicate, replication factor, partitions, configs', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('exists', { partitions: 1 });
    const results = await create(s, 4, [
      topic('bad/name'),
      topic('__reserved'),
      topic('exists'),
      topic('twice'),
      topic('twice'),
      topic('rf3', { replicationFactor: 3 }),
      topic('rf0', { replicationFactor: 0 }),
      topic('zero', { numPartitions: 0 }),
      topic('cfg', { configs: [{ name: 'retention.ms', value: 'soon' }] }),
      topic('unknown-cfg', { configs: [{ name: 'retention.msx', value: '1' }] }),
      topic('null-cfg', { configs: [{ name: 'retention.ms', value: null }] }),
      topic('ok', { replicationFactor: -1, numPartitions: 3 }),
    ]);
    expect(results.map((r) => [r.name, r.errorCode])).toEqual([
      ['bad/name', KafkaError.INVALID_TOPIC_EXCEPTION],
      ['__reserved', KafkaError.INVALID_TOPIC_EXCEPTION],
      ['exists', KafkaError.TOPIC_ALREADY_EXISTS],
      ['twice', KafkaError.INVALID_REQUEST],
      ['twice', KafkaError.INVALID_REQUEST],
      ['rf3', KafkaError.INVALID_REPLICATION_FACTOR],
      ['rf0', KafkaError.INVALID_REPLICATION_FACTOR],
      ['zero', KafkaError.INVALID_PARTITIONS],
      ['cfg', KafkaError.INVALID_CONFIG],
      ['unknown-cfg', KafkaError.INVALID_CONFIG],
      ['null-cfg', KafkaError.INVALID_REQUEST],
      ['ok', 0],
    ]);
    const message = (name: string) => results.find((r) => r.name === name)?.errorMessage;
    expect(message('rf3')).toBe('Replication factor: 3 larger than available brokers: 1.');
    expect(message('cfg')).toMatch(/retention\.ms/);
    expect(message('unknown-cfg')).toMatch(/Did you mean 'retention\.ms'/);
    expect(message('ok')).toBeNull();
    expect(s.broker.partitionCount('ok')).toBe(3);
    expect(s.broker.partitionCount('twice')).toBeUndefined();
    expect(s.broker.partitionCount('rf3')).toBeUndefined();
  });

  it('validateOnly creates nothing; v5+ answers partitions, replication and configs; v7 the topic id', async () => {
    s = await startBrokerListener({ defaultPartitions: 2 });
    const [checked] = await create(
      s,
      7,
      [topic('dry', { numPartitions: -1, configs: [{ name: 'retention.ms', value: '1000' }] })],
      true,
    );
    expect(checked).toMatchObject({ errorCode: 0, numPartitions: 2, replicationFactor: 1 });
    expect(checked?.configs?.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '1000',
      configSource: 1,
      readOnly: false,
    });
    expect(s.broker.partitionCount('dry')).toBeUndefined();
    const [real] = await create(s, 7, [topic('wet', { numPartitions: 4 })]);
    expect(real).toMatchObject({ errorCode: 0, numPartitions: 4, replicationFactor: 1 });
    expect(real?.topicId).toBe(s.broker.listTopics().find((t) => t.name === 'wet')?.topicId);
    expect(real?.configs?.find((c) => c.name === 'cleanup.policy')).toMatchObject({
      value: 'delete',
      configSource: 5,
    });
    const [invalid] = await create(s, 0, [topic('bad name')], true);
    expect(invalid?.errorCode).toBe(KafkaError.INVALID_TOPIC_EXCEPTION);
  });

  it('manual assignments: accepted on broker 0 alone, refused elsewhere or mixed with a count', async () => {
    s = await startBrokerListener();
    const assigned = (brokerIds: number[][], over: Partial<Topic> = {}) =>
      topic('x', {
        numPartitions: -1,
        replicationFactor: -1,
        assignments: brokerIds.map((ids, partitionIndex) => ({ partitionIndex, brokerIds: ids })),
        ...over,
      });
    const results = await create(s, 3, [
      { ...assigned([[0], [0], [0]]), name: 'manual' },
      { ...assigned([[0], [1]]), name: 'elsewhere' },
      { ...assigned([[0, 1]]), name: 'replicated' },
      { ...assigned([[0]], { numPartitions: 1 }), name: 'mixed' },
    ]);
    expect(results.map((r) => [r.name, r.errorCode])).toEqual([
      ['manual', 0],
      ['elsewhere', KafkaError.INVALID_REPLICA_ASSIGNMENT],
      ['replicated', KafkaError.INVALID_REPLICA_ASSIGNMENT],
      ['mixed', KafkaError.INVALID_REQUEST],
    ]);
    expect(s.broker.partitionCount('manual')).toBe(3);
  });

  it('@platformatic/kafka (v7): create, list and delete', async () => {
    s = await startBrokerListener();
    const admin = new PlatformaticAdmin({ clientId: 'plt', bootstrapBrokers: [s.bootstrap], retries: 0 });
    try {
      const created = await admin.createTopics({ topics: ['plt-topic'], partitions: 3, replicas: 1 });
      expect(created).toEqual([expect.objectContaining({ name: 'plt-topic', partitions: 3, replicas: 1 })]);
      expect(await admin.listTopics()).toEqual(['plt-topic']);
      await expect(admin.createTopics({ topics: ['plt-topic'], partitions: 1 })).rejects.toThrow();
      await admin.deleteTopics({ topics: ['plt-topic'] });
      expect(s.broker.partitionCount('plt-topic')).toBeUndefined();
    } finally {
      await admin.close();
    }
  });
});
