/**
 * Metadata (key 3), versions 0-12.
 *
 * - One broker: nodeId 0 at the advertised host and port; controllerId 0 (v1+); clusterId (v2+).
 * - Every partition is led by broker 0: leaderEpoch 0 (v7+), replicas [0], isr [0], no offline
 *   replicas (v5+). Topic ids (v10+) are the core's UUIDs; internal topics (`__consumer_offsets`)
 *   carry isInternal (v1+).
 * - Which topics: v0 with an empty list, or v1+ with null, means every topic (internal ones
 *   included, as Kafka lists them); v1+ with an empty list means none (brokers only). v10+ may
 *   ask by topic id (name null): an unknown id gets UNKNOWN_TOPIC_ID with a null name (v12) or ''.
 * - The broker's own topics, created when groups are first used, are listed with isInternal:
 *   `__consumer_offsets` as Kafka lists it, and `__sluice_rebalances` (the rebalance history) the
 *   same way rather than hidden. Hiding it from Metadata alone would leave it half-visible, since
 *   Produce, Fetch, ListOffsets and DescribeConfigs serve any topic by name (hiding it everywhere
 *   would spread one special case over every handler); listed as internal, clients treat it as
 *   they treat `__consumer_offsets` (Java and librdkafka pattern subscriptions skip internal
 *   topics, DeleteTopics refuses it), and an operator can read its JSON records with kcat.
 * - An unknown name gets UNKNOWN_TOPIC_OR_PARTITION, unless the broker runs with
 *   `--auto-create-topics` and the client allows it (v4+ AllowAutoTopicCreation; always below
 *   v4): the topic is then created with the default partition count. Kafka answers
 *   LEADER_NOT_AVAILABLE for a topic it has just started to create; Sluice's create returns
 *   once every partition is open, so the created topic is reported at once and the client skips
 *   a metadata round trip. A bad name gets the create's INVALID_TOPIC_EXCEPTION.
 * - Authorized operations (v8+): -2147483648 ("not requested") unless asked for; when asked, every
 *   operation is allowed (there is no authorizer), as Kafka reports without one.
 */
import { isInternalTopicName } from '../../broker/topics/topic-name';
import { isBrokerError } from '../../broker/errors';
import { KafkaError, kafkaErrorCode } from '../error-codes';
import { defineHandler, type KafkaTopicSummary, type RequestContext, type ResponseOf } from '../handler';

type MetadataResponse = ResponseOf<'Metadata'>;
type TopicResult = MetadataResponse['topics'][number];

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const NOT_REQUESTED = -2147483648;
// AclOperation bits: READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, DESCRIBE_CONFIGS 10,
// ALTER_CONFIGS 11 for a topic; CREATE, ALTER, DESCRIBE, CLUSTER_ACTION 9, DESCRIBE_CONFIGS,
// ALTER_CONFIGS, IDEMPOTENT_WRITE 12 for the cluster.
const TOPIC_OPERATIONS = bits(3, 4, 5, 6, 7, 8, 10, 11);
const CLUSTER_OPERATIONS = bits(5, 7, 8, 9, 10, 11, 12);

function bits(...positions: number[]): number {
  return positions.reduce((acc, p) => acc | (1 << p), 0);
}

function topicResult(topic: KafkaTopicSummary, version: number, authorizedOps: number): TopicResult {
  const partitions = Array.from({ length: topic.partitions }, (_, partitionIndex) => ({
    errorCode: KafkaError.NONE,
    partitionIndex,
    leaderId: 0,
    leaderEpoch: 0,
    replicaNodes: [0],
    isrNodes: [0],
    offlineReplicas: [],
  }));
  return {
    errorCode: KafkaError.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: topic.internal,
    partitions,
    ...(version >= 8 && { topicAuthorizedOperations: authorizedOps }),
  };
}

function errorResult(
  name: string | null,
  errorCode: number,
  version: number,
  topicId = ZERO_UUID,
): TopicResult {
  return {
    errorCode,
    name: version >= 12 ? name : (name ?? ''),
    topicId,
    isInternal: name !== null && isInternalTopicName(name),
    partitions: [],
  };
}

/** Auto-creation; a lost race with another create is a success. */
async function autoCreate(
  name: string,
  ctx: RequestContext,
  version: number,
  ops: number,
): Promise<TopicResult> {
  try {
    await ctx.broker.createTopic(name, { partitions: ctx.config.defaultPartitions });
    ctx.logger.info({ topic: name, partitions: ctx.config.defaultPartitions }, 'Auto-created topic');
  } catch (error) {
    if (!isBrokerError(error, 'TOPIC_ALREADY_EXISTS')) {
      return errorResult(name, kafkaErrorCode(error), version);
    }
  }
  const created = ctx.broker.listTopics({ includeInternal: true }).find((t) => t.name === name);
  return created === undefined
    ? errorResult(name, KafkaError.LEADER_NOT_AVAILABLE, version)
    : topicResult(created, version, ops);
}

export const metadataHandler = defineHandler('Metadata', {
  minVersion: 0,
  maxVersion: 12,
  async handle(request, ctx) {
    const version = ctx.header.apiVersion;
    const topicOps = request.includeTopicAuthorizedOperations ? TOPIC_OPERATIONS : NOT_REQUESTED;
    const all = ctx.broker.listTopics({ includeInternal: true });
    const wantsAll = request.topics === null || (version === 0 && request.topics.length === 0);
    let topics: TopicResult[];
    if (wantsAll) {
      topics = all.map((t) => topicResult(t, version, topicOps));
    } else {
      const byName = new Map(all.map((t) => [t.name, t]));
      const byId = new Map(all.map((t) => [t.topicId, t]));
      const mayCreate = ctx.config.autoCreateTopics && request.allowAutoTopicCreation;
      topics = [];
      for (const requested of request.topics ?? []) {
        if (requested.name === null) {
          const found = byId.get(requested.topicId);
          topics.push(
            found === undefined
              ? errorResult(null, KafkaError.UNKNOWN_TOPIC_ID, version, requested.topicId)
              : topicResult(found, version, topicOps),
          );
          continue;
        }
        const found = byName.get(requested.name);
        if (found !== undefined) topics.push(topicResult(found, version, topicOps));
        else if (mayCreate) topics.push(await autoCreate(requested.name, ctx, version, topicOps));
        else topics.push(errorResult(requested.name, KafkaError.UNKNOWN_TOPIC_OR_PARTITION, version));
      }
    }
    const { advertisedHost, advertisedPort, nodeId, clusterId } = ctx.config;
    const response: MetadataResponse = {
      throttleTimeMs: 0,
      brokers: [{ nodeId, host: advertisedHost, port: advertisedPort, rack: null }],
      clusterId,
      controllerId: nodeId,
      topics,
    };
    if (version >= 8 && version <= 10) {
      response.clusterAuthorizedOperations = request.includeClusterAuthorizedOperations
        ? CLUSTER_OPERATIONS
        : NOT_REQUESTED;
    }
    return response;
  },
  // The core is stopping or not started: the requested topics carry the (retriable) code.
  errorResponse: (request, errorCode, ctx) => ({
    brokers: [],
    controllerId: -1,
    topics: (request.topics ?? []).map((t) =>
      errorResult(t.name, errorCode, ctx.header.apiVersion, t.topicId),
    ),
  }),
});
