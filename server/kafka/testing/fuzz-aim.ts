/**
 * Test support for the listener fuzz: "aimed" samples, whose topic names, partitions, record
 * batches (all five codecs), limits and group fields are ones the broker acts on, so that
 * mutations of them reach the handlers and the core rather than stopping at the first name check.
 */
import { ATTR, BATCH, computeBatchCrc } from '../../broker/log/batch-header';
import { encodeRecordBatch } from '../../broker/log/record-batch';
import type { FieldSchema, MessageSchema, TypeSchema } from '../protocol/generated/schema';
import type { Sample } from '../protocol/testing/sample-message';
import { pick, randomInt, type Random } from './fuzz-random';

/** Topics the fuzz creates first; DeleteTopics and CreateTopics aim at CHURN_TOPICS mostly. */
export const FUZZ_TOPICS = ['fuzz-a', 'fuzz-b', 'fuzz-c'] as const;
const CHURN_TOPICS = ['fuzz-c', 'fuzz-d'];
const GROUPS = ['fuzz-group-a', 'fuzz-group-b'];
const CONFIG_NAMES = [
  'retention.ms',
  'cleanup.policy',
  'max.message.bytes',
  'segment.bytes',
  'segment.ms',
  'no.such.config',
];
const CONFIG_VALUES = ['86400000', 'compact,delete', 'delete', '1048576', '-5', 'x'];
const TOPIC_NAME_STRUCTS = new Set([
  'TopicProduceData',
  'ListOffsetsTopic',
  'MetadataRequestTopic',
  'OffsetCommitRequestTopic',
  'OffsetFetchRequestTopic',
  'OffsetFetchRequestTopics',
  'CreatableTopic',
  'DeleteTopicState',
  'DeleteRecordsTopic',
  'CreatePartitionsTopic',
  'OffsetDeleteRequestTopic',
]);

/**
 * Rewrites a raw sample so the broker acts on it: existing topics, small partitions, a real
 * RecordBatch, short waits, groups of our own. Values are picked at random among ones that
 * exercise different paths (acks 0/1/-1, fetch offsets 0 and far out of range...).
 */
export class Aimer {
  constructor(
    private readonly schema: MessageSchema,
    private readonly next: Random,
  ) {}

  struct(structName: string, value: Sample): Sample {
    const fields = this.schema.structs[structName] ?? [];
    const out: Sample = { ...value };
    for (const f of fields) {
      const v = value[f.name];
      if (v !== undefined) out[f.name] = this.field(structName, f, v);
    }
    return out;
  }

  private field(structName: string, f: FieldSchema, v: unknown): unknown {
    const aimed = this.rule(structName, f.name, v);
    if (aimed !== undefined) return aimed;
    return this.walk(f.type, v, f.name);
  }

  private walk(type: TypeSchema, v: unknown, name: string): unknown {
    if (v === null || v === undefined) return v;
    if (type.kind === 'struct') return this.struct(type.struct, v as Sample);
    if (type.kind === 'array' && Array.isArray(v)) {
      return v.map((e: unknown) => this.element(type.element, e, name));
    }
    return v;
  }

  private element(type: TypeSchema, e: unknown, arrayName: string): unknown {
    if (type.kind !== 'primitive') return this.walk(type, e, arrayName);
    switch (arrayName) {
      case 'topicNames':
        return pick(this.next, CHURN_TOPICS);
      case 'groupsNames':
      case 'groups':
        return pick(this.next, GROUPS);
      case 'partitionIndexes':
        return randomInt(this.next, 3);
      case 'configurationKeys':
        return pick(this.next, CONFIG_NAMES);
      default:
        return e;
    }
  }

