import { z } from 'zod';
import { changeProcedure, readProcedure, router } from '../trpc';
import { groupId, topicName } from '../schemas';

export const workloadRouter = router({
  status: readProcedure.query(({ ctx }) => ctx.cluster.workloadStatus()),

  startProducer: changeProcedure
    .input(
      z.object({
        topic: topicName,
        ratePerSec: z
          .number()
          .int('Rate must be a whole number')
          .min(1, 'Rate must be at least 1 record/s')
          .max(100_000, 'Rate must be at most 100000 records/s'),
        recordBytes: z
          .number()
          .int('Size must be a whole number')
          .min(1, 'Records need at least 1 byte')
          .max(1_000_000, 'Records must be at most 1 MB'),
      }),
    )
    .mutation(({ ctx, input }) => ctx.cluster.startProducer(input)),

  stopProducer: changeProcedure
    .input(z.object({ id: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.cluster.stopProducer(input.id);
      return { stopped: input.id };
    }),

  startConsumerGroup: changeProcedure
    .input(
      z.object({
        groupId,
        topic: topicName,
        members: z
          .number()
          .int('Members must be a whole number')
          .min(1, 'A group needs at least 1 member')
          .max(100, 'At most 100 members'),
      }),
    )
    .mutation(({ ctx, input }) => ctx.cluster.startConsumerGroup(input)),

  addMember: changeProcedure
    .input(z.object({ groupId }))
    .mutation(({ ctx, input }) => ctx.cluster.addConsumer(input.groupId)),

  removeMember: changeProcedure
    .input(z.object({ groupId, memberId: z.string().min(1).max(500).optional() }))
    .mutation(({ ctx, input }) => ctx.cluster.removeConsumer(input.groupId, input.memberId)),

  stopConsumerGroup: changeProcedure.input(z.object({ groupId })).mutation(async ({ ctx, input }) => {
    await ctx.cluster.stopConsumerGroup(input.groupId);
    return { stopped: input.groupId };
  }),
});
