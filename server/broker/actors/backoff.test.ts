import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActorSystem } from './actor-system';
import { backoffDelay, RestartBackoff, type BackoffOptions } from './backoff';
import { oneForOne } from './supervisor-strategy';
import { lastEvent, outcome, settle, testActor, testSystem } from './test-kit';

const options: BackoffOptions = { minBackoffMs: 100, maxBackoffMs: 5000, randomFactor: 0.2 };

describe('backoffDelay', () => {
  it('doubles from minBackoff and caps at maxBackoff', () => {
    const noJitter = { ...options, randomFactor: 0 };
    expect([0, 1, 2, 3, 4, 5, 6, 10, 2000].map((n) => backoffDelay(noJitter, n, 0.9))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000,
    ]);
  });

  it('adds jitter within [base, base * (1 + randomFactor)]', () => {
    for (const attempt of [0, 3, 8]) {
      const base = Math.min(5000, 100 * 2 ** attempt);
      expect(backoffDelay(options, attempt, 0)).toBe(base);
      expect(backoffDelay(options, attempt, 0.999999)).toBeLessThanOrEqual(Math.round(base * 1.2));
      expect(backoffDelay(options, attempt, 0.999999)).toBeGreaterThan(base);
      expect(backoffDelay(options, attempt, 0.5)).toBe(Math.round(base * 1.1));
    }
  });
});

describe('RestartBackoff', () => {
  it('grows with consecutive restarts and resets after a quiet period of running', () => {
    const backoff = new RestartBackoff(options, 10_000);
    const random = (): number => 0;
    expect(backoff.next(0, random)).toEqual({ attempt: 1, delayMs: 100 });
    backoff.onRunning(100);
    expect(backoff.next(200, random)).toEqual({ attempt: 2, delayMs: 200 });
    backoff.onRunning(400);
    expect(backoff.next(9_000, random)).toEqual({ attempt: 3, delayMs: 400 });
    backoff.onRunning(9_400);
    expect(backoff.next(19_400, random)).toEqual({ attempt: 1, delayMs: 100 }); // ran 10 s quietly
  });

  it('does not reset for a child that keeps failing before it runs (preStart failures)', () => {
    const backoff = new RestartBackoff(options, 1000);
    const random = (): number => 0;
    backoff.onRunning(0);
    expect(backoff.next(5_000, random).attempt).toBe(1);
    expect(backoff.next(50_000, random).attempt).toBe(2); // never ran in between
  });
});

describe('restart with backoff', () => {
  let system: ActorSystem;
  let journal: string[];

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    system = testSystem({ random: () => 0 });
    journal = [];
  });

  afterEach(async () => {
    const stopped = system.stop();
    await settle(60_000);
    await stopped;
    vi.useRealTimers();
  });

  it('waits out the backoff before the new incarnation, and shows it in the snapshot', async () => {
    const sup = system.root.spawnSupervisor('sup', {
      strategy: oneForOne({ backoff: { ...options, resetAfterMs: 30_000 } }),
    });
    const a = sup.spawn('a', { factory: testActor('a', journal) });
    await expect(a.ask({ type: 'fail', message: 'one' })).rejects.toThrow('one');
    await settle();
    expect(system.snapshot().children[0]?.children[0]).toMatchObject({
      state: 'restarting',
      backoffMs: 100,
      nextRestartAt: 1_000_100,
      restartAttempt: 1,
    });
    await settle(99);
    expect(journal).toEqual(['a#1:preStart', 'a#1:preRestart one', 'a#1:postStop']);
    await settle(1);
    expect(journal.at(-1)).toBe('a#2:preStart');

    // Consecutive failures: 200 ms, then 400 ms.
    await expect(a.ask({ type: 'fail', message: 'two' })).rejects.toThrow('two');
    expect(lastEvent(system, 'restarting')).toMatchObject({ attempt: 2, delayMs: 200 });
    await settle(200);
    await expect(a.ask({ type: 'fail', message: 'three' })).rejects.toThrow('three');
    expect(lastEvent(system, 'restarting')).toMatchObject({ attempt: 3, delayMs: 400 });
    await settle(400);
    expect(lastEvent(system, 'restarted')).toMatchObject({ path: '/broker/sup/a', attempt: 3 });

    // After 30 s of quiet running the next failure starts over at minBackoff.
    await settle(30_000);
    await expect(a.ask({ type: 'fail', message: 'later' })).rejects.toThrow('later');
    expect(lastEvent(system, 'restarting')).toMatchObject({ attempt: 1, delayMs: 100 });
  });

  it('a stop during the backoff cancels the pending restart and leaves no timer behind', async () => {
    const sup = system.root.spawnSupervisor('sup', { strategy: oneForOne({ backoff: options }) });
    const a = sup.spawn('a', { factory: testActor('a', journal) });
    await expect(a.ask({ type: 'fail', message: 'x' })).rejects.toThrow('x');
    const stashed = outcome(a.ask({ type: 'get' }));
    await settle(10);
    await system.stop();
    expect(vi.getTimerCount()).toBe(0);
    await settle(1000);
    expect(journal.filter((l) => l.endsWith('preStart'))).toEqual(['a#1:preStart']);
    expect(stashed.error).toMatchObject({ code: 'BROKER_NOT_AVAILABLE' });
  });
});
