import { Broker } from '../../server/broker/broker';
import { encodeRecordBatch } from '../../server/broker/log/record-batch';

/**
 * Child of broker-bench: in a fresh process (so that its resident memory is the broker's alone),
 * starts a broker with 1,000 partitions (10 topics of 100), appends one batch to each, and prints
 * RSS before the broker, with the partitions open, after the appends, and after a restart that
 * reopens all of them.
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: broker-rss-child.ts <dataDir>');
const gc = (globalThis as { gc?: () => void }).gc;
const rss = () => {
  gc?.();
  return process.memoryUsage().rss;
};

const before = rss();
let broker = new Broker({ dataDir });
await broker.start();
for (let t = 0; t < 10; t++) await broker.createTopic(`topic-${t}`, { partitions: 100 });
const opened = rss();
const batch = encodeRecordBatch(
  Array.from({ length: 100 }, (_, i) => ({ key: null, value: Buffer.alloc(100, i) })),
);
for (let t = 0; t < 10; t++) {
  await Promise.all(
    Array.from({ length: 100 }, (_, p) => broker.produce(`topic-${t}`, p, Buffer.from(batch), { acks: 1 })),
  );
}
const written = rss();
await broker.stop();
broker = new Broker({ dataDir });
await broker.start();
const reopened = rss();
const partitions = broker.listTopics().reduce((sum, t) => sum + t.partitions, 0);
await broker.stop();
process.stdout.write(JSON.stringify({ before, opened, written, reopened, partitions }) + '\n');
