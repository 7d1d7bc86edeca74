/**
 * CreatePartitions (key 37), versions 0-3.
 *
 * - Grows a topic to `count` partitions; the new ones are open when the answer is sent. A count
 *   not above the current one is INVALID_PARTITIONS, as is one past the core's maximum.
 * - Assignments, when given, must list one entry per new partition, each on broker 0 alone;
 *   otherwise INVALID_REPLICA_ASSIGNMENT.
 * - validateOnly: the same checks, nothing changes.
 * - A topic named twice in one request is INVALID_REQUEST for each occurrence; an unknown topic is
 *   UNKNOWN_TOPIC_OR_PARTITION. errorMessage says what is wrong. The timeout is not used.
 */
import { BrokerError } from '../../broker/errors';
import { validatePartitionCount } from '../../broker/topics/topic-metadata';
import { KafkaError } from '../error-codes';
import { defineHandler, type RequestContext, type RequestOf, type ResponseOf } from '../handler';
import { caught } from './caught';

type Topic = RequestOf<'CreatePartitions'>['topics'][number];
type TopicResult = ResponseOf<'CreatePartitions'>['results'][number];

async function grow(topic: Topic, validateOnly: boolean, ctx: RequestContext): Promise<TopicResult> {
  const { name, count, assignments } = topic;
  try {
    const current = ctx.broker.partitionCount(name);
    if (current === undefined) {
      throw new BrokerError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${name}' does not exist`);
    }
    if (count <= current) {
      throw new BrokerError(
        'INVALID_PARTITIONS',
        `Topic '${name}' already has ${current} partition${current === 1 ? '' : 's'}; the new count must be greater`,
      );
    }
    validatePartitionCount(count, name);
    if (
      assignments !== null &&
      (assignments.length !== count - current ||
        !assignments.every((a) => a.brokerIds.length === 1 && a.brokerIds[0] === 0))
    ) {
      return {
        name,
        errorCode: KafkaError.INVALID_REPLICA_ASSIGNMENT,
        errorMessage: `Give one assignment per new partition (${count - current}), each on broker 0 alone`,
      };
    }
    if (!validateOnly) await ctx.broker.addPartitions(name, count);
    return { name, errorCode: KafkaError.NONE, errorMessage: null };
  } catch (error) {
    return { name, ...caught(error, ctx, `topic ${name}`) };
  }
}

export const createPartitionsHandler = defineHandler('CreatePartitions', {
  minVersion: 0,
  maxVersion: 3,
  async handle(request, ctx) {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results: TopicResult[] = [];
    for (const topic of request.topics) {
      results.push(
        (counts.get(topic.name) ?? 0) > 1
          ? {
              name: topic.name,
              errorCode: KafkaError.INVALID_REQUEST,
              errorMessage: `Topic '${topic.name}' appears more than once in the request`,
            }
          : await grow(topic, request.validateOnly, ctx),
      );
    }
    return { throttleTimeMs: 0, results };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })),
  }),
});
