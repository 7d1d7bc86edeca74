import { afterEach, describe, expect, it } from 'vitest';
import { failure, takeTracked } from '../../api/test-support/caller';
import type { MetricsTick } from '../types';
import { startEmbeddedApi, type EmbeddedApi } from './test-harness';

let test: EmbeddedApi | undefined;
afterEach(async () => {
  await test?.stop();
  test = undefined;
});

const text = (data: string) => ({ encoding: 'utf8' as const, data });

/** A broker whose metrics are sampled only when the test says so, at the times it says. */
async function start(): Promise<EmbeddedApi> {
  test = await startEmbeddedApi({ broker: { metricsIntervalMs: 3_600_000 } });
  return test;
}

async function produce(api: EmbeddedApi['api'], topic: string, partition: number, count: number) {
  for (let i = 0; i < count; i++)
    await api.produce.send({ topic, partition, key: null, value: text('abcd') });
}

describe('EmbeddedCluster metrics through the router', () => {
  it('moves the throughput history of the broker, the topic and the partition after a produce', async () => {
    const { api, broker } = await start();
    await api.topics.create({ name: 'orders', partitions: 2, configs: {} });
    const t = Math.ceil(Date.now() / 1000) * 1000 + 10_000;
    broker.metrics.sample(t);
    await produce(api, 'orders', 0, 4);
    broker.metrics.sample(t + 2000);
    const window = { from: t, to: t + 2000, stepMs: 1000 };
    const topic = await api.metrics.history({ scope: { kind: 'topic', topic: 'orders' }, ...window });
    expect(topic.throughput.map((p) => [p.t, p.recordsInPerSec])).toEqual([
      [t, 0],
      [t + 2000, 2],
    ]);
    expect(topic.throughput.at(-1)?.bytesInPerSec).toBeGreaterThan(0);
    const brokerWide = await api.metrics.history({ scope: { kind: 'broker' }, ...window });
    expect(brokerWide.throughput.at(-1)?.recordsInPerSec).toBe(2);
    const quiet = await api.metrics.history({
      scope: { kind: 'partition', topic: 'orders', partition: 1 },
      ...window,
    });
    expect(quiet.throughput.map((p) => p.recordsInPerSec)).toEqual([0, 0]);
    expect((await api.topics.list())[0]?.rates.recordsInPerSec).toBe(2);
    const missing = await failure(
      api.metrics.history({ scope: { kind: 'topic', topic: 'nope' }, ...window }),
    );
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe("Topic 'nope' does not exist");
  });

  it('refuses an empty window and too many points', async () => {
    const { api } = await start();
    const empty = await failure(
      api.metrics.history({ scope: { kind: 'broker' }, from: 10, to: 5, stepMs: 1000 }),
    );
    expect((empty.cause as Error).message).toContain("The date range is empty: 'from' is after 'to'");
    const many = await failure(
      api.metrics.history({ scope: { kind: 'broker' }, from: 0, to: 86_400_000, stepMs: 1000 }),
    );
    expect(many.code).toBe('BAD_REQUEST');
  });

  it('streams one tick per sample, with partitions only for the topics asked, and resumes after an id', async () => {
    const { api, broker } = await start();
    await api.topics.create({ name: 'a', partitions: 2, configs: {} });
    await api.topics.create({ name: 'b', partitions: 3, configs: {} });
    let t = Date.now() + 10_000;
    const live = takeTracked<MetricsTick>(await api.metrics.live({ partitionsOf: ['b'] }), 2);
    let settled = false;
    void live.finally(() => (settled = true));
    while (!settled) {
      await produce(api, 'b', 1, 1);
      broker.metrics.sample((t += 1000));
      await new Promise((r) => setTimeout(r, 10));
    }
    const ticks = await live;
    const [first, second] = ticks.map((x) => x.data);
    expect(Number(ticks[0]!.id)).toBe(first!.id);
    expect(second!.id).toBeGreaterThan(first!.id);
    expect(first!.topics.map((x) => x.topic).filter((t) => !t.startsWith('__'))).toEqual(['a', 'b']);
    expect(first!.partitions.map((p) => `${p.topic}/${p.partition}`)).toEqual(['b/0', 'b/1', 'b/2']);
    expect(second!.partitions.find((p) => p.partition === 1)?.rates.recordsInPerSec).toBeGreaterThan(0);
    expect(second!.broker.recordsInPerSec).toBeGreaterThan(0);
    const resumed = await takeTracked<MetricsTick>(await api.metrics.live({ lastEventId: ticks[0]!.id }), 1);
    expect(resumed[0]?.data.id).toBe(second!.id);
    expect(resumed[0]?.data.partitions).toEqual([]);
  });

  it('exports Prometheus counters, sizes, offsets and restarts', async () => {
    const { api, cluster, broker } = await start();
    await api.topics.create({ name: 'orders', partitions: 2, configs: {} });
    await produce(api, 'orders', 0, 3);
    await produce(api, 'orders', 1, 1);
    broker.metrics.sample(); // sizes and end offsets are gauges set once a second
    const text = await cluster.prometheusText();
    expect(text).toContain('# TYPE sluice_partition_records_in_total counter');
    expect(text).toContain('sluice_partition_records_in_total{topic="orders",partition="0"} 3');
    expect(text).toContain('sluice_topic_records_in_total{topic="orders"} 4');
    expect(text).toContain('sluice_broker_records_in_total 4');
    expect(text).toMatch(/sluice_partition_log_end_offset\{topic="orders",partition="0"\} 3/);
    expect(text).toContain('sluice_actor_restarts_total{path="broker/topics/orders/0"} 0');
    expect(text).toMatch(/sluice_actors\{state="running"\} \d+/);
    expect(text).toContain('sluice_process_resident_memory_bytes');
    // A scrape never adds to the counters: the second one says the same.
    expect(await cluster.prometheusText()).toContain('sluice_broker_records_in_total 4');
  });
});
