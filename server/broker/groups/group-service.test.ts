import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../broker';
import { RangeAssignor } from '../client/assignors/range-assignor';
import { performAssignment, subscriptionMetadata } from '../client/assignors/leader-assignment';
import { GROUP_TEST_OPTIONS, startGroupBroker } from '../client/test-support/group-fixtures';
import { eventually, expectBrokerError, tempDataDir } from '../test-support/broker-fixtures';
import type { JoinGroupRequest } from './group-api';

/**
 * The broker's group API driven request by request, as a Kafka client's requests reach it: the
 * errors Kafka gives for bad input, and nothing crashing or left behind.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(options: Parameters<typeof startGroupBroker>[1] = {}): Promise<Broker> {
  const temp = tempDataDir();
  cleanups.push(temp.cleanup);
  const b = await startGroupBroker(temp.dir, options);
  cleanups.push(() => b.stop());
  await b.createTopic('t', { partitions: 2 });
  return b;
}

function joinRequest(memberId: string, topics = ['t']): JoinGroupRequest {
  return {
    memberId,
    clientId: 'raw',
    clientHost: '/127.0.0.1',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscriptionMetadata(new RangeAssignor(), topics) }],
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    requireKnownMemberId: true,
  };
}

/** One member joined and synced (the group is Stable, generation 1), as a raw client does it. */
async function stableMember(b: Broker, groupId: string) {
  const first = await b.joinGroup(groupId, joinRequest(''));
  expect(first.error?.code).toBe('MEMBER_ID_REQUIRED');
  const joined = await b.joinGroup(groupId, joinRequest(first.memberId));
  expect(joined.error).toBeUndefined();
  const assignments = performAssignment(new RangeAssignor(), joined.members, new Map([['t', 2]]));
  const synced = await b.syncGroup(groupId, {
    generationId: joined.generationId,
    memberId: joined.memberId,
    assignments,
  });
  expect(synced.error).toBeUndefined();
  return { memberId: joined.memberId, generationId: joined.generationId };
}

