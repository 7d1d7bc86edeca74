import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSluice } from '../../app';
import { parseConfig } from '../../config';
import { createLogger } from '../../logger';
import { seedDemo } from './demo-data';
import { MemoryCluster } from './memory-cluster';

/**
 * `tsx server/api/test-support/dev-server.ts [--http-port 8080] [--fault-injection]`: the console
 * against the in-memory test double with demo data, for working on the UI before the broker core
 * is wired in. Not part of the product.
 */
async function main(): Promise<void> {
  const config = parseConfig(process.argv.slice(2));
  const cluster = new MemoryCluster({
    sampleEveryMs: 1000,
    restartDelayMs: 1500,
    faultInjection: config.faultInjection,
  });
  await seedDemo(cluster);
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-dev-'));
  const sluice = await startSluice({ ...config, dataDir }, createLogger(config.logLevel), { cluster });
  process.stdout.write(`Sluice console: ${sluice.httpUrl} (in-memory test double)\n`);
  const stop = () => {
    cluster.close();
    void sluice.stop().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
