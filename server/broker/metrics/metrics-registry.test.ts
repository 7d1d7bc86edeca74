import { afterEach, describe, expect, it, vi } from 'vitest';
import { type MetricsTick, MetricsRegistry } from './metrics-registry';

const T0 = 1_700_000_000_000;

afterEach(() => {
  vi.useRealTimers();
});

describe('MetricsRegistry', () => {
  it('turns counter deltas into rates per second', () => {
    const metrics = new MetricsRegistry({ now: () => T0 });
    const p0 = metrics.partition('orders', 0);
    p0.flow.onAppend(10, 1000);
    metrics.sample(T0 + 1000);
    expect(metrics.latest('partition/orders/0/records_in')).toBe(10);
    expect(metrics.latest('partition/orders/0/bytes_in')).toBe(1000);
    p0.flow.onAppend(30, 3000);
    p0.flow.onFetch(4, 400);
    metrics.sample(T0 + 3000); // two seconds later
    expect(metrics.latest('partition/orders/0/records_in')).toBe(15);
    expect(metrics.latest('partition/orders/0/records_out')).toBe(2);
    metrics.sample(T0 + 4000);
    expect(metrics.latest('partition/orders/0/records_in')).toBe(0);
    expect(metrics.history('partition/orders/0/records_in')).toEqual({
      t: [T0 + 1000, T0 + 3000, T0 + 4000],
      v: [10, 15, 0],
    });
  });

  it('aggregates partitions into topics and topics into the broker, internal topics aside', () => {
    const metrics = new MetricsRegistry({ now: () => T0 });
    const a0 = metrics.partition('a', 0);
    const a1 = metrics.partition('a', 1);
    const b0 = metrics.partition('b', 0);
    const offsets = metrics.partition('__consumer_offsets', 0);
    a0.flow.onAppend(1, 100);
    a1.flow.onAppend(2, 200);
    b0.flow.onAppend(4, 400);
    offsets.flow.onAppend(1000, 1000);
    a0.size.set(10);
    a1.size.set(20);
    b0.size.set(40);
    metrics.sample(T0 + 1000);
    expect(metrics.latest({ kind: 'topic', topic: 'a', metric: 'records_in' })).toBe(3);
    expect(metrics.latest({ kind: 'topic', topic: 'a', metric: 'size_bytes' })).toBe(30);
    expect(metrics.latest({ kind: 'topic', topic: '__consumer_offsets', metric: 'records_in' })).toBe(1000);
    expect(metrics.latest({ kind: 'broker', metric: 'records_in' })).toBe(7);
    expect(metrics.latest({ kind: 'broker', metric: 'bytes_in' })).toBe(700);
    expect(metrics.latest({ kind: 'broker', metric: 'size_bytes' })).toBe(70);
    expect(metrics.partition('a', 0)).toBe(a0); // the same handle, not a second meter
  });

  it('samples gauges, collectors, API request rates and group lag totals', () => {
    const metrics = new MetricsRegistry({ now: () => T0 });
    const connections = metrics.gauge('connections');
    connections.set(3);
    const produce = metrics.apiRequests('Produce');
    produce.mark(5);
    let end = 100;
    metrics.addCollector(() => {
      metrics.groupLag('billing', 'orders', 0).set(end - 90);
      metrics.groupLag('billing', 'orders', 1).set(end - 95);
    });
    metrics.sample(T0 + 1000);
    expect(metrics.latest('gauge/connections')).toBe(3);
    expect(metrics.latest('api/Produce/requests')).toBe(5);
    expect(metrics.latest('group/billing/lag')).toBe(15);
    end = 200;
    metrics.sample(T0 + 2000);
    expect(metrics.history('group_partition/billing/orders/0/lag')?.v).toEqual([10, 110]);
    expect(metrics.history('group/billing/lag')?.v).toEqual([15, 215]);
    expect(metrics.history('gauge/connections')?.v).toEqual([3, 3]);
  });

  it('pushes one tick per second to subscribers (fake timers)', () => {
    vi.useFakeTimers({ now: T0 });
    const metrics = new MetricsRegistry();
    const p = metrics.partition('orders', 0);
    const all: MetricsTick[] = [];
    const topicOnly: MetricsTick[] = [];
    const unsubscribe = metrics.subscribe((tick) => all.push(tick));
    metrics.subscribe((tick) => topicOnly.push(tick), { prefixes: ['topic/orders/'] });
    metrics.start();
    p.flow.onAppend(5, 50);
    vi.advanceTimersByTime(999);
    expect(all).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(all).toHaveLength(1);
    expect(all[0]?.ts).toBe(T0 + 1000);
    expect(all[0]?.series).toContainEqual({ key: 'partition/orders/0/records_in', value: 5 });
    expect(all[0]?.series).toContainEqual({ key: 'broker/bytes_in', value: 50 });
    expect(topicOnly[0]?.series.map((s) => s.key).sort()).toEqual([
      'topic/orders/bytes_in',
      'topic/orders/bytes_out',
      'topic/orders/records_in',
      'topic/orders/records_out',
      'topic/orders/size_bytes',
    ]);
    vi.advanceTimersByTime(2000);
    expect(all.map((t) => t.ts)).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
    unsubscribe();
    vi.advanceTimersByTime(1000);
    expect(all).toHaveLength(3);
    expect(topicOnly).toHaveLength(4);
    metrics.stop();
    vi.advanceTimersByTime(5000);
    expect(topicOnly).toHaveLength(4);
  });

  it('unsubscribes a listener that throws and keeps sampling', () => {
    const errors: unknown[] = [];
    const metrics = new MetricsRegistry({ now: () => T0, onError: (e) => errors.push(e) });
    let calls = 0;
    metrics.subscribe(() => {
      calls += 1;
      throw new Error('socket closed');
    });
    metrics.sample(T0 + 1000);
    metrics.sample(T0 + 2000);
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('keeps one hour at 1 s and downsamples history to at most N points', () => {
    const metrics = new MetricsRegistry({ now: () => T0 });
    const p = metrics.partition('orders', 0);
    for (let i = 1; i <= 4000; i += 1) {
      p.flow.onAppend(i % 7, 0);
      metrics.sample(T0 + i * 1000);
    }
    const full = metrics.history('partition/orders/0/records_in');
    expect(full?.t).toHaveLength(3600);
    expect(full?.t[0]).toBe(T0 + 401_000);
    expect(full?.v[0]).toBe(401 % 7);
    const chart = metrics.history('partition/orders/0/records_in', { maxPoints: 300 });
    expect(chart?.t.length).toBeLessThanOrEqual(300);
    expect(chart?.t.at(-1)).toBe(T0 + 4_000_000);
    const lastMinute = metrics.history('partition/orders/0/records_in', { sinceMs: T0 + 3_941_000 });
    expect(lastMinute?.t).toHaveLength(60);
  });

  it('removes the series of a deleted topic, partition or group', () => {
    const metrics = new MetricsRegistry({ now: () => T0 });
    metrics.partition('orders', 0);
    metrics.partition('orders', 1);
    metrics.partition('other', 0);
    metrics.groupLag('billing', 'orders', 0).set(1);
    metrics.groupLag('billing', 'other', 0).set(2);
    metrics.sample(T0 + 1000);
    metrics.removePartition('orders', 1);
    expect(metrics.seriesIds('partition/orders/1/')).toEqual([]);
    expect(metrics.seriesIds('partition/orders/0/')).toHaveLength(6);
    metrics.removeTopic('orders');
    expect(metrics.seriesIds('topic/orders/')).toEqual([]);
    expect(metrics.seriesIds('partition/orders/')).toEqual([]);
    expect(metrics.seriesIds('group_partition/billing/')).toEqual(['group_partition/billing/other/0/lag']);
    expect(metrics.history('topic/orders/records_in')).toBeUndefined();
    metrics.sample(T0 + 2000);
    expect(metrics.latest('group/billing/lag')).toBe(2);
    metrics.removeGroup('billing');
    expect(metrics.seriesIds('group')).toEqual([]);
    const ticks: MetricsTick[] = [];
    metrics.subscribe((t) => ticks.push(t));
    metrics.sample(T0 + 3000);
    expect(ticks[0]?.series.some((s) => s.key.includes('orders') || s.key.includes('billing'))).toBe(false);
    // A topic created again under the same name starts with an empty history.
    metrics.partition('orders', 0).flow.onAppend(1, 1);
    expect(metrics.history('topic/orders/records_in')).toEqual({ t: [], v: [] });
  });

  it('fits 1000 partitions x 4 rates x 3600 samples in Float32 rings, idle ones in nothing', () => {
    const metrics = new MetricsRegistry({ now: () => T0 });
    const partitions = Array.from({ length: 1000 }, (_, i) => metrics.partition(`t${i % 100}`, i));
    for (let s = 1; s <= 3; s += 1) metrics.sample(T0 + s * 1000);
    const clock = 3600 * 8;
    expect(metrics.historyBytes).toBe(clock); // all idle: constants only
    for (let s = 4; s <= 6; s += 1) {
      for (const p of partitions) {
        p.flow.onAppend(s, s * 100);
        p.flow.onFetch(s, s * 100);
      }
      metrics.sample(T0 + s * 1000);
    }
    const ring = 3600 * 4;
    // 1000 partitions + 100 topics + the broker, 4 rates each.
    expect(metrics.historyBytes).toBe(clock + (1000 + 100 + 1) * 4 * ring);
    expect(metrics.historyBytes).toBeLessThan(64 * 1024 * 1024);
  });
});
