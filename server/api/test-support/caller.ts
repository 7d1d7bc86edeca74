import { isTrackedEnvelope, TRPCError } from '@trpc/server';
import { createInnerContext, type RequestFacts } from '../context';
import { appRouter } from '../routers/_app';
import { createCallerFactory } from '../trpc';
import { MemoryCluster, type MemoryClusterOptions } from './memory-cluster';

const createCaller = createCallerFactory(appRouter);

export interface TestApi {
  cluster: MemoryCluster;
  api: ReturnType<typeof createCaller>;
}

/** A caller over a fresh in-memory cluster, as an authorised same-origin browser would call. */
export function createTestApi(
  options: { cluster?: MemoryClusterOptions; request?: Partial<RequestFacts>; faultInjection?: boolean } = {},
): TestApi {
  const cluster = new MemoryCluster(options.cluster);
  const ctx = createInnerContext(
    { cluster, faultInjection: options.faultInjection ?? true },
    { authorized: true, sameOrigin: true, origin: null, ...options.request },
  );
  return { cluster, api: createCaller(ctx) };
}

/** The first `count` items of a subscription, then it is ended (as a browser closing the page). */
export async function take<T>(iterable: AsyncIterable<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  if (count === 0) return items;
  for await (const item of iterable) {
    items.push(item);
    if (items.length >= count) break;
  }
  return items;
}

/** The TRPCError a call fails with; fails the test if it succeeds. */
export async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** What an SSE client sees of a tracked item: the caller hands out tRPC's raw envelopes. */
export function untrack<T>(item: unknown): { id: string; data: T } {
  if (!isTrackedEnvelope<T>(item)) throw new Error('expected a tracked item');
  return { id: item[0], data: item[1] };
}

export async function takeTracked<T>(
  iterable: AsyncIterable<unknown>,
  count: number,
): Promise<{ id: string; data: T }[]> {
  return (await take(iterable, count)).map((item) => untrack<T>(item));
}
