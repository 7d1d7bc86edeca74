import { z } from 'zod';

export const supervisionSearchSchema = z.object({
  /** The selected actor's path. */
  actor: z.string().max(1000).optional().catch(undefined),
});
