import type { Broker } from '../../broker/broker';
import type {
  PartitionDescription as BrokerPartition,
  TopicDescription as BrokerTopic,
  TopicSummary as BrokerTopicSummary,
} from '../../broker/broker';
import type { MetricsRegistry } from '../../broker/metrics/metrics-registry';
import { isTopicConfigName, topicConfigDef, type TopicConfigEntry } from '../../broker/topics/topic-config';
import type * as T from '../types';
import { configFieldOf, guard, unknownTopicOrPartitionField, type FieldRules } from './errors';
import { toClusterPath } from './paths';

/** Topic admin over the broker: its shapes mapped to the Cluster's, its errors to fields of the form. */

const ZERO: T.Rates = { recordsInPerSec: 0, bytesInPerSec: 0, recordsOutPerSec: 0, bytesOutPerSec: 0 };

type RateScope = { kind: 'topic'; topic: string } | { kind: 'partition'; topic: string; partition: number };

/** The rates of the last metrics tick (0 before the first one). */
export function ratesOf(metrics: MetricsRegistry, scope: RateScope): T.Rates {
  const read = (metric: 'records_in' | 'bytes_in' | 'records_out' | 'bytes_out') =>
    metrics.latest({ ...scope, metric }) ?? 0;
  if (metrics.latest({ ...scope, metric: 'records_in' }) === undefined) return ZERO;
  return {
    recordsInPerSec: read('records_in'),
    bytesInPerSec: read('bytes_in'),
    recordsOutPerSec: read('records_out'),
    bytesOutPerSec: read('bytes_out'),
  };
}

export function toTopicSummary(topic: BrokerTopicSummary, metrics: MetricsRegistry): T.TopicSummary {
  return {
    name: topic.name,
    internal: topic.internal,
    partitions: topic.partitions,
    records: topic.records,
    sizeBytes: topic.sizeInBytes,
    retentionMs: topic.config.retentionMs,
    retentionBytes: topic.config.retentionBytes,
    cleanupPolicy: topic.config.cleanupPolicy,
    timestampType: topic.config.messageTimestampType,
    rates: ratesOf(metrics, { kind: 'topic', topic: topic.name }),
  };
}

const SOURCES: Record<TopicConfigEntry['source'], T.ConfigSource> = {
  topic: 'TOPIC',
  broker: 'BROKER',
  default: 'DEFAULT',
};

export function toConfigEntry(entry: TopicConfigEntry): T.ConfigEntry {
  const def = isTopicConfigName(entry.name) ? topicConfigDef(entry.name) : undefined;
  const allowed = def !== undefined && 'allowed' in def ? [...def.allowed] : undefined;
  return {
    name: entry.name,
    value: entry.value,
    defaultValue: entry.defaultValue,
    source: SOURCES[entry.source],
    type: entry.type,
    readOnly: entry.readOnly,
    sensitive: entry.sensitive,
    documentation: entry.documentation,
    ...(allowed === undefined ? {} : { allowed }),
  };
}

function toPartition(topic: string, p: BrokerPartition, metrics: MetricsRegistry): T.PartitionDescription {
  return {
    partition: p.partition,
    startOffset: p.logStartOffset,
    endOffset: p.logEndOffset,
    records: p.records,
    sizeBytes: p.sizeInBytes,
    segments: p.segments?.length ?? 0,
    firstTimestamp: p.firstTimestamp,
    lastTimestamp: p.maxTimestamp,
    actor: { path: toClusterPath(p.actor.path), state: p.actor.state, restarts: p.actor.restarts },
    rates: ratesOf(metrics, { kind: 'partition', topic, partition: p.partition }),
  };
}

export function toTopicDescription(topic: BrokerTopic, metrics: MetricsRegistry): T.TopicDescription {
  return {
    name: topic.name,
    internal: topic.internal,
    partitions: topic.partitions.map((p) => toPartition(topic.name, p, metrics)),
    configs: topic.configs.map(toConfigEntry),
    records: topic.records,
    sizeBytes: topic.sizeInBytes,
  };
}

const TOPIC_FIELDS: FieldRules = { UNKNOWN_TOPIC_OR_PARTITION: unknownTopicOrPartitionField };

/** The create form's fields: name, partitions, configs.<name>. */
const CREATE_FIELDS: FieldRules = {
  INVALID_TOPIC_EXCEPTION: 'name',
  TOPIC_ALREADY_EXISTS: 'name',
  INVALID_PARTITIONS: 'partitions',
  INVALID_CONFIG: configFieldOf,
};

export class EmbeddedTopics {
  constructor(private readonly broker: Broker) {}

  list(options?: { includeInternal?: boolean }): Promise<T.TopicSummary[]> {
    return guard(() =>
      this.broker
        .listTopics({ includeInternal: options?.includeInternal ?? false })
        .map((t) => toTopicSummary(t, this.broker.metrics)),
    );
  }

  describe(name: string): Promise<T.TopicDescription> {
    return guard(
      async () => toTopicDescription(await this.broker.describeTopic(name), this.broker.metrics),
      TOPIC_FIELDS,
    );
  }

  create(request: T.CreateTopicRequest): Promise<T.TopicDescription> {
    return guard(async () => {
      const created = await this.broker.createTopic(request.name, {
        partitions: request.partitions,
        configs: request.configs,
      });
      return toTopicDescription(created, this.broker.metrics);
    }, CREATE_FIELDS);
  }

  alterConfigs(name: string, alterations: T.ConfigAlteration[]): Promise<T.ConfigEntry[]> {
    const set: Record<string, string> = {};
    const remove: string[] = [];
    for (const a of alterations) {
      if (a.op === 'set') set[a.name] = a.value;
      else remove.push(a.name);
    }
    return guard(
      async () => (await this.broker.alterTopicConfigs(name, { set, delete: remove })).map(toConfigEntry),
      { ...TOPIC_FIELDS, INVALID_CONFIG: configFieldOf, INVALID_REQUEST: 'alterations' },
    );
  }

  addPartitions(name: string, totalPartitions: number): Promise<T.TopicDescription> {
    return guard(
      async () =>
        toTopicDescription(await this.broker.addPartitions(name, totalPartitions), this.broker.metrics),
      { ...TOPIC_FIELDS, INVALID_PARTITIONS: 'totalPartitions' },
    );
  }

  purge(name: string, partitions?: number[]): Promise<T.PartitionStart[]> {
    return guard(
      async () =>
        (await this.broker.purgeTopic(name, partitions)).map((w) => ({
          partition: w.partition,
          startOffset: w.lowWatermark,
        })),
      { UNKNOWN_TOPIC_OR_PARTITION: (m) => (/^Partition /.test(m) ? 'partitions' : 'topic') },
    );
  }

  delete(name: string): Promise<void> {
    return guard(() => this.broker.deleteTopic(name), TOPIC_FIELDS);
  }
}
