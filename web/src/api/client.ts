import { QueryClient } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import type { AppRouter } from '../../../server/api/routers/_app';
import { getToken } from './auth-token';

/**
 * Queries and mutations go over batched HTTP with the token in a header; subscriptions over SSE,
 * where a browser cannot set headers, so the token travels as tRPC connection params.
 */
export function createApiClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: '/trpc',
          connectionParams: () => {
            const token = getToken();
            return token ? { token } : null;
          },
        }),
        false: httpBatchLink({
          url: '/trpc',
          maxURLLength: 2000,
          headers: () => {
            const token = getToken();
            return token ? { authorization: `Bearer ${token}` } : {};
          },
        }),
      }),
    ],
  });
}

/** Retry only what may succeed on retry: not bad input, not a missing topic, not auth. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
    if (status === undefined || (status >= 400 && status < 500 && status !== 429)) return false;
  }
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 2000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
