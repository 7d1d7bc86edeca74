import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MetricsTick } from './metrics/metrics-registry';
import { batchOf, startBroker, tempDataDir } from './test-support/broker-fixtures';

/**
 * The broker feeds the metrics registry: records and bytes in on append, out on fetch, sizes and
 * end offsets as gauges, sampled every second while the broker runs.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker() {
  const temp = tempDataDir();
  const b = await startBroker(temp.dir);
  cleanups.push(temp.cleanup, () => b.stop());
  await b.createTopic('orders', { partitions: 2 });
  return b;
}

describe('broker metrics', () => {
  it('counts records and bytes in and out per partition, per topic and for the broker', async () => {
    const b = await broker();
    const t0 = Date.now() + 10_000;
    b.metrics.sample(t0);
    const ten = batchOf(Array.from({ length: 10 }, (_, i) => `v${i}`));
    const tenBytes = ten.length;
    await b.produce('orders', 0, ten, { acks: 1 });
    await b.produce('orders', 1, batchOf(['a', 'b', 'c']), { acks: 1 });
    await b.fetch({
      partitions: [{ topic: 'orders', partition: 0, offset: 0, maxBytes: 1 << 20 }],
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
    });
    b.metrics.sample(t0 + 1000);
    expect(b.metrics.latest('partition/orders/0/records_in')).toBe(10);
    expect(b.metrics.latest('partition/orders/0/bytes_in')).toBe(tenBytes);
    expect(b.metrics.latest('partition/orders/1/records_in')).toBe(3);
    expect(b.metrics.latest('topic/orders/records_in')).toBe(13);
    expect(b.metrics.latest('broker/records_in')).toBe(13);
    expect(b.metrics.latest('partition/orders/0/records_out')).toBe(10);
    expect(b.metrics.latest('partition/orders/0/bytes_out')).toBe(tenBytes);
    expect(b.metrics.latest('partition/orders/1/records_out')).toBe(0);
    expect(b.metrics.latest('partition/orders/0/end_offset')).toBe(10);
    expect(b.metrics.latest('partition/orders/1/end_offset')).toBe(3);
    const size0 = b.metrics.latest('partition/orders/0/size_bytes') ?? 0;
    expect(size0).toBe(tenBytes);
    expect(b.metrics.latest('topic/orders/size_bytes')).toBeGreaterThan(size0);

    // Nothing new in the next second: rates fall to zero, gauges stay.
    b.metrics.sample(t0 + 2000);
    expect(b.metrics.latest('topic/orders/records_in')).toBe(0);
    expect(b.metrics.latest('partition/orders/0/end_offset')).toBe(10);
    const history = b.metrics.history('partition/orders/0/records_in');
    expect(history?.v.slice(-2)).toEqual([10, 0]);
  });

  it('samples every second while running and pushes ticks to subscribers', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const b = await broker();
    const ticks: MetricsTick[] = [];
    const unsubscribe = b.metrics.subscribe((tick) => ticks.push(tick), { prefixes: ['topic/orders/'] });
    await b.produceRecords('orders', [{ value: 'x', partition: 0 }]);
    vi.advanceTimersByTime(1000);
    expect(ticks).toHaveLength(1);
    const series = new Map(ticks[0]!.series.map((s) => [s.key, s.value]));
    expect(series.get('topic/orders/records_in')).toBeGreaterThan(0);
    vi.advanceTimersByTime(2000);
    expect(ticks).toHaveLength(3);
    unsubscribe();
    await b.stop();
    vi.advanceTimersByTime(5000);
    expect(ticks).toHaveLength(3);
  });
});
