import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeHTTPCreateContextFnOptions } from '@trpc/server/adapters/node-http';
import type { Cluster } from '../cluster/cluster';
import { bearerToken, originMatchesHost, tokenMatches } from './auth';

/** What the console's API needs to run, shared by every request. */
export interface ApiSettings {
  cluster: Cluster;
  /** When set, every call must carry it (Authorization header, or connectionParams for SSE). */
  authToken: string | undefined;
  /** Fault-injection procedures answer FORBIDDEN unless this is on. */
  faultInjection: boolean;
}

/** Facts about one request, decided at the door so procedures never look at raw headers. */
export interface RequestFacts {
  authorized: boolean;
  /** False when a browser's Origin names another site: mutations are refused. */
  sameOrigin: boolean;
  origin: string | null;
}

/** The context without HTTP: what routers see and what tests build for `createCaller`. */
export function createInnerContext(settings: Omit<ApiSettings, 'authToken'>, request: RequestFacts) {
  return { cluster: settings.cluster, faultInjection: settings.faultInjection, request };
}

export type Context = ReturnType<typeof createInnerContext>;

export function createContextFactory(settings: ApiSettings) {
  return ({ req, info }: NodeHTTPCreateContextFnOptions<IncomingMessage, ServerResponse>): Context => {
    const presented = bearerToken(req.headers.authorization) ?? info.connectionParams?.token ?? null;
    const origin = req.headers.origin;
    return createInnerContext(settings, {
      authorized: settings.authToken === undefined || tokenMatches(settings.authToken, presented),
      sameOrigin: originMatchesHost(origin, req.headers.host),
      origin: origin ?? null,
    });
  };
}
