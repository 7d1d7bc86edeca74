import { randomUUID } from 'node:crypto';
import { BrokerError } from '../errors';
import type { TopicConfigOverrides } from './topic-config-defs';

/** What the registry knows of one topic. Immutable: the store hands out frozen copies. */
export interface TopicMetadata {
  readonly name: string;
  /** Kafka's topic id: a random UUID, here in its standard text form (see `topicIdToBytes`). */
  readonly topicId: string;
  readonly partitions: number;
  /** Only the configs set on this topic; defaults are resolved at read time. */
  readonly configs: Readonly<TopicConfigOverrides>;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

export const MIN_PARTITIONS = 1;
/** Each partition is a directory and an actor; beyond this a single process is the wrong tool. */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

/** Throws INVALID_PARTITIONS unless `count` is an integer in 1..10,000. */
export function validatePartitionCount(count: number, topic?: string): void {
  if (!Number.isInteger(count) || count < MIN_PARTITIONS || count > MAX_PARTITIONS_PER_TOPIC) {
    const subject = topic === undefined ? 'The partition count' : `The partition count of topic '${topic}'`;
    throw new BrokerError(
      'INVALID_PARTITIONS',
      `${subject} must be an integer between ${MIN_PARTITIONS} and ${MAX_PARTITIONS_PER_TOPIC}, got ${String(count)}`,
    );
  }
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isTopicId(text: string): boolean {
  return UUID_TEXT.test(text) && text !== ZERO_TOPIC_ID;
}

/** Kafka's Uuid.ZERO_UUID: "no topic id" on the wire. Never assigned. */
export const ZERO_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

/**
 * A new topic id. Like Kafka's Uuid.randomUuid it never returns the zero or the metadata-topic id,
 * nor one whose base64 form starts with '-' (Kafka avoids those so command-line tools do not read
 * them as flags).
 */
export function newTopicId(): string {
  for (;;) {
    const id = randomUUID();
    const first = Number.parseInt(id.slice(0, 2), 16);
    if (first >> 2 !== 62) return id;
  }
}

/** The 16 bytes Kafka sends on the wire for a topic id. */
export function topicIdToBytes(id: string): Buffer {
  if (!UUID_TEXT.test(id)) throw new BrokerError('INVALID_REQUEST', `'${id}' is not a topic id (a UUID)`);
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

export function topicIdFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16)
    throw new BrokerError('INVALID_REQUEST', `A topic id has 16 bytes, got ${bytes.length}`);
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Kafka's text form of a topic id (Uuid.toString): URL-safe base64 without padding. */
export function topicIdToKafkaString(id: string): string {
  return topicIdToBytes(id).toString('base64url');
}
