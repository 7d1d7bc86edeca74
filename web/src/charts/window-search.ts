import { z } from 'zod';

/** The chart window in minutes as a URL parameter; anything else falls back to 15. */
export const windowSearch = z
  .union([z.literal(5), z.literal(15), z.literal(60)])
  .default(15)
  .catch(15);
