import { afterEach, describe, expect, it } from 'vitest';
import { failure } from '../../api/test-support/caller';
import { startEmbeddedApi, type EmbeddedApi } from './test-harness';

let test: EmbeddedApi | undefined;
afterEach(async () => {
  await test?.stop();
  test = undefined;
});

async function start(): Promise<EmbeddedApi> {
  test = await startEmbeddedApi();
  return test;
}

const text = (data: string) => ({ encoding: 'utf8' as const, data });

/** The field the browser puts the message next to (server/api/errors.ts). */
function fieldOf(error: { cause?: unknown }): string | undefined {
  return (error.cause as { field?: string } | undefined)?.field;
}

describe('EmbeddedCluster topics through the router', () => {
  it('creates a topic with configs, lists it and describes partitions, segments, actors and config sources', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 3, configs: { 'retention.ms': '3600000' } });
    const list = await api.topics.list();
    expect(list.map((t) => t.name)).toEqual(['orders']);
    expect(list[0]).toMatchObject({
      partitions: 3,
      records: 0,
      sizeBytes: 0,
      retentionMs: 3_600_000,
      retentionBytes: -1,
      cleanupPolicy: 'delete',
      timestampType: 'CreateTime',
      rates: { recordsInPerSec: 0 },
    });
    const topic = await api.topics.describe({ topic: 'orders' });
    expect(topic.partitions.map((p) => [p.partition, p.segments, p.startOffset, p.endOffset])).toEqual([
      [0, 1, 0, 0],
      [1, 1, 0, 0],
      [2, 1, 0, 0],
    ]);
    expect(topic.partitions[2]?.actor).toEqual({
      path: 'broker/topics/orders/2',
      state: 'running',
      restarts: 0,
    });
    expect(topic.configs.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '3600000',
      source: 'TOPIC',
      defaultValue: '604800000',
      type: 'long',
    });
    expect(topic.configs.find((c) => c.name === 'cleanup.policy')).toMatchObject({
      source: 'DEFAULT',
      allowed: ['delete', 'compact', 'compact,delete'],
    });
  });

  it('counts records (end minus start) and bytes per topic after a produce', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 2, configs: {} });
    for (let i = 0; i < 5; i++) {
      await api.produce.send({ topic: 'orders', partition: i % 2, key: null, value: text(`v${i}`) });
    }
    const [summary] = await api.topics.list();
    expect(summary).toMatchObject({ records: 5 });
    expect(summary?.sizeBytes).toBeGreaterThan(0);
    const topic = await api.topics.describe({ topic: 'orders' });
    expect(topic.partitions.map((p) => p.records)).toEqual([3, 2]);
    expect(topic.partitions[0]?.lastTimestamp).toBeGreaterThan(0);
  });

  it('lists internal topics only when asked', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    expect((await api.topics.list()).map((t) => t.name)).toEqual(['orders']);
  });

  it.each([
    ['', 'Topic name must not be empty'],
    ['.', "Topic name cannot be '.' or '..'"],
    ['..', "Topic name cannot be '.' or '..'"],
    ['my topic', "Topic name may contain only letters, digits, '.', '_' and '-'"],
    ['x'.repeat(250), 'Topic name must be at most 249 characters'],
  ])('refuses the topic name %j at the door with a message naming the rule', async (name, message) => {
    const { api } = await start();
    const error = await failure(api.topics.create({ name, partitions: 1, configs: {} }));
    expect(error.code).toBe('BAD_REQUEST');
    expect((error.cause as Error).message).toContain(message);
  });

  it('accepts a name of exactly 249 allowed characters', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'a-_9'.repeat(62) + 'a', partitions: 1, configs: {} });
    expect(await api.topics.list()).toHaveLength(1);
  });

  it.each([0, 10_001, 1.5])('refuses %d partitions', async (partitions) => {
    const { api } = await start();
    const error = await failure(api.topics.create({ name: 'orders', partitions, configs: {} }));
    expect(error.code).toBe('BAD_REQUEST');
  });

  it("answers CONFLICT with the broker's sentence, next to the name, when the topic exists", async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    const error = await failure(api.topics.create({ name: 'orders', partitions: 1, configs: {} }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe("Topic 'orders' already exists");
    expect(fieldOf(error)).toBe('name');
  });

  it('refuses names the broker reserves or that collide, next to the name', async () => {
    const { api } = await start();
    const internal = await failure(api.topics.create({ name: '__mine', partitions: 1, configs: {} }));
    expect(internal.code).toBe('BAD_REQUEST');
    expect(internal.message).toBe(
      "Topic name '__mine' is invalid: names starting with '__' are reserved for the broker's internal topics; remove the leading underscores",
    );
    expect(fieldOf(internal)).toBe('name');
    await api.topics.create({ name: 'a.b', partitions: 1, configs: {} });
    const collision = await failure(api.topics.create({ name: 'a_b', partitions: 1, configs: {} }));
    expect(collision.message).toBe(
      "Topic name 'a_b' collides with existing topic 'a.b': '.' and '_' are interchangeable in metric names; choose a name that differs by more than '.' and '_'",
    );
  });

  it('refuses a bad config value or an unknown config, next to that config', async () => {
    const { api } = await start();
    const policy = await failure(
      api.topics.create({ name: 'orders', partitions: 1, configs: { 'cleanup.policy': 'shred' } }),
    );
    expect(policy.code).toBe('BAD_REQUEST');
    expect(policy.message).toBe(
      "Invalid value 'shred' for configuration cleanup.policy: must be 'delete', 'compact' or both, comma-separated ('compact,delete')",
    );
    expect(fieldOf(policy)).toBe('configs.cleanup.policy');
    const unknown = await failure(
      api.topics.create({ name: 'orders', partitions: 1, configs: { 'retention.msec': '1' } }),
    );
    expect(unknown.message).toMatch(
      /^Unknown topic configuration 'retention.msec'. Did you mean 'retention.ms'\?/,
    );
    expect(fieldOf(unknown)).toBe('configs.retention.msec');
    expect(await api.topics.list()).toEqual([]);
  });

  it('alters configs incrementally and restores a default on delete', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 1, configs: { 'retention.ms': '1000' } });
    const after = await api.topics.alterConfigs({
      topic: 'orders',
      alterations: [
        { op: 'set', name: 'message.timestamp.type', value: 'LogAppendTime' },
        { op: 'delete', name: 'retention.ms' },
      ],
    });
    expect(after.find((c) => c.name === 'message.timestamp.type')).toMatchObject({
      value: 'LogAppendTime',
      source: 'TOPIC',
    });
    expect(after.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '604800000',
      source: 'DEFAULT',
    });
    expect((await api.topics.list())[0]?.timestampType).toBe('LogAppendTime');
    const bad = await failure(
      api.topics.alterConfigs({
        topic: 'orders',
        alterations: [{ op: 'set', name: 'segment.bytes', value: 'big' }],
      }),
    );
    expect(bad.code).toBe('BAD_REQUEST');
    expect(fieldOf(bad)).toBe('configs.segment.bytes');
  });

  it('adds partitions but never removes them', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 2, configs: {} });
    const grown = await api.topics.addPartitions({ topic: 'orders', totalPartitions: 5 });
    expect(grown.partitions.map((p) => p.actor?.state)).toEqual(Array(5).fill('running'));
    const error = await failure(api.topics.addPartitions({ topic: 'orders', totalPartitions: 3 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe("Topic 'orders' already has 5 partitions; the new count must be greater");
    expect(fieldOf(error)).toBe('totalPartitions');
  });

  it('purges records keeping offsets, and deletes the topic', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    for (let i = 0; i < 3; i++) await api.produce.send({ topic: 'orders', key: null, value: text(`v${i}`) });
    expect(await api.topics.purge({ topic: 'orders' })).toEqual([{ partition: 0, startOffset: 3 }]);
    const [partition] = (await api.topics.describe({ topic: 'orders' })).partitions;
    expect(partition).toMatchObject({ startOffset: 3, endOffset: 3, records: 0 });
    const missing = await failure(api.topics.purge({ topic: 'orders', partitions: [4] }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe("Partition 4 of 'orders' does not exist (it has 1)");
    await api.topics.delete({ topic: 'orders' });
    const error = await failure(api.topics.describe({ topic: 'orders' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe("Topic 'orders' does not exist");
    expect((await failure(api.topics.delete({ topic: 'orders' }))).code).toBe('NOT_FOUND');
  });
});
