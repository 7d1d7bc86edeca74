import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../broker';
import type { BrokerOptions } from '../broker-options';
import { eventually, readAll, startBroker, tempDataDir } from '../test-support/broker-fixtures';

/** The retention and log-cleaner workers, on demand and on their schedule, and under supervision. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(options: Partial<BrokerOptions> = {}): Promise<Broker> {
  const temp = tempDataDir();
  const b = await startBroker(temp.dir, options);
  cleanups.push(temp.cleanup, () => b.stop());
  return b;
}

async function produceMany(b: Broker, topic: string, count: number, key?: (i: number) => string) {
  for (let i = 0; i < count; i++) {
    await b.produceRecords(topic, [
      { key: key?.(i) ?? null, value: `value-${i}-${'x'.repeat(60)}`, partition: 0 },
    ]);
  }
}

describe('background workers', () => {
  it('deletes segments past retention.bytes and moves the log start', async () => {
    const b = await broker();
    await b.createTopic('logs', {
      partitions: 1,
      configs: { 'segment.bytes': 1024, 'retention.bytes': 2048 },
    });
    await produceMany(b, 'logs', 100);
    const summary = await b.runRetention();
    expect(summary.visited).toBe(1);
    expect(summary.totals.deletedSegments).toBeGreaterThan(0);
    const [partition] = (await b.describeTopic('logs')).partitions;
    expect(partition?.logStartOffset).toBeGreaterThan(0);
    expect(partition?.sizeInBytes).toBeLessThanOrEqual(2048 + 1024);
    const records = await readAll(b, 'logs', 0);
    expect(records[0]?.offset).toBe(partition?.logStartOffset);
    expect(records.at(-1)?.value).toMatch(/^value-99-/);
  });

  it('compacts topics with cleanup.policy compact, keeping the latest value of each key', async () => {
    const b = await broker();
    await b.createTopic('state', {
      partitions: 1,
      configs: { 'cleanup.policy': 'compact', 'segment.bytes': 1024, 'min.compaction.lag.ms': 0 },
    });
    await b.createTopic('plain', { partitions: 1 });
    await produceMany(b, 'state', 120, (i) => `key-${i % 4}`);
    const summary = await b.runLogCleaner();
    expect(summary.visited).toBe(1);
    expect(summary.totals.removedRecords).toBeGreaterThan(0);
    const records = await readAll(b, 'state', 0);
    expect(records.length).toBeLessThan(120);
    const latest = new Map(records.map((r) => [r.key, r.value]));
    for (let k = 0; k < 4; k++) expect(latest.get(`key-${k}`)).toMatch(new RegExp(`^value-${116 + k}-`));
  });

  it('runs retention on its schedule, and keeps running after a crash', async () => {
    const b = await broker({ retentionCheckIntervalMs: 20 });
    await b.createTopic('logs', {
      partitions: 1,
      configs: { 'segment.bytes': 1024, 'retention.bytes': 1024 },
    });
    b.faults.crash('/broker/retention');
    await produceMany(b, 'logs', 60);
    await eventually(
      async () => (await b.listOffsets('logs', 0, 'earliest')).offset > 0,
      'retention on schedule',
    );
    const worker = b.supervisionTree().children.find((c) => c.name === 'retention');
    expect(worker?.state).toBe('running');
    expect(worker?.restartCount).toBe(1);
  });
});
