import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActorSystem } from './actor-system';
import { allForOne } from './supervisor-strategy';
import { lastEvent, settle, testActor, testSystem } from './test-kit';

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

describe('child restart types', () => {
  it('permanent: restarted after a failure and after a normal exit', async () => {
    const a = system.root.spawn('a', { factory: testActor('a', journal), restart: 'permanent' });
    await expect(a.ask({ type: 'fail', message: 'x' })).rejects.toThrow('x');
    a.tell({ type: 'exit' });
    await settle();
    expect(await a.ask({ type: 'echo', value: 'alive' })).toBe('alive');
    expect(journal.filter((l) => l.endsWith('preStart'))).toEqual([
      'a#1:preStart',
      'a#2:preStart',
      'a#3:preStart',
    ]);
    // A normal exit restarts without preRestart (there is no error).
    expect(journal).toContain('a#2:postStop');
    expect(journal).not.toContain('a#2:preRestart');
  });

  it('transient: restarted after a failure, stays stopped after a normal exit', async () => {
    const a = system.root.spawn('a', { factory: testActor('a', journal), restart: 'transient' });
    await expect(a.ask({ type: 'fail', message: 'x' })).rejects.toThrow('x');
    expect(await a.ask({ type: 'echo', value: 'restarted' })).toBe('restarted');
    a.tell({ type: 'exit' });
    await settle();
    await expect(a.ask({ type: 'get' })).rejects.toMatchObject({ code: 'BROKER_NOT_AVAILABLE' });
    expect(lastEvent(system, 'stopped', '/broker/a')).toMatchObject({
      state: 'stopped',
      reason: 'normal-exit',
    });
    expect(system.root.hasChild('a')).toBe(true);
  });

  it('temporary: never restarted; removed from its supervisor once it terminates', async () => {
    const a = system.root.spawn('a', { factory: testActor('a', journal), restart: 'temporary' });
    await expect(a.ask({ type: 'fail', message: 'x' })).rejects.toThrow('x');
    await settle();
    expect(system.root.hasChild('a')).toBe(false);
    await expect(a.ask({ type: 'get' })).rejects.toMatchObject({ code: 'BROKER_NOT_AVAILABLE' });
    expect(journal).toEqual(['a#1:preStart', 'a#1:postStop']);

    const b = system.root.spawn('b', { factory: testActor('b', journal), restart: 'temporary' });
    b.tell({ type: 'exit' });
    await settle();
    expect(system.root.hasChild('b')).toBe(false);
  });

  it('temporary siblings are terminated, not restarted, by an all-for-one restart', async () => {
    const sup = system.root.spawnSupervisor('sup', { strategy: allForOne() });
    const worker = sup.spawn('worker', { factory: testActor('w', journal), restart: 'temporary' });
    const a = sup.spawn('a', { factory: testActor('a', journal) });
    await settle();
    await expect(a.ask({ type: 'fail', message: 'x' })).rejects.toThrow('x');
    await settle();
    expect(sup.childNames()).toEqual(['a']);
    await expect(worker.ask({ type: 'get' })).rejects.toMatchObject({ code: 'BROKER_NOT_AVAILABLE' });
    expect(await a.ask({ type: 'get' })).toBe(0);
  });
});
