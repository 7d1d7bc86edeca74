/**
 * Real clients of every family against one broker: each produces the same keys and each key must
 * land on the partition Kafka's Java client would choose (murmur2), whoever sent it; then the
 * admin clients of confluent-kafka and kafka-python, and @platformatic/kafka's consumer calls that
 * need no group (its group consumer is in compat/platformatic.test.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compatibilityPartitioner,
  Consumer as PlatformaticConsumer,
  Producer as PlatformaticProducer,
  stringSerializers,
} from '@platformatic/kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../broker/partitioner/murmur2';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { kcatConsumeAll, kcatProduceKeyed } from '../testing/kcat';
import { runOk } from '../testing/run-process';

const PYTHON = '/usr/bin/python3';
const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'testing', 'python');
const PARTITIONS = 6;
const KEYS = Array.from({ length: 200 }, (_, i) => `user-${i * 7919}`);

interface Delivered {
  key: string;
  partition: number;
  offset: number;
}

async function python<T>(script: string, args: string[], input = ''): Promise<T> {
  const { stdout } = await runOk(PYTHON, [join(SCRIPTS, script), ...args], { input, timeoutMs: 25_000 });
  return JSON.parse(stdout) as T;
}

let s: BrokerListener;

beforeAll(async () => {
  s = await startBrokerListener();
  await s.broker.createTopic('keys', { partitions: PARTITIONS });
});

afterAll(async () => {
  await s.stop();
});

function expectMurmur2(delivered: readonly { key: string; partition: number }[]): void {
  expect(delivered).toHaveLength(KEYS.length);
  for (const d of delivered) expect(d.partition, d.key).toBe(partitionForKey(Buffer.from(d.key), PARTITIONS));
}

describe('one key, one partition, whichever client sent it', () => {
  it('kafkajs (DefaultPartitioner)', async () => {
    const kafka = new Kafka({ brokers: [s.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic: 'keys', messages: KEYS.map((key) => ({ key, value: `kafkajs-${key}` })) });
    } finally {
      await producer.disconnect();
    }
  });

  it('kcat (librdkafka, partitioner=murmur2_random)', async () => {
    await kcatProduceKeyed(
      s.bootstrap,
      'keys',
      KEYS.map((key) => `${key}:kcat-${key}`),
    );
  });

  it('confluent-kafka, idempotent, partitioner murmur2_random', async () => {
    const out = await python<{ delivered: Delivered[]; errors: string[]; remaining: number }>(
      'confluent_client.py',
      [s.bootstrap, 'produce', 'keys'],
      KEYS.join('\n'),
    );
    expect(out.errors).toEqual([]);
    expect(out.remaining).toBe(0);
    expectMurmur2(out.delivered);
  });

  it('kafka-python (its default partitioner), broker version auto-detected', async () => {
    const out = await python<{ delivered: Delivered[]; api_version: number[] }>(
      'kafka_python_client.py',
      [s.bootstrap, 'produce', 'keys'],
      KEYS.join('\n'),
    );
    // inferred from our ApiVersions ranges (Produce v8 is the newest it probes for)
    expect(out.api_version).toEqual([2, 4, 0]);
    expectMurmur2(out.delivered);
  });

  it('@platformatic/kafka (compatibilityPartitioner: its default one is not Java-compatible)', async () => {
    const producer = new PlatformaticProducer({
      clientId: 'plt',
      bootstrapBrokers: [s.bootstrap],
      serializers: stringSerializers,
      partitioner: compatibilityPartitioner,
      retries: 0,
    });
    try {
      const result = await producer.send({
        messages: KEYS.map((key) => ({ topic: 'keys', key, value: `plt-${key}` })),
      });
      expect(result.offsets?.length).toBeGreaterThan(0);
    } finally {
      await producer.close();
    }
  });

  it('kcat reads every record back, each on its murmur2 partition', async () => {
    const records = await kcatConsumeAll(s.bootstrap, 'keys');
    // Every client is always present: scripts/setup-system-deps.sh installs the Debian ones.
    const clients = ['kafkajs', 'plt', 'kcat', 'confluent', 'kafkapython'];
    for (const client of clients) {
      const mine = records.filter((r) => r.value.startsWith(`${client}-`));
      expect(mine.map((r) => r.key).sort(), client).toEqual([...KEYS].sort());
    }
    expect(records).toHaveLength(KEYS.length * clients.length);
    for (const r of records) {
      expect(r.partition, `${r.value}`).toBe(partitionForKey(Buffer.from(r.key), PARTITIONS));
    }
    expect(s.errors()).toEqual([]);
  });
});

describe('@platformatic/kafka consumer without a group', () => {
  it('listOffsets and fetch (v13, by topic id: sessions asked for, full fetches served)', async () => {
    const consumer = new PlatformaticConsumer({
      clientId: 'plt-consumer',
      groupId: 'not-joined',
      bootstrapBrokers: [s.bootstrap],
      retries: 0,
    });
    try {
      const ends = await consumer.listOffsets({ topics: ['keys'] });
      const endOffsets = ends.get('keys') ?? [];
      expect(endOffsets).toHaveLength(PARTITIONS);
      const response = await consumer.fetch({
        node: 0,
        maxWaitTime: 100,
        maxBytes: 50_000_000,
        topics: [
          {
            // Fetch v13 names topics by id (platformatic sends this field as v13's id and v12's name)
            topicId: s.broker.listTopics().find((t) => t.name === 'keys')?.topicId ?? '',
            partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({
              partition,
              currentLeaderEpoch: 0,
              fetchOffset: 0n,
              lastFetchedEpoch: -1,
              partitionMaxBytes: 10_000_000,
            })),
          },
        ],
      });
      expect(response.sessionId).toBe(0);
      const partitions = response.responses[0]?.partitions ?? [];
      let count = 0;
      for (const p of partitions) {
        expect(p.errorCode).toBe(0);
        expect(p.highWatermark).toBe(endOffsets[p.partitionIndex]);
        for (const batch of p.records ?? []) {
          for (const record of batch.records) {
            count++;
            const key = record.key?.toString() ?? '';
            expect(p.partitionIndex, key).toBe(partitionForKey(Buffer.from(key), PARTITIONS));
          }
        }
      }
      expect(count).toBe(endOffsets.reduce((sum, end) => sum + Number(end), 0));
    } finally {
      await consumer.close();
    }
  });
});

describe('admin clients', () => {
  it('confluent-kafka AdminClient: create, errors, describe configs, delete', async () => {
    const out = await python<Record<string, unknown>>('confluent_client.py', [s.bootstrap, 'admin', 'ck']);
    expect(out).toEqual({
      create: {
        ck: 'NONE',
        'ck-rf3': 'INVALID_REPLICATION_FACTOR',
        'bad name': 'TOPIC_EXCEPTION',
        'ck-cfg': 'INVALID_CONFIG',
      },
      again: 'TOPIC_ALREADY_EXISTS',
      partitions: 3,
      retention: { value: '3600000', source: 1, synonyms: ['retention.ms', 'log.retention.ms'] },
      describe_missing: ['UNKNOWN_TOPIC_OR_PART'],
      delete: { ck: 'NONE', 'ck-missing': 'UNKNOWN_TOPIC_OR_PART' },
      topics: ['keys'],
    });
  });

  it('kafka-python KafkaAdminClient: create, errors, list, describe configs, delete', async () => {
    const out = await python<Record<string, unknown>>('kafka_python_client.py', [s.bootstrap, 'admin', 'kp']);
    expect(out).toEqual({
      api_version: [2, 4, 0],
      again: 'TopicAlreadyExistsError',
      rf3: 'InvalidReplicationFactorError',
      topics: ['keys', 'kp'],
      'cleanup.policy': 'delete',
      after_delete: ['keys'],
    });
  });
});
