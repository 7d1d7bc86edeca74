import { describe, expect, it } from 'vitest';
import { cancellationSafe, ManualScheduler, type Scheduler } from './scheduler';

describe('schedulers', () => {
  it('ManualScheduler runs due timers in time order, then scheduling order', () => {
    const s = new ManualScheduler(0);
    const ran: string[] = [];
    s.schedule(20, () => ran.push('b'));
    s.schedule(10, () => {
      ran.push('a');
      s.schedule(5, () => ran.push('a+5'));
    });
    s.schedule(20, () => ran.push('c'));
    const cancel = s.schedule(15, () => ran.push('cancelled'));
    cancel();
    s.advance(19);
    expect(ran).toEqual(['a', 'a+5']);
    expect(s.now()).toBe(19);
    s.advance(1);
    expect(ran).toEqual(['a', 'a+5', 'b', 'c']);
    expect(s.pendingTimers).toBe(0);
  });

  it('cancellationSafe drops a callback the host had already queued when it was cancelled', () => {
    const queued: Array<() => void> = [];
    const host: Scheduler = {
      now: () => 0,
      schedule: (_delay, fn) => {
        queued.push(fn); // fires at once into a "mailbox" it cannot take back
        return () => {};
      },
    };
    const safe = cancellationSafe(host);
    let ran = 0;
    safe.schedule(10, () => ran++)();
    safe.schedule(10, () => ran++);
    for (const fn of queued) fn();
    expect(ran).toBe(1);
  });
});
