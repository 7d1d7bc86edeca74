import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroupProtocol } from './group-api';
import {
  allPartitions,
  doublyAssigned,
  formGroup,
  INITIAL_DELAY,
  rangeProtocol,
  rebalance,
  settle,
  setup,
  TestConsumer,
} from './group-test-harness';

let env: ReturnType<typeof setup>;
const consumer = (clientId: string, protocols?: GroupProtocol[]) =>
  new TestConsumer(env.coordinator, 'g', clientId, protocols);

beforeEach(() => {
  env = setup();
});

afterEach(() => {
  // Never a partition owned by two members of one generation, on any rebalance of any test.
  for (const record of env.records) expect(doublyAssigned(record)).toEqual([]);
});

describe('errors', () => {
  it('answers ILLEGAL_GENERATION to a stale generation', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    const stale = { memberId: a.memberId, generationId: 0 };
    expect(env.coordinator.heartbeat('g', stale).error?.code).toBe('ILLEGAL_GENERATION');
    expect((await env.coordinator.sync('g', { ...stale, assignments: [] })).error?.code).toBe(
      'ILLEGAL_GENERATION',
    );
    expect(env.coordinator.validateOffsetCommit('g', stale).error?.code).toBe('ILLEGAL_GENERATION');
    expect(env.coordinator.validateOffsetCommit('g', { memberId: a.memberId, generationId: 1 })).toEqual({});
  });

  it('answers UNKNOWN_MEMBER_ID to unknown members and groups', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    const ghost = { memberId: 'ghost', generationId: 1 };
    expect(env.coordinator.heartbeat('g', ghost).error?.code).toBe('UNKNOWN_MEMBER_ID');
    expect(env.coordinator.heartbeat('nope', ghost).error?.code).toBe('UNKNOWN_MEMBER_ID');
    expect((await env.coordinator.sync('g', { ...ghost, assignments: [] })).error?.code).toBe(
      'UNKNOWN_MEMBER_ID',
    );
    expect(env.coordinator.leave('g', [{ memberId: 'ghost' }]).members[0]?.error?.code).toBe(
      'UNKNOWN_MEMBER_ID',
    );
    const ghostJoin = new TestConsumer(env.coordinator, 'g', 'ghost');
    ghostJoin.memberId = 'ghost';
    expect((await ghostJoin.join()).error?.code).toBe('UNKNOWN_MEMBER_ID');
    const elsewhere = new TestConsumer(env.coordinator, 'other', 'ghost');
    elsewhere.memberId = 'ghost';
    expect((await elsewhere.join()).error?.code).toBe('UNKNOWN_MEMBER_ID');
    expect(env.coordinator.heartbeat('', ghost).error?.code).toBe('INVALID_GROUP_ID');
  });

  it('answers INCONSISTENT_GROUP_PROTOCOL to a different protocol type or no common protocol', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    expect((await consumer('connect').join('connect')).error?.code).toBe('INCONSISTENT_GROUP_PROTOCOL');
    const other = consumer('rr', [{ name: 'roundrobin', metadata: Buffer.alloc(0) }]);
    expect((await other.join()).error?.code).toBe('INCONSISTENT_GROUP_PROTOCOL');
    expect(
      (
        await env.coordinator.sync('g', {
          memberId: a.memberId,
          generationId: 1,
          protocolName: 'sticky',
          assignments: [],
        })
      ).error?.code,
    ).toBe('INCONSISTENT_GROUP_PROTOCOL');
    expect(env.coordinator.describe('g').members).toHaveLength(2);
  });

  it('does not keep a group created by a rejected first join', async () => {
    const result = await consumer('x', []).join();
    expect(result.error?.code).toBe('INCONSISTENT_GROUP_PROTOCOL');
    expect(env.coordinator.list()).toEqual([]);
  });
});

describe('protocol selection', () => {
  const rr = (topics: string[]) => ({ ...rangeProtocol(topics), name: 'roundrobin' });

  it('picks the protocol every member supports that most members prefer', async () => {
    const a = consumer('a', [rangeProtocol(['t']), rr(['t'])]);
    const b = consumer('b', [rr(['t']), rangeProtocol(['t'])]);
    const c = consumer('c', [rr(['t']), rangeProtocol(['t'])]);
    const joins = [a, b, c].map((m) => m.join());
    await settle();
    env.scheduler.advance(2 * INITIAL_DELAY);
    for (const j of await Promise.all(joins)) expect(j.protocolName).toBe('roundrobin');
  });

  it('only considers protocols all members support', async () => {
    const a = consumer('a', [rangeProtocol(['t']), rr(['t'])]);
    const b = consumer('b', [rangeProtocol(['t']), rr(['t'])]);
    const c = consumer('c', [rr(['t'])]);
    const joins = [a, b, c].map((m) => m.join());
    await settle();
    env.scheduler.advance(2 * INITIAL_DELAY);
    for (const j of await Promise.all(joins)) expect(j.protocolName).toBe('roundrobin');
  });
});

describe('administration', () => {
  it('lists and describes groups', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    expect(env.coordinator.list()).toEqual([{ groupId: 'g', protocolType: 'consumer', state: 'Stable' }]);
    const description = env.coordinator.describe('g');
    expect(description).toMatchObject({
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'range',
      leader: a.memberId,
    });
    expect(description.members.map((m) => [m.memberId, m.clientId, m.clientHost])).toEqual([
      [a.memberId, 'a', '/10.0.0.1'],
      [b.memberId, 'b', '/10.0.0.1'],
    ]);
    expect(description.members[0]?.metadata).toEqual(rangeProtocol(['t']).metadata);
    expect(description.members[0]?.assignment.length).toBeGreaterThan(0);
    b.leave();
    expect(env.coordinator.describe('g')).toMatchObject({ state: 'PreparingRebalance', protocol: '' });
    expect(env.coordinator.describe('unknown')).toMatchObject({ state: 'Dead', members: [] });
  });

  it('deletes only empty groups', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    expect(env.coordinator.delete('g').error?.code).toBe('NON_EMPTY_GROUP');
    expect(env.coordinator.delete('nope').error?.code).toBe('GROUP_ID_NOT_FOUND');
    a.leave();
    b.leave();
    expect(env.coordinator.delete('g')).toEqual({});
    expect(env.coordinator.list()).toEqual([]);
    expect(env.coordinator.describe('g').state).toBe('Dead');
    expect(env.coordinator.delete('g').error?.code).toBe('GROUP_ID_NOT_FOUND');
  });

  it('rebalances Stable groups subscribed to a changed topic', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    const other = new TestConsumer(env.coordinator, 'h', 'o', [rangeProtocol(['u'])]);
    await formGroup(env.scheduler, [other]);
    expect(env.coordinator.onTopicMetadataChange(['t'])).toEqual(['g']);
    expect(a.heartbeat().error?.code).toBe('REBALANCE_IN_PROGRESS');
    expect(other.heartbeat().error).toBeUndefined();
    a.partitionsPerTopic.set('t', 8);
    await rebalance([a, b]);
    expect(allPartitions([a, b])).toHaveLength(8);
    expect(env.records.at(-1)).toMatchObject({
      groupId: 'g',
      reason: 'topic-metadata-change',
      generationAfter: 2,
    });
  });

  it('cancels its timers and answers parked requests on shutdown', async () => {
    const a = consumer('a');
    const join = a.join();
    await settle();
    env.coordinator.shutdown();
    expect((await join).error?.code).toBe('NOT_COORDINATOR');
    expect(env.scheduler.pendingTimers).toBe(0);
  });
});
