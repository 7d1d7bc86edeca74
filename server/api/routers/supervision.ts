import { z } from 'zod';
import { faultProcedure, readProcedure, router } from '../trpc';

const actorPath = z
  .string()
  .min(1, 'Choose an actor')
  .max(1000)
  // Slash-separated names (topic names included), never '.' or '..' segments.
  .regex(/^(?!(?:.*\/)?\.\.?(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/, 'Not an actor path');

const fault = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('crash'), path: actorPath }),
  z.object({
    kind: z.literal('fail-writes'),
    path: actorPath,
    count: z.number().int().min(1, 'Fail at least 1 write').max(1000, 'At most 1000 writes'),
  }),
  z.object({ kind: z.literal('clear'), path: actorPath }),
  z.object({
    kind: z.literal('delay'),
    path: actorPath,
    delayMs: z.number().int().min(1, 'Delay must be at least 1 ms').max(60_000, 'Delay must be at most 60 s'),
    durationMs: z
      .number()
      .int()
      .min(1000, 'Slow down for at least 1 s')
      .max(600_000, 'Slow down for at most 10 minutes'),
  }),
]);

export const supervisionRouter = router({
  tree: readProcedure.query(({ ctx }) => ctx.cluster.actorTree()),

  /** FORBIDDEN unless the server runs with --fault-injection. */
  injectFault: faultProcedure.input(fault).mutation(async ({ ctx, input }) => {
    await ctx.cluster.injectFault(input);
    return { injected: input.kind, path: input.path };
  }),
});
