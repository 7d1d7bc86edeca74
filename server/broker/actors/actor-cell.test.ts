import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrokerError, isBrokerError } from '../errors';
import type { ActorSystem } from './actor-system';
import type { Replies } from './message';
import { deferred, outcome, settle, testActor, testSystem, type TestMsg } from './test-kit';

let system: ActorSystem;
let journal: string[];

beforeEach(() => {
  vi.useFakeTimers();
  system = testSystem();
  journal = [];
});

afterEach(async () => {
  const stopped = system.stop();
  await settle(10_000);
  await stopped;
  vi.useRealTimers();
});

describe('tell and ask', () => {
  it('processes messages in send order, tells and asks interleaved', async () => {
    const ref = system.root.spawn('a', { factory: testActor('a', journal) });
    ref.tell({ type: 'echo', value: '1' });
    const two = ref.ask({ type: 'echo', value: '2' });
    ref.tell({ type: 'echo', value: '3' });
    const four = ref.ask({ type: 'echo', value: '4' });
    expect(await two).toBe('2');
    expect(await four).toBe('4');
    expect(journal.filter((l) => l.includes('echo'))).toEqual([
      'a#1:echo 1',
      'a#1:echo 2',
      'a#1:echo 3',
      'a#1:echo 4',
    ]);
  });

  it('queues messages sent before preStart finished and processes them after', async () => {
    const gate = deferred();
    const ref = system.root.spawn('a', {
      factory: testActor('a', journal, { preStartGate: () => gate.promise }),
    });
    const reply = outcome(ref.ask({ type: 'echo', value: 'early' }));
    await settle();
    expect(reply.settled).toBe(false);
    gate.resolve();
    await settle();
    expect(reply.value).toBe('early');
    expect(journal).toEqual(['a#1:preStart', 'a#1:echo early']);
  });

  it('awaits an async handler before starting the next message', async () => {
    const ref = system.root.spawn('a', { factory: testActor('a', journal) });
    const gate = deferred();
    const first = ref.ask({ type: 'wait', gate: gate.promise, value: 'x' });
    const second = outcome(ref.ask({ type: 'echo', value: 'y' }));
    await settle();
    expect(journal.slice(1)).toEqual(['a#1:wait x begin']);
    expect(second.settled).toBe(false);
    gate.resolve();
    expect(await first).toBe('x');
    await settle();
    expect(journal.slice(1)).toEqual(['a#1:wait x begin', 'a#1:wait x end', 'a#1:echo y']);
    expect(second.value).toBe('y');
  });

  it('keeps state between messages and resolves asks with typed replies', async () => {
    const ref = system.root.spawn('a', { factory: testActor('a', journal) });
    ref.tell({ type: 'inc' });
    ref.tell({ type: 'inc' });
    const count: number = await ref.ask({ type: 'get' });
    expect(count).toBe(2);
  });

  it('runs async replies through a partition-like protocol', async () => {
    type Append = { type: 'append'; records: string[] } & Replies<{ baseOffset: number }>;
    type Flush = { type: 'flush' };
    const log: string[] = [];
    const ref = system.root.spawn<Append | Flush>('p', {
      factory: () => ({
        receive: {
          append: async (msg) => {
            await Promise.resolve();
            const baseOffset = log.length;
            log.push(...msg.records);
            return { baseOffset };
          },
          flush: () => {},
        },
      }),
    });
    const results = await Promise.all([
      ref.ask({ type: 'append', records: ['a', 'b'] }),
      ref.ask({ type: 'append', records: ['c'] }),
      ref.ask({ type: 'flush' }),
    ]);
    expect(results).toEqual([{ baseOffset: 0 }, { baseOffset: 2 }, undefined]);
  });

  it('rejects an ask for a message type without a handler and keeps going', async () => {
    const ref = system.root.spawn('a', { factory: testActor('a', journal) });
    const bogus = { type: 'nope' } as unknown as TestMsg;
    await expect(ref.ask(bogus)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('bounded mailbox', () => {
  it('refuses a tell with OVERLOADED (retriable) when full, and an ask by rejecting', async () => {
    const ref = system.root.spawn('a', { factory: testActor('a', journal), mailboxCapacity: 2 });
    await settle();
    const gate = deferred();
    ref.tell({ type: 'wait', gate: gate.promise, value: 'busy' });
    await settle(); // now in flight, the mailbox is empty again
    ref.tell({ type: 'inc' });
    ref.tell({ type: 'inc' });
    let thrown: unknown;
    try {
      ref.tell({ type: 'inc' });
    } catch (error) {
      thrown = error;
    }
    expect(isBrokerError(thrown, 'OVERLOADED')).toBe(true);
    expect((thrown as BrokerError).retriable).toBe(true);
    expect((thrown as BrokerError).message).toContain('/broker/a');
    await expect(ref.ask({ type: 'get' })).rejects.toMatchObject({ code: 'OVERLOADED' });
    expect(system.snapshot().children[0]?.mailboxSize).toBe(2);
    gate.resolve();
    await settle();
    expect(await ref.ask({ type: 'get' })).toBe(2);
  });

  it('processes far more messages than its capacity when they arrive over time', async () => {
    const ref = system.root.spawn('a', { factory: testActor('a', journal), mailboxCapacity: 4 });
    for (let i = 0; i < 100; i++) {
      ref.tell({ type: 'inc' });
      await settle();
    }
    expect(await ref.ask({ type: 'get' })).toBe(100);
  });
});

describe('ask timeout', () => {
  it('rejects with REQUEST_TIMED_OUT after the timeout; the message is still processed later', async () => {
    const ref = system.root.spawn('a', { factory: testActor('a', journal) });
    const gate = deferred();
    ref.tell({ type: 'wait', gate: gate.promise, value: 'slow' });
    const reply = outcome(ref.ask({ type: 'inc' }, 1000));
    await settle(999);
    expect(reply.settled).toBe(false);
    await settle(1);
    expect(isBrokerError(reply.error, 'REQUEST_TIMED_OUT')).toBe(true);
    expect((reply.error as BrokerError).retriable).toBe(true);
    expect((reply.error as BrokerError).message).toBe("Request 'inc' to /broker/a timed out after 1000 ms");
    gate.resolve();
    await settle();
    expect(await ref.ask({ type: 'get' })).toBe(1);
  });

  it('clears the timer when the reply comes first', async () => {
    const ref = system.root.spawn('a', { factory: testActor('a', journal) });
    await settle();
    expect(await ref.ask({ type: 'echo', value: 'quick' }, 5000)).toBe('quick');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sets no timer for an ask without a timeout', async () => {
    const ref = system.root.spawn('a', { factory: testActor('a', journal) });
    await settle();
    const gate = deferred();
    const reply = ref.ask({ type: 'wait', gate: gate.promise, value: 'x' });
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    gate.resolve();
    await reply;
  });
});
