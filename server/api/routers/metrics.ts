import { tracked } from '@trpc/server';
import { z } from 'zod';
import { readProcedure, router } from '../trpc';
import { relay } from '../streams';
import { emptyRangeCheck, groupId, partitionIndex, resumable, timestamp, topicName } from '../schemas';
import { parseEventId } from './cluster';

const scope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('broker') }),
  z.object({ kind: z.literal('topic'), topic: topicName }),
  z.object({ kind: z.literal('partition'), topic: topicName, partition: partitionIndex }),
  z.object({ kind: z.literal('group'), groupId }),
  /** The Kafka door: connected clients and requests per second by API. */
  z.object({ kind: z.literal('kafka') }),
]);

/** Charts hold about 300 points; a few thousand is the most a history request may ask for. */
const MAX_POINTS = 5_000;

export const metricsRouter = router({
  /** Throughput (and a group's lag, or the Kafka door's clients) over a window, one point per `stepMs`. */
  history: readProcedure
    .input(
      z
        .object({ scope, from: timestamp, to: timestamp, stepMs: z.number().int().min(1000).max(86_400_000) })
        .refine(...emptyRangeCheck)
        .refine((r) => (r.to - r.from) / r.stepMs <= MAX_POINTS, {
          message: `Too many points: widen the step to at most ${MAX_POINTS} points`,
          path: ['stepMs'],
        }),
    )
    .query(({ ctx, input }) => ctx.cluster.metricsHistory(input)),

  /** One tick per second for every chart on the page: a single SSE connection per page. */
  live: readProcedure
    .input(z.object({ partitionsOf: z.array(topicName).max(20).default([]), ...resumable }))
    .subscription(async function* ({ ctx, input, signal }) {
      const request = { partitionsOf: input.partitionsOf, afterId: parseEventId(input.lastEventId) };
      for await (const tick of relay(signal, (s) => ctx.cluster.metricsStream(request, s))) {
        yield tracked(String(tick.id), tick);
      }
    }),
});
