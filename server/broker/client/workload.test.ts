import { afterEach, describe, expect, it } from 'vitest';
import { eventually, expectBrokerError, tempDataDir } from '../test-support/broker-fixtures';
import { startGroupBroker } from './test-support/group-fixtures';
import { Workload } from './workload';

/** The demo workload: a producer at a rate, a consumer group that grows and shrinks, all stopped with the broker. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const fastMembers = {
  consumer: { sessionTimeoutMs: 1_500, heartbeatIntervalMs: 100, autoCommitIntervalMs: 100, maxWaitMs: 100 },
  tickMs: 20,
};

describe('Workload', () => {
  it('produces at a rate, consumes with a group that rebalances as members come and go, and stops with the broker', async () => {
    const temp = tempDataDir();
    cleanups.push(temp.cleanup);
    const broker = await startGroupBroker(temp.dir);
    cleanups.push(() => broker.stop());
    await broker.createTopic('load', { partitions: 4 });
    const workload = new Workload(broker, fastMembers);

    const producer = workload.startProducer({ topic: 'load', ratePerSec: 500, recordBytes: 64 });
    workload.startConsumerGroup({ groupId: 'demo', topic: 'load', members: 2 });
    const group = async () => (await workload.status()).consumerGroups[0];
    await eventually(async () => ((await group())?.consumed ?? 0) > 20, 'records consumed');
    const members = async () =>
      (await group())?.members.map((m) => m.assignment.flatMap((a) => a.partitions).length);
    await eventually(async () => (await members())?.join() === '2,2', 'two members, two partitions each');

    workload.addMember('demo');
    await eventually(
      async () => (await members())?.sort().join() === '1,1,2',
      'three members share the partitions',
    );
    const afterRemove = await workload.removeMember('demo');
    expect(afterRemove.members).toHaveLength(2);
    await eventually(async () => (await members())?.join() === '2,2', 'back to two members');
    const reasons = broker.rebalanceHistory({ groupId: 'demo' }).map((r) => r.reason);
    expect(reasons).toContain('member-joined');
    expect(reasons).toContain('member-left');

    const status = await workload.status();
    expect(status.producers[0]).toMatchObject({ id: producer.id, topic: 'load', errors: 0 });
    expect(status.producers[0]?.produced).toBeGreaterThan(0);
    expect(status.consumerGroups[0]?.lag).toBeGreaterThanOrEqual(0);

    await expectBrokerError(
      () => workload.startProducer({ topic: 'nope', ratePerSec: 1, recordBytes: 1 }),
      'UNKNOWN_TOPIC_OR_PARTITION',
    );
    await expectBrokerError(
      () => workload.startProducer({ topic: 'load', ratePerSec: 0, recordBytes: 1 }),
      'INVALID_REQUEST',
    );
    await expectBrokerError(
      () => workload.startConsumerGroup({ groupId: 'demo', topic: 'load', members: 1 }),
      'INVALID_REQUEST',
    );
    await expectBrokerError(() => workload.addMember('nope'), 'GROUP_ID_NOT_FOUND');

    // The broker's stop stops the workload: members commit and leave, producers stop.
    await broker.stop();
    expect(broker.state).toBe('stopped');
    await expectBrokerError(
      () => workload.startProducer({ topic: 'load', ratePerSec: 1, recordBytes: 1 }),
      'INVALID_REQUEST',
      /stopped/,
    );
    const again = await startGroupBroker(temp.dir);
    cleanups.push(() => again.stop());
    expect((await again.describeGroups(['demo']))[0]?.state).toBe('Empty');
    expect((await again.fetchOffsets('demo', null)).topics[0]?.partitions).toHaveLength(4);
  });
});