  /** The aimed value of one field, or undefined to keep the sample's (recursing into it). */
  private rule(structName: string, name: string, v: unknown): unknown {
    const n = this.next;
    if (name === 'name' && structName === 'DeleteTopicState') return pick(n, CHURN_TOPICS);
    if (name === 'name' && structName === 'CreatableTopic') return pick(n, [...FUZZ_TOPICS, ...CHURN_TOPICS]);
    if (name === 'name' && TOPIC_NAME_STRUCTS.has(structName)) return pick(n, FUZZ_TOPICS);
    if (name === 'name' && (structName === 'CreatableTopicConfig' || structName === 'AlterableConfig')) {
      return pick(n, CONFIG_NAMES);
    }
    if (name === 'value' && typeof v === 'string') return pick(n, CONFIG_VALUES);
    if (name === 'assignments' && structName === 'CreatableTopic') return [];
    if (name === 'assignments' && structName === 'CreatePartitionsTopic') return null;
    switch (name) {
      case 'topic':
      case 'resourceName':
        return pick(n, FUZZ_TOPICS);
      case 'groupId':
      case 'key':
        return typeof v === 'string' ? pick(n, GROUPS) : undefined;
      case 'memberId':
        return '';
      case 'groupInstanceId':
      case 'transactionalId':
      case 'clusterId':
        return null;
      case 'index':
      case 'partition':
      case 'partitionIndex':
        return randomInt(n, 3);
      case 'numPartitions':
        return 1 + randomInt(n, 3);
      case 'count':
        return 1 + randomInt(n, 4);
      case 'replicationFactor':
        return pick(n, [1, -1]);
      case 'acks':
        return pick(n, [-1, 1, 0]);
      case 'timeoutMs':
        return 1000;
      case 'maxWaitMs':
        return pick(n, [0, 20, 60_000]);
      case 'minBytes':
        return pick(n, [0, 1, 1 << 20]);
      case 'maxBytes':
      case 'partitionMaxBytes':
        // Small: answers stay small, and KIP-74 still returns a first batch larger than the limit.
        return pick(n, [4096, 100, 0]);
      case 'sessionId':
        return 0;
      case 'sessionEpoch':
      case 'replicaId':
      case 'currentLeaderEpoch':
      case 'lastFetchedEpoch':
      case 'producerEpoch':
      case 'generationId':
      case 'generationIdOrMemberEpoch':
        return -1;
      case 'isolationLevel':
        return randomInt(n, 2);
      case 'resourceType':
        return pick(n, [2, 4]);
      case 'configOperation':
        return randomInt(n, 4);
      case 'keyType':
        return 0;
      case 'producerId':
        return -1n;
      case 'transactionTimeoutMs':
        return 60_000;
      case 'sessionTimeoutMs':
        return 10_000;
      case 'rebalanceTimeoutMs':
        return 100;
      case 'fetchOffset':
      case 'offset':
      case 'timestamp':
      case 'committedOffset':
        return pick(n, [0n, -1n, -2n, v]);
      case 'logStartOffset':
        return -1n;
      case 'records':
        return sampleBatch(n);
      default:
        return undefined;
    }
  }
}

/** A RecordBatch of 1-3 small records, uncompressed or with one of the five codecs. */
function sampleBatch(next: Random): Buffer {
  const records = Array.from({ length: 1 + randomInt(next, 3) }, (_, i) => ({
    key: i === 0 ? null : Buffer.from(`k${i}`),
    value: Buffer.from(`fuzz value ${i} `.repeat(1 + randomInt(next, 4))),
  }));
  const codec = pick(next, ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const);
  if (codec !== 'zstd') return encodeRecordBatch(records, { compression: codec });
  return zstdBatch(encodeRecordBatch(records));
}

/** Where a zstdBatch's declared content size (uint32 LE) lies in the batch. */
export const ZSTD_BATCH_CONTENT_SIZE_AT = BATCH.RECORDS + 5;

/**
 * The same batch with its records section in a zstd frame of raw blocks (no zstd encoder is
 * installed; raw blocks are valid zstd), with a 4-byte declared content size at
 * ZSTD_BATCH_CONTENT_SIZE_AT for mutations to lie in.
 */
export function zstdBatch(plain: Buffer): Buffer {
  const content = plain.subarray(BATCH.RECORDS);
  if (content.length >= 128 * 1024) throw new Error('zstdBatch: one block of at most 128 KiB');
  const header = Buffer.alloc(4 + 1 + 4 + 3);
  header.writeUInt32LE(0xfd2fb528, 0);
  header[4] = 0xa0; // single segment (the window is the content), 4-byte content size
  header.writeUInt32LE(content.length, 5);
  header.writeUIntLE(1 | (content.length << 3), 9, 3); // the last block, raw
  const batch = Buffer.concat([plain.subarray(0, BATCH.RECORDS), header, content]);
  batch.writeInt32BE(batch.length - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  batch.writeInt16BE((batch.readInt16BE(BATCH.ATTRIBUTES) & ~ATTR.COMPRESSION_MASK) | 4, BATCH.ATTRIBUTES);
  batch.writeUInt32BE(computeBatchCrc(batch), BATCH.CRC);
  return batch;
}
