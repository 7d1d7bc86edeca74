import { z } from 'zod';

export const SEEK_MODES = ['newest', 'oldest', 'offset', 'timestamp', 'range'] as const;
export type SeekMode = (typeof SEEK_MODES)[number];

/** URL values: the router parses "123" as a number, so text fields accept both. */
const text = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().max(300))
  .optional()
  .catch(undefined);
const whole = z.number().int().min(0).optional().catch(undefined);

/**
 * The message browser's state, all in the URL: a link reopens the same view. Times are kept as
 * typed ("-15m", "2026-11-21 10:00") so that a link to "the last hour" stays one.
 */
export const messagesSearch = {
  mode: z.enum(SEEK_MODES).default('newest').catch('newest'),
  /** For mode=offset the partition to read; otherwise an optional single-partition restriction. */
  partition: whole,
  offset: whole,
  /** mode=timestamp: where to start. */
  at: text,
  /** mode=range: the bounds, as typed. */
  from: text,
  to: text,
  tz: z.enum(['local', 'utc']).default('local').catch('local'),
  /** Opaque page cursor from the server: next/previous page. */
  cursor: z.string().max(100_000).optional().catch(undefined),
  key: text,
  value: text,
  header: text,
  live: z.boolean().default(false).catch(false),
  /** "partition:offset" of the record open in the detail panel. */
  record: z
    .string()
    .regex(/^\d+:\d+$/)
    .optional()
    .catch(undefined),
};

export const messagesSearchSchema = z.object(messagesSearch);
export type MessagesSearch = z.output<typeof messagesSearchSchema>;
