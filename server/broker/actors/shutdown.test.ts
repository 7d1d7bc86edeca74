import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActorSystem } from './actor-system';
import { deferred, eventsOf, lastEvent, outcome, settle, testActor, testSystem } from './test-kit';

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

describe('ordered shutdown', () => {
  it('stops children in reverse start order, depth first, then the supervisors', async () => {
    const topics = system.root.spawnSupervisor('topics');
    const orders = topics.spawnSupervisor('orders');
    orders.spawn('0', { factory: testActor('orders-0', journal) });
    orders.spawn('1', { factory: testActor('orders-1', journal) });
    const groups = system.root.spawnSupervisor('groups');
    groups.spawn('g1', { factory: testActor('g1', journal) });
    await settle();
    journal.length = 0;
    await system.stop();
    expect(journal).toEqual(['g1#1:postStop', 'orders-1#1:postStop', 'orders-0#1:postStop']);
    expect(eventsOf(system, 'stopped')).toEqual([
      'stopped /broker/groups/g1',
      'stopped /broker/groups',
      'stopped /broker/topics/orders/1',
      'stopped /broker/topics/orders/0',
      'stopped /broker/topics/orders',
      'stopped /broker/topics',
      'stopped /broker',
    ]);
    expect(system.snapshot().state).toBe('stopped');
  });

  it('waits for the in-flight message; queued messages are refused and reported dropped', async () => {
    const a = system.root.spawn('a', { factory: testActor('a', journal) });
    await settle();
    const gate = deferred();
    const inFlight = outcome(a.ask({ type: 'wait', gate: gate.promise, value: 'finishing' }));
    const queued = outcome(a.ask({ type: 'echo', value: 'never' }));
    await settle();
    const stopped = outcome(system.stop());
    await settle();
    expect(stopped.settled).toBe(false);
    expect(queued.error).toMatchObject({ code: 'BROKER_NOT_AVAILABLE', message: '/broker/a is stopped' });
    await expect(a.ask({ type: 'get' })).rejects.toMatchObject({ code: 'BROKER_NOT_AVAILABLE' });
    gate.resolve();
    await settle();
    expect(inFlight.value).toBe('finishing');
    expect(stopped.settled).toBe(true);
    expect(journal).toEqual([
      'a#1:preStart',
      'a#1:wait finishing begin',
      'a#1:wait finishing end',
      'a#1:postStop',
    ]);
    expect(lastEvent(system, 'message-dropped')).toMatchObject({
      path: '/broker/a',
      count: 1,
      reason: 'stopped',
    });
  });

  it('gives up on a hanging child after its stop timeout and goes on with the others', async () => {
    const sup = system.root.spawnSupervisor('sup');
    sup.spawn('first', { factory: testActor('first', journal) });
    const hung = sup.spawn('hung', { factory: testActor('hung', journal), stopTimeoutMs: 2000 });
    sup.spawn('last', { factory: testActor('last', journal) });
    await settle();
    const stuck = outcome(hung.ask({ type: 'wait', gate: new Promise<void>(() => {}), value: 'forever' }));
    await settle();
    journal.length = 0;
    const stopped = outcome(system.stop());
    await settle(1999);
    expect(journal).toEqual(['last#1:postStop']);
    expect(stopped.settled).toBe(false);
    await settle(1);
    expect(stopped.settled).toBe(true);
    // No postStop for the hung incarnation: it would race the message still running.
    expect(journal).toEqual(['last#1:postStop', 'first#1:postStop']);
    expect(stuck.error).toMatchObject({ code: 'REQUEST_TIMED_OUT' });
    expect(lastEvent(system, 'stopped', '/broker/sup/hung')).toMatchObject({
      timedOut: true,
      state: 'stopped',
    });
  });

  it('runs postStop of an incarnation given up on once its message settles, before the next starts', async () => {
    const a = system.root.spawn('a', { factory: testActor('a', journal), stopTimeoutMs: 1000 });
    await settle();
    const gate = deferred();
    const slow = outcome(a.ask({ type: 'wait', gate: gate.promise, value: 'slow' }));
    await settle();
    system.injectCrash('/broker/a', { mode: 'now' });
    const queued = outcome(a.ask({ type: 'get' })); // stashed for the next incarnation
    await settle(1000);
    expect(slow.error).toMatchObject({ code: 'REQUEST_TIMED_OUT' });
    // The abandoned message may still use the instance (its files): no hooks, no new incarnation.
    expect(journal).toEqual(['a#1:preStart', 'a#1:wait slow begin']);
    gate.resolve();
    await settle();
    expect(journal).toEqual([
      'a#1:preStart',
      'a#1:wait slow begin',
      'a#1:wait slow end',
      'a#1:postStop',
      'a#2:preStart',
    ]);
    expect(queued.value).toBe(0);
    // And on stop: postStop still runs once the abandoned message settles.
    const last = deferred();
    void a.ask({ type: 'wait', gate: last.promise, value: 'last' }).catch(() => undefined);
    await settle();
    const stopped = outcome(system.stop());
    await settle(1000);
    expect(stopped.settled).toBe(true);
    expect(journal.at(-1)).toBe('a#2:wait last begin');
    last.resolve();
    await settle();
    expect(journal.slice(-2)).toEqual(['a#2:wait last end', 'a#2:postStop']);
  });

  it('bounds a hanging postStop by the stop timeout too', async () => {
    system.root.spawn('a', {
      factory: testActor('a', journal, { postStopGate: () => new Promise<void>(() => {}) }),
      stopTimeoutMs: 500,
    });
    await settle();
    const stopped = outcome(system.stop());
    await settle(500);
    expect(stopped.settled).toBe(true);
    expect(lastEvent(system, 'stopped', '/broker/a')).toMatchObject({ timedOut: true });
  });

  it('refuses new children once stopped', async () => {
    await system.stop();
    expect(() => system.root.spawn('late', { factory: testActor('late', journal) })).toThrow(
      '/broker is stopped',
    );
  });
});
