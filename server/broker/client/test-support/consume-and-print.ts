import { Broker } from '../../broker';
import { InProcessConsumer } from '../in-process-consumer';
import { GROUP_TEST_OPTIONS } from './group-fixtures';

/**
 * Child process of the consumer SIGKILL test: opens a broker on the data dir, creates the topic
 * and produces `total` records (acknowledged before it prints `P <total>`), then runs two group
 * consumers that commit every 50 ms and process slowly. It prints `C <partition> <offset>` for
 * each record processed and `K <partition> <offset>` for each acknowledged commit, until killed.
 * stdout to a pipe is synchronous on Linux, so a printed line has happened.
 */
const [dataDir, totalText = '4000', partitionsText = '4'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: consume-and-print.ts <dataDir> [total] [partitions]');
const total = Number(totalText);
const partitions = Number(partitionsText);

const broker = new Broker({ dataDir, groups: GROUP_TEST_OPTIONS });
await broker.start();
await broker.groups.whenLoaded();
await broker.createTopic('events', { partitions });
for (let sent = 0; sent < total; sent += 50) {
  const records = Array.from({ length: Math.min(50, total - sent) }, (_, i) => ({
    value: `v${sent + i}`,
    partition: Math.floor((sent + i) / 50) % partitions,
  }));
  await broker.produceRecords('events', records);
}
process.stdout.write(`P ${total}\n`);

for (let i = 0; i < 2; i++) {
  const consumer = new InProcessConsumer(broker, {
    groupId: 'crash-test',
    topics: ['events'],
    autoOffsetReset: 'earliest',
    sessionTimeoutMs: 1_500,
    heartbeatIntervalMs: 100,
    autoCommitIntervalMs: 50,
    maxWaitMs: 100,
    maxPartitionBytes: 1024,
    onCommit: (offsets) => {
      for (const o of offsets) process.stdout.write(`K ${o.partition} ${o.offset}\n`);
    },
  });
  void consumer.run(async ({ partition, records }) => {
    for (const r of records) process.stdout.write(`C ${partition} ${r.offset}\n`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
}
