import { afterEach, describe, expect, it } from 'vitest';
import { failure } from '../../api/test-support/caller';
import type { RebalanceEvent } from '../types';
import { startEmbeddedApi, type EmbeddedApi } from './test-harness';

let test: EmbeddedApi | undefined;
afterEach(async () => {
  await test?.stop();
  test = undefined;
});

const text = (data: string) => ({ encoding: 'utf8' as const, data });
const fieldOf = (error: { cause?: unknown }) => (error.cause as { field?: string } | undefined)?.field;

/** 'orders' with 4 partitions of 2 records each, and the workload group 'billing' of 2 members, caught up. */
async function withGroup(): Promise<EmbeddedApi> {
  test = await startEmbeddedApi();
  const { api } = test;
  await api.topics.create({ name: 'orders', partitions: 4, configs: {} });
  for (let i = 0; i < 8; i++) {
    await api.produce.send({ topic: 'orders', partition: i % 4, key: null, value: text(`${i}`) });
  }
  await api.workload.startConsumerGroup({ groupId: 'billing', topic: 'orders', members: 2 });
  await expect
    .poll(async () => {
      const group = await api.groups.describe({ groupId: 'billing' }).catch(() => undefined);
      return (
        group && {
          state: group.state,
          members: group.members.length,
          committed: group.offsets.map((o) => o.committedOffset),
        }
      );
    })
    .toEqual({ state: 'Stable', members: 2, committed: [2, 2, 2, 2] });
  return test;
}

