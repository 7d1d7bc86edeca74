import { z } from 'zod';

/**
 * Input rules shared by the routers. Messages name the field in words an operator uses, because
 * the console shows them next to the input that caused them.
 */

/** Kafka's rule, which also keeps names safe as directory names. */
export const topicName = z
  .string()
  .min(1, 'Topic name must not be empty')
  .max(249, 'Topic name must be at most 249 characters')
  .regex(/^[a-zA-Z0-9._-]+$/, "Topic name may contain only letters, digits, '.', '_' and '-'")
  .refine((name) => name !== '.' && name !== '..', "Topic name cannot be '.' or '..'");

export const partitionCount = z
  .number()
  .int('Partitions must be a whole number')
  .min(1, 'A topic needs at least 1 partition')
  .max(10_000, 'A topic can have at most 10000 partitions');

export const partitionIndex = z
  .number()
  .int('Partition must be a whole number')
  .min(0, 'Partition must be 0 or more')
  .max(9_999, 'Partition must be below 10000');

export const offset = z
  .number()
  .int('Offset must be a whole number')
  .min(0, 'Offset must be 0 or more')
  .max(Number.MAX_SAFE_INTEGER, 'Offset is too large');

/** Epoch milliseconds, up to the largest date JavaScript can represent. */
export const timestamp = z
  .number()
  .int('Timestamp must be whole milliseconds')
  .min(0, 'Timestamp must be after 1970')
  .max(8.64e15, 'Timestamp is too far in the future');

/** A refinement for objects with from/to: the message goes next to 'to'. */
export const emptyRangeCheck: [
  (range: { from: number; to: number }) => boolean,
  { message: string; path: string[] },
] = [
  (range) => range.from <= range.to,
  { message: "The date range is empty: 'from' is after 'to'", path: ['to'] },
];

export const dateRange = z.object({ from: timestamp, to: timestamp }).refine(...emptyRangeCheck);

/** Kafka allows any group id; we only bound it. */
export const groupId = z
  .string()
  .min(1, 'Group id must not be empty')
  .max(255, 'Group id must be at most 255 characters');

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** 16 MiB of text or base64: above any max.message.bytes an operator types into a form. */
const MAX_PAYLOAD_CHARS = 16 * 1024 * 1024;

export const payload = z
  .object({
    encoding: z.enum(['utf8', 'base64']),
    data: z.string().max(MAX_PAYLOAD_CHARS, 'Payload is larger than 16 MiB'),
  })
  .refine((p) => p.encoding !== 'base64' || BASE64.test(p.data), {
    message: 'Not valid base64',
    path: ['data'],
  });

export const messageFilter = z.object({
  key: z.string().max(1000, 'Filter is too long').optional(),
  value: z.string().max(1000, 'Filter is too long').optional(),
  header: z.string().max(1000, 'Filter is too long').optional(),
});

export const partitionList = z.array(partitionIndex).min(1, 'Choose at least one partition').max(10_000);

/** Kafka config names are lowercase words separated by dots. */
export const configName = z
  .string()
  .regex(/^[a-z0-9]+(?:\.[a-z0-9]+)*$/, 'Config names are lowercase words separated by dots');

export const configValue = z.string().max(10_000, 'Config value is too long');

/** tRPC adds the client's last event id to a subscription's input when it reconnects. */
export const resumable = { lastEventId: z.string().max(10_000).nullish() };
