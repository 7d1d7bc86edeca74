import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSluice, type RunningSluice } from './app';
import type { BrokerHealth } from './broker/broker';
import { createLogger } from './logger';

/** /healthz as a load balancer sees it: 200 while the process serves, 503 once the broker does not. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(health: () => BrokerHealth): Promise<RunningSluice> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-app-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const sluice = await startSluice(
    {
      dataDir,
      host: '127.0.0.1',
      httpPort: 0,
      kafkaPort: 0,
      advertisedHost: '127.0.0.1',
      authToken: undefined,
      autoCreateTopics: false,
      faultInjection: false,
      logLevel: 'silent',
    },
    createLogger('silent'),
    { health },
  );
  cleanups.push(() => sluice.stop());
  return sluice;
}

describe('/healthz', () => {
  it('is ok, degraded with the problems (still 200), or unavailable (503) as the broker reports', async () => {
    let health: BrokerHealth = { running: true, ok: true, problems: [] };
    const sluice = await start(() => health);
    const get = async () => {
      const response = await fetch(`${sluice.httpUrl}/healthz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await get()).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await get()).body).not.toHaveProperty('problems');
    health = { running: true, ok: false, problems: ['/broker/retention is offline: retention broke'] };
    expect(await get()).toMatchObject({
      status: 200,
      body: { status: 'degraded', problems: ['/broker/retention is offline: retention broke'] },
    });
    health = { running: false, ok: false, problems: ['The broker is stopping'] };
    expect(await get()).toMatchObject({ status: 503, body: { status: 'unavailable' } });
  });
});
