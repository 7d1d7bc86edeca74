import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActorSystem } from './actor-system';
import type { Replies } from './message';
import { oneForOne } from './supervisor-strategy';
import { deferred, lastEvent, outcome, settle, testActor, testSystem } from './test-kit';

let system: ActorSystem;
let journal: string[];

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000 });
  system = testSystem({ random: () => 0 });
  journal = [];
});

afterEach(async () => {
  const stopped = system.stop();
  await settle(60_000);
  await stopped;
  vi.useRealTimers();
});

describe('snapshot', () => {
  it('renders the tree with kinds, states, restart counts, last errors and queue sizes', async () => {
    const topics = system.root.spawnSupervisor('topics');
    const orders = topics.spawnSupervisor('orders', {
      strategy: oneForOne({ backoff: { minBackoffMs: 500, maxBackoffMs: 500, randomFactor: 0 } }),
    });
    const p0 = orders.spawn('0', { factory: testActor('p0', journal) });
    const p1 = orders.spawn('1', { factory: testActor('p1', journal) });
    await settle();
    const gate = deferred();
    p0.tell({ type: 'wait', gate: gate.promise, value: 'w' });
    p0.tell({ type: 'inc' });
    await expect(p1.ask({ type: 'fail', message: 'torn tail' })).rejects.toThrow('torn tail');
    await settle();
    expect(system.snapshot()).toMatchObject({
      path: '/broker',
      kind: 'supervisor',
      state: 'running',
      strategy: 'one-for-one',
      children: [
        {
          path: '/broker/topics',
          children: [
            {
              path: '/broker/topics/orders',
              kind: 'supervisor',
              children: [
                {
                  path: '/broker/topics/orders/0',
                  kind: 'actor',
                  state: 'running',
                  mailboxSize: 1,
                  processing: true,
                },
                {
                  path: '/broker/topics/orders/1',
                  kind: 'actor',
                  state: 'restarting',
                  restartCount: 1,
                  backoffMs: 500,
                  nextRestartAt: 1_500,
                  lastError: { message: 'torn tail', at: 1_000 },
                },
              ],
            },
          ],
        },
      ],
    });
    gate.resolve();
    await settle(500);
    expect(system.snapshot().children[0]?.children[0]?.children.map((c) => [c.state, c.mailboxSize])).toEqual(
      [
        ['running', 0],
        ['running', 0],
      ],
    );
  });
});

describe('fault injection', () => {
  it('crashes the next message of the actor at a path; its asker gets the injected error', async () => {
    const orders = system.root.spawnSupervisor('orders');
    const p = orders.spawn('2', { factory: testActor('p', journal) });
    p.tell({ type: 'inc' });
    await settle();
    system.injectCrash('/broker/orders/2', { error: 'injected disk panic' });
    await expect(p.ask({ type: 'echo', value: 'victim' })).rejects.toThrow('injected disk panic');
    expect(await p.ask({ type: 'get' })).toBe(0); // restarted by the default strategy
    expect(lastEvent(system, 'fault-injected')).toMatchObject({ path: '/broker/orders/2', fault: 'crash' });
    expect(lastEvent(system, 'failed')).toMatchObject({ error: 'injected disk panic', phase: 'message' });
  });

  it('crashes an actor now, as a failure reported to its supervisor', async () => {
    system.root.spawn('p', { factory: testActor('p', journal) });
    await settle();
    system.injectCrash('/broker/p', { mode: 'now' });
    await settle();
    expect(journal).toEqual([
      'p#1:preStart',
      'p#1:preRestart Injected crash (now) at /broker/p',
      'p#1:postStop',
      'p#2:preStart',
    ]);
    expect(lastEvent(system, 'failed')).toMatchObject({ phase: 'injected' });
  });

  it('announces an injected crash before the failure and restart it causes', async () => {
    system.root.spawn('p', { factory: testActor('p', journal) });
    await settle();
    const since = system.events.lastId;
    system.injectCrash('/broker/p', { mode: 'now' });
    await settle();
    const types = system.events.history(since).events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['fault-injected', 'failed']);
  });

  it('crashes a supervisor now: its parent restarts its whole subtree', async () => {
    const sup = system.root.spawnSupervisor('sup');
    const a = sup.spawn('a', { factory: testActor('a', journal) });
    await a.ask({ type: 'inc' });
    system.injectCrash('/broker/sup', { mode: 'now', error: new Error('boom') });
    expect(() => system.injectCrash('/broker/sup')).toThrow('processes no messages');
    await settle();
    expect(await a.ask({ type: 'get' })).toBe(0);
  });

  it('delays each message until cleared', async () => {
    const p = system.root.spawn('p', { factory: testActor('p', journal) });
    await settle();
    system.injectDelay('/broker/p', 300);
    const reply = outcome(p.ask({ type: 'echo', value: 'slow' }));
    await settle(299);
    expect(reply.settled).toBe(false);
    await settle(1);
    expect(reply.value).toBe('slow');
    system.clearFaults('/broker/p');
    const fast = outcome(p.ask({ type: 'echo', value: 'fast' }));
    await settle();
    expect(fast.value).toBe('fast');
  });

  it('names the path it cannot find', () => {
    expect(() => system.injectCrash('/broker/nope/1')).toThrow('No actor at /broker/nope/1');
    expect(system.has('/broker')).toBe(true);
    expect(system.has('/other')).toBe(false);
  });
});

describe('actor timers', () => {
  it('delivers periodic ticks to self and cancels them on restart', async () => {
    type Msg = { type: 'tick' } | ({ type: 'ticks' } & Replies<number>) | { type: 'boom' };
    let incarnation = 0;
    const worker = system.root.spawn<Msg>('retention', {
      factory: (ctx) => {
        const n = ++incarnation;
        let ticks = 0;
        return {
          preStart: () => {
            if (n === 1) ctx.timers.startTimerWithFixedDelay('tick', { type: 'tick' }, 1000);
          },
          receive: {
            tick: () => void ticks++,
            ticks: () => ticks,
            boom: () => {
              throw new Error('boom');
            },
          },
        };
      },
    });
    await settle(3000);
    expect(await worker.ask({ type: 'ticks' })).toBe(3);
    worker.tell({ type: 'boom' });
    await settle(5000);
    expect(await worker.ask({ type: 'ticks' })).toBe(0); // the new incarnation did not start the timer
    expect(vi.getTimerCount()).toBe(0);
  });
});
