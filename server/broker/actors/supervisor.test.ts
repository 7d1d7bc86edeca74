import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrokerError, isBrokerError } from '../errors';
import type { ActorSystem } from './actor-system';
import { always, byErrorCode, type Directive } from './directive';
import { oneForOne } from './supervisor-strategy';
import { eventsOf, lastEvent, outcome, settle, testActor, testSystem } from './test-kit';

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

function spawnUnder(directive: Directive) {
  const sup = system.root.spawnSupervisor('sup', { strategy: oneForOne({ decider: always(directive) }) });
  return { sup, ref: sup.spawn('a', { factory: testActor('a', journal) }) };
}

describe('directives', () => {
  it('resume keeps the state; the asker of the failing message gets the error', async () => {
    const { ref } = spawnUnder('resume');
    ref.tell({ type: 'inc' });
    await expect(ref.ask({ type: 'fail', message: 'boom' })).rejects.toThrow('boom');
    ref.tell({ type: 'inc' });
    expect(await ref.ask({ type: 'get' })).toBe(2);
    expect(journal).toEqual(['a#1:preStart']);
    expect(eventsOf(system, 'failed', 'resumed')).toEqual(['failed /broker/sup/a', 'resumed /broker/sup/a']);
  });

  it('resume also covers a rejected promise from an async handler', async () => {
    const { ref } = spawnUnder('resume');
    ref.tell({ type: 'inc' });
    await expect(ref.ask({ type: 'failAsync', message: 'async boom' })).rejects.toThrow('async boom');
    expect(await ref.ask({ type: 'get' })).toBe(1);
  });

  it('restart drops the failing message, gives its asker the error, and starts from fresh state', async () => {
    const { ref } = spawnUnder('restart');
    ref.tell({ type: 'inc' });
    const failing = outcome(ref.ask({ type: 'fail', message: 'boom' }));
    ref.tell({ type: 'inc' }); // queued behind the failing message: survives the restart
    expect(await ref.ask({ type: 'get' })).toBe(1);
    expect((failing.error as Error).message).toBe('boom');
    expect(journal).toEqual(['a#1:preStart', 'a#1:preRestart boom', 'a#1:postStop', 'a#2:preStart']);
    expect(lastEvent(system, 'message-dropped')).toMatchObject({
      path: '/broker/sup/a',
      messageType: 'fail',
      count: 1,
    });
    expect(lastEvent(system, 'restarting')).toMatchObject({ attempt: 1, delayMs: 0, cause: 'boom' });
    expect(system.snapshot().children[0]?.children[0]).toMatchObject({ state: 'running', restartCount: 1 });
  });

  it('treats a failing preStart like any other failure', async () => {
    let failures = 2;
    const sup = system.root.spawnSupervisor('sup');
    const ref = sup.spawn('a', {
      factory: testActor('a', journal, { preStartError: () => (failures-- > 0 ? 'cannot open' : undefined) }),
    });
    expect(await ref.ask({ type: 'echo', value: 'finally' })).toBe('finally');
    expect(journal).toEqual([
      'a#1:preStart',
      'a#1:preRestart cannot open',
      'a#1:postStop',
      'a#2:preStart',
      'a#2:preRestart cannot open',
      'a#2:postStop',
      'a#3:preStart',
      'a#3:echo finally',
    ]);
    expect(lastEvent(system, 'failed')).toMatchObject({ phase: 'preStart', error: 'cannot open' });
  });

  it('restarts instead of resuming an actor whose preStart failed (it has no state to resume)', async () => {
    let failures = 1;
    const sup = system.root.spawnSupervisor('sup', { strategy: oneForOne({ decider: always('resume') }) });
    const ref = sup.spawn('a', {
      factory: testActor('a', journal, { preStartError: () => (failures-- > 0 ? 'no files' : undefined) }),
    });
    expect(await ref.ask({ type: 'echo', value: 'up' })).toBe('up');
    expect(journal.filter((l) => l.endsWith('preStart'))).toEqual(['a#1:preStart', 'a#2:preStart']);
  });

  it('stop takes the child offline; later messages get its retriable unavailable error', async () => {
    const sup = system.root.spawnSupervisor('sup', { strategy: oneForOne({ decider: always('stop') }) });
    const ref = sup.spawn('a', {
      factory: testActor('a', journal),
      unavailableError: (info) =>
        new BrokerError('PARTITION_OFFLINE', `Partition a is ${info.state}: ${info.lastError?.message}`),
    });
    await expect(ref.ask({ type: 'fail', message: 'disk gone' })).rejects.toThrow('disk gone');
    await settle();
    const refused = outcome(ref.ask({ type: 'get' }));
    await settle();
    expect(isBrokerError(refused.error, 'PARTITION_OFFLINE')).toBe(true);
    expect((refused.error as BrokerError).retriable).toBe(true);
    expect((refused.error as Error).message).toBe('Partition a is offline: disk gone');
    expect(() => ref.tell({ type: 'inc' })).toThrow('Partition a is offline: disk gone');
    expect(journal).toEqual(['a#1:preStart', 'a#1:postStop']);
    expect(lastEvent(system, 'stopped', '/broker/sup/a')).toMatchObject({
      state: 'offline',
      reason: 'supervisor-stop',
    });
  });

  it('escalate hands the failure to the parent, whose decision applies to the whole supervisor', async () => {
    const seen: string[] = [];
    const top = system.root.spawnSupervisor('top', {
      strategy: oneForOne({
        decider: (error, child) => {
          seen.push(`${child.path}: ${error.message}`);
          return 'restart';
        },
      }),
    });
    const mid = top.spawnSupervisor('mid', { strategy: oneForOne({ decider: always('escalate') }) });
    const a = mid.spawn('a', { factory: testActor('a', journal) });
    const b = mid.spawn('b', { factory: testActor('b', journal) });
    expect(await b.ask({ type: 'inc' })).toBe(1);
    await expect(a.ask({ type: 'fail', message: 'bad' })).rejects.toThrow('bad');
    expect(await b.ask({ type: 'get' })).toBe(0); // restarted with its supervisor
    expect(await a.ask({ type: 'echo', value: 'ok' })).toBe('ok');
    expect(seen).toEqual(['/broker/top/mid: bad']);
    expect(lastEvent(system, 'escalated')).toMatchObject({
      path: '/broker/top/mid',
      childPath: '/broker/top/mid/a',
    });
    expect(journal.filter((l) => l.includes('postStop'))).toEqual(['b#1:postStop', 'a#1:postStop']);
  });

  it('an escalation resumed by the parent resumes the suspended child with its state', async () => {
    const top = system.root.spawnSupervisor('top', { strategy: oneForOne({ decider: always('resume') }) });
    const mid = top.spawnSupervisor('mid', { strategy: oneForOne({ decider: always('escalate') }) });
    const a = mid.spawn('a', { factory: testActor('a', journal) });
    a.tell({ type: 'inc' });
    await expect(a.ask({ type: 'fail', message: 'meh' })).rejects.toThrow('meh');
    expect(await a.ask({ type: 'get' })).toBe(1);
  });

  it('escalation past the root reaches onFatal', async () => {
    const fatal: string[] = [];
    await system.stop();
    system = testSystem({
      guardianStrategy: oneForOne({ decider: always('escalate') }),
      onFatal: (e) => fatal.push(e.message),
    });
    const a = system.root.spawn('a', { factory: testActor('a', journal) });
    await expect(a.ask({ type: 'fail', message: 'doom' })).rejects.toThrow('doom');
    await settle();
    expect(fatal).toEqual(['doom']);
    expect(system.snapshot().state).toBe('running');
  });

  it('byErrorCode picks the directive from the BrokerError code', () => {
    const decide = byErrorCode({ KAFKA_STORAGE_ERROR: 'restart', CORRUPT_MESSAGE: 'resume' }, 'escalate');
    const child = { path: '/x', name: 'x' };
    expect(decide(new BrokerError('KAFKA_STORAGE_ERROR', 'eio'), child)).toBe('restart');
    expect(decide(new BrokerError('CORRUPT_MESSAGE', 'crc'), child)).toBe('resume');
    expect(decide(new BrokerError('OVERLOADED', 'full'), child)).toBe('escalate');
    expect(decide(new Error('plain'), child)).toBe('escalate');
  });
});

