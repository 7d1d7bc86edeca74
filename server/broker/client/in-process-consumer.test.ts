import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../broker';
import type { StoredRebalance } from '../groups/group-service-api';
import { eventually, tempDataDir } from '../test-support/broker-fixtures';
import type { AssignorName, InProcessConsumer } from './in-process-consumer';
import { flatAssignment, startGroupBroker, testConsumer } from './test-support/group-fixtures';

/**
 * In-process consumers through the broker's group API: membership, rebalances and their
 * records, assignors, topic changes, consumption from committed offsets.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(): Promise<Broker> {
  const temp = tempDataDir();
  cleanups.push(temp.cleanup);
  const b = await startGroupBroker(temp.dir);
  cleanups.push(() => b.stop());
  return b;
}

function start(
  b: Broker,
  groupId: string,
  topic: string,
  assignor: AssignorName = 'range',
): InProcessConsumer {
  const consumer = testConsumer(b, { groupId, topics: [topic], assignors: [assignor] });
  void consumer.run(() => undefined);
  cleanups.push(() => consumer.kill());
  return consumer;
}

const sizes = (consumers: InProcessConsumer[]) => consumers.map((c) => flatAssignment(c.assignment()).length);

/** Every generation's assignment hands each partition to at most one member. */
function expectNoDoubleAssignment(records: StoredRebalance[]): void {
  for (const r of records) {
    const owners = new Map<string, string>();
    for (const a of r.assignmentsAfter) {
      expect(a.format).toBe('consumer');
      if (a.format !== 'consumer') continue;
      for (const p of flatAssignment(a.partitions)) {
        expect(owners.get(p), `${p} assigned twice in generation ${r.generationAfter}`).toBeUndefined();
        owners.set(p, a.memberId);
      }
    }
  }
}

