import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActorSystem } from './actor-system';
import { EventBus } from './event-bus';
import type { LifecycleEvent } from './lifecycle-events';
import { oneForOne } from './supervisor-strategy';
import { settle, testActor, testSystem } from './test-kit';

describe('EventBus', () => {
  it('assigns increasing ids and timestamps, and keeps a bounded history', () => {
    let now = 100;
    const bus = new EventBus(3, () => now++);
    for (let i = 0; i < 5; i++) bus.publish(`/broker/a${i}`, 'actor', { type: 'started' });
    const { events, missed } = bus.history();
    expect(events.map((e) => [e.id, e.at, e.path])).toEqual([
      [3, 102, '/broker/a2'],
      [4, 103, '/broker/a3'],
      [5, 104, '/broker/a4'],
    ]);
    expect(missed).toBe(2);
    expect(bus.lastId).toBe(5);
  });

  it('replays from an id, telling how many were lost to the ring', () => {
    const bus = new EventBus(3, () => 0);
    for (let i = 0; i < 5; i++) bus.publish('/broker/a', 'actor', { type: 'started' });
    expect(bus.history(3).events.map((e) => e.id)).toEqual([4, 5]);
    expect(bus.history(3).missed).toBe(0);
    expect(bus.history(1).missed).toBe(1); // id 2 is gone
    expect(bus.history(5).events).toEqual([]);
  });

  it('subscribe with afterId replays then streams live, without gaps or duplicates', () => {
    const bus = new EventBus(10, () => 0);
    bus.publish('/broker/a', 'actor', { type: 'started' });
    bus.publish('/broker/b', 'actor', { type: 'started' });
    const seen: number[] = [];
    const unsubscribe = bus.subscribe((e) => seen.push(e.id), { afterId: 1 });
    bus.publish('/broker/c', 'actor', { type: 'started' });
    unsubscribe();
    bus.publish('/broker/d', 'actor', { type: 'started' });
    expect(seen).toEqual([2, 3]);
  });

  it('isolates a throwing subscriber', () => {
    const bus = new EventBus(10, () => 0);
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken listener');
    });
    bus.subscribe((e) => seen.push(e.path));
    expect(() => bus.publish('/broker/a', 'actor', { type: 'started' })).not.toThrow();
    expect(seen).toEqual(['/broker/a']);
  });
});

describe('lifecycle events from the runtime', () => {
  let system: ActorSystem;

  beforeEach(() => {
    vi.useFakeTimers({ now: 5_000 });
    system = testSystem({ eventHistorySize: 50, random: () => 0 });
  });

  afterEach(async () => {
    const stopped = system.stop();
    await settle(60_000);
    await stopped;
    vi.useRealTimers();
  });

  it('publishes start, failure, restart (with attempt and delay), escalation and stop with paths', async () => {
    const events: LifecycleEvent[] = [];
    system.events.subscribe((e) => events.push(e));
    const topics = system.root.spawnSupervisor('topics', {
      strategy: oneForOne({ decider: () => 'resume' }),
    });
    const orders = topics.spawnSupervisor('orders', {
      strategy: oneForOne({
        maxRestarts: 1,
        withinMs: 60_000,
        backoff: { minBackoffMs: 250, maxBackoffMs: 1000, randomFactor: 0 },
      }),
    });
    const p = orders.spawn('2', { factory: testActor('p', []) });
    await expect(p.ask({ type: 'fail', message: 'eio' })).rejects.toThrow('eio');
    await settle(250);
    await expect(p.ask({ type: 'fail', message: 'eio again' })).rejects.toThrow('eio again');
    await settle();
    const compact = events.map((e) => `${e.type} ${e.path}`);
    expect(compact).toEqual([
      'started /broker/topics',
      'started /broker/topics/orders',
      'started /broker/topics/orders/2',
      'failed /broker/topics/orders/2',
      'message-dropped /broker/topics/orders/2',
      'restarting /broker/topics/orders/2',
      'restarted /broker/topics/orders/2',
      'failed /broker/topics/orders/2',
      'message-dropped /broker/topics/orders/2',
      'escalated /broker/topics/orders',
      'resumed /broker/topics/orders',
      'stopped /broker/topics/orders/2',
    ]);
    expect(events.find((e) => e.type === 'failed')).toMatchObject({
      error: 'eio',
      phase: 'message',
      messageType: 'fail',
    });
    expect(events.find((e) => e.type === 'restarting')).toMatchObject({
      attempt: 1,
      delayMs: 250,
      at: 5_000,
    });
    expect(events.find((e) => e.type === 'restarted')).toMatchObject({ at: 5_250 });
    expect(events.at(-1)).toMatchObject({
      type: 'stopped',
      state: 'offline',
      reason: 'restart-limit',
      error: 'eio again',
    });
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(system.events.history().events.slice(-events.length)).toEqual(events);
  });
});
