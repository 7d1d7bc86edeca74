import { describe, expect, it } from 'vitest';
import { isBrokerError } from '../errors';
import { parseGroupSnapshot } from './group-snapshot';
import {
  advanceWithHeartbeats,
  formGroup,
  rebalance,
  SESSION_TIMEOUT,
  setup,
  TestConsumer,
} from './group-test-harness';

describe('group snapshots', () => {
  it('survive a JSON round trip and restore a Stable group whose members carry on', async () => {
    const env = setup();
    const [a, b] = ['a', 'b'].map((id) => new TestConsumer(env.coordinator, 'g', id));
    if (!a || !b) throw new Error('unreachable');
    await formGroup(env.scheduler, [a, b]);
    const snapshot = parseGroupSnapshot(JSON.parse(JSON.stringify(env.coordinator.toSnapshot('g'))));
    expect(snapshot).toMatchObject({
      state: 'Stable',
      generationId: 1,
      protocolName: 'range',
      leaderId: a.memberId,
    });

    const restored = setup();
    restored.coordinator.restore(snapshot);
    const describe = (d: ReturnType<typeof env.coordinator.describe>) => ({
      ...d,
      members: d.members.map((m) => ({
        ...m,
        metadata: m.metadata.toString('hex'),
        assignment: m.assignment.toString('hex'),
      })),
    });
    expect(describe(restored.coordinator.describe('g'))).toEqual(describe(env.coordinator.describe('g')));

    const [a2, b2] = [a, b].map((c) => {
      const moved = new TestConsumer(restored.coordinator, 'g', c.clientId);
      Object.assign(moved, { memberId: c.memberId, generationId: c.generationId, leader: c.leader });
      return moved;
    });
    if (!a2 || !b2) throw new Error('unreachable');
    expect(a2.heartbeat().error).toBeUndefined();
    expect((await b2.sync()).error).toBeUndefined();
    expect(b2.partitions).toEqual(b.partitions);

    // Sessions restarted at restore: b2 stops heartbeating and expires.
    advanceWithHeartbeats(restored.scheduler, SESSION_TIMEOUT + 50, [a2]);
    expect(restored.coordinator.describe('g').members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it('stores the last Stable form while a rebalance runs', async () => {
    const env = setup();
    const [a, b] = ['a', 'b'].map((id) => new TestConsumer(env.coordinator, 'g', id));
    if (!a || !b) throw new Error('unreachable');
    await formGroup(env.scheduler, [a, b]);
    b.leave();
    expect(env.coordinator.describe('g').state).toBe('PreparingRebalance');
    expect(env.coordinator.toSnapshot('g')).toMatchObject({ state: 'Stable', generationId: 1 });
    expect(env.coordinator.toSnapshot('g')?.members).toHaveLength(2);
    expect(env.stored.map((g) => [g.state, g.generationId])).toEqual([['Stable', 1]]);
    await rebalance([a]);
    expect(env.stored.map((g) => [g.state, g.generationId])).toEqual([
      ['Stable', 1],
      ['Stable', 2],
    ]);
  });

  it('rejects malformed snapshots with a storage error', () => {
    const bad = [
      null,
      { version: 2 },
      {
        version: 1,
        groupId: 'g',
        state: 'Stable',
        generationId: 1,
        protocolType: 'consumer',
        protocolName: 'range',
        leaderId: null,
        stateTimestamp: 0,
        members: [],
      },
    ];
    for (const value of bad) {
      let error: unknown;
      try {
        parseGroupSnapshot(value);
      } catch (e) {
        error = e;
      }
      expect(isBrokerError(error, 'KAFKA_STORAGE_ERROR')).toBe(true);
    }
  });
});
