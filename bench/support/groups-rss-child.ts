import { Broker } from '../../server/broker/broker';
import { RangeAssignor } from '../../server/broker/client/assignors/range-assignor';
import {
  performAssignment,
  subscriptionMetadata,
} from '../../server/broker/client/assignors/leader-assignment';

/**
 * Child of groups-bench: in a fresh process, starts a broker with one topic, then creates
 * `groups` consumer groups, each with one member that joined and synced (Stable, its snapshot
 * stored) and one committed offset, and prints RSS before and after (after a GC).
 */
const [dataDir, groupsText = '1000'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: groups-rss-child.ts <dataDir> [groups]');
const groups = Number(groupsText);
const gc = (globalThis as { gc?: () => void }).gc;
const rss = async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc?.();
  return process.memoryUsage().rss;
};
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

const broker = new Broker({
  dataDir,
  groups: { coordinator: { initialRebalanceDelayMs: 0 } },
});
await broker.start();
await broker.groups.whenLoaded();
await broker.createTopic('t', { partitions: 4 });
// The internal topics exist before the baseline: what is measured is the groups alone.
await broker.commitOffsets('warm-up', '', -1, null, [{ topic: 't', partition: 0, offset: 0 }]);
await broker.deleteGroups(['warm-up']);
const before = await rss();
const heapBefore = heap();
const historyBefore = broker.metrics.historyBytes;
const metadata = subscriptionMetadata(new RangeAssignor(), ['t']);
const request = (memberId: string) => ({
  memberId,
  clientId: 'bench',
  clientHost: '/127.0.0.1',
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata }],
  sessionTimeoutMs: 300_000,
  rebalanceTimeoutMs: 60_000,
  requireKnownMemberId: true,
});
for (let start = 0; start < groups; start += 100) {
  await Promise.all(
    Array.from({ length: Math.min(100, groups - start) }, async (_, i) => {
      const groupId = `group-${start + i}`;
      const first = await broker.joinGroup(groupId, request(''));
      const joined = await broker.joinGroup(groupId, request(first.memberId));
      if (joined.error) throw joined.error;
      const assignments = performAssignment(new RangeAssignor(), joined.members, new Map([['t', 4]]));
      const synced = await broker.syncGroup(groupId, {
        memberId: joined.memberId,
        generationId: joined.generationId,
        assignments,
      });
      if (synced.error) throw synced.error;
      const [committed] = await broker.commitOffsets(groupId, joined.memberId, joined.generationId, null, [
        { topic: 't', partition: 0, offset: 0 },
      ]);
      if (committed?.error) throw committed.error;
    }),
  );
}
broker.metrics.sample(); // the lag series every group gets
const after = await rss();
const heapBytes = heap() - heapBefore;
const historyBytes = broker.metrics.historyBytes - historyBefore;
const listed = broker.listGroups({ states: ['Stable'] }).length;
await broker.stop();
process.stdout.write(JSON.stringify({ before, after, groups, listed, historyBytes, heapBytes }) + '\n');
