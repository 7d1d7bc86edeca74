import { describe, expect, it } from 'vitest';
import { createTestApi, failure } from '../test-support/caller';

describe('topics router', () => {
  it('creates a topic with configs, lists it and describes its partitions and config sources', async () => {
    const { api } = createTestApi();
    await api.topics.create({ name: 'orders', partitions: 3, configs: { 'retention.ms': '3600000' } });
    const list = await api.topics.list();
    expect(list.map((t) => t.name)).toEqual(['orders']);
    expect(list[0]).toMatchObject({
      partitions: 3,
      records: 0,
      retentionMs: 3_600_000,
      cleanupPolicy: 'delete',
    });
    const topic = await api.topics.describe({ topic: 'orders' });
    expect(topic.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(topic.partitions[0]?.actor).toMatchObject({ state: 'running', restarts: 0 });
    const retention = topic.configs.find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '3600000', source: 'TOPIC', defaultValue: '604800000' });
    expect(topic.configs.find((c) => c.name === 'cleanup.policy')).toMatchObject({ source: 'DEFAULT' });
  });

  it('lists internal topics only when asked', async () => {
    const { api } = createTestApi();
    expect(await api.topics.list()).toEqual([]);
    expect((await api.topics.list({ includeInternal: true })).map((t) => t.name)).toEqual([
      '__consumer_offsets',
    ]);
  });

  it.each([
    ['', 'Topic name must not be empty'],
    ['.', "Topic name cannot be '.' or '..'"],
    ['..', "Topic name cannot be '.' or '..'"],
    ['my topic', "Topic name may contain only letters, digits, '.', '_' and '-'"],
    ['x'.repeat(250), 'Topic name must be at most 249 characters'],
  ])('refuses the topic name %j with a message naming the rule', async (name, message) => {
    const { api } = createTestApi();
    const error = await failure(api.topics.create({ name, partitions: 1, configs: {} }));
    expect(error.code).toBe('BAD_REQUEST');
    expect((error.cause as Error).message).toContain(message);
  });

  it('accepts a name of exactly 249 allowed characters', async () => {
    const { api } = createTestApi();
    await api.topics.create({ name: 'a._-9'.repeat(49) + 'abcd', partitions: 1, configs: {} });
    expect(await api.topics.list()).toHaveLength(1);
  });

  it.each([0, 10_001, 1.5])('refuses %d partitions', async (partitions) => {
    const { api } = createTestApi();
    const error = await failure(api.topics.create({ name: 'orders', partitions, configs: {} }));
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('answers CONFLICT with a human message when the topic exists', async () => {
    const { api } = createTestApi();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    const error = await failure(api.topics.create({ name: 'orders', partitions: 1, configs: {} }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe("Topic 'orders' already exists");
  });

  it('refuses an invalid config value naming the config', async () => {
    const { api } = createTestApi();
    const error = await failure(
      api.topics.create({ name: 'orders', partitions: 1, configs: { 'cleanup.policy': 'shred' } }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe('cleanup.policy must be one of delete, compact, compact,delete');
  });

  it('alters configs incrementally and restores a default on delete', async () => {
    const { api } = createTestApi();
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
  });

  it('adds partitions but never removes them', async () => {
    const { api } = createTestApi();
    await api.topics.create({ name: 'orders', partitions: 2, configs: {} });
    expect((await api.topics.addPartitions({ topic: 'orders', totalPartitions: 5 })).partitions).toHaveLength(
      5,
    );
    const error = await failure(api.topics.addPartitions({ topic: 'orders', totalPartitions: 3 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe("Topic 'orders' already has 5 partitions: the count can only grow");
  });

  it('purges records keeping offsets, and deletes the topic', async () => {
    const { api } = createTestApi();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    for (let i = 0; i < 3; i++) {
      await api.produce.send({ topic: 'orders', key: null, value: { encoding: 'utf8', data: `v${i}` } });
    }
    expect(await api.topics.purge({ topic: 'orders' })).toEqual([{ partition: 0, startOffset: 3 }]);
    const [partition] = (await api.topics.describe({ topic: 'orders' })).partitions;
    expect(partition).toMatchObject({ startOffset: 3, endOffset: 3, records: 0 });
    await api.topics.delete({ topic: 'orders' });
    const error = await failure(api.topics.describe({ topic: 'orders' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe("Topic 'orders' does not exist");
  });
});
