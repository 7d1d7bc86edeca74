import { describe, expect, it } from 'vitest';
import { createTestApi, failure } from '../test-support/caller';

describe('cluster router', () => {
  it('reports the fault-injection feature only when the server allows it', async () => {
    expect((await createTestApi().api.cluster.info()).features.faultInjection).toBe(true);
    const off = createTestApi({ faultInjection: false });
    expect((await off.api.cluster.info()).features).toMatchObject({
      faultInjection: false,
      supervision: true,
    });
  });

  it('refuses every call without a valid token', async () => {
    const { api } = createTestApi({ request: { authorized: false } });
    const error = await failure(api.cluster.info());
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('refuses changes requested by another site but still answers its reads', async () => {
    const { api } = createTestApi({ request: { sameOrigin: false, origin: 'https://evil.example' } });
    await expect(api.topics.list()).resolves.toEqual([]);
    const error = await failure(api.topics.create({ name: 'x', partitions: 1, configs: {} }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toContain('https://evil.example');
  });
});
