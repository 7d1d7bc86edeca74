import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrokerError, isBrokerError } from '../errors';
import type { ActorSystem } from './actor-system';
import { always } from './directive';
import { RestartLimitExceededError } from './failures';
import { RestartIntensity } from './restart-intensity';
import { oneForOne } from './supervisor-strategy';
import { describeUnavailable } from './unavailable';
import { lastEvent, outcome, settle, testActor, testSystem } from './test-kit';

describe('RestartIntensity', () => {
  it('allows maxRestarts within the window and refuses the next', () => {
    const intensity = new RestartIntensity(3, 1000);
    expect([0, 10, 20].map((t) => intensity.tryRestart(t))).toEqual([true, true, true]);
    expect(intensity.tryRestart(30)).toBe(false);
    expect(intensity.restartsWithin(30)).toBe(3);
  });

  it('forgets restarts that slid out of the window', () => {
    const intensity = new RestartIntensity(2, 1000);
    expect(intensity.tryRestart(0)).toBe(true);
    expect(intensity.tryRestart(500)).toBe(true);
    expect(intensity.tryRestart(999)).toBe(false);
    expect(intensity.tryRestart(1000)).toBe(true); // the one at 0 is out
    expect(intensity.restartsWithin(1600)).toBe(1);
  });

  it('with maxRestarts 0 never allows a restart', () => {
    expect(new RestartIntensity(0, 1000).tryRestart(0)).toBe(false);
  });
});

describe('restart intensity exceeded', () => {
  let system: ActorSystem;
  let journal: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    system = testSystem();
    journal = [];
  });

  afterEach(async () => {
    const stopped = system.stop();
    await settle(60_000);
    await stopped;
    vi.useRealTimers();
  });

  it('stops the child (offline with the last error), escalates, and refuses its senders', async () => {
    const escalations: unknown[] = [];
    const topics = system.root.spawnSupervisor('topics', {
      strategy: oneForOne({
        decider: (error) => {
          escalations.push(error);
          return 'resume'; // keep the topic (and its healthy partitions) running
        },
      }),
    });
    const orders = topics.spawnSupervisor('orders', {
      strategy: oneForOne({ maxRestarts: 5, withinMs: 60_000 }),
    });
    const p2 = orders.spawn('2', {
      factory: testActor('p2', journal),
      unavailableError: (info) =>
        new BrokerError('PARTITION_OFFLINE', describeUnavailable('Partition orders-2', info)),
    });
    const p3 = orders.spawn('3', { factory: testActor('p3', journal) });
    for (let i = 0; i < 6; i++) {
      await expect(p2.ask({ type: 'fail', message: 'disk full' })).rejects.toThrow('disk full');
      await settle(1000);
    }
    const refused = outcome(p2.ask({ type: 'get' }));
    await settle();
    expect(isBrokerError(refused.error, 'PARTITION_OFFLINE')).toBe(true);
    expect((refused.error as BrokerError).retriable).toBe(true);
    expect((refused.error as Error).message).toBe(
      'Partition orders-2 is offline after 5 restarts in 60s: disk full',
    );
    expect(() => p2.tell({ type: 'inc' })).toThrow('Partition orders-2 is offline after 5 restarts in 60s');

    expect(escalations).toHaveLength(1);
    const escalated = escalations[0] as RestartLimitExceededError;
    expect(escalated).toBeInstanceOf(RestartLimitExceededError);
    expect(escalated).toMatchObject({ childPath: '/broker/topics/orders/2', restarts: 5, withinMs: 60_000 });
    expect(escalated.lastError.message).toBe('disk full');
    expect(lastEvent(system, 'escalated')).toMatchObject({
      path: '/broker/topics/orders',
      childPath: '/broker/topics/orders/2',
    });
    expect(lastEvent(system, 'stopped', '/broker/topics/orders/2')).toMatchObject({
      state: 'offline',
      reason: 'restart-limit',
    });

    const node = system.snapshot().children[0]?.children[0]?.children[0];
    expect(node).toMatchObject({ state: 'offline', restartCount: 5, lastError: { message: 'disk full' } });
    expect(await p3.ask({ type: 'echo', value: 'healthy' })).toBe('healthy');
    expect(journal.filter((l) => l.startsWith('p2') && l.endsWith('preStart'))).toHaveLength(6);
  });

  it('does not trip when failures are spread wider than the window', async () => {
    const sup = system.root.spawnSupervisor('sup', {
      strategy: oneForOne({ maxRestarts: 2, withinMs: 10_000 }),
    });
    const a = sup.spawn('a', { factory: testActor('a', journal) });
    for (let i = 0; i < 6; i++) {
      await expect(a.ask({ type: 'fail', message: 'rare' })).rejects.toThrow('rare');
      await settle(6000);
    }
    expect(await a.ask({ type: 'echo', value: 'alive' })).toBe('alive');
    expect(system.snapshot().children[0]?.children[0]).toMatchObject({ state: 'running', restartCount: 6 });
  });

  it('a parent that restarts the escalating supervisor brings the offline child back', async () => {
    const top = system.root.spawnSupervisor('top', { strategy: oneForOne({ decider: always('restart') }) });
    const sup = top.spawnSupervisor('sup', { strategy: oneForOne({ maxRestarts: 1, withinMs: 60_000 }) });
    const a = sup.spawn('a', { factory: testActor('a', journal) });
    await expect(a.ask({ type: 'fail', message: 'one' })).rejects.toThrow('one');
    await settle();
    await expect(a.ask({ type: 'fail', message: 'two' })).rejects.toThrow('two');
    await settle();
    expect(await a.ask({ type: 'echo', value: 'revived' })).toBe('revived');
    expect(lastEvent(system, 'restarted', '/broker/top/sup')).toBeDefined();
  });
});
