import { z } from 'zod';
import { changeProcedure, readProcedure, router } from '../trpc';
import { groupId, offset, partitionIndex, partitionList, timestamp, topicName } from '../schemas';

const resetTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('earliest') }),
  z.object({ kind: z.literal('latest') }),
  z.object({ kind: z.literal('timestamp'), timestamp }),
  z.object({
    kind: z.literal('explicit'),
    offsets: z
      .array(z.object({ partition: partitionIndex, offset }))
      .min(1, 'Give at least one partition and offset'),
  }),
]);

export const groupsRouter = router({
  /** All groups, or those consuming one topic (the topic's Consumers tab). */
  list: readProcedure
    .input(z.object({ topic: topicName.optional() }).optional())
    .query(({ ctx, input }) => ctx.cluster.listGroups({ topic: input?.topic })),

  describe: readProcedure
    .input(z.object({ groupId }))
    .query(({ ctx, input }) => ctx.cluster.describeGroup(input.groupId)),

  /** Only for an Empty group (its consumers would overwrite the offsets otherwise). */
  resetOffsets: changeProcedure
    .input(
      z.object({
        groupId,
        topic: topicName,
        partitions: partitionList.optional(),
        target: resetTarget,
        dryRun: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) => ctx.cluster.resetGroupOffsets(input)),

  delete: changeProcedure.input(z.object({ groupId })).mutation(async ({ ctx, input }) => {
    await ctx.cluster.deleteGroup(input.groupId);
    return { deleted: input.groupId };
  }),

  /** Newest first: the timeline and the chart markers. */
  rebalances: readProcedure
    .input(
      z.object({
        groupId: groupId.optional(),
        since: timestamp.optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
    )
    .query(({ ctx, input }) => ctx.cluster.rebalanceHistory(input)),
});
