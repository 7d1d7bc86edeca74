import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sirv from 'sirv';
import type { Logger } from '../logger';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  /** Path prefix, matched on a segment boundary: '/trpc' matches '/trpc' and '/trpc/x'. */
  prefix: string;
  handler: RequestHandler;
}

export interface HttpServerOptions {
  /** The built SPA (dist/web); served with an index.html fallback so deep links load the app. */
  staticDir: string;
  routes: Route[];
  logger: Logger;
}

function matches(url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(prefix + '/') || url.startsWith(prefix + '?');
}

/**
 * The console's HTTP door: API routes first, then the single-page app. A handler that throws
 * answers 500 with a one-line message and is logged; the process never goes down for it.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const { staticDir, routes, logger } = options;
  const hasSpa = existsSync(join(staticDir, 'index.html'));
  const spa = hasSpa ? sirv(staticDir, { single: true, etag: true, gzip: false, dev: false }) : undefined;

  return createServer((req, res) => {
    const url = req.url ?? '/';
    const route = routes.find((r) => matches(url, r.prefix));
    const run = async () => {
      if (route) return route.handler(req, res);
      if (spa) return spa(req, res, () => notFound(res));
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The console is not built: run `npm run build:web` (npm start does it for you).\n');
    };
    Promise.resolve()
      .then(run)
      .catch((error: unknown) => {
        logger.error({ err: error, url }, 'http handler failed');
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        }
        res.end('Internal error: see the server log\n');
      });
  });
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found\n');
}

/**
 * Health check: the process is up and its components answered their start. `ok: false` is 503
 * ("unavailable"); `degraded` is 200 with status "degraded": the process serves, but part of it
 * (an offline partition, group or worker) does not.
 */
export function healthHandler(
  status: () => { ok: boolean; degraded?: boolean; details: Record<string, unknown> },
): RequestHandler {
  return (_req, res) => {
    const s = status();
    const word = !s.ok ? 'unavailable' : s.degraded === true ? 'degraded' : 'ok';
    res.writeHead(s.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: word, ...s.details }));
  };
}
