import { z } from 'zod';
import { changeProcedure, readProcedure, router } from '../trpc';
import { configName, configValue, partitionCount, partitionList, topicName } from '../schemas';

const alteration = z.discriminatedUnion('op', [
  z.object({ op: z.literal('set'), name: configName, value: configValue }),
  z.object({ op: z.literal('delete'), name: configName }),
]);

const topicInput = z.object({ topic: topicName });

export const topicsRouter = router({
  list: readProcedure
    .input(z.object({ includeInternal: z.boolean().optional() }).optional())
    .query(({ ctx, input }) => ctx.cluster.listTopics({ includeInternal: input?.includeInternal ?? false })),

  describe: readProcedure.input(topicInput).query(({ ctx, input }) => ctx.cluster.describeTopic(input.topic)),

  create: changeProcedure
    .input(
      z.object({
        name: topicName,
        partitions: partitionCount,
        configs: z.record(configName, configValue).default({}),
      }),
    )
    .mutation(({ ctx, input }) => ctx.cluster.createTopic(input)),

  /** Incremental: only the named configs change; `delete` restores the default. */
  alterConfigs: changeProcedure
    .input(
      z.object({
        topic: topicName,
        alterations: z.array(alteration).min(1, 'Nothing to change').max(100),
      }),
    )
    .mutation(({ ctx, input }) => ctx.cluster.alterTopicConfigs(input.topic, input.alterations)),

  addPartitions: changeProcedure
    .input(z.object({ topic: topicName, totalPartitions: partitionCount }))
    .mutation(({ ctx, input }) => ctx.cluster.addPartitions(input.topic, input.totalPartitions)),

  /** Deletes every record (or those of some partitions); the topic and its offsets remain. */
  purge: changeProcedure
    .input(z.object({ topic: topicName, partitions: partitionList.optional() }))
    .mutation(({ ctx, input }) => ctx.cluster.purgeTopic(input.topic, input.partitions)),

  delete: changeProcedure.input(topicInput).mutation(async ({ ctx, input }) => {
    await ctx.cluster.deleteTopic(input.topic);
    return { deleted: input.topic };
  }),
});
