import { Admin as PlatformaticAdmin } from '@platformatic/kafka';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

/** retention.ms has a broker default; the topic overrides cleanup.policy and retention.ms on 'own'. */
async function configured(): Promise<BrokerListener> {
  s = await startBrokerListener({ broker: { topicDefaults: { 'retention.ms': '86400000' } } });
  await s.broker.createTopic('plain', { partitions: 1 });
  await s.broker.createTopic('own', {
    partitions: 1,
    configs: { 'cleanup.policy': 'compact', 'retention.ms': '1000' },
  });
  return s;
}

const SOURCE = { TOPIC: 1, STATIC_BROKER: 4, DEFAULT: 5 };

describe('DescribeConfigs', () => {
  it('kafkajs: topic configs with source, default flag and synonyms', async () => {
    const b = await configured();
    const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: true,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: 'own', configNames: ['retention.ms', 'cleanup.policy'] },
          { type: ConfigResourceTypes.TOPIC, name: 'plain' },
        ],
      });
      const own = resources.find((r) => r.resourceName === 'own');
      expect(own?.errorCode).toBe(0);
      const retention = own?.configEntries.find((c) => c.configName === 'retention.ms');
      expect(retention).toMatchObject({ configValue: '1000', configSource: SOURCE.TOPIC, readOnly: false });
      expect(retention?.configSynonyms).toEqual([
        { configName: 'retention.ms', configValue: '1000', configSource: SOURCE.TOPIC },
        { configName: 'log.retention.ms', configValue: '86400000', configSource: SOURCE.STATIC_BROKER },
        { configName: 'log.retention.ms', configValue: '604800000', configSource: SOURCE.DEFAULT },
      ]);
      expect(own?.configEntries.map((c) => c.configName).sort()).toEqual(['cleanup.policy', 'retention.ms']);
      const plain = resources.find((r) => r.resourceName === 'plain');
      const byName = new Map(plain?.configEntries.map((c) => [c.configName, c]));
      expect(byName.get('retention.ms')).toMatchObject({
        configValue: '86400000',
        configSource: SOURCE.STATIC_BROKER,
      });
      expect(byName.get('cleanup.policy')).toMatchObject({
        configValue: 'delete',
        configSource: SOURCE.DEFAULT,
      });
      expect(byName.get('max.message.bytes')?.configValue).toBe('1048588');
      expect(byName.get('flush.messages')?.configValue).toBe('9223372036854775807');
    } finally {
      await admin.disconnect();
    }
  });

  it('v0 isDefault, v3 types and documentation, unknown topics and resource types', async () => {
    const b = await configured();
    const v0 = await rawRequest(b.port, 'DescribeConfigs', 0, {
      resources: [
        { resourceType: 2, resourceName: 'own', configurationKeys: ['cleanup.policy', 'segment.ms', 'nope'] },
      ],
    });
    expect(v0.results[0]?.configs.map((c) => [c.name, c.value, c.isDefault])).toEqual([
      ['cleanup.policy', 'compact', false],
      ['segment.ms', '604800000', true],
    ]);
    const v3 = await rawRequest(b.port, 'DescribeConfigs', 3, {
      includeDocumentation: true,
      resources: [
        {
          resourceType: 2,
          resourceName: 'own',
          configurationKeys: ['cleanup.policy', 'retention.bytes', 'sluice.fsync.before.ack'],
        },
        { resourceType: 2, resourceName: 'missing', configurationKeys: null },
        { resourceType: 8, resourceName: '0', configurationKeys: null },
      ],
    });
    const [own, missing, logger] = v3.results;
    expect(own?.configs.map((c) => [c.name, c.configType])).toEqual([
      ['cleanup.policy', 7],
      ['retention.bytes', 5],
      ['sluice.fsync.before.ack', 1],
    ]);
    expect(own?.configs[0]?.documentation).toMatch(/retention policy/);
    expect(missing).toMatchObject({ errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, configs: [] });
    expect(missing?.errorMessage).toMatch(/missing/);
    expect(logger?.errorCode).toBe(KafkaError.INVALID_REQUEST);
  });

  it('broker 0: a small read-only set; another broker id is INVALID_REQUEST', async () => {
    const b = await configured();
    const response = await rawRequest(b.port, 'DescribeConfigs', 4, {
      includeSynonyms: true,
      resources: [
        { resourceType: 4, resourceName: '0', configurationKeys: null },
        { resourceType: 4, resourceName: '3', configurationKeys: null },
        { resourceType: 4, resourceName: '', configurationKeys: null },
      ],
    });
    const [broker, other, cluster] = response.results;
    const byName = new Map(broker?.configs.map((c) => [c.name, c]));
    expect(byName.get('advertised.listeners')?.value).toBe(`PLAINTEXT://127.0.0.1:${b.port}`);
    expect(byName.get('num.partitions')?.value).toBe('1');
    expect(byName.get('log.retention.ms')).toMatchObject({
      value: '86400000',
      configSource: SOURCE.STATIC_BROKER,
    });
    expect(byName.get('log.segment.bytes')).toMatchObject({
      value: '1073741824',
      configSource: SOURCE.DEFAULT,
    });
    expect(broker?.configs.every((c) => c.readOnly && !c.isSensitive)).toBe(true);
    expect(other?.errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect(cluster).toMatchObject({ errorCode: 0, configs: [] });
  });

  it('@platformatic/kafka describeConfigs (v4)', async () => {
    const b = await configured();
    const admin = new PlatformaticAdmin({ clientId: 'plt', bootstrapBrokers: [b.bootstrap], retries: 0 });
    try {
      const [own] = await admin.describeConfigs({
        resources: [{ resourceType: 2, resourceName: 'own', configurationKeys: ['cleanup.policy'] }],
        includeSynonyms: false,
        includeDocumentation: true,
      });
      expect(own?.configs).toEqual([
        expect.objectContaining({
          name: 'cleanup.policy',
          value: 'compact',
          configSource: SOURCE.TOPIC,
          configType: 7,
        }),
      ]);
    } finally {
      await admin.close();
    }
  });
});
