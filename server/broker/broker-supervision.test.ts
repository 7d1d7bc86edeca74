import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from './actors';
import type { Broker } from './broker';
import { isBrokerError } from './errors';
import {
  eventually,
  expectBrokerError,
  readAll,
  startBroker,
  tempDataDir,
} from './test-support/broker-fixtures';

/**
 * Supervision as the operator sees it: a crashing partition restarts and recovers its log while
 * the others serve; past its restart limit it goes offline alone, answers PARTITION_OFFLINE, and
 * an operator restart brings it back.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function broker(options: Parameters<typeof startBroker>[1] = {}): Promise<Broker> {
  const temp = tempDataDir();
  const b = await startBroker(temp.dir, options);
  cleanups.push(temp.cleanup, () => b.stop());
  return b;
}

const P0 = '/broker/topics/orders/0';

function workerState(b: Broker, name: string): string | undefined {
  return b.supervisionTree().children.find((c) => c.name === name)?.state;
}

async function running(b: Broker, partition = 0): Promise<void> {
  await eventually(() => b.partitionState('orders', partition) === 'running', `orders-${partition} running`);
}

describe('partition supervision', () => {
  it('keeps the other partitions serving while one crashes again and again, and loses nothing', async () => {
    const b = await broker({ partitionSupervision: { maxRestarts: 100, withinMs: 60_000, backoff: null } });
    await b.createTopic('orders', { partitions: 4 });
    const acked: string[][] = [[], [], [], []];
    let crashes = 0;
    for (let round = 0; round < 25; round++) {
      await running(b);
      b.faults.crash(P0);
      crashes++;
      const writes = [0, 1, 2, 3].map(async (p) => {
        const value = `${p}:${round}`;
        try {
          await b.produceRecords('orders', [{ value, partition: p }]);
          acked[p]!.push(value);
        } catch (error) {
          // Only the crashed partition may refuse, and only with a retriable error.
          expect(p).toBe(0);
          expect(isBrokerError(error) && error.retriable).toBe(true);
        }
      });
      const fetched = b.fetch({
        partitions: [1, 2, 3].map((p) => ({ topic: 'orders', partition: p, offset: 0, maxBytes: 65536 })),
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
      });
      await Promise.all(writes);
      for (const result of (await fetched).partitions) expect(result.error).toBeUndefined();
    }
    await running(b);
    for (let p = 0; p < 4; p++) {
      const values = (await readAll(b, 'orders', p)).map((r) => r.value);
      expect(values).toEqual(acked[p]);
    }
    expect(acked[1]).toHaveLength(25);
    const described = await b.describeTopic('orders');
    expect(described.partitions[0]?.actor.restarts).toBe(crashes);
    expect(described.partitions[1]?.actor.restarts).toBe(0);
  });

  it('takes a partition past its restart limit offline alone, and an operator restart brings it back', async () => {
    const b = await broker({ partitionSupervision: { maxRestarts: 3, withinMs: 60_000, backoff: null } });
    await b.createTopic('orders', { partitions: 3 });
    await b.produceRecords('orders', [{ value: 'kept', partition: 0 }]);
    for (let i = 0; i < 4; i++) {
      await running(b);
      b.faults.crash(P0, { message: 'disk on fire' });
    }
    await eventually(() => b.partitionState('orders', 0) === 'offline', 'orders-0 offline');

    const error = await expectBrokerError(
      b.produceRecords('orders', [{ value: 'lost', partition: 0 }]),
      'PARTITION_OFFLINE',
      /Partition 0 of 'orders' is offline/,
    );
    expect((error as { retriable?: boolean }).retriable).toBe(true);
    await expectBrokerError(
      b.listOffsets('orders', 0, 'latest'),
      'PARTITION_OFFLINE',
      /restarts in 60s: disk on fire/,
    );
    const fetched = await b.fetch({
      partitions: [0, 1].map((p) => ({ topic: 'orders', partition: p, offset: 0, maxBytes: 1024 })),
      maxWaitMs: 10_000,
      minBytes: 1,
      maxBytes: 1 << 20,
    });
    expect(fetched.partitions[0]?.error?.code).toBe('PARTITION_OFFLINE');
    expect(fetched.partitions[1]?.error).toBeUndefined();
    await b.produceRecords('orders', [{ value: 'other', partition: 1 }]);

    const topic = b.supervisionTree().children.find((c) => c.name === 'topics')?.children[0];
    expect(topic?.state).toBe('running');
    expect(topic?.children.map((c) => c.state)).toEqual(['offline', 'running', 'running']);
    expect(b.listTopics()[0]?.offlinePartitions).toBe(1);
    const described = await b.describeTopic('orders');
    expect(described.partitions[0]?.actor.state).toBe('offline');
    expect(described.partitions[0]?.error).toMatch(/offline/);

    await b.restartPartition('orders', 0);
    expect(b.partitionState('orders', 0)).toBe('running');
    await b.produceRecords('orders', [{ value: 'back', partition: 0 }]);
    expect((await readAll(b, 'orders', 0)).map((r) => r.value)).toEqual(['kept', 'back']);
  });

  it('restarts a partition whose disk writes fail and keeps only acknowledged records', async () => {
    const b = await broker();
    await b.createTopic('orders', { partitions: 2 });
    await b.produceRecords('orders', [{ value: 'a', partition: 0 }]);
    b.faults.failWrites(P0, 1);
    expect(b.eventHistory().events.at(-1)).toMatchObject({ type: 'fault-injected', fault: 'fail-writes' });
    await expectBrokerError(
      b.produceRecords('orders', [{ value: 'x', partition: 0 }]),
      'KAFKA_STORAGE_ERROR',
      /ENOSPC/,
    );
    await b.produceRecords('orders', [{ value: 'b', partition: 0 }]);
    await b.produceRecords('orders', [{ value: 'c', partition: 1 }]);
    expect((await readAll(b, 'orders', 0)).map((r) => r.value)).toEqual(['a', 'b']);
    expect((await b.describeTopic('orders')).partitions.map((p) => p.actor.restarts)).toEqual([1, 0]);
  });

  it('starts with a partition that cannot open its log offline, the others serving', async () => {
    const temp = tempDataDir();
    cleanups.push(temp.cleanup);
    const options = { partitionSupervision: { maxRestarts: 2, withinMs: 60_000, backoff: null } };
    let b = await startBroker(temp.dir, options);
    await b.createTopic('orders', { partitions: 2 });
    await b.stop();
    const dir = path.join(temp.dir, 'logs', 'orders-1');
    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(dir, 'not a directory');
    b = await startBroker(temp.dir, options);
    cleanups.push(() => b.stop());
    expect(b.partitionState('orders', 1)).toBe('offline');
    await expectBrokerError(b.listOffsets('orders', 1, 'latest'), 'PARTITION_OFFLINE', /Cannot open the log/);
    await b.produceRecords('orders', [{ value: 'fine', partition: 0 }]);
    const described = await b.describeTopic('orders');
    expect(described.partitions[1]?.error).toMatch(/offline after 2 restarts/);
    fs.rmSync(dir);
    await b.restartPartition('orders', 1);
    await b.produceRecords('orders', [{ value: 'back', partition: 1 }]);
  });

  it('reports a worker past its restart limit offline, and broker health lists every offline actor', async () => {
    const b = await broker({ partitionSupervision: { maxRestarts: 0, withinMs: 60_000, backoff: null } });
    await b.createTopic('orders', { partitions: 2 });
    expect(b.health()).toEqual({ running: true, ok: true, problems: [] });
    // The root allows a worker 10 restarts a minute; the 11th failure escalates past the root.
    for (let i = 0; i <= 10; i++) {
      await eventually(() => workerState(b, 'retention') === 'running', 'retention running');
      b.faults.crash('/broker/retention', { message: 'retention broke' });
    }
    await eventually(() => workerState(b, 'retention') === 'offline', 'retention offline');
    b.faults.crash(P0, { message: 'disk on fire' });
    await eventually(() => b.partitionState('orders', 0) === 'offline', 'orders-0 offline');
    const health = b.health();
    expect(health).toMatchObject({ running: true, ok: false });
    expect(health.problems).toEqual([
      expect.stringMatching(/^\/broker\/topics\/orders\/0 is offline.*disk on fire/),
      expect.stringMatching(/^\/broker\/retention is offline.*retention broke/),
    ]);
    await b.restartActor('/broker/retention');
    await b.restartPartition('orders', 0);
    expect(b.health().ok).toBe(true);
    await b.stop();
    expect(b.health()).toEqual({ running: false, ok: false, problems: ['The broker is stopped'] });
  });

  it('reports supervision events, live and from the history', async () => {
    const b = await broker();
    await b.createTopic('orders', { partitions: 1 });
    const seen: LifecycleEvent[] = [];
    const unsubscribe = b.subscribeEvents((e) => seen.push(e));
    b.faults.crash(P0);
    await running(b);
    unsubscribe();
    const types = seen.filter((e) => e.path === P0).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['fault-injected', 'failed', 'restarting', 'restarted']));
    const history = b
      .eventHistory()
      .events.filter((e) => e.path === P0)
      .map((e) => e.type);
    expect(history[0]).toBe('started');
    expect(history).toContain('restarted');
  });

  it('slows a partition down with an injected delay, and clears it', async () => {
    const b = await broker();
    await b.createTopic('orders', { partitions: 1 });
    b.faults.delay(P0, 20);
    const [result] = await b.produceRecords('orders', [{ value: 'slow', partition: 0 }]);
    expect(result?.offset).toBe(0);
    b.faults.clear(P0);
    await b.produceRecords('orders', [{ value: 'fast', partition: 0 }]);
    expect(b.eventHistory().events.some((e) => e.type === 'fault-injected' && e.fault === 'delay')).toBe(
      true,
    );
  });

  it('refuses fault injection when it is disabled, and unknown actors', async () => {
    const b = await broker({ faultInjection: false });
    await b.createTopic('orders', { partitions: 1 });
    await expectBrokerError(() => b.faults.crash(P0), 'POLICY_VIOLATION', /disabled/);
    await expectBrokerError(() => b.faults.failWrites(P0, 1), 'POLICY_VIOLATION');
    const on = await broker();
    await expectBrokerError(() => on.faults.crash('/broker/topics/nope/0'), 'INVALID_REQUEST', /No actor at/);
    await expectBrokerError(
      () => on.faults.failWrites('/broker/retention', 1),
      'INVALID_REQUEST',
      /not a partition/,
    );
    await expectBrokerError(on.restartActor('/broker/topics/nope'), 'INVALID_REQUEST', /No actor at/);
  });
});
