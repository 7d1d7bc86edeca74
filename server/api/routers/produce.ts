import { z } from 'zod';
import { changeProcedure, router } from '../trpc';
import { partitionIndex, payload, timestamp, topicName } from '../schemas';

export const produceRouter = router({
  /** One record; without a partition the default partitioner chooses (murmur2 of the key). */
  send: changeProcedure
    .input(
      z.object({
        topic: topicName,
        partition: partitionIndex.optional(),
        key: payload.nullable(),
        value: payload.nullable(),
        headers: z
          .array(z.object({ key: z.string().max(1000, 'Header key is too long'), value: payload.nullable() }))
          .max(100, 'At most 100 headers')
          .default([]),
        timestamp: timestamp.optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.cluster.produce(input)),
});
