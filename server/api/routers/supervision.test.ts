import { describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../../cluster/types';
import { createTestApi, failure, takeTracked } from '../test-support/caller';

describe('supervision router', () => {
  it('shows the tree: broker, topic supervisors, partition actors, groups', async () => {
    const { api } = createTestApi();
    await api.topics.create({ name: 'orders', partitions: 2, configs: {} });
    const tree = await api.supervision.tree();
    expect(tree.path).toBe('broker');
    const topics = tree.children.find((c) => c.path === 'broker/topics');
    const orders = topics?.children.find((c) => c.name === 'orders');
    expect(orders?.children.map((c) => [c.path, c.kind, c.state])).toEqual([
      ['broker/topics/orders/0', 'partition', 'running'],
      ['broker/topics/orders/1', 'partition', 'running'],
    ]);
  });

  it('refuses fault injection unless it is enabled', async () => {
    const { api } = createTestApi({ faultInjection: false });
    const error = await failure(api.supervision.injectFault({ kind: 'crash', path: 'broker/retention' }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toContain('--fault-injection');
  });

  it('crashes an actor: it restarts, counts it and reports the events', async () => {
    const { api } = createTestApi();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    await api.supervision.injectFault({ kind: 'crash', path: 'broker/topics/orders/0' });
    const [partition] = (await api.topics.describe({ topic: 'orders' })).partitions;
    expect(partition?.actor).toMatchObject({ state: 'running', restarts: 1 });
    const events = await api.cluster.eventHistory({ kinds: ['actor'] });
    expect(events.slice(-4).map((e) => (e.kind === 'actor' ? e.type : e.kind))).toEqual([
      'fault-injected',
      'failed',
      'restarting',
      'restarted',
    ]);
  });

  it('makes the next writes fail, as UNAVAILABLE (retriable) errors', async () => {
    const { api } = createTestApi();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    await api.supervision.injectFault({ kind: 'fail-writes', path: 'broker/topics/orders/0', count: 1 });
    const send = () =>
      api.produce.send({ topic: 'orders', key: null, value: { encoding: 'utf8', data: 'x' } });
    expect((await failure(send())).code).toBe('SERVICE_UNAVAILABLE');
    await expect(send()).resolves.toMatchObject({ offset: 0 });
  });

  it('answers NOT_FOUND for an unknown actor and BAD_REQUEST for a bad path', async () => {
    const { api } = createTestApi();
    expect((await failure(api.supervision.injectFault({ kind: 'crash', path: 'broker/nope' }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await failure(api.supervision.injectFault({ kind: 'crash', path: '../etc' }))).code).toBe(
      'BAD_REQUEST',
    );
  });

  it('streams events with increasing ids and resumes after the last one', async () => {
    const { api } = createTestApi();
    const live = takeTracked<ClusterEvent>(await api.cluster.events(), 2);
    await Promise.resolve();
    await api.topics.create({ name: 'orders', partitions: 2, configs: {} });
    const [a, b] = await live;
    expect(Number(b!.id)).toBe(Number(a!.id) + 1);
    await api.topics.create({ name: 'more', partitions: 1, configs: {} });
    const resumed = await takeTracked<ClusterEvent>(await api.cluster.events({ lastEventId: b!.id }), 1);
    expect(resumed[0]?.data).toMatchObject({ kind: 'actor', path: 'broker/topics/more/0' });
  });
});
