import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, failure, type TestApi } from '../test-support/caller';

let test: TestApi;
afterEach(() => test?.cluster.close());

async function withGroup(): Promise<TestApi> {
  test = createTestApi();
  const { api } = test;
  await api.topics.create({ name: 'orders', partitions: 4, configs: {} });
  for (let i = 0; i < 8; i++) {
    await api.produce.send({
      topic: 'orders',
      partition: i % 4,
      key: null,
      value: { encoding: 'utf8', data: `${i}` },
    });
  }
  await api.workload.startConsumerGroup({ groupId: 'billing', topic: 'orders', members: 2 });
  return test;
}

describe('groups router', () => {
  it('lists a consuming group with its state, members and lag', async () => {
    const { api } = await withGroup();
    const [group] = await api.groups.list();
    expect(group).toMatchObject({
      groupId: 'billing',
      state: 'Stable',
      members: 2,
      protocol: 'range',
      topics: ['orders'],
    });
    expect(await api.groups.list({ topic: 'payments' })).toEqual([]);
  });

  it('describes members with their assignments and per-partition offsets', async () => {
    const { api, cluster } = await withGroup();
    cluster.groups.commit('billing', 'orders', 0, 1);
    const group = await api.groups.describe({ groupId: 'billing' });
    expect(group.members).toHaveLength(2);
    expect(group.members.flatMap((m) => m.assignment.flatMap((a) => a.partitions)).sort()).toEqual([
      0, 1, 2, 3,
    ]);
    expect(group.offsets[0]).toMatchObject({ partition: 0, committedOffset: 1, endOffset: 2, lag: 1 });
    expect(group.offsets[1]).toMatchObject({ committedOffset: null, lag: null });
  });

  it('records each rebalance with its reason, generations and members before and after', async () => {
    const { api } = await withGroup();
    await api.workload.addMember({ groupId: 'billing' });
    const [latest] = await api.groups.rebalances({ groupId: 'billing' });
    expect(latest).toMatchObject({ reason: 'join', generationBefore: 2, generationAfter: 3 });
    expect(latest?.membersBefore).toHaveLength(2);
    expect(latest?.membersAfter).toHaveLength(3);
    expect(latest?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses to reset the offsets of a group with members', async () => {
    const { api } = await withGroup();
    const error = await failure(
      api.groups.resetOffsets({ groupId: 'billing', topic: 'orders', target: { kind: 'earliest' } }),
    );
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toContain("Group 'billing' has 2 active members");
  });

  it('resets an empty group to earliest, latest, a timestamp or explicit offsets', async () => {
    const { api } = await withGroup();
    await api.workload.stopConsumerGroup({ groupId: 'billing' });
    expect((await api.groups.describe({ groupId: 'billing' })).state).toBe('Empty');
    const latest = await api.groups.resetOffsets({
      groupId: 'billing',
      topic: 'orders',
      target: { kind: 'latest' },
    });
    expect(latest.map((o) => o.committedOffset)).toEqual([2, 2, 2, 2]);
    const dry = await api.groups.resetOffsets({
      groupId: 'billing',
      topic: 'orders',
      target: { kind: 'explicit', offsets: [{ partition: 1, offset: 0 }] },
      partitions: [1],
      dryRun: true,
    });
    expect(dry).toEqual([expect.objectContaining({ partition: 1, committedOffset: 0, lag: 2 })]);
    expect((await api.groups.describe({ groupId: 'billing' })).offsets[1]?.committedOffset).toBe(2);
    const error = await failure(
      api.groups.resetOffsets({
        groupId: 'billing',
        topic: 'orders',
        target: { kind: 'explicit', offsets: [{ partition: 1, offset: 99 }] },
      }),
    );
    expect(error.message).toBe('Offset 99 is outside partition 1 (0 to 2)');
  });

  it('deletes only an empty group', async () => {
    const { api } = await withGroup();
    expect((await failure(api.groups.delete({ groupId: 'billing' }))).code).toBe('PRECONDITION_FAILED');
    await api.workload.stopConsumerGroup({ groupId: 'billing' });
    await api.groups.delete({ groupId: 'billing' });
    const error = await failure(api.groups.describe({ groupId: 'billing' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe("Consumer group 'billing' does not exist");
  });
});
