import { describe, expect, it } from 'vitest';
import type { MetricsTick } from '../../cluster/types';
import { createTestApi, failure, takeTracked } from '../test-support/caller';

describe('metrics router', () => {
  it('buckets per-second samples into a history for a topic', async () => {
    let now = 1_000_000;
    const { api, cluster } = createTestApi({ cluster: { now: () => now } });
    await api.topics.create({ name: 'orders', partitions: 2, configs: {} });
    for (let second = 1; second <= 4; second++) {
      for (let i = 0; i < second; i++) {
        await api.produce.send({
          topic: 'orders',
          partition: 0,
          key: null,
          value: { encoding: 'utf8', data: 'abcd' },
        });
      }
      now += 1000;
      cluster.sampleMetrics();
    }
    const history = await api.metrics.history({
      scope: { kind: 'topic', topic: 'orders' },
      from: 0,
      to: now,
      stepMs: 2000,
    });
    expect(history.throughput.map((p) => p.recordsInPerSec)).toEqual([1, 2.5, 4]);
    expect(history.throughput.map((p) => p.bytesInPerSec)).toEqual([4, 10, 16]);
    const partition = await api.metrics.history({
      scope: { kind: 'partition', topic: 'orders', partition: 1 },
      from: 0,
      to: now,
      stepMs: 1000,
    });
    expect(partition.throughput.every((p) => p.recordsInPerSec === 0)).toBe(true);
  });

  it('refuses an empty window and too many points', async () => {
    const { api } = createTestApi();
    const empty = await failure(
      api.metrics.history({ scope: { kind: 'broker' }, from: 10, to: 5, stepMs: 1000 }),
    );
    expect((empty.cause as Error).message).toContain("The date range is empty: 'from' is after 'to'");
    const many = await failure(
      api.metrics.history({ scope: { kind: 'broker' }, from: 0, to: 86_400_000, stepMs: 1000 }),
    );
    expect(many.code).toBe('BAD_REQUEST');
  });

  it('streams one tick per sample, with partitions only for the topics asked, and resumes', async () => {
    const { api, cluster } = createTestApi();
    await api.topics.create({ name: 'a', partitions: 2, configs: {} });
    await api.topics.create({ name: 'b', partitions: 3, configs: {} });
    const live = takeTracked<MetricsTick>(await api.metrics.live({ partitionsOf: ['b'] }), 2);
    await Promise.resolve();
    cluster.sampleMetrics();
    cluster.sampleMetrics();
    const ticks = await live;
    expect(ticks.map((t) => Number(t.id))).toEqual([ticks[0]!.data.id, ticks[0]!.data.id + 1]);
    expect(ticks[0]?.data.topics.map((t) => t.topic)).toEqual(['__consumer_offsets', 'a', 'b']);
    expect(ticks[0]?.data.partitions.map((p) => `${p.topic}/${p.partition}`)).toEqual(['b/0', 'b/1', 'b/2']);
    cluster.sampleMetrics();
    const resumed = await takeTracked<MetricsTick>(await api.metrics.live({ lastEventId: ticks[1]!.id }), 1);
    expect(resumed[0]?.data.id).toBe(ticks[1]!.data.id + 1);
  });
});