describe('in-process consumer group', () => {
  it('balances 6 partitions over 3 members; a leave and a session expiry each cause one rebalance', async () => {
    const b = await broker();
    await b.createTopic('orders', { partitions: 6 });
    const consumers = [
      start(b, 'billing', 'orders'),
      start(b, 'billing', 'orders'),
      start(b, 'billing', 'orders'),
    ];
    const history = () => b.rebalanceHistory({ groupId: 'billing' });

    await eventually(
      () => sizes(consumers).join() === '2,2,2' && consumers.every((c) => c.generationId === 1),
      '2 partitions each',
    );
    expect(history().map((r) => [r.reason, r.generationBefore, r.generationAfter])).toEqual([
      ['initial', 0, 1],
    ]);
    expect(flatAssignment(consumers.flatMap((c) => c.assignment()))).toHaveLength(6);

    const [leaving, second, third] = consumers as [InProcessConsumer, InProcessConsumer, InProcessConsumer];
    const leftId = leaving.memberId;
    await leaving.close();
    const survivors = [second, third];
    await eventually(
      () => sizes(survivors).join() === '3,3' && survivors.every((c) => c.generationId === 2),
      'survivors take over',
    );
    const left = history().slice(1);
    expect(left.map((r) => [r.reason, r.generationBefore, r.generationAfter])).toEqual([
      ['member-left', 1, 2],
    ]);
    expect(left[0]?.removedMembers.map((m) => [m.memberId, m.cause])).toEqual([[leftId, 'left']]);

    const expiredId = third.memberId;
    await third.kill(); // no leave, no heartbeats: its session runs out on the broker
    await eventually(
      () => sizes([second]).join() === '6' && second.generationId === 3,
      'the last member takes all',
      60_000,
    );
    const expired = history().slice(2);
    expect(expired.map((r) => [r.reason, r.generationBefore, r.generationAfter])).toEqual([
      ['session-expired', 2, 3],
    ]);
    expect(expired[0]?.removedMembers.map((m) => [m.memberId, m.cause])).toEqual([
      [expiredId, 'session-expired'],
    ]);
    expect(expired[0]?.membersAfter.map((m) => m.memberId)).toEqual([second.memberId]);

    expectNoDoubleAssignment(history());
    const [described] = await b.describeGroups(['billing']);
    expect(described).toMatchObject({ state: 'Stable', generationId: 3, protocol: 'range' });
    expect(described?.members.map((m) => m.memberId)).toEqual([second.memberId]);
  });

  it.each<AssignorName>(['range', 'roundrobin', 'cooperative-sticky'])(
    'the leader assigns with %s; a third member joining takes its share, never a partition owned twice',
    async (assignor) => {
      const b = await broker();
      await b.createTopic('events', { partitions: 6 });
      const owned = new Map<string, Set<string>>();
      const consumers: InProcessConsumer[] = [];
      const add = () => {
        const consumer = testConsumer(b, {
          groupId: 'g',
          topics: ['events'],
          assignors: [assignor],
          onAssignment: (assignment) => {
            // A partition is never owned by two live members at once (cooperative: across rebalances too).
            const mine = new Set(flatAssignment(assignment));
            for (const [other, theirs] of owned) {
              if (other === consumer.memberId) continue;
              for (const p of mine) expect(theirs.has(p), `${p} owned twice`).toBe(false);
            }
            owned.set(consumer.memberId, mine);
          },
        });
        void consumer.run(() => undefined);
        cleanups.push(() => consumer.kill());
        consumers.push(consumer);
      };
      add();
      add();
      await eventually(() => sizes(consumers).join() === '3,3', 'two members share 6 partitions');
      add();
      await eventually(() => sizes(consumers).join() === '2,2,2', 'three members share 6 partitions');
      const records = b.rebalanceHistory({ groupId: 'g' });
      expect(records[0]?.protocolAfter).toBe(assignor);
      expect(records.slice(1).map((r) => r.reason)[0]).toBe('member-joined');
      expectNoDoubleAssignment(records);
    },
  );

  it('rebalances when partitions are added to a subscribed topic', async () => {
    const b = await broker();
    await b.createTopic('t', { partitions: 2 });
    const consumers = [start(b, 'g', 't'), start(b, 'g', 't')];
    await eventually(() => sizes(consumers).join() === '1,1', 'one partition each');
    await b.addPartitions('t', 4);
    await eventually(() => sizes(consumers).join() === '2,2', 'two partitions each');
    const reasons = b.rebalanceHistory({ groupId: 'g' }).map((r) => r.reason);
    expect(reasons).toEqual(['initial', 'topic-metadata-change']);
  });

  it('consumes every record from the committed offsets, and a new member resumes where the last one committed', async () => {
    const b = await broker();
    await b.createTopic('t', { partitions: 3 });
    await b.produceRecords(
      't',
      Array.from({ length: 90 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    const seen: string[] = [];
    const first = testConsumer(b, { groupId: 'readers', topics: ['t'] });
    void first.run(({ records }) => {
      for (const r of records) seen.push(r.value?.toString() ?? '');
    });
    cleanups.push(() => first.kill());
    await eventually(() => seen.length === 90, 'all 90 records');
    await first.close();
    const committed = await b.fetchOffsets('readers', null);
    const total = committed.topics.flatMap((t) => t.partitions).reduce((s, p) => s + p.offset, 0);
    expect(total).toBe(90);

    await b.produceRecords(
      't',
      Array.from({ length: 30 }, (_, i) => ({ key: `n${i}`, value: `new${i}` })),
    );
    const later: string[] = [];
    const second = testConsumer(b, { groupId: 'readers', topics: ['t'] });
    void second.run(({ records }) => {
      for (const r of records) later.push(r.value?.toString() ?? '');
    });
    cleanups.push(() => second.kill());
    await eventually(() => later.length >= 30, 'the 30 new records');
    expect(later.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `new${i}`).sort());
    expect(new Set(seen).size).toBe(90);
  });

  it('closes its consumers when the broker stops: they commit and leave', async () => {
    const temp = tempDataDir();
    cleanups.push(temp.cleanup);
    const b = await startGroupBroker(temp.dir);
    await b.createTopic('t', { partitions: 2 });
    await b.produceRecords('t', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 1 },
    ]);
    const consumer = testConsumer(b, { groupId: 'g', topics: ['t'], autoCommitIntervalMs: 60_000 });
    const running = consumer.run(() => undefined);
    await eventually(() => consumer.stats.consumed === 2, 'both records');
    await b.stop();
    await running;
    const again = await startGroupBroker(temp.dir);
    cleanups.push(() => again.stop());
    const offsets = await again.fetchOffsets('g', [{ topic: 't', partitions: [0, 1] }]);
    expect(offsets.topics[0]?.partitions.map((p) => p.offset)).toEqual([1, 1]);
    expect(again.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer', state: 'Empty' }]);
    expect(again.rebalanceHistory({ groupId: 'g' }).map((r) => r.reason)).toEqual(['initial', 'member-left']);
  });
});
