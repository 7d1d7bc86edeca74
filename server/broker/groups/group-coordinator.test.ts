import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroupProtocol } from './group-api';
import {
  advanceWithHeartbeats,
  allPartitions,
  doublyAssigned,
  formGroup,
  INITIAL_DELAY,
  peek,
  rangeProtocol,
  REBALANCE_TIMEOUT,
  rebalance,
  SESSION_TIMEOUT,
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

describe('a group of three on a 6-partition topic', () => {
  it('forms one generation with one leader, and the range assignment gives each 2 partitions', async () => {
    const [a, b, c] = [consumer('a'), consumer('b'), consumer('c')];
    await formGroup(env.scheduler, [a, b, c]);

    expect(new Set([a, b, c].map((m) => m.generationId))).toEqual(new Set([1]));
    expect(new Set([a, b, c].map((m) => m.leader))).toEqual(new Set([a.memberId]));
    expect([a, b, c].filter((m) => m.joinMembers.length > 0)).toEqual([a]);
    expect(a.joinMembers.map((m) => m.memberId)).toEqual([a.memberId, b.memberId, c.memberId]);
    expect([a, b, c].map((m) => m.partitions)).toEqual([
      [{ topic: 't', partitions: [0, 1] }],
      [{ topic: 't', partitions: [2, 3] }],
      [{ topic: 't', partitions: [4, 5] }],
    ]);
    expect(env.coordinator.describe('g').state).toBe('Stable');

    expect(env.records).toHaveLength(1);
    const [record] = env.records;
    expect(record).toMatchObject({
      groupId: 'g',
      reason: 'initial',
      generationBefore: 0,
      generationAfter: 1,
    });
    expect(record?.membersBefore).toEqual([]);
    expect(record?.membersAfter.map((m) => m.clientId)).toEqual(['a', 'b', 'c']);
    expect(record?.assignmentsAfter.map((x) => x.format === 'consumer' && x.partitions)).toEqual([
      [{ topic: 't', partitions: [0, 1] }],
      [{ topic: 't', partitions: [2, 3] }],
      [{ topic: 't', partitions: [4, 5] }],
    ]);
    expect(record?.durationMs).toBe(2 * INITIAL_DELAY);
  });

  it('rebalances when one leaves: reason member-left, generation + 1, survivors share all partitions', async () => {
    const [a, b, c] = [consumer('a'), consumer('b'), consumer('c')];
    await formGroup(env.scheduler, [a, b, c]);

    expect(c.leave().members).toEqual([{ memberId: c.memberId, groupInstanceId: null }]);
    expect(a.heartbeat().error?.code).toBe('REBALANCE_IN_PROGRESS');
    await rebalance([a, b]);

    expect([a.generationId, b.generationId]).toEqual([2, 2]);
    expect([a.partitionCount(), b.partitionCount()]).toEqual([3, 3]);
    expect(allPartitions([a, b])).toEqual(['t-0', 't-1', 't-2', 't-3', 't-4', 't-5']);
    const record = env.records[1];
    expect(record).toMatchObject({ reason: 'member-left', generationBefore: 1, generationAfter: 2 });
    expect(record?.membersBefore.map((m) => m.clientId)).toEqual(['a', 'b', 'c']);
    expect(record?.membersAfter.map((m) => m.clientId)).toEqual(['a', 'b']);
    expect(record?.removedMembers).toMatchObject([{ memberId: c.memberId, cause: 'left' }]);
  });

  it('expires a member that stops heartbeating after its session timeout: reason session-expired', async () => {
    const [a, b, c] = [consumer('a'), consumer('b'), consumer('c')];
    await formGroup(env.scheduler, [a, b, c]);

    advanceWithHeartbeats(env.scheduler, SESSION_TIMEOUT - 50, [a, b]);
    expect(env.coordinator.describe('g').members).toHaveLength(3);
    advanceWithHeartbeats(env.scheduler, 50, [a, b]);
    expect(env.coordinator.describe('g')).toMatchObject({ state: 'PreparingRebalance' });
    expect(env.coordinator.describe('g').members.map((m) => m.clientId)).toEqual(['a', 'b']);
    expect(c.heartbeat().error?.code).toBe('UNKNOWN_MEMBER_ID');

    await rebalance([a, b]);
    expect(env.records[1]).toMatchObject({ reason: 'session-expired', generationAfter: 2 });
    expect(env.records[1]?.removedMembers).toMatchObject([
      { memberId: c.memberId, cause: 'session-expired' },
    ]);
    expect(allPartitions([a, b])).toHaveLength(6);
  });

  it('removes a member that does not rejoin within the rebalance timeout', async () => {
    const [a, b, c] = [consumer('a'), consumer('b'), consumer('c')];
    await formGroup(env.scheduler, [a, b, c]);

    const d = consumer('d');
    const dJoin = d.join();
    await settle();
    const rejoins = [a.join(), b.join()]; // c keeps heartbeating but never rejoins
    await settle();
    advanceWithHeartbeats(env.scheduler, REBALANCE_TIMEOUT - 50, [c]);
    expect(await peek(dJoin)).toBe('pending');
    advanceWithHeartbeats(env.scheduler, 50, []);
    for (const r of await Promise.all([dJoin, ...rejoins])) expect(r).toMatchObject({ generationId: 2 });
    expect(c.heartbeat().error?.code).toBe('UNKNOWN_MEMBER_ID');
    for (const s of await Promise.all([a, b, d].map((m) => m.sync()))) expect(s.error).toBeUndefined();

    expect(allPartitions([a, b, d])).toHaveLength(6);
    expect(env.records[1]).toMatchObject({
      reason: 'member-joined',
      generationBefore: 1,
      generationAfter: 2,
    });
    expect(env.records[1]?.removedMembers).toMatchObject([
      { memberId: c.memberId, cause: 'rebalance-timeout' },
    ]);
    expect(env.records[1]?.membersAfter.map((m) => m.clientId)).toEqual(['a', 'b', 'd']);
  });

  it('keeps the first reason when several events make one rebalance', async () => {
    const [a, b, c] = [consumer('a'), consumer('b'), consumer('c')];
    await formGroup(env.scheduler, [a, b, c]);
    c.leave();
    const d = consumer('d');
    const dJoin = d.join();
    await settle();
    await Promise.all([dJoin, rebalance([a, b])]);
    await d.sync();
    expect(env.records).toHaveLength(2);
    expect(env.records[1]).toMatchObject({ reason: 'member-left', generationAfter: 2 });
    expect(env.records[1]?.membersAfter.map((m) => m.clientId)).toEqual(['a', 'b', 'd']);
  });

  it('elects a new leader when the leader leaves', async () => {
    const [a, b, c] = [consumer('a'), consumer('b'), consumer('c')];
    await formGroup(env.scheduler, [a, b, c]);
    a.leave();
    await rebalance([b, c]);
    expect(b.leader).toBe(b.memberId);
    expect(env.records[1]).toMatchObject({ leaderBefore: a.memberId, leaderAfter: b.memberId });
  });

  it('becomes Empty, with a new generation, when the last member leaves', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    const result = env.coordinator.leave('g', [
      { memberId: a.memberId },
      { memberId: b.memberId },
      { memberId: 'ghost' },
    ]);
    expect(result.members.map((m) => m.error?.code)).toEqual([undefined, undefined, 'UNKNOWN_MEMBER_ID']);
    expect(env.coordinator.describe('g')).toMatchObject({ state: 'Empty', generationId: 2, members: [] });
    expect(env.records[1]).toMatchObject({ reason: 'member-left', generationAfter: 2, membersAfter: [] });
  });
});

