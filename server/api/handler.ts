import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Logger } from '../logger';
import { ClusterError } from '../cluster/cluster';
import { bearerToken, tokenMatches } from './auth';
import { createContextFactory, type ApiSettings } from './context';
import { appRouter } from './routers/_app';

export type ApiRequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ApiHandlerOptions extends ApiSettings {
  logger: Logger;
}

export interface ApiHandlers {
  /** Mount at /trpc: every procedure, queries and mutations over HTTP, subscriptions over SSE. */
  trpc: ApiRequestHandler;
  /** Mount at /metrics: the Prometheus text exposition (same token rule as the API). */
  metrics: ApiRequestHandler;
}

/** A produce form may carry a value of a few MiB, as base64 in JSON; nothing legitimate is larger. */
const MAX_BODY_BYTES = 24 * 1024 * 1024;

export function createApiHandler(options: ApiHandlerOptions): ApiHandlers {
  const { cluster, authToken, logger } = options;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: MAX_BODY_BYTES,
    createContext: createContextFactory(options),
    onError({ error, path, type }) {
      // Expected failures (bad input, unknown topic) are the caller's business; log only ours.
      const cause = error.cause;
      const unexpected =
        error.code === 'INTERNAL_SERVER_ERROR' &&
        !(cause instanceof ClusterError && cause.code !== 'INTERNAL');
      if (unexpected) logger.error({ err: cause ?? error, path, type }, 'console API call failed');
    },
  });

  const metrics: ApiRequestHandler = async (req, res) => {
    if (authToken !== undefined && !tokenMatches(authToken, bearerToken(req.headers.authorization))) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end('Authorization: Bearer <token> required\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Use GET\n');
      return;
    }
    try {
      const text = await cluster.prometheusText();
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (error) {
      logger.error({ err: error }, 'metrics exposition failed');
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Metrics are unavailable: see the server log\n');
    }
  };

  return { trpc, metrics };
}
