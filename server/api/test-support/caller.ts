import { isTrackedEnvelope, TRPCError } from '@trpc/server';

/**
 * Helpers for calling the console's routers in tests. The callers themselves are built over a
 * real EmbeddedCluster on a real Broker: server/cluster/embedded/test-harness.ts.
 */

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
