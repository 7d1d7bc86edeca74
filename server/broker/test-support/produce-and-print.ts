import { Broker } from '../broker';
import { encodeRecordBatch } from '../log/record-batch';

/**
 * Child process of the broker's SIGKILL test: opens a broker on the given data dir, creates the
 * topic, then produces forever on every partition at once (one batch in flight per partition)
 * and prints `<partition> <baseOffset> <count>` once each produce has resolved. stdout to a pipe
 * is synchronous on Linux, so a printed line was acknowledged. Record values are
 * `<partition>:<offset>` (offsets are assigned in order from 0, one producer per partition).
 */
const [dataDir, topic = 'orders', partitionsText = '8'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: produce-and-print.ts <dataDir> [topic] [partitions]');
const partitions = Number(partitionsText);

const broker = new Broker({ dataDir });
await broker.start();
if (broker.partitionCount(topic) === undefined) await broker.createTopic(topic, { partitions });
process.stdout.write('ready\n');

async function produceLoop(partition: number): Promise<void> {
  let next = (await broker.listOffsets(topic, partition, 'latest')).offset;
  for (let i = 0; ; i++) {
    const count = 1 + (i % 7);
    const records = Array.from({ length: count }, (_, k) => ({
      key: Buffer.from(`k${k}`),
      value: Buffer.from(`${partition}:${next + k}`),
    }));
    const result = await broker.produce(topic, partition, encodeRecordBatch(records), { acks: -1 });
    if (result.baseOffset !== next) throw new Error(`expected offset ${next}, got ${result.baseOffset}`);
    process.stdout.write(`${partition} ${result.baseOffset} ${count}\n`);
    next += count;
    if (i % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
  }
}

await Promise.all(Array.from({ length: partitions }, (_, p) => produceLoop(p)));
