import { z } from 'zod';
import { windowSearch } from '../../charts/window-search';

/** No topic: the whole broker; a topic; or one of its partitions. */
export const throughputSearchSchema = z.object({
  topic: z.string().max(249).optional().catch(undefined),
  partition: z.number().int().min(0).optional().catch(undefined),
  window: windowSearch,
});