describe('group API errors', () => {
  it('answers unknown groups, unknown members and stale generations with Kafka errors', async () => {
    const b = await broker();
    expect((await b.heartbeat('nope', { memberId: 'm', generationId: 1 })).error?.code).toBe(
      'UNKNOWN_MEMBER_ID',
    );
    expect((await b.syncGroup('nope', { memberId: 'm', generationId: 1, assignments: [] })).error?.code).toBe(
      'UNKNOWN_MEMBER_ID',
    );
    expect((await b.joinGroup('nope', joinRequest('ghost'))).error?.code).toBe('UNKNOWN_MEMBER_ID');
    expect((await b.leaveGroup('nope', [{ memberId: 'm' }])).members[0]?.error?.code).toBe(
      'UNKNOWN_MEMBER_ID',
    );
    expect((await b.describeGroups(['nope']))[0]).toMatchObject({ state: 'Dead', members: [] });
    expect((await b.deleteGroups(['nope']))[0]?.error?.code).toBe('GROUP_ID_NOT_FOUND');
    expect((await b.joinGroup('', joinRequest(''))).error?.code).toBe('INVALID_GROUP_ID');
    const badTimeout = await b.joinGroup('g2', { ...joinRequest(''), sessionTimeoutMs: 1 });
    expect(badTimeout.error?.code).toBe('INVALID_SESSION_TIMEOUT');
    // None of these created a group.
    expect(b.listGroups()).toEqual([]);

    const { memberId, generationId } = await stableMember(b, 'g');
    expect((await b.heartbeat('g', { memberId, generationId })).error).toBeUndefined();
    expect((await b.heartbeat('g', { memberId: 'stranger', generationId })).error?.code).toBe(
      'UNKNOWN_MEMBER_ID',
    );
    expect((await b.heartbeat('g', { memberId, generationId: generationId - 1 })).error?.code).toBe(
      'ILLEGAL_GENERATION',
    );
    const commit = (member: string, generation: number, partition = 0) =>
      b.commitOffsets('g', member, generation, null, [{ topic: 't', partition, offset: 1 }]);
    expect((await commit(memberId, generationId - 1))[0]?.error?.code).toBe('ILLEGAL_GENERATION');
    expect((await commit('stranger', generationId))[0]?.error?.code).toBe('UNKNOWN_MEMBER_ID');
    expect((await commit(memberId, generationId))[0]?.error).toBeUndefined();
    expect(
      await b.commitOffsets('nope', 'm', 3, null, [{ topic: 't', partition: 0, offset: 1 }]),
    ).toMatchObject([{ error: { code: 'ILLEGAL_GENERATION' } }]);
    expect(b.listGroups().map((g) => g.groupId)).toEqual(['g']);
  });

  it('fails only the unknown partitions of a commit, and bad offsets and metadata alone', async () => {
    const b = await broker();
    const { memberId, generationId } = await stableMember(b, 'g');
    const results = await b.commitOffsets('g', memberId, generationId, null, [
      { topic: 't', partition: 0, offset: 5 },
      { topic: 't', partition: 9, offset: 5 },
      { topic: 'missing', partition: 0, offset: 5 },
      { topic: 't', partition: 1, offset: 1.5 },
      { topic: 't', partition: 1, offset: 2, metadata: 'x'.repeat(5000) },
    ]);
    expect(results.map((r) => r.error?.code ?? 'ok')).toEqual([
      'ok',
      'UNKNOWN_TOPIC_OR_PARTITION',
      'UNKNOWN_TOPIC_OR_PARTITION',
      'INVALID_REQUEST',
      'INVALID_REQUEST',
    ]);
    const fetched = await b.fetchOffsets('g', [{ topic: 't', partitions: [0, 1] }]);
    expect(fetched.topics[0]?.partitions.map((p) => p.offset)).toEqual([5, -1]);
  });

  it('answers REBALANCE_IN_PROGRESS to a commit while the group completes a rebalance', async () => {
    const b = await broker();
    const first = await b.joinGroup('g', joinRequest(''));
    const joined = await b.joinGroup('g', joinRequest(first.memberId));
    // Joined, not yet synced: CompletingRebalance.
    expect((await b.describeGroups(['g']))[0]?.state).toBe('CompletingRebalance');
    const results = await b.commitOffsets('g', joined.memberId, joined.generationId, null, [
      { topic: 't', partition: 0, offset: 1 },
    ]);
    expect(results[0]?.error?.code).toBe('REBALANCE_IN_PROGRESS');
  });

  it('refuses to reset or delete a group with members (NON_EMPTY_GROUP) and to delete offsets it subscribes to', async () => {
    const b = await broker();
    await b.createTopic('other', { partitions: 1 });
    const { memberId, generationId } = await stableMember(b, 'g');
    await b.commitOffsets('g', memberId, generationId, null, [{ topic: 't', partition: 0, offset: 1 }]);
    await expectBrokerError(
      b.resetOffsets('g', { topic: 't', to: 'earliest' }),
      'NON_EMPTY_GROUP',
      /Stable.*stop its consumers/,
    );
    await expectBrokerError(
      b.resetOffsets('g', { topic: 't', to: 'earliest', dryRun: true }),
      'NON_EMPTY_GROUP',
    );
    expect((await b.deleteGroups(['g']))[0]?.error?.code).toBe('NON_EMPTY_GROUP');
    // A simple commit to a topic the group does not subscribe to, then OffsetDelete.
    const simple = await b.commitOffsets('g', memberId, generationId, null, [
      { topic: 'other', partition: 0, offset: 0 },
    ]);
    expect(simple[0]?.error).toBeUndefined();
    const deleted = await b.deleteOffsets('g', [
      { topic: 't', partition: 0 },
      { topic: 'other', partition: 0 },
      { topic: 'missing', partition: 0 },
    ]);
    expect(deleted.error).toBeUndefined();
    expect(deleted.partitions.map((p) => [p.topic, p.error?.code ?? 'ok'])).toEqual([
      ['t', 'GROUP_SUBSCRIBED_TO_TOPIC'],
      ['other', 'ok'],
      ['missing', 'UNKNOWN_TOPIC_OR_PARTITION'],
    ]);
    expect((await b.fetchOffsets('g', null)).topics.map((t) => t.topic)).toEqual(['t']);
    expect((await b.deleteOffsets('nope', [{ topic: 't', partition: 0 }])).error?.code).toBe(
      'GROUP_ID_NOT_FOUND',
    );
    await expectBrokerError(b.describeGroupOffsets('nope'), 'GROUP_ID_NOT_FOUND');
    await expectBrokerError(b.resetOffsets('', { topic: 't', to: 'latest' }), 'INVALID_GROUP_ID');
    await expectBrokerError(
      b.resetOffsets('x', { topic: 'missing', to: 'latest' }),
      'UNKNOWN_TOPIC_OR_PARTITION',
    );

    // Once the member left, the group is Empty: it may be reset and deleted.
    await b.leaveGroup('g', [{ memberId }]);
    expect((await b.describeGroups(['g']))[0]?.state).toBe('Empty');
    expect(await b.resetOffsets('g', { topic: 't', to: 'latest' })).toEqual([
      { topic: 't', partition: 0, previousOffset: 1, offset: 0 },
      { topic: 't', partition: 1, previousOffset: null, offset: 0 },
    ]);
    expect((await b.deleteGroups(['g']))[0]?.error).toBeUndefined();
    expect(b.listGroups()).toEqual([]);
    expect((await b.fetchOffsets('g', null)).topics).toEqual([]);
    // The name is free again.
    await stableMember(b, 'g');
  });

  it('restarts a crashed group actor from its stored snapshot: members, generation and offsets kept', async () => {
    const b = await broker();
    const { memberId, generationId } = await stableMember(b, 'g');
    await b.commitOffsets('g', memberId, generationId, null, [{ topic: 't', partition: 1, offset: 4 }]);
    const path = '/broker/groups/g';
    expect(
      b
        .supervisionTree()
        .children.find((c) => c.name === 'groups')
        ?.children.map((c) => c.path),
    ).toEqual([path]);
    // Crashed at once: the heartbeat waits out the restart (stashed) and is answered by the new incarnation.
    b.faults.crash(path);
    expect((await b.heartbeat('g', { memberId, generationId })).error).toBeUndefined();
    // Crashed by the heartbeat itself: that one fails (retriable), the next is served.
    b.faults.crash(path, { mode: 'next-message' });
    const crashed = await b.heartbeat('g', { memberId, generationId });
    expect(crashed.error?.code).toBe('COORDINATOR_NOT_AVAILABLE');
    expect((await b.heartbeat('g', { memberId, generationId })).error).toBeUndefined();
    const [described] = await b.describeGroups(['g']);
    expect(described).toMatchObject({ state: 'Stable', generationId, members: [{ memberId }] });
    expect((await b.fetchOffsets('g', null)).topics).toMatchObject([
      { topic: 't', partitions: [{ partition: 1, offset: 4 }] },
    ]);
    const events = b
      .eventHistory()
      .events.filter((e) => e.path === path)
      .map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['failed', 'restarted']));
  });

  it('takes a group actor past its restart limit offline alone, and an operator restart brings it back', async () => {
    const supervision = { maxRestarts: 1, withinMs: 60_000, backoff: null };
    const b = await broker({ groups: { ...GROUP_TEST_OPTIONS, supervision } });
    const a = await stableMember(b, 'a');
    const other = await stableMember(b, 'other');
    const groupState = (name: string) =>
      b
        .supervisionTree()
        .children.find((c) => c.name === 'groups')
        ?.children.find((c) => c.name === name);
    for (let i = 0; i < 2; i++) {
      await eventually(() => groupState('a')?.state === 'running', 'group a running');
      b.faults.crash('/broker/groups/a');
    }
    await eventually(() => groupState('a')?.state === 'offline', 'group a offline');
    // The other group's actor was neither restarted nor stopped, and the offline one stays offline.
    expect(groupState('other')).toMatchObject({ state: 'running', restartCount: 0 });
    expect((await b.heartbeat('other', other)).error).toBeUndefined();
    const refused = await b.heartbeat('a', a);
    expect(refused.error?.code).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(groupState('a')?.state).toBe('offline');

    await b.restartActor('/broker/groups/a');
    expect(groupState('a')?.state).toBe('running');
    expect((await b.heartbeat('a', a)).error).toBeUndefined();
  });
});
