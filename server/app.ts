import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { SluiceConfig } from './config';
import type { Logger } from './logger';
import { createHttpServer, healthHandler } from './http/http-server';
import { closeServer, listen } from './http/listen';

export interface RunningSluice {
  httpUrl: string;
  httpPort: number;
  stop(): Promise<void>;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Wires the process: broker core, the console's HTTP door and the Kafka door. Each part is
 * started in dependency order and stopped in reverse, so a failure to bind a port leaves
 * nothing running behind it.
 */
export async function startSluice(
  config: SluiceConfig & { dataDir: string },
  logger: Logger,
): Promise<RunningSluice> {
  const startedAt = Date.now();
  const http = createHttpServer({
    staticDir: join(repoRoot, 'dist', 'web'),
    logger: logger.child({ component: 'http' }),
    routes: [
      {
        prefix: '/healthz',
        handler: healthHandler(() => ({ ok: true, details: { uptimeMs: Date.now() - startedAt } })),
      },
    ],
  });
  const httpPort = await listen(http, config.host, config.httpPort, 'The console', '--http-port');
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    httpUrl: `http://${hostForUrl}:${httpPort}`,
    httpPort,
    async stop() {
      await closeServer(http);
    },
  };
}
