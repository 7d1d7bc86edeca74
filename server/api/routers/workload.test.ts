import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApi, failure, type TestApi } from '../test-support/caller';

let test: TestApi;
afterEach(() => {
  test?.cluster.close();
  vi.useRealTimers();
});

describe('workload router', () => {
  it('runs a producer at its rate until stopped', async () => {
    vi.useFakeTimers();
    test = createTestApi();
    const { api } = test;
    await api.topics.create({ name: 'load', partitions: 2, configs: {} });
    const producer = await api.workload.startProducer({ topic: 'load', ratePerSec: 50, recordBytes: 100 });
    await vi.advanceTimersByTimeAsync(1000);
    const [status] = (await api.workload.status()).producers;
    expect(status?.produced).toBe(50);
    const topic = await api.topics.describe({ topic: 'load' });
    expect(topic.records).toBe(50);
    expect(topic.sizeBytes).toBeGreaterThanOrEqual(50 * 100);
    await api.workload.stopProducer({ id: producer.id });
    await vi.advanceTimersByTimeAsync(1000);
    expect((await api.topics.describe({ topic: 'load' })).records).toBe(50);
  });

  it('scales a consumer group up and down, each change a rebalance', async () => {
    test = createTestApi();
    const { api } = test;
    await api.topics.create({ name: 'load', partitions: 3, configs: {} });
    await api.workload.startConsumerGroup({ groupId: 'g', topic: 'load', members: 1 });
    await api.workload.addMember({ groupId: 'g' });
    const after = await api.workload.removeMember({ groupId: 'g' });
    expect(after.members).toHaveLength(1);
    const reasons = (await api.groups.rebalances({ groupId: 'g' })).map((r) => r.reason);
    expect(reasons).toEqual(['leave', 'join', 'join']);
  });

  it('validates rates and refuses unknown topics', async () => {
    test = createTestApi();
    const { api } = test;
    expect(
      (await failure(api.workload.startProducer({ topic: 'load', ratePerSec: 0, recordBytes: 10 }))).code,
    ).toBe('BAD_REQUEST');
    const error = await failure(
      api.workload.startProducer({ topic: 'nope', ratePerSec: 1, recordBytes: 10 }),
    );
    expect(error.code).toBe('NOT_FOUND');
  });
});