describe('EmbeddedCluster consumer groups and workload through the router', () => {
  it('lists a consuming group with its state, members, protocol, topics and lag', async () => {
    const { api } = await withGroup();
    const [group] = await api.groups.list();
    expect(group).toMatchObject({
      groupId: 'billing',
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'cooperative-sticky',
      members: 2,
      topics: ['orders'],
      totalLag: 0,
    });
    expect(await api.groups.list({ topic: 'payments' })).toEqual([]);
    expect((await api.groups.list({ topic: 'orders' })).map((g) => g.groupId)).toEqual(['billing']);
  });

  it('describes members with their assignments and per-partition committed offset, end, lag and owner', async () => {
    const { api } = await withGroup();
    const group = await api.groups.describe({ groupId: 'billing' });
    const assigned = group.members.flatMap((m) => m.assignment.flatMap((a) => a.partitions)).sort();
    expect(assigned).toEqual([0, 1, 2, 3]);
    expect(group.members.every((m) => m.clientId.startsWith('billing-member-'))).toBe(true);
    expect(group.offsets.map((o) => [o.partition, o.committedOffset, o.endOffset, o.lag])).toEqual([
      [0, 2, 2, 0],
      [1, 2, 2, 0],
      [2, 2, 2, 0],
      [3, 2, 2, 0],
    ]);
    const owners = new Set(group.members.map((m) => m.memberId));
    expect(group.offsets.every((o) => o.memberId !== null && owners.has(o.memberId))).toBe(true);
    expect(group.actor).toMatchObject({ path: 'broker/groups/billing', state: 'running' });
    await api.produce.send({ topic: 'orders', partition: 0, key: null, value: text('more') });
    await expect
      .poll(async () => (await api.groups.describe({ groupId: 'billing' })).offsets[0]?.endOffset)
      .toBe(3);
  });

  it('records each member added or removed as a rebalance, on the timeline and in the events stream', async () => {
    const { api } = await withGroup();
    const before = (await api.groups.rebalances({ groupId: 'billing' }))[0]!;
    await api.workload.addMember({ groupId: 'billing' });
    await expect.poll(async () => (await api.groups.describe({ groupId: 'billing' })).members.length).toBe(3);
    await expect
      .poll(async () =>
        (await api.groups.rebalances({ groupId: 'billing' })).find((r) => r.membersAfter.length === 3),
      )
      .toMatchObject({ reason: 'join', reasonDetail: expect.stringMatching(/billing-member-\d+ joined/) });
    const after = await api.workload.removeMember({ groupId: 'billing' });
    expect(after.members).toHaveLength(2);
    await expect
      .poll(async () =>
        (await api.groups.rebalances({ groupId: 'billing' })).map((r) => [
          r.reason,
          r.reasonDetail,
          r.membersBefore.length,
          r.membersAfter.length,
        ]),
      )
      .toContainEqual([
        // A removal during the cooperative protocol's second round is part of that rebalance.
        expect.stringMatching(/^(leave|join)$/),
        expect.stringMatching(/billing-member-\d+ left/),
        3,
        2,
      ]);
    const timeline = await api.groups.rebalances({ groupId: 'billing' });
    const ids = timeline.map((r) => r.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids); // newest first
    const latest = timeline[0]!;
    expect(latest.generationAfter).toBeGreaterThan(before.generationAfter!);
    expect(latest.membersBefore).toHaveLength(3);
    expect(latest.membersAfter).toHaveLength(2);
    expect(latest.membersAfter.flatMap((m) => m.assignment.flatMap((a) => a.partitions)).sort()).toEqual([
      0, 1, 2, 3,
    ]);
    const events = (await api.cluster.eventHistory({ kinds: ['rebalance'] })) as RebalanceEvent[];
    expect(events.map((e) => e.rebalance.id)).toEqual([...ids].reverse());
    expect(events.every((e) => e.phase === 'completed')).toBe(true);
  });

  it('refuses to reset or delete a group with members, with the broker sentence', async () => {
    const { api } = await withGroup();
    const error = await failure(
      api.groups.resetOffsets({ groupId: 'billing', topic: 'orders', target: { kind: 'earliest' } }),
    );
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toBe(
      'Group "billing": the group is Stable: stop its consumers before resetting its offsets',
    );
    const deletion = await failure(api.groups.delete({ groupId: 'billing' }));
    expect(deletion.code).toBe('PRECONDITION_FAILED');
    expect(deletion.message).toBe('Group "billing": the group still has members');
  });

  it('resets an empty group to latest, explicit offsets (dry run too), and refuses an offset out of range', async () => {
    const { api } = await withGroup();
    await api.workload.stopConsumerGroup({ groupId: 'billing' });
    await expect.poll(async () => (await api.groups.describe({ groupId: 'billing' })).state).toBe('Empty');
    const earliest = await api.groups.resetOffsets({
      groupId: 'billing',
      topic: 'orders',
      target: { kind: 'earliest' },
    });
    expect(earliest.map((o) => [o.partition, o.committedOffset, o.lag])).toEqual([
      [0, 0, 2],
      [1, 0, 2],
      [2, 0, 2],
      [3, 0, 2],
    ]);
    expect((await api.groups.describe({ groupId: 'billing' })).totalLag).toBe(8);
    const dry = await api.groups.resetOffsets({
      groupId: 'billing',
      topic: 'orders',
      target: { kind: 'explicit', offsets: [{ partition: 1, offset: 2 }] },
      dryRun: true,
    });
    expect(dry).toEqual([
      { topic: 'orders', partition: 1, committedOffset: 2, endOffset: 2, lag: 0, memberId: null },
    ]);
    expect((await api.groups.describe({ groupId: 'billing' })).offsets[1]?.committedOffset).toBe(0);
    const error = await failure(
      api.groups.resetOffsets({
        groupId: 'billing',
        topic: 'orders',
        target: { kind: 'explicit', offsets: [{ partition: 1, offset: 99 }] },
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe("Offset 99 is outside orders-1's range [0, 2]");
    expect(fieldOf(error)).toBe('offsets');
  });

  it('deletes an empty group; then it is not found', async () => {
    const { api } = await withGroup();
    await api.workload.stopConsumerGroup({ groupId: 'billing' });
    await expect.poll(async () => (await api.groups.describe({ groupId: 'billing' })).state).toBe('Empty');
    await api.groups.delete({ groupId: 'billing' });
    const error = await failure(api.groups.describe({ groupId: 'billing' }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('Group "billing": no such group');
    expect(fieldOf(error)).toBe('groupId');
    expect(await api.groups.list()).toEqual([]);
  });

  it('charts a group: the lag history of its topics', async () => {
    const { api, broker } = await withGroup();
    broker.metrics.sample();
    const history = await api.metrics.history({
      scope: { kind: 'group', groupId: 'billing' },
      from: Date.now() - 60_000,
      to: Date.now() + 1000,
      stepMs: 1000,
    });
    expect(history.lag.at(-1)?.lag).toBe(0);
    expect(history.throughput.length).toBeGreaterThan(0);
    const missing = await failure(
      api.metrics.history({ scope: { kind: 'group', groupId: 'nope' }, from: 0, to: 1000, stepMs: 1000 }),
    );
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('runs a producer at its rate until stopped', async () => {
    test = await startEmbeddedApi();
    const { api } = test;
    await api.topics.create({ name: 'load', partitions: 2, configs: {} });
    const producer = await api.workload.startProducer({ topic: 'load', ratePerSec: 200, recordBytes: 100 });
    expect(producer).toMatchObject({ topic: 'load', ratePerSec: 200, recordBytes: 100, produced: 0 });
    await expect
      .poll(async () => (await api.workload.status()).producers[0]?.produced)
      .toBeGreaterThanOrEqual(40);
    await api.workload.stopProducer({ id: producer.id });
    expect((await api.workload.status()).producers).toEqual([]);
    const records = (await api.topics.describe({ topic: 'load' })).records;
    expect(records).toBeGreaterThanOrEqual(40);
    const read = await api.messages.read({ topic: 'load', seek: { kind: 'oldest' }, limit: 1 });
    expect(read.records[0]?.value?.sizeBytes).toBe(100);
    const again = await failure(api.workload.stopProducer({ id: producer.id }));
    expect(again.code).toBe('NOT_FOUND');
    expect((await api.topics.describe({ topic: 'load' })).records).toBe(records);
  });

  it('validates workload requests and refuses unknown topics next to the field', async () => {
    test = await startEmbeddedApi();
    const { api } = test;
    expect(
      (await failure(api.workload.startProducer({ topic: 'load', ratePerSec: 0, recordBytes: 10 }))).code,
    ).toBe('BAD_REQUEST');
    const error = await failure(
      api.workload.startProducer({ topic: 'nope', ratePerSec: 1, recordBytes: 10 }),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe("Topic 'nope' does not exist");
    expect(fieldOf(error)).toBe('topic');
    const group = await failure(api.workload.addMember({ groupId: 'nope' }));
    expect(group.code).toBe('NOT_FOUND');
  });
});