describe('dynamic children', () => {
  it('adds and removes children at run time; a removed child refuses messages', async () => {
    const topic = system.root.spawnSupervisor('orders');
    const p0 = topic.spawn('0', { factory: testActor('p0', journal) });
    const p1 = topic.spawn('1', { factory: testActor('p1', journal) });
    expect(topic.childNames()).toEqual(['0', '1']);
    expect(await topic.removeChild('0')).toBe(true);
    expect(await topic.removeChild('0')).toBe(false);
    expect(topic.childNames()).toEqual(['1']);
    await expect(p0.ask({ type: 'get' })).rejects.toMatchObject({
      code: 'BROKER_NOT_AVAILABLE',
      retriable: true,
    });
    expect(await p1.ask({ type: 'echo', value: 'still here' })).toBe('still here');
    const again = topic.spawn('0', { factory: testActor('p0b', journal) });
    expect(await again.ask({ type: 'get' })).toBe(0);
    expect(topic.childNames()).toEqual(['1', '0']);
  });

  it('rejects duplicate and malformed names', () => {
    const topic = system.root.spawnSupervisor('orders');
    topic.spawn('0', { factory: testActor('p0', journal) });
    expect(() => topic.spawn('0', { factory: testActor('p0', journal) })).toThrow('already exists');
    expect(() => topic.spawn('a/b', { factory: testActor('x', journal) })).toThrow("contain no '/'");
    expect(() => topic.spawn('', { factory: testActor('x', journal) })).toThrow('non-empty');
  });

  it('restartChild revives an offline child with a fresh restart budget', async () => {
    const sup = system.root.spawnSupervisor('sup', { strategy: oneForOne({ decider: always('stop') }) });
    const ref = sup.spawn('a', { factory: testActor('a', journal) });
    await expect(ref.ask({ type: 'fail', message: 'x' })).rejects.toThrow('x');
    await settle();
    await expect(ref.ask({ type: 'get' })).rejects.toMatchObject({ code: 'BROKER_NOT_AVAILABLE' });
    await sup.restartChild('a');
    expect(await ref.ask({ type: 'echo', value: 'back' })).toBe('back');
    expect(journal.at(-2)).toBe('a#2:preStart');
  });
});
