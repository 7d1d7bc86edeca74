import type { MemoryCluster } from './memory-cluster';

const HOUR = 3_600_000;
const text = (data: string) => ({ encoding: 'utf8' as const, data });

/**
 * Demo content for the dev console: topics with a day of history, a binary and a large value, a
 * running producer and consumer group, and an empty group whose offsets can be reset.
 */
export async function seedDemo(cluster: MemoryCluster): Promise<void> {
  const now = Date.now();
  await cluster.createTopic({
    name: 'orders',
    partitions: 6,
    configs: { 'retention.ms': String(48 * HOUR) },
  });
  await cluster.createTopic({
    name: 'payments',
    partitions: 3,
    configs: { 'message.timestamp.type': 'LogAppendTime' },
  });
  await cluster.createTopic({ name: 'audit-log', partitions: 1, configs: { 'cleanup.policy': 'compact' } });

  for (let i = 0; i < 600; i++) {
    const at = now - 24 * HOUR + i * ((24 * HOUR) / 600);
    const order = {
      orderId: 10_000 + i,
      customer: `c-${i % 37}`,
      total: ((i * 7919) % 50_000) / 100,
      items: (i % 5) + 1,
    };
    await cluster.produce({
      topic: 'orders',
      key: text(`customer-${i % 37}`),
      value: text(JSON.stringify(order)),
      headers: [
        { key: 'source', value: text(i % 3 ? 'web' : 'mobile') },
        { key: 'trace-id', value: text(`t-${i.toString(16)}`) },
      ],
      timestamp: Math.round(at),
    });
  }
  for (let i = 0; i < 90; i++) {
    await cluster.produce({
      topic: 'payments',
      key: text(`pay-${i}`),
      value: text(`{"amount":${i * 3},"currency":"EUR"}`),
      headers: [],
    });
  }
  await cluster.produce({
    topic: 'audit-log',
    key: text('binary'),
    value: {
      encoding: 'base64',
      data: Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256)).toString('base64'),
    },
    headers: [],
  });
  await cluster.alterTopicConfigs('audit-log', [
    { op: 'set', name: 'max.message.bytes', value: String(4 * 1024 * 1024) },
  ]);
  const big = { kind: 'snapshot', rows: Array.from({ length: 40_000 }, (_, i) => ({ i, name: `row-${i}` })) };
  await cluster.produce({
    topic: 'audit-log',
    key: text('snapshot'),
    value: text(JSON.stringify(big)),
    headers: [],
  });
  await cluster.produce({ topic: 'audit-log', key: text('tombstone'), value: null, headers: [] });

  cluster.groups.ensure('analytics', 'payments');
  for (let p = 0; p < 3; p++) cluster.groups.commit('analytics', 'payments', p, 10);

  await cluster.startProducer({ topic: 'orders', ratePerSec: 40, recordBytes: 180 });
  await cluster.startProducer({ topic: 'payments', ratePerSec: 8, recordBytes: 64 });
  await cluster.startConsumerGroup({ groupId: 'billing', topic: 'orders', members: 3 });
}
