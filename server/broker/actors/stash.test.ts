import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isBrokerError } from '../errors';
import type { ActorSystem } from './actor-system';
import { oneForOne } from './supervisor-strategy';
import { deferred, eventsOf, lastEvent, outcome, settle, testActor, testSystem } from './test-kit';

let system: ActorSystem;
let journal: string[];

beforeEach(() => {
  vi.useFakeTimers();
  system = testSystem({ random: () => 0 });
  journal = [];
});

afterEach(async () => {
  const stopped = system.stop();
  await settle(60_000);
  await stopped;
  vi.useRealTimers();
});

const backoff = { minBackoffMs: 1000, maxBackoffMs: 1000, randomFactor: 0 };

describe('stash during restart', () => {
  it('holds messages sent while restarting and replays them in order after the queued ones', async () => {
    const sup = system.root.spawnSupervisor('sup', { strategy: oneForOne({ backoff }) });
    const a = sup.spawn('a', { factory: testActor('a', journal) });
    await settle();
    const gate = deferred();
    a.tell({ type: 'wait', gate: gate.promise, value: 'w' });
    a.tell({ type: 'failAsync', message: 'crash' });
    a.tell({ type: 'echo', value: 'queued-1' }); // in the mailbox before the failure
    await settle();
    gate.resolve();
    await settle(); // failed, now restarting with a 1 s backoff
    expect(system.snapshot().children[0]?.children[0]?.state).toBe('restarting');
    const replies = ['s1', 's2', 's3'].map((value) => outcome(a.ask({ type: 'echo', value })));
    expect(system.snapshot().children[0]?.children[0]).toMatchObject({ stashSize: 3, mailboxSize: 1 });
    await settle(999);
    expect(replies.every((r) => !r.settled)).toBe(true);
    await settle(1);
    expect(replies.map((r) => r.value)).toEqual(['s1', 's2', 's3']);
    expect(journal.filter((l) => l.startsWith('a#2'))).toEqual([
      'a#2:preStart',
      'a#2:echo queued-1',
      'a#2:echo s1',
      'a#2:echo s2',
      'a#2:echo s3',
    ]);
  });

  it('stashes across failed restart attempts (preStart failing) and still keeps the order', async () => {
    let preStartFailures = 0;
    const sup = system.root.spawnSupervisor('sup', { strategy: oneForOne({ backoff }) });
    const a = sup.spawn('a', {
      factory: testActor('a', journal, {
        preStartError: () => (preStartFailures-- > 0 ? 'still broken' : undefined),
      }),
    });
    await settle();
    preStartFailures = 1;
    await expect(a.ask({ type: 'fail', message: 'crash' })).rejects.toThrow('crash');
    const first = outcome(a.ask({ type: 'echo', value: '1' }));
    await settle(1000); // the second incarnation's preStart fails: another 1 s backoff
    const second = outcome(a.ask({ type: 'echo', value: '2' }));
    await settle(2000);
    expect([first.value, second.value]).toEqual(['1', '2']);
  });

  it('rejects overflow with OVERLOADED (retriable) and reports it once per restart', async () => {
    const sup = system.root.spawnSupervisor('sup', { strategy: oneForOne({ backoff }) });
    const a = sup.spawn('a', { factory: testActor('a', journal), stashCapacity: 2 });
    await expect(a.ask({ type: 'fail', message: 'crash' })).rejects.toThrow('crash');
    a.tell({ type: 'inc' });
    a.tell({ type: 'inc' });
    const overflow = outcome(a.ask({ type: 'inc' }));
    expect(() => a.tell({ type: 'inc' })).toThrow('restart stash is full (2 messages)');
    await settle();
    expect(isBrokerError(overflow.error, 'OVERLOADED')).toBe(true);
    expect((overflow.error as { retriable: boolean }).retriable).toBe(true);
    expect(eventsOf(system, 'stash-overflow')).toEqual(['stash-overflow /broker/sup/a']);
    expect(lastEvent(system, 'stash-overflow')).toMatchObject({ capacity: 2 });
    await settle(1000);
    expect(await a.ask({ type: 'get' })).toBe(2);
  });
});
