import { tracked } from '@trpc/server';
import { z } from 'zod';
import { readProcedure, router } from '../trpc';
import { relay } from '../streams';
import { resumable } from '../schemas';

/** Event ids are decimal integers; anything else (a stale or forged id) restarts from now. */
export function parseEventId(id: string | null | undefined): number | undefined {
  if (id === null || id === undefined || !/^\d{1,15}$/.test(id)) return undefined;
  return Number(id);
}

const eventKinds = z.array(z.enum(['actor', 'rebalance'])).max(2);

export const clusterRouter = router({
  /** Version, uptime, listeners; `features.faultInjection` also reflects the server's flag. */
  info: readProcedure.query(async ({ ctx }) => {
    const info = await ctx.cluster.info();
    return {
      ...info,
      features: { ...info.features, faultInjection: info.features.faultInjection && ctx.faultInjection },
    };
  }),

  /** Past supervision and rebalance events, oldest first. */
  eventHistory: readProcedure
    .input(
      z.object({
        afterId: z.number().int().min(0).optional(),
        kinds: eventKinds.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      }),
    )
    .query(({ ctx, input }) => ctx.cluster.eventHistory(input)),

  /** Rebalances and supervision events as they happen; a reconnect resumes after the last id. */
  events: readProcedure.input(z.object({ ...resumable }).optional()).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const afterId = parseEventId(input?.lastEventId);
    for await (const event of relay(signal, (s) => ctx.cluster.eventStream({ afterId }, s))) {
      yield tracked(String(event.id), event);
    }
  }),
});
