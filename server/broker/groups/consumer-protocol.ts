import { BrokerError } from '../errors';

/**
 * Kafka's ConsumerProtocol: the bytes a consumer puts in JoinGroup's protocol metadata
 * (Subscription) and the leader hands out through SyncGroup (Assignment), when the group's
 * protocolType is "consumer". Both are non-flexible structs preceded by an int16 version:
 *
 *   Subscription v0: topics []string, userData nullable bytes
 *                v1: + ownedPartitions [](topic string, partitions []int32)
 *                v2: + generationId int32        v3: + rackId nullable string
 *   Assignment   v0-3: assignedPartitions [](topic string, partitions []int32), userData nullable bytes
 *
 * As in Kafka, a version newer than we know is read with the newest format we know (new versions
 * only append fields). Decoding checks every length against the bytes left, so hostile input
 * fails with a BrokerError and never allocates from an unchecked length.
 */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';
export const CONSUMER_PROTOCOL_MAX_VERSION = 3;

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface ConsumerSubscription {
  version: number;
  topics: string[];
  userData: Buffer | null;
  ownedPartitions: TopicPartitions[];
  /** -1 when unknown (versions below 2). */
  generationId: number;
  rackId: string | null;
}

export interface ConsumerAssignment {
  version: number;
  assignedPartitions: TopicPartitions[];
  userData: Buffer | null;
}

export type SubscriptionInput = Pick<ConsumerSubscription, 'topics'> & Partial<ConsumerSubscription>;
export type AssignmentInput = Pick<ConsumerAssignment, 'assignedPartitions'> & Partial<ConsumerAssignment>;

export function encodeSubscription(
  subscription: SubscriptionInput,
  version = subscription.version ?? CONSUMER_PROTOCOL_MAX_VERSION,
): Buffer {
  const w = new Writer();
  w.int16(version);
  w.array(subscription.topics, (t) => w.string(t));
  w.bytes(subscription.userData ?? null);
  if (version >= 1) w.array(subscription.ownedPartitions ?? [], (tp) => writeTopicPartitions(w, tp));
  if (version >= 2) w.int32(subscription.generationId ?? -1);
  if (version >= 3) w.nullableString(subscription.rackId ?? null);
  return w.toBuffer();
}

export function decodeSubscription(buffer: Buffer): ConsumerSubscription {
  const r = new Reader(buffer, 'subscription');
  const version = r.version();
  const topics = r.array(2, () => r.string());
  const userData = r.bytes();
  const ownedPartitions = version >= 1 ? r.array(6, () => readTopicPartitions(r)) : [];
  const generationId = version >= 2 ? r.int32() : -1;
  const rackId = version >= 3 ? r.nullableString() : null;
  return { version, topics, userData, ownedPartitions, generationId, rackId };
}

export function encodeAssignment(
  assignment: AssignmentInput,
  version = assignment.version ?? CONSUMER_PROTOCOL_MAX_VERSION,
): Buffer {
  const w = new Writer();
  w.int16(version);
  w.array(assignment.assignedPartitions, (tp) => writeTopicPartitions(w, tp));
  w.bytes(assignment.userData ?? null);
  return w.toBuffer();
}

/** An empty buffer is the empty assignment the coordinator gives members the leader left out. */
export function decodeAssignment(buffer: Buffer): ConsumerAssignment {
  if (buffer.length === 0) return { version: 0, assignedPartitions: [], userData: null };
  const r = new Reader(buffer, 'assignment');
  const version = r.version();
  const assignedPartitions = r.array(6, () => readTopicPartitions(r));
  const userData = r.bytes();
  return { version, assignedPartitions, userData };
}

export function tryDecodeSubscription(buffer: Buffer): ConsumerSubscription | undefined {
  try {
    return decodeSubscription(buffer);
  } catch {
    return undefined;
  }
}

export function tryDecodeAssignment(buffer: Buffer): ConsumerAssignment | undefined {
  try {
    return decodeAssignment(buffer);
  } catch {
    return undefined;
  }
}

function writeTopicPartitions(w: Writer, tp: TopicPartitions): void {
  w.string(tp.topic);
  w.array(tp.partitions, (p) => w.int32(p));
}

function readTopicPartitions(r: Reader): TopicPartitions {
  const topic = r.string();
  const partitions = r.array(4, () => r.int32());
  return { topic, partitions };
}

class Writer {
  private readonly chunks: Buffer[] = [];

  int16(v: number): void {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.chunks.push(b);
  }

  int32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.chunks.push(b);
  }

  string(v: string): void {
    const bytes = Buffer.from(v, 'utf8');
    if (bytes.length > 0x7fff) throw new BrokerError('INVALID_REQUEST', 'string longer than 32767 bytes');
    this.int16(bytes.length);
    this.chunks.push(bytes);
  }

  nullableString(v: string | null): void {
    if (v === null) this.int16(-1);
    else this.string(v);
  }

  bytes(v: Buffer | null): void {
    if (v === null) return this.int32(-1);
    this.int32(v.length);
    this.chunks.push(v);
  }

  array<T>(items: readonly T[], each: (item: T) => void): void {
    this.int32(items.length);
    for (const item of items) each(item);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

class Reader {
  private pos = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
  ) {}

  version(): number {
    const v = this.int16();
    if (v < 0) this.fail(`negative version ${v}`);
    return v;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) this.fail('null string');
    return s;
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  bytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    this.need(len);
    const b = Buffer.from(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return b;
  }

  /** `minItemSize` bounds the count by the bytes left before anything is allocated. */
  array<T>(minItemSize: number, item: () => T): T[] {
    const count = this.int32();
    if (count < 0) return [];
    if (count * minItemSize > this.buf.length - this.pos)
      this.fail(`array of ${count} items overruns the data`);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(item());
    return out;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) this.fail(`truncated at byte ${this.pos}`);
  }

  private fail(why: string): never {
    throw new BrokerError('INVALID_REQUEST', `Malformed consumer protocol ${this.what}: ${why}`);
  }
}
