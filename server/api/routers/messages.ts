import { tracked } from '@trpc/server';
import { z } from 'zod';
import { readProcedure, router } from '../trpc';
import { relay } from '../streams';
import {
  emptyRangeCheck,
  messageFilter,
  offset,
  partitionIndex,
  partitionList,
  resumable,
  timestamp,
  topicName,
} from '../schemas';

/** Tables show previews; the detail panel asks for more, up to what a browser handles well. */
const previewBytes = z
  .number()
  .int()
  .min(16)
  .max(64 * 1024)
  .default(1024);
const MAX_DETAIL_BYTES = 16 * 1024 * 1024;

const seek = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('oldest') }),
  z.object({ kind: z.literal('newest') }),
  z.object({ kind: z.literal('offset'), partition: partitionIndex, offset }),
  z.object({ kind: z.literal('timestamp'), timestamp }),
  z.object({ kind: z.literal('range'), from: timestamp, to: timestamp }).refine(...emptyRangeCheck),
]);

export const messagesRouter = router({
  /** One page from a seek position or a cursor, merged across partitions by timestamp. */
  read: readProcedure
    .input(
      z.object({
        topic: topicName,
        seek,
        partitions: partitionList.optional(),
        filter: messageFilter.optional(),
        limit: z.number().int().min(1).max(500).default(100),
        previewBytes,
        cursor: z.string().min(1).max(100_000).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.cluster.readMessages(input)),

  /** One record for the detail panel, with a larger cap that the panel raises on demand. */
  get: readProcedure
    .input(
      z.object({
        topic: topicName,
        partition: partitionIndex,
        offset,
        maxValueBytes: z
          .number()
          .int()
          .min(1)
          .max(MAX_DETAIL_BYTES, 'At most 16 MiB of a value can be shown')
          .default(64 * 1024),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.cluster.getRecord(input.topic, input.partition, input.offset, {
        maxValueBytes: input.maxValueBytes,
      }),
    ),

  /** Live tail: batches of new records; a reconnect resumes after the last batch's cursor. */
  tail: readProcedure
    .input(
      z.object({
        topic: topicName,
        partitions: partitionList.optional(),
        filter: messageFilter.optional(),
        previewBytes,
        ...resumable,
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const request = {
        topic: input.topic,
        partitions: input.partitions,
        filter: input.filter,
        previewBytes: input.previewBytes,
        resumeFrom: input.lastEventId ?? undefined,
      };
      for await (const batch of relay(signal, (s) => ctx.cluster.tailMessages(request, s))) {
        yield tracked(batch.cursor, batch.records);
      }
    }),
});
