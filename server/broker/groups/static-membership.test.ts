import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  advanceWithHeartbeats,
  allPartitions,
  doublyAssigned,
  formGroup,
  rangeProtocol,
  rebalance,
  SESSION_TIMEOUT,
  settle,
  setup,
  TestConsumer,
} from './group-test-harness';

let env: ReturnType<typeof setup>;
const staticConsumer = (clientId: string, protocols = [rangeProtocol(['t'])]) =>
  new TestConsumer(env.coordinator, 'g', clientId, protocols, `instance-${clientId}`);

beforeEach(() => {
  env = setup();
});

afterEach(() => {
  for (const record of env.records) expect(doublyAssigned(record)).toEqual([]);
});

describe('static membership (KIP-345)', () => {
  it('lets a restarted static member take its slot and assignment back without a rebalance', async () => {
    const [a, b, c] = [staticConsumer('a'), staticConsumer('b'), staticConsumer('c')];
    await formGroup(env.scheduler, [a, b, c]);
    const before = b.partitions;
    const oldMemberId = b.memberId;

    const restarted = staticConsumer('b'); // a new process: no member id
    const join = await restarted.join();
    expect(join.error).toBeUndefined();
    expect(join.memberId).not.toBe(oldMemberId);
    expect(join).toMatchObject({ generationId: 1, leader: a.memberId, members: [] });
    expect(env.coordinator.describe('g').state).toBe('Stable');
    expect((await restarted.sync()).error).toBeUndefined();
    expect(restarted.partitions).toEqual(before);
    expect(env.records).toHaveLength(1);

    // The old instance is fenced.
    expect(b.heartbeat().error?.code).toBe('FENCED_INSTANCE_ID');
    expect((await b.sync()).error?.code).toBe('FENCED_INSTANCE_ID');
    expect(b.leave().members[0]?.error?.code).toBe('FENCED_INSTANCE_ID');
    expect(restarted.heartbeat().error).toBeUndefined();
    expect(env.coordinator.toSnapshot('g')?.members.map((m) => m.memberId)).toEqual([
      a.memberId,
      restarted.memberId,
      c.memberId,
    ]);
  });

  it('does not make a restarted static leader compute an assignment', async () => {
    const [a, b] = [staticConsumer('a'), staticConsumer('b')];
    await formGroup(env.scheduler, [a, b]);
    const restarted = staticConsumer('a');
    const join = await restarted.join();
    expect(join.leader).toBe(a.memberId);
    expect(join.leader).not.toBe(restarted.memberId);
    await restarted.sync();
    expect(restarted.partitions).toEqual(a.partitions);
  });

  it('rebalances when a restarted static member comes back with other protocols', async () => {
    const [a, b] = [staticConsumer('a'), staticConsumer('b')];
    await formGroup(env.scheduler, [a, b]);
    const restarted = staticConsumer('b', [rangeProtocol(['t', 'u'])]);
    const join = restarted.join();
    await settle();
    expect(env.coordinator.describe('g').state).toBe('PreparingRebalance');
    await Promise.all([join, rebalance([a])]);
    await restarted.sync();
    expect(allPartitions([a, restarted])).toHaveLength(6);
    expect(env.records[1]).toMatchObject({ reason: 'member-joined', generationAfter: 2 });
  });

  it("fences the old instance's pending join when a new instance takes the slot", async () => {
    const [a, b, c] = [staticConsumer('a'), staticConsumer('b'), staticConsumer('c')];
    await formGroup(env.scheduler, [a, b, c]);
    a.leave(); // a rebalance: b rejoins, and waits for c
    const oldJoin = b.join();
    await settle();
    const restarted = staticConsumer('b');
    const newJoin = restarted.join();
    expect((await oldJoin).error?.code).toBe('FENCED_INSTANCE_ID');
    const cJoin = c.join();
    expect((await newJoin).generationId).toBe(2);
    expect((await cJoin).generationId).toBe(2);
  });

  it('still expires a static member whose session ends', async () => {
    const [a, b] = [staticConsumer('a'), staticConsumer('b')];
    await formGroup(env.scheduler, [a, b]);
    advanceWithHeartbeats(env.scheduler, SESSION_TIMEOUT + 50, [a]);
    expect(env.coordinator.describe('g').members.map((m) => m.groupInstanceId)).toEqual(['instance-a']);
    await rebalance([a]);
    expect(env.records[1]).toMatchObject({ reason: 'session-expired' });
    expect(a.partitionCount()).toBe(6);
  });

  it('keeps a static member that does not rejoin in time until its session expires', async () => {
    const [a, b] = [staticConsumer('a'), staticConsumer('b')];
    await formGroup(env.scheduler, [a, b]);
    env.coordinator.onTopicMetadataChange(['t']);
    const aJoin = a.join();
    await settle();
    advanceWithHeartbeats(env.scheduler, 1000, [a, b]); // b heartbeats but does not rejoin
    const result = await aJoin;
    expect(result.generationId).toBe(2);
    expect(result.members.map((m) => m.groupInstanceId)).toEqual(['instance-a', 'instance-b']);
  });

  it('removes a static member by its instance id (administrative LeaveGroup)', async () => {
    const [a, b] = [staticConsumer('a'), staticConsumer('b')];
    await formGroup(env.scheduler, [a, b]);
    const result = env.coordinator.leave('g', [
      { memberId: '', groupInstanceId: 'instance-b' },
      { memberId: '', groupInstanceId: 'instance-x' },
    ]);
    expect(result.members.map((m) => m.error?.code)).toEqual([undefined, 'UNKNOWN_MEMBER_ID']);
    await rebalance([a]);
    expect(env.records[1]?.removedMembers).toMatchObject([{ groupInstanceId: 'instance-b', cause: 'left' }]);
  });
});
