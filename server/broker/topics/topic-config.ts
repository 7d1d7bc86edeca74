import { BrokerError } from '../errors';
import {
  INT_MAX,
  KAFKA_TOPIC_CONFIG_DEFAULTS,
  LONG_MAX_NUMBER,
  LONG_MAX_STRING,
  TOPIC_CONFIG_NAMES,
  UNSUPPORTED_KAFKA_TOPIC_CONFIGS,
  isTopicConfigName,
  topicConfigDef,
  type AnyTopicConfigDef,
  type CleanupPolicy,
  type ChoiceConfigDef,
  type NumberConfigDef,
  type TopicConfigName,
  type TopicConfigOverrides,
  type TopicConfigType,
  type TopicConfigValues,
} from './topic-config-defs';
import type { LogConfig } from '../log/log-config';

export * from './topic-config-defs';

/** A config value as it arrives: a string from Kafka admin clients, a typed value from the console. */
export type ConfigInput = string | number | boolean;

/** Where a described value comes from: Kafka's DEFAULT_CONFIG, STATIC_BROKER_CONFIG, DYNAMIC_TOPIC_CONFIG. */
export type TopicConfigSource = 'default' | 'broker' | 'topic';

/** One row of DescribeConfigs for a topic, and of the console's config page. */
export interface TopicConfigEntry {
  readonly name: TopicConfigName;
  /** As Kafka shows it: a string ("604800000", "compact,delete", "true"). */
  readonly value: string;
  readonly source: TopicConfigSource;
  /** Kafka's meaning: true only when the value is the built-in default (source 'default'). */
  readonly isDefault: boolean;
  /** The value the topic would have without its own override. */
  readonly defaultValue: string;
  readonly readOnly: boolean;
  readonly sensitive: false;
  readonly type: TopicConfigType;
  readonly documentation: string;
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const LONG_MAX_BIGINT = 2n ** 63n - 1n;

/**
 * The unknown-key check on its own, for IncrementalAlterConfigs DELETE and DescribeConfigs keys.
 * Throws INVALID_CONFIG naming the key.
 */
export function validateTopicConfigName(name: string): TopicConfigName {
  if (isTopicConfigName(name)) return name;
  const supported = TOPIC_CONFIG_NAMES.join(', ');
  if (UNSUPPORTED_KAFKA_TOPIC_CONFIGS.has(name)) {
    throw new BrokerError(
      'INVALID_CONFIG',
      `Topic configuration '${name}' is a Kafka setting that Sluice does not support; supported: ${supported}`,
    );
  }
  const suggestion = closestName(name);
  const hint = suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
  throw new BrokerError(
    'INVALID_CONFIG',
    `Unknown topic configuration '${shorten(name)}'.${hint} Supported: ${supported}`,
  );
}

/** Parses and range-checks one value. Throws INVALID_CONFIG with the value, the key and the rule. */
export function parseTopicConfigValue<K extends TopicConfigName>(
  name: K,
  input: ConfigInput,
): TopicConfigValues[K] {
  validateTopicConfigName(name);
  const def = topicConfigDef(name);
  return parseWithDef(def, input) as TopicConfigValues[K];
}

/**
 * Validates a set of topic configs (CreateTopics, the console's create form), from strings or
 * typed values. Returns the typed overrides; throws INVALID_CONFIG on the first bad key or value.
 */
export function validateTopicConfigs(input: Readonly<Record<string, ConfigInput>>): TopicConfigOverrides {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    out[validateTopicConfigName(name)] = parseTopicConfigValue(name as TopicConfigName, value);
  }
  return out as TopicConfigOverrides;
}

/** The effective value of every config: topic override, else broker default, else Kafka's default. */
export function resolveTopicConfig(
  overrides: TopicConfigOverrides,
  brokerDefaults: TopicConfigOverrides = {},
): TopicConfigValues {
  return { ...KAFKA_TOPIC_CONFIG_DEFAULTS, ...definedOnly(brokerDefaults), ...definedOnly(overrides) };
}

/** The storage view of a topic's configs, for opening its partitions' logs. */
export function toLogConfig(
  overrides: TopicConfigOverrides,
  brokerDefaults: TopicConfigOverrides = {},
): LogConfig {
  const c = resolveTopicConfig(overrides, brokerDefaults);
  return {
    segmentBytes: c['segment.bytes'],
    segmentMs: c['segment.ms'],
    retentionMs: c['retention.ms'],
    retentionBytes: c['retention.bytes'],
    cleanupPolicy: c['cleanup.policy'],
    deleteRetentionMs: c['delete.retention.ms'],
    minCompactionLagMs: c['min.compaction.lag.ms'],
    indexIntervalBytes: c['index.interval.bytes'],
    maxMessageBytes: c['max.message.bytes'],
    messageTimestampType: c['message.timestamp.type'],
    flushMessages: c['flush.messages'],
    flushMs: c['flush.ms'],
    fsyncBeforeAck: c['sluice.fsync.before.ack'],
  };
}

