import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActorRef } from './actor-ref';
import type { ActorSystem } from './actor-system';
import { allForOne, oneForOne, restForOne, type SupervisorStrategy } from './supervisor-strategy';
import { settle, testActor, testSystem, type TestMsg } from './test-kit';

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

/** Three children a, b, c each with count 1, then b fails; returns the counts afterwards. */
async function failMiddleChild(strategy: SupervisorStrategy): Promise<number[]> {
  const sup = system.root.spawnSupervisor('sup', { strategy });
  const refs: ActorRef<TestMsg>[] = ['a', 'b', 'c'].map((name) =>
    sup.spawn(name, { factory: testActor(name, journal) }),
  );
  for (const ref of refs) await ref.ask({ type: 'inc' });
  journal.length = 0;
  await expect(refs[1]?.ask({ type: 'fail', message: 'b broke' })).rejects.toThrow('b broke');
  await settle();
  return Promise.all(refs.map((ref) => ref.ask({ type: 'get' })));
}

describe('strategies', () => {
  it('one-for-one restarts only the failed child', async () => {
    expect(await failMiddleChild(oneForOne())).toEqual([1, 0, 1]);
    expect(journal).toEqual(['b#1:preRestart b broke', 'b#1:postStop', 'b#2:preStart']);
  });

  it('all-for-one restarts every child: torn down in reverse start order, started in start order', async () => {
    expect(await failMiddleChild(allForOne())).toEqual([0, 0, 0]);
    expect(journal).toEqual([
      'c#1:preRestart b broke',
      'c#1:postStop',
      'b#1:preRestart b broke',
      'b#1:postStop',
      'a#1:preRestart b broke',
      'a#1:postStop',
      'a#2:preStart',
      'b#2:preStart',
      'c#2:preStart',
    ]);
  });

  it('rest-for-one restarts the failed child and those started after it', async () => {
    expect(await failMiddleChild(restForOne())).toEqual([1, 0, 0]);
    expect(journal).toEqual([
      'c#1:preRestart b broke',
      'c#1:postStop',
      'b#1:preRestart b broke',
      'b#1:postStop',
      'b#2:preStart',
      'c#2:preStart',
    ]);
  });

  it('all-for-one waits for a sibling’s in-flight message before tearing it down', async () => {
    const sup = system.root.spawnSupervisor('sup', { strategy: allForOne() });
    const a = sup.spawn('a', { factory: testActor('a', journal) });
    const b = sup.spawn('b', { factory: testActor('b', journal) });
    await settle();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = a.ask({ type: 'wait', gate, value: 'slow' });
    await settle();
    await expect(b.ask({ type: 'fail', message: 'b broke' })).rejects.toThrow('b broke');
    await settle();
    expect(journal).not.toContain('a#1:postStop');
    release();
    expect(await slow).toBe('slow');
    await settle();
    expect(journal.indexOf('a#1:wait slow end')).toBeLessThan(journal.indexOf('a#1:postStop'));
    expect(await a.ask({ type: 'get' })).toBe(0);
  });

  it('all-for-one stop stops every child; only the failed one is offline', async () => {
    const sup = system.root.spawnSupervisor('sup', { strategy: allForOne({ decider: () => 'stop' }) });
    const a = sup.spawn('a', { factory: testActor('a', journal) });
    const b = sup.spawn('b', { factory: testActor('b', journal) });
    await expect(b.ask({ type: 'fail', message: 'b broke' })).rejects.toThrow('b broke');
    await settle();
    expect(system.snapshot().children[0]?.children.map((c) => c.state)).toEqual(['stopped', 'offline']);
    await expect(a.ask({ type: 'get' })).rejects.toMatchObject({ message: '/broker/sup/a is stopped' });
    await expect(b.ask({ type: 'get' })).rejects.toMatchObject({
      message: '/broker/sup/b is offline: b broke',
    });
  });
});
