import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedApi, type EmbeddedApi } from '../../cluster/embedded/test-harness';
import { failure } from '../test-support/caller';

let test: EmbeddedApi | undefined;
afterEach(async () => {
  await test?.stop();
  test = undefined;
});

async function start(options: Parameters<typeof startEmbeddedApi>[0] = {}): Promise<EmbeddedApi> {
  test = await startEmbeddedApi(options);
  return test;
}

describe('cluster router', () => {
  it('describes the embedded cluster, with fault injection only when the server allows it', async () => {
    const on = await start();
    expect(await on.api.cluster.info()).toMatchObject({
      kind: 'embedded',
      features: { faultInjection: true, supervision: true, workload: true },
    });
    await on.stop();
    const { api } = await start({ faultInjection: false, brokerFaultInjection: true });
    expect((await api.cluster.info()).features).toMatchObject({ faultInjection: false, supervision: true });
  });

  it('refuses every call without a valid token', async () => {
    const { api } = await start({ request: { authorized: false } });
    const error = await failure(api.cluster.info());
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('refuses changes requested by another site but still answers its reads', async () => {
    const { api } = await start({ request: { sameOrigin: false, origin: 'https://evil.example' } });
    await expect(api.topics.list()).resolves.toEqual([]);
    const error = await failure(api.topics.create({ name: 'x', partitions: 1, configs: {} }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toContain('https://evil.example');
  });
});
