import { ClusterError } from '../cluster/cluster';
import { toTRPCError } from './errors';

/**
 * Runs one of the cluster's live streams for a subscription. The cluster's iterable gets a signal
 * that aborts when the browser goes away or the subscription ends, however it ends, so that the
 * cluster can drop its listeners; its errors become tRPC errors like any procedure's.
 */
export async function* relay<T>(
  requestSignal: AbortSignal | undefined,
  open: (signal: AbortSignal) => AsyncIterable<T>,
): AsyncGenerator<T, void, undefined> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  requestSignal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const item of open(controller.signal)) {
      if (controller.signal.aborted) return;
      yield item;
    }
  } catch (error) {
    if (controller.signal.aborted) return; // the stream ended because we asked it to
    throw error instanceof ClusterError ? toTRPCError(error) : error;
  } finally {
    requestSignal?.removeEventListener('abort', stop);
    controller.abort();
  }
}
