/**
 * CreateTopics (key 19), versions 0-7.
 *
 * - numPartitions -1 means the broker default (num.partitions); replicationFactor -1 or 1 is
 *   accepted, any other value is INVALID_REPLICATION_FACTOR (a single broker holds one replica).
 * - Manual assignments (numPartitions and replicationFactor -1) are accepted when every partition
 *   0..n-1 is placed on broker 0 alone; anything else is INVALID_REPLICA_ASSIGNMENT. Assignments
 *   together with a count or factor are INVALID_REQUEST, as in Kafka.
 * - Configs are validated by the core (names, values, ranges): INVALID_CONFIG naming the key. A
 *   null value is INVALID_REQUEST (Kafka: "Null value not supported for topic configs").
 * - validateOnly (v1+): everything is checked, nothing is created.
 * - A topic named twice in one request: INVALID_REQUEST for each occurrence. Other errors per
 *   topic: INVALID_TOPIC_EXCEPTION (bad or reserved `__` name), TOPIC_ALREADY_EXISTS,
 *   INVALID_PARTITIONS. errorMessage (v1+) says what is wrong.
 * - v5+ answers with the topic's partitions, replication factor 1 and every config with its
 *   source; v7 with the topic id. The request timeout is not used: a create completes (every
 *   partition open) before the answer.
 */
import { describeTopicConfig, validateTopicConfigs } from '../../broker/topics/topic-config';
import { KafkaError } from '../error-codes';
import {
  defineHandler,
  type KafkaTopicConfigEntry,
  type RequestContext,
  type RequestOf,
  type ResponseOf,
} from '../handler';
import { caught } from './caught';
import { sourceCode } from './config-entries';

type CreatableTopic = RequestOf<'CreateTopics'>['topics'][number];
type TopicResult = ResponseOf<'CreateTopics'>['topics'][number];

class TopicRefused extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

function refused(name: string, errorCode: number, errorMessage: string | null): TopicResult {
  return { name, errorCode, errorMessage, numPartitions: -1, replicationFactor: -1 };
}

/** Partition count and configs of one request entry, or TopicRefused. */
function plan(
  topic: CreatableTopic,
  ctx: RequestContext,
): { partitions: number; configs: Record<string, string> } {
  const { numPartitions, replicationFactor, assignments } = topic;
  let partitions: number;
  if (assignments.length > 0) {
    if (numPartitions !== -1 || replicationFactor !== -1) {
      throw new TopicRefused(
        KafkaError.INVALID_REQUEST,
        'Both numPartitions or replicationFactor and replicasAssignments were set. Only one should be set.',
      );
    }
    const indexes = new Set(assignments.map((a) => a.partitionIndex));
    const contiguous =
      indexes.size === assignments.length && assignments.every((a) => a.partitionIndex < assignments.length);
    const onBrokerZero = assignments.every((a) => a.brokerIds.length === 1 && a.brokerIds[0] === 0);
    if (!contiguous || !onBrokerZero) {
      throw new TopicRefused(
        KafkaError.INVALID_REPLICA_ASSIGNMENT,
        'Replica assignments must place each partition 0..n-1 on broker 0 alone (Sluice is a single broker)',
      );
    }
    partitions = assignments.length;
  } else {
    if (replicationFactor !== -1 && replicationFactor !== 1) {
      throw new TopicRefused(
        KafkaError.INVALID_REPLICATION_FACTOR,
        replicationFactor < 1
          ? 'Replication factor must be larger than 0, or -1 to use the default value.'
          : `Replication factor: ${replicationFactor} larger than available brokers: 1.`,
      );
    }
    partitions = numPartitions === -1 ? ctx.config.defaultPartitions : numPartitions;
  }
  const configs: Record<string, string> = {};
  for (const c of topic.configs) {
    if (c.value === null) {
      throw new TopicRefused(
        KafkaError.INVALID_REQUEST,
        `Null value not supported for topic configs: ${c.name}`,
      );
    }
    configs[c.name] = c.value;
  }
  return { partitions, configs };
}

function configsOut(entries: readonly KafkaTopicConfigEntry[]) {
  return entries.map((e) => ({
    name: e.name,
    value: e.value,
    readOnly: e.readOnly,
    configSource: sourceCode(e.source),
    isSensitive: e.sensitive,
  }));
}

async function createOne(
  topic: CreatableTopic,
  validateOnly: boolean,
  ctx: RequestContext,
): Promise<TopicResult> {
  const { name } = topic;
  try {
    const { partitions, configs } = plan(topic, ctx);
    let entries: readonly KafkaTopicConfigEntry[];
    let topicId: string | undefined;
    if (validateOnly) {
      ctx.broker.validateCreateTopic(name, { partitions, configs });
      entries = describeTopicConfig(validateTopicConfigs(configs), ctx.broker.options.topicDefaults);
    } else {
      await ctx.broker.createTopic(name, { partitions, configs });
      entries = ctx.broker.describeTopicConfigs(name);
      topicId = ctx.broker.listTopics({ includeInternal: true }).find((t) => t.name === name)?.topicId;
    }
    return {
      name,
      errorCode: KafkaError.NONE,
      errorMessage: null,
      numPartitions: partitions,
      replicationFactor: 1,
      configs: configsOut(entries),
      ...(topicId !== undefined && { topicId }),
    };
  } catch (error) {
    if (error instanceof TopicRefused) return refused(name, error.errorCode, error.message);
    const { errorCode, errorMessage } = caught(error, ctx, `topic ${name}`);
    return refused(name, errorCode, errorMessage);
  }
}

export const createTopicsHandler = defineHandler('CreateTopics', {
  minVersion: 0,
  maxVersion: 7,
  async handle(request, ctx) {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const topics: TopicResult[] = [];
    // One at a time: the core serialises topic changes anyway, and the answers keep request order.
    for (const topic of request.topics) {
      if ((counts.get(topic.name) ?? 0) > 1) {
        topics.push(
          refused(
            topic.name,
            KafkaError.INVALID_REQUEST,
            `Topic '${topic.name}' appears more than once in the request`,
          ),
        );
      } else {
        topics.push(await createOne(topic, request.validateOnly, ctx));
      }
    }
    return { throttleTimeMs: 0, topics };
  },
  errorResponse: (request, errorCode) => ({
    topics: request.topics.map((t) => refused(t.name, errorCode, null)),
  }),
});
