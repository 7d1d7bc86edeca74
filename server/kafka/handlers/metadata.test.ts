import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { waitUntil } from '../testing/group-checks';
import { FAST_GROUPS, rawStableMember } from '../testing/raw-group';
import { rawRequest } from '../testing/raw-request';
import { runOk } from '../testing/run-process';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

async function withTopics(options: Parameters<typeof startBrokerListener>[0] = {}): Promise<BrokerListener> {
  s = await startBrokerListener(options);
  await s.broker.createTopic('orders', { partitions: 3 });
  await s.broker.createTopic('events', { partitions: 1 });
  return s;
}

describe('Metadata', () => {
  it('v0-v12 describe the single broker and every partition led by it', async () => {
    const b = await withTopics();
    const ordersId = b.broker.listTopics().find((t) => t.name === 'orders')?.topicId;
    for (let version = 0; version <= 12; version++) {
      const response = await rawRequest(b.port, 'Metadata', version, { topics: [{ name: 'orders' }] });
      expect(response.brokers, `v${version}`).toEqual([
        expect.objectContaining({ nodeId: 0, host: '127.0.0.1', port: b.port }),
      ]);
      if (version >= 1) expect(response.controllerId).toBe(0);
      if (version >= 2) expect(response.clusterId).toBe('sluice-test');
      const [topic] = response.topics;
      expect(topic).toMatchObject({ errorCode: 0, name: 'orders' });
      if (version >= 10) expect(topic?.topicId).toBe(ordersId);
      if (version >= 8) expect(topic?.topicAuthorizedOperations).toBe(-2147483648);
      expect(topic?.partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2]);
      expect(topic?.partitions[2]).toMatchObject({
        errorCode: 0,
        leaderId: 0,
        replicaNodes: [0],
        isrNodes: [0],
        ...(version >= 7 && { leaderEpoch: 0 }),
        ...(version >= 5 && { offlineReplicas: [] }),
      });
    }
  });

  it('all topics: v0 with an empty list, v1+ with null; v1+ with an empty list: none', async () => {
    const b = await withTopics();
    const names = async (version: number, topics: { name: string }[] | null) =>
      (await rawRequest(b.port, 'Metadata', version, { topics })).topics.map((t) => t.name).sort();
    expect(await names(0, [])).toEqual(['events', 'orders']);
    expect(await names(1, null)).toEqual(['events', 'orders']);
    expect(await names(12, null)).toEqual(['events', 'orders']);
    expect(await names(1, [])).toEqual([]);
    expect(await names(9, [])).toEqual([]);
  });

  it('unknown topics: UNKNOWN_TOPIC_OR_PARTITION, by id UNKNOWN_TOPIC_ID; known ids resolve', async () => {
    const b = await withTopics();
    const response = await rawRequest(b.port, 'Metadata', 12, {
      topics: [
        { name: 'missing' },
        { name: null, topicId: '11111111-2222-3333-4444-555555555555' },
        { name: null, topicId: b.broker.listTopics().find((t) => t.name === 'events')?.topicId ?? '' },
      ],
      allowAutoTopicCreation: true,
    });
    expect(response.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['missing', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      [null, KafkaError.UNKNOWN_TOPIC_ID],
      ['events', 0],
    ]);
    // auto-creation is off by default
    expect(b.broker.partitionCount('missing')).toBeUndefined();
  });

  it('authorized operations when asked (v8+): all allowed', async () => {
    const b = await withTopics();
    const response = await rawRequest(b.port, 'Metadata', 10, {
      topics: null,
      includeClusterAuthorizedOperations: true,
      includeTopicAuthorizedOperations: true,
    });
    expect(response.clusterAuthorizedOperations).toBeGreaterThan(0);
    // READ (3) and WRITE (4) on every topic
    for (const t of response.topics) expect(t.topicAuthorizedOperations & 0b11000).toBe(0b11000);
  });

  it('auto-creation (--auto-create-topics): created with the default partitions, unless the client forbids it', async () => {
    s = await startBrokerListener({ autoCreateTopics: true, defaultPartitions: 4 });
    const created = await rawRequest(s.port, 'Metadata', 9, {
      topics: [{ name: 'auto' }, { name: 'bad name!' }],
      allowAutoTopicCreation: true,
    });
    expect(created.topics.map((t) => [t.name, t.errorCode, t.partitions.length])).toEqual([
      ['auto', 0, 4],
      ['bad name!', KafkaError.INVALID_TOPIC_EXCEPTION, 0],
    ]);
    expect(s.broker.partitionCount('auto')).toBe(4);
    const refused = await rawRequest(s.port, 'Metadata', 9, {
      topics: [{ name: 'not-auto' }],
      allowAutoTopicCreation: false,
    });
    expect(refused.topics[0]?.errorCode).toBe(KafkaError.UNKNOWN_TOPIC_OR_PARTITION);
    // below v4 the client cannot say no
    const old = await rawRequest(s.port, 'Metadata', 1, { topics: [{ name: 'old-auto' }] });
    expect(old.topics[0]?.errorCode).toBe(0);
    expect(s.broker.partitionCount('old-auto')).toBe(4);
  });

  it('internal topics are listed and flagged', async () => {
    const b = await withTopics();
    await b.broker.createTopic('__internal_test', { partitions: 1, internal: true });
    const response = await rawRequest(b.port, 'Metadata', 5, { topics: null });
    expect(response.topics.find((t) => t.name === '__internal_test')?.isInternal).toBe(true);
    expect(response.topics.find((t) => t.name === 'orders')?.isInternal).toBe(false);
  });

  it("the broker's group topics appear once groups are used, flagged internal, in every client's listing", async () => {
    const b = await withTopics(FAST_GROUPS);
    const names = async () =>
      (await rawRequest(b.port, 'Metadata', 1, { topics: null })).topics.map((t) => [t.name, t.isInternal]);
    expect(await names()).toEqual([
      ['events', false],
      ['orders', false],
    ]);
    // A member joins and commits: __consumer_offsets holds the commit and the group, and
    // __sluice_rebalances the rebalance record.
    await rawStableMember(b.port, 'g', { topics: ['orders'] });
    await b.broker.commitOffsets('simple', '', -1, null, [{ topic: 'orders', partition: 0, offset: 1 }]);
    // The rebalance record is written once the group is Stable, after the sync is answered.
    await waitUntil('the rebalance history topic', async () => (await names()).length === 4);
    expect((await names()).sort()).toEqual([
      ['__consumer_offsets', true],
      ['__sluice_rebalances', true],
      ['events', false],
      ['orders', false],
    ]);
    const byName = await rawRequest(b.port, 'Metadata', 12, { topics: [{ name: '__consumer_offsets' }] });
    expect(byName.topics[0]).toMatchObject({ errorCode: 0, isInternal: true });
    expect(byName.topics[0]?.partitions).toHaveLength(4);

    const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).sort()).toEqual([
        '__consumer_offsets',
        '__sluice_rebalances',
        'events',
        'orders',
      ]);
      // Internal topics cannot be deleted by clients.
      await expect(admin.deleteTopics({ topics: ['__sluice_rebalances'] })).rejects.toThrow();
    } finally {
      await admin.disconnect();
    }
    const { stdout } = await runOk('/usr/bin/kcat', ['-L', '-J', '-b', b.bootstrap]);
    const listed = (JSON.parse(stdout) as { topics: { topic: string }[] }).topics.map((t) => t.topic).sort();
    expect(listed).toEqual(['__consumer_offsets', '__sluice_rebalances', 'events', 'orders']);
  });

  it('kafkajs fetchTopicMetadata and listTopics', async () => {
    const b = await withTopics();
    const kafka = new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] });
      expect(topics).toEqual([
        {
          name: 'orders',
          partitions: [0, 1, 2].map((partitionId) => ({
            partitionErrorCode: 0,
            partitionId,
            leader: 0,
            replicas: [0],
            isr: [0],
            offlineReplicas: [],
          })),
        },
      ]);
      expect((await admin.listTopics()).sort()).toEqual(['events', 'orders']);
      const cluster = await admin.describeCluster();
      expect(cluster).toMatchObject({ clusterId: 'sluice-test', controller: 0 });
      await expect(admin.fetchTopicMetadata({ topics: ['nope'] })).rejects.toThrow(
        /does not host this topic-partition/,
      );
    } finally {
      await admin.disconnect();
    }
  });

  it('kcat -L lists the broker and topics', async () => {
    const b = await withTopics();
    const { stdout } = await runOk('/usr/bin/kcat', ['-L', '-J', '-b', b.bootstrap, '-m', '10']);
    const listing = JSON.parse(stdout) as {
      brokers: { id: number; name: string }[];
      topics: { topic: string; partitions: { partition: number; leader: number }[] }[];
    };
    expect(listing.brokers).toEqual([{ id: 0, name: b.bootstrap }]);
    const orders = listing.topics.find((t) => t.topic === 'orders');
    expect(orders?.partitions.map((p) => [p.partition, p.leader])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    expect(b.errors()).toEqual([]);
  });
});
