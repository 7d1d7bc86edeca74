import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../../server/api/routers/_app';

/** The typed tRPC hooks. Only the router's type crosses from the server into the browser. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
