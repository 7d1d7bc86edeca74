/**
 * Compatibility matrix: real clients retry what the coordinator answers as retriable. Each kind of
 * group request is first refused twice: FindCoordinator with COORDINATOR_NOT_AVAILABLE, JoinGroup,
 * SyncGroup, Heartbeat, OffsetFetch and OffsetCommit with the code under test; the clients must
 * still join, read everything and commit it.
 *
 * COORDINATOR_LOAD_IN_PROGRESS is what Sluice answers while `__consumer_offsets` loads after a
 * start, as Kafka does. librdkafka (confluent-kafka, kcat) needs exactly that code there: after an
 * OffsetFetch answered NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE, librdkafka 2.0 looks the
 * coordinator up again but never re-sends the OffsetFetch, and the consumer waits for ever
 * without a position (the broker used to answer NOT_COORDINATOR while loading). kafkajs retries
 * all three.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerErrorCode } from '../../broker/errors';
import type { BrokerListener } from '../testing/broker-listener';
import { flakyCoordinator, type FlakyCounts } from '../testing/flaky-coordinator';
import { committedOffsets, endOffsets, startCompatBroker, waitUntil } from '../testing/group-checks';
import { PythonMember } from '../testing/python-clients';
import { killAllSpawned } from '../testing/spawned';

const TOPIC = 'retries';
const REFUSALS = 2;
const REFUSED = ['findCoordinator', 'joinGroup', 'syncGroup', 'heartbeat', 'fetchOffsets', 'commitOffsets'];

let s: BrokerListener | undefined;
const disconnect: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.allSettled(disconnect.splice(0).map((d) => d()));
  await killAllSpawned();
  await s?.stop();
  s = undefined;
});

async function flakyBroker(code: BrokerErrorCode): Promise<{ b: BrokerListener; counts: FlakyCounts }> {
  const counts: FlakyCounts = { refused: new Map() };
  const b = await startCompatBroker({ wrap: flakyCoordinator(REFUSALS, code, counts) });
  s = b;
  await b.broker.createTopic(TOPIC, { partitions: 2 });
  await produce(b, 0, 200);
  return { b, counts };
}

function produce(b: BrokerListener, from: number, count: number) {
  return b.broker.produceRecords(
    TOPIC,
    Array.from({ length: count }, (_, i) => ({ key: `key-${from + i}`, value: `v-${from + i}` })),
  );
}

/** Once every refusal is spent, more records are read and their commits reach the end. */
async function expectReadAndCommitted(
  b: BrokerListener,
  counts: FlakyCounts,
  group: string,
  read: () => number,
): Promise<void> {
  await waitUntil('the first 200 records read', () => read() >= 200, 45_000);
  await waitUntil('every kind of group request refused', () =>
    REFUSED.every((m) => counts.refused.get(m) === REFUSALS),
  );
  await produce(b, 200, 100);
  await waitUntil('every record read', () => read() >= 300);
  const ends = await endOffsets(b.broker, TOPIC, 2);
  await waitUntil(`group ${group} committed everything`, async () =>
    (await committedOffsets(b.broker, group, TOPIC, 2)).every((c, p) => c === ends[p]),
  );
}

describe.each<BrokerErrorCode>([
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
])('kafkajs, the coordinator answering %s', (code) => {
  it('retries every group request, reads and commits', async () => {
    const { b, counts } = await flakyBroker(code);
    const kafka = new Kafka({
      brokers: [b.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 10, initialRetryTime: 50, maxRetryTime: 500 },
    });
    const consumer = kafka.consumer({
      groupId: 'kafkajs-retries',
      // kafkajs restarts the consumer after some of these errors without leaving the group: short
      // sessions let the abandoned member expire quickly.
      sessionTimeout: 2000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 200,
    });
    disconnect.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    let read = 0;
    await consumer.run({
      eachMessage: async () => {
        read++;
      },
    });
    await expectReadAndCommitted(b, counts, 'kafkajs-retries', () => read);
  });
});

describe('confluent-kafka (librdkafka), the coordinator answering COORDINATOR_LOAD_IN_PROGRESS', () => {
  it('retries every group request, reads and commits', async () => {
    const { b, counts } = await flakyBroker('COORDINATOR_LOAD_IN_PROGRESS');
    const member = new PythonMember(
      'confluent_client.py',
      b.bootstrap,
      TOPIC,
      'confluent-retries',
      'confluent',
    );
    await expectReadAndCommitted(b, counts, 'confluent-retries', () => member.records().length);
    await member.close();
    expect(member.errors()).toEqual([]);
  });
});
