import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../broker';
import type { BrokerLogger } from '../broker-options';
import {
  batchOf,
  expectBrokerError,
  readAll,
  startBroker,
  tempDataDir,
} from '../test-support/broker-fixtures';

/** Topic administration through the Broker: every operation, every bad input, persistence. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const temp = tempDataDir();
  cleanups.push(temp.cleanup);
  return temp.dir;
}

async function open(dir: string, logger?: BrokerLogger): Promise<Broker> {
  const b = await startBroker(dir, logger === undefined ? {} : { logger });
  cleanups.push(() => b.stop());
  return b;
}

function capture(): { logger: BrokerLogger; lines: string[] } {
  const lines: string[] = [];
  const push = (o: object, msg: string) => lines.push(`${msg} ${JSON.stringify(o)}`);
  return { lines, logger: { info: push, warn: push, error: push } };
}

const configValue = async (b: Broker, topic: string, name: string) =>
  b.describeTopicConfigs(topic).find((c) => c.name === name);

describe('topic administration', () => {
  it('creates, describes and lists topics', async () => {
    const b = await open(dataDir());
    const created = await b.createTopic('orders', { partitions: 3, configs: { 'retention.ms': '60000' } });
    expect(
      created.partitions.map((p) => [p.partition, p.logStartOffset, p.logEndOffset, p.actor.state]),
    ).toEqual([
      [0, 0, 0, 'running'],
      [1, 0, 0, 'running'],
      [2, 0, 0, 'running'],
    ]);
    expect(created.partitions[0]?.actor.path).toBe('/broker/topics/orders/0');
    expect(created.partitions[0]?.segments).toHaveLength(1);
    await b.produceRecords('orders', [{ value: 'a', partition: 1, timestamp: 5000 }]);
    const described = await b.describeTopic('orders');
    expect(described.partitions[1]).toMatchObject({
      logEndOffset: 1,
      records: 1,
      firstTimestamp: 5000,
      maxTimestamp: 5000,
    });
    expect(described.records).toBe(1);
    expect(described.sizeInBytes).toBeGreaterThan(0);
    const retention = described.configs.find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '60000', source: 'topic', isDefault: false });
    expect(described.configs.find((c) => c.name === 'segment.bytes')?.source).toBe('default');

    await b.createTopic('__consumer_offsets', {
      partitions: 1,
      configs: { 'cleanup.policy': 'compact' },
      internal: true,
    });
    expect(b.listTopics().map((t) => t.name)).toEqual(['orders']);
    const all = b.listTopics({ includeInternal: true });
    expect(all.map((t) => [t.name, t.internal, t.partitions, t.records])).toEqual([
      ['__consumer_offsets', true, 1, 0],
      ['orders', false, 3, 1],
    ]);
    expect(all[0]?.config.cleanupPolicy).toBe('compact');
  });

  it('refuses bad names, duplicates, bad counts and bad configs, and creates nothing', async () => {
    const dir = dataDir();
    const b = await open(dir);
    await b.createTopic('orders', { partitions: 1 });
    await expectBrokerError(
      b.createTopic('bad name!', { partitions: 1 }),
      'INVALID_TOPIC_EXCEPTION',
      /' ', '!'/,
    );
    await expectBrokerError(b.createTopic('..', { partitions: 1 }), 'INVALID_TOPIC_EXCEPTION', /reserved/);
    await expectBrokerError(b.createTopic('', { partitions: 1 }), 'INVALID_TOPIC_EXCEPTION', /empty/);
    await expectBrokerError(
      b.createTopic('__mine', { partitions: 1 }),
      'INVALID_TOPIC_EXCEPTION',
      /internal/,
    );
    await expectBrokerError(
      b.createTopic('orders', { partitions: 1 }),
      'TOPIC_ALREADY_EXISTS',
      /'orders' already exists/,
    );
    await expectBrokerError(b.createTopic('zero', { partitions: 0 }), 'INVALID_PARTITIONS', /between 1 and/);
    await expectBrokerError(
      b.createTopic('cfg', { partitions: 1, configs: { 'retention.ms': 'soon' } }),
      'INVALID_CONFIG',
      /retention\.ms/,
    );
    await expectBrokerError(
      b.createTopic('cfg', { partitions: 1, configs: { 'retention.mss': '1' } }),
      'INVALID_CONFIG',
      /Did you mean 'retention.ms'/,
    );
    await expectBrokerError(() => b.validateCreateTopic('orders', { partitions: 1 }), 'TOPIC_ALREADY_EXISTS');
    expect(b.listTopics().map((t) => t.name)).toEqual(['orders']);
    expect(fs.readdirSync(path.join(dir, 'logs')).sort()).toEqual(['orders-0']);
    await expectBrokerError(
      b.describeTopic('nope'),
      'UNKNOWN_TOPIC_OR_PARTITION',
      /^Topic 'nope' does not exist$/,
    );
    await expectBrokerError(
      b.produce('orders', 7, batchOf(['x']), { acks: 1 }),
      'UNKNOWN_TOPIC_OR_PARTITION',
      /^Partition 7 of 'orders' does not exist \(it has 1\)$/,
    );
  });

  it('alters configs incrementally and applies them to the live partitions', async () => {
    const b = await open(dataDir());
    await b.createTopic('orders', { partitions: 2 });
    const after = await b.alterTopicConfigs('orders', {
      set: { 'max.message.bytes': 200, 'retention.ms': '1000' },
    });
    expect(after.find((c) => c.name === 'max.message.bytes')?.value).toBe('200');
    await expectBrokerError(
      b.produce('orders', 1, batchOf(['x'.repeat(300)]), { acks: 1 }),
      'MESSAGE_TOO_LARGE',
      /max\.message\.bytes \(200\)/,
    );
    await b.alterTopicConfigs('orders', { delete: ['max.message.bytes'] });
    await b.produce('orders', 1, batchOf(['x'.repeat(300)]), { acks: 1 });
    expect((await configValue(b, 'orders', 'retention.ms'))?.value).toBe('1000');
    expect((await configValue(b, 'orders', 'max.message.bytes'))?.source).toBe('default');
    await expectBrokerError(
      b.alterTopicConfigs('orders', { set: { 'retention.ms': '5' }, delete: ['retention.ms'] }),
      'INVALID_REQUEST',
      /both set and deleted/,
    );
    await expectBrokerError(
      b.alterTopicConfigs('orders', { set: { 'segment.bytes': 10 } }),
      'INVALID_CONFIG',
    );
    await expectBrokerError(b.alterTopicConfigs('nope', { set: {} }), 'UNKNOWN_TOPIC_OR_PARTITION');
    expect((await configValue(b, 'orders', 'retention.ms'))?.value).toBe('1000');
  });

  it('adds partitions and refuses to shrink', async () => {
    const b = await open(dataDir());
    await b.createTopic('orders', { partitions: 2 });
    const grown = await b.addPartitions('orders', 4);
    expect(grown.partitions.map((p) => p.actor.state)).toEqual(['running', 'running', 'running', 'running']);
    await b.produceRecords('orders', [{ value: 'new', partition: 3 }]);
    expect((await readAll(b, 'orders', 3)).map((r) => r.value)).toEqual(['new']);
    await expectBrokerError(b.addPartitions('orders', 2), 'INVALID_PARTITIONS', /already has 4 partitions/);
    await expectBrokerError(b.addPartitions('orders', 4), 'INVALID_PARTITIONS');
    expect(b.partitionCount('orders')).toBe(4);
  });

  it('deletes a topic: actors stopped, files and metrics removed, the name reusable', async () => {
    const dir = dataDir();
    const b = await open(dir);
    await b.createTopic('orders', { partitions: 2 });
    await b.produceRecords('orders', [{ value: 'gone', partition: 0 }]);
    b.metrics.sample();
    expect(b.metrics.seriesIds('topic/orders/').length).toBeGreaterThan(0);
    await b.deleteTopic('orders');
    expect(b.listTopics()).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'logs'))).toEqual([]);
    expect(b.metrics.seriesIds('partition/orders/')).toEqual([]);
    expect(b.supervisionTree().children.find((c) => c.name === 'topics')?.children).toEqual([]);
    await expectBrokerError(b.produceRecords('orders', [{ value: 'x' }]), 'UNKNOWN_TOPIC_OR_PARTITION');
    await expectBrokerError(b.deleteTopic('orders'), 'UNKNOWN_TOPIC_OR_PARTITION');
    await b.createTopic('orders', { partitions: 1 });
    expect(await readAll(b, 'orders', 0)).toEqual([]);
    await b.createTopic('__internal', { partitions: 1, internal: true });
    await expectBrokerError(b.deleteTopic('__internal'), 'INVALID_TOPIC_EXCEPTION', /internal/);
    await b.deleteTopic('__internal', { internal: true });
  });

  it('deletes records before an offset and purges, never reusing offsets', async () => {
    const b = await open(dataDir());
    await b.createTopic('orders', { partitions: 2 });
    for (let i = 0; i < 10; i++) await b.produceRecords('orders', [{ value: `v${i}`, partition: 0 }]);
    await b.produceRecords('orders', [{ value: 'w', partition: 1 }]);
    expect(await b.deleteRecords('orders', [{ partition: 0, offset: 4 }])).toEqual([
      { partition: 0, lowWatermark: 4 },
    ]);
    expect((await readAll(b, 'orders', 0)).map((r) => r.value)).toEqual(['v4', 'v5', 'v6', 'v7', 'v8', 'v9']);
    const fetched = await b.fetch({
      partitions: [{ topic: 'orders', partition: 0, offset: 2, maxBytes: 1000 }],
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1000,
    });
    expect(fetched.partitions[0]?.error?.message).toBe('Offset 2 is before the start (4) of orders-0');
    await expectBrokerError(
      b.deleteRecords('orders', [
        { partition: 0, offset: 6 },
        { partition: 1, offset: 900 },
      ]),
      'OFFSET_OUT_OF_RANGE',
      /^Offset 900 is past the end \(1\) of orders-1/,
    );
    await expectBrokerError(
      b.deleteRecords('orders', [{ partition: 5, offset: 1 }]),
      'UNKNOWN_TOPIC_OR_PARTITION',
    );
    expect((await b.listOffsets('orders', 0, 'earliest')).offset).toBe(4);
    expect(await b.deleteRecords('orders', [{ partition: 1, offset: -1 }])).toEqual([
      { partition: 1, lowWatermark: 1 },
    ]);

    expect(await b.purgeTopic('orders')).toEqual([
      { partition: 0, lowWatermark: 10 },
      { partition: 1, lowWatermark: 1 },
    ]);
    expect((await b.describeTopic('orders')).records).toBe(0);
    const [next] = await b.produceRecords('orders', [{ value: 'after', partition: 0 }]);
    expect(next?.offset).toBe(10);
    expect((await readAll(b, 'orders', 0)).map((r) => r.value)).toEqual(['after']);
  });

  it('persists topics, configs and partition counts across a restart', async () => {
    const dir = dataDir();
    let b = await open(dir);
    await b.createTopic('orders', { partitions: 2, configs: { 'cleanup.policy': 'compact' } });
    await b.createTopic('logs', { partitions: 1 });
    await b.createTopic('temp', { partitions: 1 });
    await b.alterTopicConfigs('logs', { set: { 'retention.bytes': '123456' } });
    await b.addPartitions('logs', 3);
    await b.deleteTopic('temp');
    await b.produceRecords('logs', [{ value: 'kept', partition: 2 }]);
    await b.stop();
    b = await open(dir);
    expect(b.listTopics().map((t) => [t.name, t.partitions])).toEqual([
      ['logs', 3],
      ['orders', 2],
    ]);
    expect((await configValue(b, 'logs', 'retention.bytes'))?.value).toBe('123456');
    expect((await configValue(b, 'orders', 'cleanup.policy'))?.value).toBe('compact');
    expect((await readAll(b, 'logs', 2)).map((r) => r.value)).toEqual(['kept']);
  });

  it('reconciles directories on start: strays left alone, missing ones start empty, stale ones set aside', async () => {
    const dir = dataDir();
    let b = await open(dir);
    await b.createTopic('orders', { partitions: 2 });
    await b.produceRecords('orders', [
      { value: 'a', partition: 0 },
      { value: 'b', partition: 1 },
    ]);
    await b.stop();
    fs.rmSync(path.join(dir, 'logs', 'orders-1'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'logs', 'ghost-0'));
    fs.mkdirSync(path.join(dir, 'logs', 'fresh-0'));
    fs.writeFileSync(path.join(dir, 'logs', 'fresh-0', 'junk'), 'x');
    const { logger, lines } = capture();
    b = await open(dir, logger);
    expect(lines.some((l) => l.includes('ghost-0 belongs to no topic'))).toBe(true);
    expect(lines.some((l) => l.includes('orders-1 is missing'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'logs', 'ghost-0'))).toBe(true);
    expect((await readAll(b, 'orders', 0)).map((r) => r.value)).toEqual(['a']);
    expect(await readAll(b, 'orders', 1)).toEqual([]);
    await b.produceRecords('orders', [{ value: 'c', partition: 1 }]);

    await b.createTopic('fresh', { partitions: 1 });
    expect(fs.readdirSync(path.join(dir, 'logs', 'fresh-0')).includes('junk')).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'logs')).some((n) => n.startsWith('fresh-0~orphaned-'))).toBe(true);
  });
});
