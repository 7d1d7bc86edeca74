import { z } from 'zod';
import { BrokerError } from '../errors';
import { parseGroupSnapshot, type GroupSnapshot } from './group-snapshot';
import type { CommittedOffset } from './group-service-api';

/**
 * The records of `__consumer_offsets` (cleanup.policy=compact), our own format: UTF-8 JSON,
 * versioned by a `v` field in every key and value so that a later format can be read beside this
 * one. Keys are written with a fixed field order so that compaction sees equal bytes for the same
 * logical key.
 *
 *   offset commit   key   {"v":1,"kind":"offset","group":"g","topic":"t","partition":0}
 *                   value {"v":1,"offset":42,"leaderEpoch":-1,"metadata":"","commitTimestamp":1700000000000}
 *   group metadata  key   {"v":1,"kind":"group","group":"g"}
 *                   value the coordinator's GroupSnapshot (group-snapshot.ts, its own "version": 1)
 *   deletion        the key with a null value (tombstone): an offset deleted (OffsetDelete, its
 *                   topic deleted, a reset to nothing), or a group deleted (its metadata and
 *                   every offset)
 *
 * A group's records all go to one partition, chosen as Kafka does:
 * `abs(javaStringHashCode(groupId)) % partitionCount` (Utils.abs: MIN_VALUE → 0), so a group
 * lands on the partition number Kafka would give it for the same partition count.
 */
export const OFFSETS_TOPIC = '__consumer_offsets';
export const OFFSETS_FORMAT_VERSION = 1;

/** Java's String.hashCode over UTF-16 code units, in int32 arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

export function partitionForGroup(groupId: string, partitionCount: number): number {
  const h = javaStringHashCode(groupId);
  return (h === -2147483648 ? 0 : Math.abs(h)) % partitionCount;
}

export type OffsetsKey =
  { kind: 'offset'; group: string; topic: string; partition: number } | { kind: 'group'; group: string };

export function offsetKey(group: string, topic: string, partition: number): Buffer {
  return Buffer.from(
    JSON.stringify({ v: OFFSETS_FORMAT_VERSION, kind: 'offset', group, topic, partition }),
    'utf8',
  );
}

export function groupKey(group: string): Buffer {
  return Buffer.from(JSON.stringify({ v: OFFSETS_FORMAT_VERSION, kind: 'group', group }), 'utf8');
}

export function offsetValue(c: CommittedOffset): Buffer {
  return Buffer.from(
    JSON.stringify({
      v: OFFSETS_FORMAT_VERSION,
      offset: c.offset,
      leaderEpoch: c.leaderEpoch,
      metadata: c.metadata,
      commitTimestamp: c.commitTimestamp,
    }),
    'utf8',
  );
}

export function groupValue(snapshot: GroupSnapshot): Buffer {
  return Buffer.from(JSON.stringify(snapshot), 'utf8');
}

const keySchema = z.discriminatedUnion('kind', [
  z.object({
    v: z.literal(1),
    kind: z.literal('offset'),
    group: z.string().min(1),
    topic: z.string().min(1),
    partition: z.number().int().nonnegative(),
  }),
  z.object({ v: z.literal(1), kind: z.literal('group'), group: z.string().min(1) }),
]);

const offsetValueSchema = z.object({
  v: z.literal(1),
  offset: z.number().int(),
  leaderEpoch: z.number().int(),
  metadata: z.string(),
  commitTimestamp: z.number(),
});

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BrokerError('CORRUPT_MESSAGE', `${what} of ${OFFSETS_TOPIC} is not JSON`);
  }
}

function invalid(what: string, error: z.ZodError): BrokerError {
  return new BrokerError('CORRUPT_MESSAGE', `Invalid ${what} in ${OFFSETS_TOPIC}: ${z.prettifyError(error)}`);
}

export function decodeOffsetsKey(bytes: Buffer): OffsetsKey {
  const parsed = keySchema.safeParse(parseJson(bytes, 'A key'));
  if (!parsed.success) throw invalid('key', parsed.error);
  const key = parsed.data;
  return key.kind === 'offset'
    ? { kind: 'offset', group: key.group, topic: key.topic, partition: key.partition }
    : { kind: 'group', group: key.group };
}

export function decodeOffsetValue(bytes: Buffer): CommittedOffset {
  const parsed = offsetValueSchema.safeParse(parseJson(bytes, 'An offset value'));
  if (!parsed.success) throw invalid('offset value', parsed.error);
  const { offset, leaderEpoch, metadata, commitTimestamp } = parsed.data;
  return { offset, leaderEpoch, metadata, commitTimestamp };
}

export function decodeGroupValue(bytes: Buffer): GroupSnapshot {
  return parseGroupSnapshot(parseJson(bytes, 'A group value'));
}
