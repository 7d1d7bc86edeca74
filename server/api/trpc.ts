import { initTRPC, TRPCError } from '@trpc/server';
import { ClusterError } from '../cluster/cluster';
import type { Context } from './context';
import { describeError, toTRPCError } from './errors';

/**
 * tRPC is initialised once, here. `isDev: false` keeps stack traces out of every response; the
 * formatter replaces messages with operator-facing ones and adds the field at fault.
 */
const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const detail = describeError(error);
    return {
      code: shape.code,
      message: detail.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        field: detail.field,
        fieldErrors: detail.fieldErrors,
        clusterCode: detail.clusterCode,
        retriable: detail.retriable,
      },
    };
  },
  sse: {
    // A comment every 10 s keeps proxies from closing an idle stream; the client reconnects
    // (with its last event id) if it hears nothing for 25 s.
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Cluster failures become tRPC errors with the matching HTTP status and the same message. */
const clusterErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ClusterError) throw toTRPCError(result.error.cause);
  return result;
});

const authenticated = t.middleware(({ ctx, next }) => {
  if (!ctx.request.authorized) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'This console requires a token: send Authorization: Bearer <token>',
    });
  }
  return next();
});

const sameOrigin = t.middleware(({ ctx, next }) => {
  if (!ctx.request.sameOrigin) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `Refused a change requested from another site (Origin ${ctx.request.origin ?? 'unknown'})`,
    });
  }
  return next();
});

const faultInjectionEnabled = t.middleware(({ ctx, next }) => {
  if (!ctx.faultInjection) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Fault injection is disabled: start Sluice with --fault-injection to enable it',
    });
  }
  return next();
});

/** Reads and subscriptions. */
export const readProcedure = t.procedure.use(authenticated).use(clusterErrors);
/** Anything that changes the cluster. */
export const changeProcedure = readProcedure.use(sameOrigin);
/** Crashes, disk faults and delays, for operators and tests. */
export const faultProcedure = changeProcedure.use(faultInjectionEnabled);
