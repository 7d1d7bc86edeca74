/**
 * The topic-level configurations Sluice supports, under Kafka's names (TopicConfig / LogConfig),
 * with Kafka's defaults, types, ranges and documentation. DescribeConfigs and the console's config
 * page read this table; `topic-config.ts` validates against it.
 */

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
export type MessageTimestampType = 'CreateTime' | 'LogAppendTime';

/** Every supported topic config with its typed value. Stored overrides are a Partial of this. */
export interface TopicConfigValues {
  'cleanup.policy': CleanupPolicy;
  'delete.retention.ms': number;
  'flush.messages': number;
  'flush.ms': number;
  'index.interval.bytes': number;
  'max.message.bytes': number;
  'message.timestamp.type': MessageTimestampType;
  'min.compaction.lag.ms': number;
  'retention.bytes': number;
  'retention.ms': number;
  'segment.bytes': number;
  'segment.ms': number;
  'sluice.fsync.before.ack': boolean;
}

export type TopicConfigName = keyof TopicConfigValues;

/** Only the keys a topic sets explicitly; the rest come from broker defaults, then Kafka's. */
export type TopicConfigOverrides = Partial<TopicConfigValues>;

/** Kafka's ConfigDef types, as DescribeConfigs v3+ reports them. */
export type TopicConfigType = 'int' | 'long' | 'boolean' | 'string' | 'list';

export const INT_MAX = 2_147_483_647;
/**
 * Longs are JS numbers here. Anything above 2^53-1 (Long.MAX_VALUE included) is kept as 2^53-1,
 * which is "never" for every time or count config (285,000 years in ms), and shown as
 * Long.MAX_VALUE.
 */
export const LONG_MAX_STRING = '9223372036854775807';
export const LONG_MAX_NUMBER = Number.MAX_SAFE_INTEGER;

interface BaseDef {
  readonly name: TopicConfigName;
  readonly documentation: string;
}

export interface NumberConfigDef extends BaseDef {
  readonly type: 'int' | 'long';
  readonly default: number;
  readonly min: number;
  /** INT_MAX for int, LONG_MAX_NUMBER for long. */
  readonly max: number;
}

export interface BooleanConfigDef extends BaseDef {
  readonly type: 'boolean';
  readonly default: boolean;
}

export interface ChoiceConfigDef<V extends string> extends BaseDef {
  /** 'list' is a comma-separated set of choices (cleanup.policy), 'string' exactly one. */
  readonly type: 'string' | 'list';
  readonly default: V;
  readonly allowed: readonly V[];
}

export type ConfigDefFor<V> = [V] extends [number]
  ? NumberConfigDef
  : [V] extends [boolean]
    ? BooleanConfigDef
    : [V] extends [string]
      ? ChoiceConfigDef<V>
      : never;

export type TopicConfigDefs = { readonly [K in TopicConfigName]: ConfigDefFor<TopicConfigValues[K]> };

export type AnyTopicConfigDef = NumberConfigDef | BooleanConfigDef | ChoiceConfigDef<string>;

const DAY_MS = 24 * 60 * 60 * 1000;

function long(name: TopicConfigName, def: number, min: number, documentation: string): NumberConfigDef {
  return { name, type: 'long', default: def, min, max: LONG_MAX_NUMBER, documentation };
}

function int(name: TopicConfigName, def: number, min: number, documentation: string): NumberConfigDef {
  return { name, type: 'int', default: def, min, max: INT_MAX, documentation };
}

