import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { SluiceConfig } from './config';
import type { Logger } from './logger';
import { createHttpServer, healthHandler, type Route } from './http/http-server';
import type { Cluster } from './cluster/cluster';
import { createApiHandler } from './api/handler';
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
  options: { cluster?: Cluster } = {},
): Promise<RunningSluice> {
  const startedAt = Date.now();
  const routes: Route[] = [
    {
      prefix: '/healthz',
      handler: healthHandler(() => ({ ok: true, details: { uptimeMs: Date.now() - startedAt } })),
    },
  ];
  // The console's API needs a Cluster (the embedded broker's, once the core is wired in here).
  if (options.cluster) {
    const api = createApiHandler({
      cluster: options.cluster,
      authToken: config.authToken,
      faultInjection: config.faultInjection,
      logger: logger.child({ component: 'api' }),
    });
    routes.push({ prefix: '/trpc', handler: api.trpc }, { prefix: '/metrics', handler: api.metrics });
  }
  const http = createHttpServer({
    staticDir: join(repoRoot, 'dist', 'web'),
    logger: logger.child({ component: 'http' }),
    routes,
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
