/**
 * Config rows as Kafka's DescribeConfigs and CreateTopics (v5+) report them: the wire codes of
 * ConfigSource and ConfigType, each topic config's broker-level synonym (retention.ms →
 * log.retention.ms), and the few read-only broker configs Sluice shows for broker "0".
 */
import {
  formatTopicConfigValue,
  isTopicConfigName,
  topicConfigDef,
  type TopicConfigName,
  type TopicConfigOverrides,
} from '../../broker/topics/topic-config';
import type { KafkaDoorConfig, KafkaTopicConfigEntry } from '../handler';

/** DescribeConfigsResponse.ConfigSource. */
export const CONFIG_SOURCE = {
  DYNAMIC_TOPIC_CONFIG: 1,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

/** DescribeConfigsResponse.ConfigType (v3+). */
const CONFIG_TYPE = { BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, LIST: 7 } as const;

export const RESOURCE_TYPE = { TOPIC: 2, BROKER: 4 } as const;

export function configTypeCode(type: KafkaTopicConfigEntry['type']): number {
  switch (type) {
    case 'boolean':
      return CONFIG_TYPE.BOOLEAN;
    case 'string':
      return CONFIG_TYPE.STRING;
    case 'int':
      return CONFIG_TYPE.INT;
    case 'long':
      return CONFIG_TYPE.LONG;
    case 'list':
      return CONFIG_TYPE.LIST;
  }
}

export function sourceCode(source: KafkaTopicConfigEntry['source']): number {
  switch (source) {
    case 'topic':
      return CONFIG_SOURCE.DYNAMIC_TOPIC_CONFIG;
    case 'broker':
      return CONFIG_SOURCE.STATIC_BROKER_CONFIG;
    case 'default':
      return CONFIG_SOURCE.DEFAULT_CONFIG;
  }
}

/** Kafka's LogConfig synonyms: the broker setting that gives a topic config its default. */
const BROKER_SYNONYMS: Partial<Record<TopicConfigName, string>> = {
  'cleanup.policy': 'log.cleanup.policy',
  'delete.retention.ms': 'log.cleaner.delete.retention.ms',
  'flush.messages': 'log.flush.interval.messages',
  'flush.ms': 'log.flush.interval.ms',
  'index.interval.bytes': 'log.index.interval.bytes',
  'max.message.bytes': 'message.max.bytes',
  'message.timestamp.type': 'log.message.timestamp.type',
  'min.compaction.lag.ms': 'log.cleaner.min.compaction.lag.ms',
  'retention.bytes': 'log.retention.bytes',
  'retention.ms': 'log.retention.ms',
  'segment.bytes': 'log.segment.bytes',
  'segment.ms': 'log.roll.ms',
};

export interface Synonym {
  name: string;
  value: string | null;
  source: number;
}

/**
 * The synonyms of a topic config, most specific first, as Kafka lists them: the topic's own
 * value, the broker's static default, then the built-in default (under the broker name).
 */
export function topicConfigSynonyms(
  entry: KafkaTopicConfigEntry,
  topicDefaults: TopicConfigOverrides,
): Synonym[] {
  const out: Synonym[] = [];
  if (entry.source === 'topic') {
    out.push({ name: entry.name, value: entry.value, source: CONFIG_SOURCE.DYNAMIC_TOPIC_CONFIG });
  }
  if (!isTopicConfigName(entry.name)) return out;
  const brokerName = BROKER_SYNONYMS[entry.name];
  if (brokerName === undefined) {
    if (entry.source !== 'topic')
      out.push({ name: entry.name, value: entry.value, source: sourceCode(entry.source) });
    return out;
  }
  const brokerValue = topicDefaults[entry.name];
  if (brokerValue !== undefined) {
    out.push({
      name: brokerName,
      value: formatTopicConfigValue(entry.name, brokerValue),
      source: CONFIG_SOURCE.STATIC_BROKER_CONFIG,
    });
  }
  const def = topicConfigDef(entry.name);
  out.push({
    name: brokerName,
    value: formatTopicConfigValue(entry.name, def.default),
    source: CONFIG_SOURCE.DEFAULT_CONFIG,
  });
  return out;
}

/** One config of broker "0": read-only, never sensitive. */
export interface BrokerConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly source: number;
  readonly type: number;
  readonly documentation: string;
}

/**
 * What DescribeConfigs shows for broker 0: identity and listener, topic creation defaults, and
 * the broker-level defaults of every topic config that has one (from the broker's topic
 * defaults, else Kafka's built-in value). All read-only: they are set by flags at start.
 */
export function brokerConfigEntries(
  config: KafkaDoorConfig,
  topicDefaults: TopicConfigOverrides,
): BrokerConfigEntry[] {
  const fixed = (
    name: string,
    value: string,
    type: number,
    documentation: string,
    source: number = CONFIG_SOURCE.STATIC_BROKER_CONFIG,
  ) => ({
    name,
    value,
    source,
    type,
    documentation,
  });
  const entries: BrokerConfigEntry[] = [
    fixed(
      'broker.id',
      String(config.nodeId),
      CONFIG_TYPE.INT,
      'The id of this broker (Sluice is a single broker: 0).',
    ),
    fixed(
      'advertised.listeners',
      `PLAINTEXT://${config.advertisedHost.includes(':') ? `[${config.advertisedHost}]` : config.advertisedHost}:${config.advertisedPort}`,
      CONFIG_TYPE.STRING,
      'The address clients are told to connect to (--advertised-host and --kafka-port).',
    ),
    fixed(
      'auto.create.topics.enable',
      String(config.autoCreateTopics),
      CONFIG_TYPE.BOOLEAN,
      'Whether Metadata requests create unknown topics (--auto-create-topics).',
    ),
    fixed(
      'num.partitions',
      String(config.defaultPartitions),
      CONFIG_TYPE.INT,
      'The default number of partitions of a new topic.',
    ),
    fixed(
      'default.replication.factor',
      '1',
      CONFIG_TYPE.INT,
      'The replication factor of new topics: always 1 on a single broker.',
      CONFIG_SOURCE.DEFAULT_CONFIG,
    ),
    fixed(
      'offsets.topic.replication.factor',
      '1',
      CONFIG_TYPE.SHORT,
      'The replication factor of __consumer_offsets: always 1 on a single broker.',
      CONFIG_SOURCE.DEFAULT_CONFIG,
    ),
    fixed(
      'delete.topic.enable',
      'true',
      CONFIG_TYPE.BOOLEAN,
      'Topics can be deleted.',
      CONFIG_SOURCE.DEFAULT_CONFIG,
    ),
  ];
  for (const [topicName, brokerName] of Object.entries(BROKER_SYNONYMS) as [TopicConfigName, string][]) {
    const def = topicConfigDef(topicName);
    const own = topicDefaults[topicName];
    entries.push({
      name: brokerName,
      value: formatTopicConfigValue(topicName, own ?? def.default),
      source: own === undefined ? CONFIG_SOURCE.DEFAULT_CONFIG : CONFIG_SOURCE.STATIC_BROKER_CONFIG,
      type: configTypeCode(def.type),
      documentation: `The default of the topic configuration ${topicName}. ${def.documentation}`,
    });
  }
  return entries;
}