export const TOPIC_CONFIG_DEFS: TopicConfigDefs = {
  'cleanup.policy': {
    name: 'cleanup.policy',
    type: 'list',
    default: 'delete',
    allowed: ['delete', 'compact', 'compact,delete'],
    documentation:
      'A string that is either "delete" or "compact" or both ("compact,delete"). It designates the ' +
      'retention policy to use on old log segments. The default policy ("delete") discards old ' +
      'segments when their retention time or size limit has been reached. The "compact" policy ' +
      'enables log compaction, which retains the latest value for each key. "delete,compact" is ' +
      'accepted and stored as "compact,delete".',
  },
  'delete.retention.ms': long(
    'delete.retention.ms',
    DAY_MS,
    0,
    'The amount of time to retain delete tombstone markers for log compacted topics. This also ' +
      'bounds the time in which a consumer must complete a read that began from offset 0 to get a ' +
      'valid snapshot of the final stage (otherwise tombstones may be collected before it finishes).',
  ),
  'flush.messages': long(
    'flush.messages',
    LONG_MAX_NUMBER,
    1,
    'An interval at which the broker forces an fsync of data written to the log: 1 fsyncs after ' +
      'every batch, 5 after every five messages. By default the broker leaves flushing to the ' +
      'operating system; see also sluice.fsync.before.ack.',
  ),
  'flush.ms': long(
    'flush.ms',
    LONG_MAX_NUMBER,
    0,
    'A time interval at which the broker forces an fsync of data written to the log: 1000 fsyncs ' +
      'at least once a second. By default the broker leaves flushing to the operating system.',
  ),
  'index.interval.bytes': int(
    'index.interval.bytes',
    4096,
    0,
    'How frequently the broker adds an entry to its offset index: by default one entry roughly ' +
      'every 4096 bytes. More indexing lets reads jump closer to the exact position in the log but ' +
      'makes the index larger.',
  ),
  'max.message.bytes': int(
    'max.message.bytes',
    1_048_588,
    0,
    'The largest record batch size allowed (after compression if compression is enabled). ' +
      'Consumers fetch record batches, so their fetch size must be at least as large as this.',
  ),
  'message.timestamp.type': {
    name: 'message.timestamp.type',
    type: 'string',
    default: 'CreateTime',
    allowed: ['CreateTime', 'LogAppendTime'],
    documentation:
      'Whether the timestamp in the message is the message create time (set by the producer, ' +
      '"CreateTime") or the log append time (set by the broker when it stores the batch, ' +
      '"LogAppendTime").',
  },
  'min.compaction.lag.ms': long(
    'min.compaction.lag.ms',
    0,
    0,
    'The minimum time a message will remain uncompacted in the log. Only applicable for logs that ' +
      'are being compacted.',
  ),
  'retention.bytes': long(
    'retention.bytes',
    -1,
    -1,
    'The maximum size a partition can grow to before old log segments are discarded, when the ' +
      '"delete" cleanup policy is in use. -1 (the default) means no size limit. The limit is per ' +
      'partition: multiply it by the number of partitions for the topic total.',
  ),
  'retention.ms': long(
    'retention.ms',
    7 * DAY_MS,
    -1,
    'The maximum time a log is retained before old log segments are discarded, when the "delete" ' +
      'cleanup policy is in use. This is an SLA on how soon consumers must read their data. -1 ' +
      'means no time limit.',
  ),
  'segment.bytes': int(
    'segment.bytes',
    1_073_741_824,
    1024,
    'The segment file size for the log. Retention and cleaning are always done a file at a time, ' +
      'so a larger segment size means fewer files but less granular control over retention. ' +
      "Sluice's minimum is 1024 bytes (Kafka's is 14), small enough for tests to roll segments.",
  ),
  'segment.ms': long(
    'segment.ms',
    7 * DAY_MS,
    1,
    'The period of time after which the broker rolls the log even if the segment file is not ' +
      'full, so that retention can delete or compact old data.',
  ),
  'sluice.fsync.before.ack': {
    name: 'sluice.fsync.before.ack',
    type: 'boolean',
    default: false,
    documentation:
      'Sluice only. When true, a produce request is acknowledged only after its batch has been ' +
      'fsynced to disk; concurrent appends share one fsync (group commit). Slower, but an ' +
      'acknowledged write then survives a power loss, not only a process kill.',
  },
};

export const TOPIC_CONFIG_NAMES: readonly TopicConfigName[] = Object.keys(
  TOPIC_CONFIG_DEFS,
) as TopicConfigName[];

/** Kafka's own defaults, the last fallback after topic overrides and broker defaults. */
export const KAFKA_TOPIC_CONFIG_DEFAULTS: TopicConfigValues = Object.fromEntries(
  TOPIC_CONFIG_NAMES.map((name) => [name, TOPIC_CONFIG_DEFS[name].default]),
) as unknown as TopicConfigValues;

/**
 * Kafka topic configs that Sluice does not implement: named in the error so that a user knows the
 * key is real but has no effect here, rather than being told it does not exist.
 */
export const UNSUPPORTED_KAFKA_TOPIC_CONFIGS: ReadonlySet<string> = new Set([
  'compression.type',
  'compression.gzip.level',
  'compression.lz4.level',
  'compression.zstd.level',
  'file.delete.delay.ms',
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'max.compaction.lag.ms',
  'message.downconversion.enable',
  'message.format.version',
  'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms',
  'min.cleanable.dirty.ratio',
  'min.insync.replicas',
  'preallocate',
  'remote.log.copy.disable',
  'remote.log.delete.on.disable',
  'remote.storage.enable',
  'segment.index.bytes',
  'segment.jitter.ms',
  'unclean.leader.election.enable',
]);

export function isTopicConfigName(name: string): name is TopicConfigName {
  return Object.prototype.hasOwnProperty.call(TOPIC_CONFIG_DEFS, name);
}

export function topicConfigDef(name: TopicConfigName): AnyTopicConfigDef {
  return TOPIC_CONFIG_DEFS[name];
}