describe('join phase', () => {
  it('waits the initial rebalance delay and extends it while new members arrive', async () => {
    const a = consumer('a');
    const aJoin = a.join();
    await settle();
    env.scheduler.advance(INITIAL_DELAY - 1);
    const b = consumer('b');
    const bJoin = b.join();
    await settle();
    env.scheduler.advance(1);
    expect(await peek(aJoin)).toBe('pending'); // b arrived during the delay: one more delay
    env.scheduler.advance(INITIAL_DELAY);
    expect((await aJoin).generationId).toBe(1);
    expect((await bJoin).generationId).toBe(1);
  });

  it('completes as soon as every known member has rejoined', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    a.protocols = [rangeProtocol(['t', 'u'])]; // a changes its subscription: a rebalance
    const aJoin = a.join();
    await settle();
    expect(await peek(aJoin)).toBe('pending');
    expect(b.heartbeat().error?.code).toBe('REBALANCE_IN_PROGRESS');
    const bJoin = b.join();
    expect((await aJoin).generationId).toBe(2);
    expect((await bJoin).generationId).toBe(2);
    await Promise.all([a.sync(), b.sync()]);
    expect(env.records[1]).toMatchObject({ reason: 'member-rejoined' });
  });

  it('gives a follower rejoining a Stable group with the same metadata its generation, without a rebalance', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    const result = await b.join();
    expect(result).toMatchObject({ generationId: 1, leader: a.memberId, members: [] });
    expect(env.coordinator.describe('g').state).toBe('Stable');
  });

  it('requires a member id first (JoinGroup v4+), then accepts the rejoin with it', async () => {
    const first = await env.coordinator.join('g', {
      memberId: '',
      clientId: 'x',
      clientHost: 'h',
      protocolType: 'consumer',
      protocols: [rangeProtocol(['t'])],
      sessionTimeoutMs: SESSION_TIMEOUT,
      rebalanceTimeoutMs: REBALANCE_TIMEOUT,
      requireKnownMemberId: true,
    });
    expect(first.error?.code).toBe('MEMBER_ID_REQUIRED');
    expect(first.memberId).toBe('x-m1');
    expect(env.coordinator.describe('g').members).toEqual([]);

    const x = consumer('x');
    x.memberId = first.memberId;
    const join = x.join();
    await settle();
    env.scheduler.advance(INITIAL_DELAY);
    expect(await join).toMatchObject({ memberId: 'x-m1', generationId: 1, leader: 'x-m1' });
  });

  it('forgets a pending member id that is not used within the session timeout', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    const late = await env.coordinator.join('g', {
      memberId: '',
      clientId: 'late',
      clientHost: 'h',
      protocolType: 'consumer',
      protocols: [rangeProtocol(['t'])],
      sessionTimeoutMs: SESSION_TIMEOUT,
      rebalanceTimeoutMs: REBALANCE_TIMEOUT,
      requireKnownMemberId: true,
    });
    expect(late.error?.code).toBe('MEMBER_ID_REQUIRED');
    advanceWithHeartbeats(env.scheduler, SESSION_TIMEOUT + 50, [a, b]);
    const rejoin = new TestConsumer(env.coordinator, 'g', 'late');
    rejoin.memberId = late.memberId;
    // Its id is gone: as an unknown member it must start over.
    const result = await env.coordinator.join('g', {
      memberId: late.memberId,
      clientId: 'late',
      clientHost: 'h',
      protocolType: 'consumer',
      protocols: [rangeProtocol(['t'])],
      sessionTimeoutMs: SESSION_TIMEOUT,
      rebalanceTimeoutMs: REBALANCE_TIMEOUT,
      requireKnownMemberId: true,
    });
    expect(result.error?.code).toBe('UNKNOWN_MEMBER_ID');
    expect(env.coordinator.describe('g').state).toBe('Stable');
  });

  it('rejects a session timeout outside the configured bounds', async () => {
    const result = await env.coordinator.join('g', {
      memberId: '',
      clientId: 'a',
      clientHost: 'h',
      protocolType: 'consumer',
      protocols: [rangeProtocol(['t'])],
      sessionTimeoutMs: 5,
      rebalanceTimeoutMs: REBALANCE_TIMEOUT,
      requireKnownMemberId: false,
    });
    expect(result.error?.code).toBe('INVALID_SESSION_TIMEOUT');
    expect(env.coordinator.list()).toEqual([]);
  });

  it('turns away members past the maximum group size', async () => {
    env = setup({ maxGroupSize: 2 });
    const [a, b, c] = [consumer('a'), consumer('b'), consumer('c')];
    await formGroup(env.scheduler, [a, b]);
    expect((await c.join()).error?.code).toBe('GROUP_MAX_SIZE_REACHED');
    expect(env.coordinator.describe('g').members).toHaveLength(2);
  });
});

