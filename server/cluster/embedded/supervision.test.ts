import { afterEach, describe, expect, it } from 'vitest';
import { failure, takeTracked } from '../../api/test-support/caller';
import type { ActorEvent, ClusterEvent } from '../types';
import { startEmbeddedApi, type EmbeddedApi } from './test-harness';

let test: EmbeddedApi | undefined;
afterEach(async () => {
  await test?.stop();
  test = undefined;
});

const text = (data: string) => ({ encoding: 'utf8' as const, data });

async function start(options: Parameters<typeof startEmbeddedApi>[0] = {}): Promise<EmbeddedApi> {
  test = await startEmbeddedApi(options);
  return test;
}

const actorEvents = (events: ClusterEvent[], path: string): ActorEvent[] =>
  events.filter((e): e is ActorEvent => e.kind === 'actor' && e.path === path);

describe('EmbeddedCluster supervision through the router', () => {
  it('shows the tree: broker, topic supervisors with their strategy, partition actors, workers', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 2, configs: {} });
    const tree = await api.supervision.tree();
    expect(tree).toMatchObject({ path: 'broker', kind: 'broker', state: 'running' });
    const topics = tree.children.find((c) => c.path === 'broker/topics');
    expect(topics?.kind).toBe('supervisor');
    const orders = topics?.children.find((c) => c.name === 'orders');
    expect(orders?.strategy).toMatch(/^one-for-one, at most 5 restarts in 60 s/);
    expect(orders?.children.map((c) => [c.path, c.kind, c.state, c.mailbox?.capacity])).toEqual([
      ['broker/topics/orders/0', 'partition', 'running', 1000],
      ['broker/topics/orders/1', 'partition', 'running', 1000],
    ]);
    expect(tree.children.filter((c) => c.kind === 'worker').map((c) => c.name)).toEqual(
      expect.arrayContaining(['retention', 'log-cleaner']),
    );
  });

  it('refuses fault injection when the console has it off', async () => {
    const { api } = await start({ faultInjection: false });
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    const error = await failure(
      api.supervision.injectFault({ kind: 'crash', path: 'broker/topics/orders/0' }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe(
      'Fault injection is disabled: start Sluice with --fault-injection to enable it',
    );
    expect((await api.cluster.info()).features.faultInjection).toBe(false);
  });

  it('refuses fault injection when the broker has it off, whatever the console says', async () => {
    const { api } = await start({ faultInjection: true, brokerFaultInjection: false });
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    const error = await failure(
      api.supervision.injectFault({ kind: 'crash', path: 'broker/topics/orders/0' }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect((await api.cluster.info()).features.faultInjection).toBe(false);
    const [partition] = (await api.topics.describe({ topic: 'orders' })).partitions;
    expect(partition?.actor?.restarts).toBe(0);
  });

  it('crashes a partition actor: it restarts, counts it, reports the events and keeps serving', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    await api.produce.send({ topic: 'orders', key: null, value: text('before') });
    await api.supervision.injectFault({ kind: 'crash', path: 'broker/topics/orders/0' });
    await expect
      .poll(async () => (await api.topics.describe({ topic: 'orders' })).partitions[0]?.actor)
      .toEqual({ path: 'broker/topics/orders/0', state: 'running', restarts: 1 });
    const events = actorEvents(
      await api.cluster.eventHistory({ kinds: ['actor'] }),
      'broker/topics/orders/0',
    );
    expect(events.map((e) => e.type)).toEqual([
      'started',
      'fault-injected',
      'failed',
      'restarting',
      'restarted',
    ]);
    expect(events.find((e) => e.type === 'failed')?.message).toBe('Injected crash at broker/topics/orders/0');
    const ids = events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const node = (await api.supervision.tree()).children
      .find((c) => c.name === 'topics')
      ?.children.find((c) => c.name === 'orders')
      ?.children.at(0);
    expect(node).toMatchObject({
      restarts: 1,
      lastError: { message: 'Injected crash at broker/topics/orders/0' },
    });
    await api.produce.send({ topic: 'orders', key: null, value: text('after') });
    const page = await api.messages.read({ topic: 'orders', seek: { kind: 'oldest' }, limit: 10 });
    expect(page.records.map((r) => r.value?.data)).toEqual(['before', 'after']);
  });

  it('makes the next writes fail as retriable UNAVAILABLE errors, then serves again', async () => {
    const { api } = await start();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    await api.supervision.injectFault({ kind: 'fail-writes', path: 'broker/topics/orders/0', count: 1 });
    const send = () => api.produce.send({ topic: 'orders', key: null, value: text('x') });
    const error = await failure(send());
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    await expect.poll(async () => (await send().catch(() => null))?.offset).toBe(0);
  });

  it('answers NOT_FOUND for an unknown actor, BAD_REQUEST for a bad path or a non-partition write fault', async () => {
    const { api } = await start();
    const unknown = await failure(api.supervision.injectFault({ kind: 'crash', path: 'broker/nope' }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toBe("There is no actor at 'broker/nope'");
    expect((await failure(api.supervision.injectFault({ kind: 'crash', path: '../etc' }))).code).toBe(
      'BAD_REQUEST',
    );
    const worker = await failure(
      api.supervision.injectFault({ kind: 'fail-writes', path: 'broker/retention', count: 1 }),
    );
    expect(worker.code).toBe('BAD_REQUEST');
    expect(worker.message).toBe('/broker/retention is not a partition: only partitions write to disk');
  });

  it('streams events with increasing ids and resumes after the last one', async () => {
    const { api } = await start();
    const history = await api.cluster.eventHistory({});
    expect(history.length).toBeGreaterThan(0); // the broker's start-up
    const live = takeTracked<ClusterEvent>(await api.cluster.events(), 2);
    let settled = false;
    void live.finally(() => (settled = true));
    for (let i = 0; !settled; i++) {
      await api.topics.create({ name: `t${i}`, partitions: 1, configs: {} });
      await new Promise((r) => setTimeout(r, 10));
    }
    const [a, b] = await live;
    expect(Number(b!.id)).toBeGreaterThan(Number(a!.id));
    expect(Number(a!.id)).toBeGreaterThan(history.at(-1)!.id);
    await api.topics.create({ name: 'more', partitions: 1, configs: {} });
    const resumed = await takeTracked<ClusterEvent>(await api.cluster.events({ lastEventId: a!.id }), 1);
    expect(resumed[0]?.data).toEqual(b!.data);
  });
});