/** Every supported config of a topic, in name order, for DescribeConfigs and the console. */
export function describeTopicConfig(
  overrides: TopicConfigOverrides,
  brokerDefaults: TopicConfigOverrides = {},
): TopicConfigEntry[] {
  return [...TOPIC_CONFIG_NAMES].sort().map((name) => {
    const def = topicConfigDef(name);
    const broker = brokerDefaults[name];
    const own = overrides[name];
    const fallback = broker ?? def.default;
    const source: TopicConfigSource =
      own !== undefined ? 'topic' : broker !== undefined ? 'broker' : 'default';
    return {
      name,
      value: formatTopicConfigValue(name, own ?? fallback),
      source,
      isDefault: source === 'default',
      defaultValue: formatTopicConfigValue(name, fallback),
      readOnly: false,
      sensitive: false,
      type: def.type,
      documentation: def.documentation,
    };
  });
}

/** A typed value as Kafka shows it; long "never" values as Long.MAX_VALUE. */
export function formatTopicConfigValue(name: TopicConfigName, value: ConfigInput): string {
  const def = topicConfigDef(name);
  if (def.type === 'long' && typeof value === 'number' && value >= LONG_MAX_NUMBER) return LONG_MAX_STRING;
  return String(value);
}

/** "delete", "compact", "compact,delete", "delete,compact", " compact , delete " → canonical form. */
export function normaliseCleanupPolicy(text: string): CleanupPolicy | undefined {
  const parts = new Set(text.split(',').map((p) => p.trim()));
  if (parts.size === 0 || [...parts].some((p) => p !== 'delete' && p !== 'compact')) return undefined;
  if (parts.has('compact') && parts.has('delete')) return 'compact,delete';
  return parts.has('compact') ? 'compact' : 'delete';
}

function parseWithDef(def: AnyTopicConfigDef, input: ConfigInput): ConfigInput {
  switch (def.type) {
    case 'int':
    case 'long':
      return parseNumber(def, input);
    case 'boolean': {
      if (typeof input === 'boolean') return input;
      const text = typeof input === 'string' ? input.trim().toLowerCase() : '';
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw invalid(def.name, input, 'must be true or false');
    }
    case 'string':
    case 'list':
      return parseChoice(def, input);
  }
}

function parseNumber(def: NumberConfigDef, input: ConfigInput): number {
  const limit = def.type === 'int' ? BigInt(INT_MAX) : LONG_MAX_BIGINT;
  let value: bigint | undefined;
  if (typeof input === 'number' && Number.isInteger(input)) {
    value = BigInt(input);
  } else if (typeof input === 'string' && INTEGER_TEXT.test(input.trim())) {
    value = BigInt(input.trim());
  }
  if (value === undefined || value < BigInt(def.min) || value > limit) {
    const rule =
      def.type === 'int'
        ? `must be an integer between ${def.min} and ${INT_MAX}`
        : `must be an integer >= ${def.min}`;
    throw invalid(def.name, input, rule);
  }
  // Longs past 2^53-1 mean "never" for every config here; keep them as the largest exact number.
  return value > BigInt(def.max) ? def.max : Number(value);
}

function parseChoice(def: ChoiceConfigDef<string>, input: ConfigInput): string {
  if (typeof input === 'string') {
    if (def.name === 'cleanup.policy') {
      const policy = normaliseCleanupPolicy(input);
      if (policy !== undefined) return policy;
    } else if (def.allowed.includes(input.trim())) {
      return input.trim();
    }
  }
  const rule =
    def.name === 'cleanup.policy'
      ? "must be 'delete', 'compact' or both, comma-separated ('compact,delete')"
      : `must be one of ${def.allowed.map((a) => `'${a}'`).join(', ')}`;
  throw invalid(def.name, input, rule);
}

function invalid(name: TopicConfigName, input: ConfigInput, rule: string): BrokerError {
  return new BrokerError(
    'INVALID_CONFIG',
    `Invalid value '${shorten(String(input))}' for configuration ${name}: ${rule}`,
  );
}

function definedOnly(values: TopicConfigOverrides): TopicConfigOverrides {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

function shorten(text: string): string {
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** The supported key closest to a misspelt one, if it is plausibly a typo. */
function closestName(name: string): TopicConfigName | undefined {
  let best: TopicConfigName | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const candidate of TOPIC_CONFIG_NAMES) {
    const d = editDistance(name.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 10) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? Infinity;
}
