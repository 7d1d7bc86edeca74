import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startSluice } from '../app';
import { parseConfig } from '../config';
import { startKafkaListener } from './kafka-listener';
import { ApiKey } from './protocol/generated/index';
import { RawKafkaClient } from './testing/raw-kafka-client';
import { UNWIRED_BROKER } from './unwired-broker';

const silent = pino({ level: 'silent' });
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function occupiedPort(): Promise<number> {
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
  return (blocker.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-kafka-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('startKafkaListener', () => {
  it('a port in use is one clear sentence naming --kafka-port', async () => {
    const port = await occupiedPort();
    await expect(
      startKafkaListener({ port, broker: UNWIRED_BROKER, clusterId: 'c', logger: silent }),
    ).rejects.toThrow(
      `The Kafka listener port ${port} on 127.0.0.1 is already in use; choose another with --kafka-port`,
    );
  });

  it('binds 127.0.0.1 by default and advertises the bound port', async () => {
    const listener = await startKafkaListener({
      port: 0,
      advertisedHost: 'broker.example',
      broker: UNWIRED_BROKER,
      clusterId: 'c',
      logger: silent,
    });
    cleanups.push(() => listener.stop());
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.address).toBe(`broker.example:${listener.port}`);
  });

  it('refuses nonsensical limits before binding', async () => {
    await expect(
      startKafkaListener({
        port: 0,
        broker: UNWIRED_BROKER,
        clusterId: 'c',
        logger: silent,
        maxRequestBytes: 0,
      }),
    ).rejects.toThrow(/maxRequestBytes must be a positive integer/);
  });
});

describe('startSluice with the Kafka listener', () => {
  it('serves ApiVersions next to the console and stops both', async () => {
    const config = parseConfig(['--http-port', '0', '--kafka-port', '0', '--data-dir', dataDir()], {});
    const sluice = await startSluice(config, silent);
    let stopped = false;
    cleanups.push(() => (stopped ? undefined : sluice.stop()));
    expect(sluice.kafkaAddress).toBe(`127.0.0.1:${sluice.kafkaPort}`);
    const c = await RawKafkaClient.connect(sluice.kafkaPort);
    c.request({ requestApiKey: ApiKey.ApiVersions, requestApiVersion: 0, correlationId: 3 });
    expect((await c.waitForResponses(1))[0]?.correlationId).toBe(3);
    await sluice.stop();
    stopped = true;
    await c.closed;
    await expect(RawKafkaClient.connect(sluice.kafkaPort)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a Kafka port in use fails start-up with the flag named and leaves the console port free', async () => {
    const kafkaPort = await occupiedPort();
    const httpPort = await freePort();
    const config = parseConfig(
      ['--http-port', String(httpPort), '--kafka-port', String(kafkaPort), '--data-dir', dataDir()],
      {},
    );
    await expect(startSluice(config, silent)).rejects.toThrow(
      `The Kafka listener port ${kafkaPort} on 127.0.0.1 is already in use; choose another with --kafka-port`,
    );
    // The console had bound its port first; the failure closed it again.
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(httpPort, '127.0.0.1', resolve);
    });
    await new Promise<void>((r) => again.close(() => r()));
  });
});