describe('sync phase', () => {
  it('answers REBALANCE_IN_PROGRESS to a sync during PreparingRebalance', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    await formGroup(env.scheduler, [a, b]);
    b.leave();
    expect((await a.sync()).error?.code).toBe('REBALANCE_IN_PROGRESS');
  });

  it('makes followers wait for the leader, and removes a leader that never syncs', async () => {
    const [a, b, c] = [consumer('a'), consumer('b'), consumer('c')];
    const joins = [a, b, c].map((m) => m.join());
    await settle();
    env.scheduler.advance(2 * INITIAL_DELAY);
    await Promise.all(joins);
    const bSync = b.sync();
    const cSync = c.sync();
    expect(await peek(bSync)).toBe('pending');
    advanceWithHeartbeats(env.scheduler, REBALANCE_TIMEOUT, [a, b, c]); // a is alive, but never syncs
    expect((await bSync).error?.code).toBe('REBALANCE_IN_PROGRESS');
    expect((await cSync).error?.code).toBe('REBALANCE_IN_PROGRESS');
    expect(a.heartbeat().error?.code).toBe('UNKNOWN_MEMBER_ID');
    await rebalance([b, c]);
    expect(b.leader).toBe(b.memberId);
    expect(env.records).toHaveLength(1);
    expect(env.records[0]).toMatchObject({ reason: 'initial', generationBefore: 0, generationAfter: 2 });
    expect(env.records[0]?.removedMembers).toMatchObject([{ memberId: a.memberId, cause: 'sync-timeout' }]);
  });

  it('gives members the leader left out an empty assignment', async () => {
    const [a, b] = [consumer('a'), consumer('b')];
    const joins = [a, b].map((m) => m.join());
    await settle();
    env.scheduler.advance(2 * INITIAL_DELAY);
    await Promise.all(joins);
    const bSync = b.sync();
    const aSync = await env.coordinator.sync('g', {
      generationId: 1,
      memberId: a.memberId,
      assignments: [{ memberId: a.memberId, assignment: Buffer.from([1, 2]) }],
    });
    expect(aSync.assignment).toEqual(Buffer.from([1, 2]));
    expect((await bSync).assignment).toEqual(Buffer.alloc(0));
  });
});
