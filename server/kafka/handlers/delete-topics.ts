/**
 * DeleteTopics (key 20), versions 0-6.
 *
 * - v0-5 name the topics; v6 names them or gives their topic id (one of the two: both set is
 *   INVALID_REQUEST). An unknown name is UNKNOWN_TOPIC_OR_PARTITION, an unknown id
 *   UNKNOWN_TOPIC_ID (with a null name).
 * - The delete is complete when answered: the topic's actors are stopped, its files removed, and
 *   fetches waiting on it answered. Internal topics (`__consumer_offsets`) are refused by the core.
 * - errorMessage (v5+) says what is wrong; the timeout is not used.
 */
import { KafkaError } from '../error-codes';
import { defineHandler, type RequestContext, type ResponseOf } from '../handler';
import { caught } from './caught';

type TopicResult = ResponseOf<'DeleteTopics'>['responses'][number];

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

async function deleteOne(name: string, topicId: string, ctx: RequestContext): Promise<TopicResult> {
  try {
    await ctx.broker.deleteTopic(name);
    return { name, topicId, errorCode: KafkaError.NONE, errorMessage: null };
  } catch (error) {
    return { name, topicId, ...caught(error, ctx, `topic ${name}`) };
  }
}

export const deleteTopicsHandler = defineHandler('DeleteTopics', {
  minVersion: 0,
  maxVersion: 6,
  async handle(request, ctx) {
    const version = ctx.header.apiVersion;
    const wanted =
      version >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    const known = ctx.broker.listTopics({ includeInternal: true });
    const responses: TopicResult[] = [];
    for (const { name, topicId } of wanted) {
      const byId = topicId !== ZERO_UUID;
      if (byId && name !== null) {
        responses.push({
          name,
          topicId,
          errorCode: KafkaError.INVALID_REQUEST,
          errorMessage: 'Give either the topic name or its id, not both',
        });
      } else if (byId) {
        const found = known.find((t) => t.topicId === topicId);
        responses.push(
          found === undefined
            ? {
                name: null,
                topicId,
                errorCode: KafkaError.UNKNOWN_TOPIC_ID,
                errorMessage: `No topic has id ${topicId}`,
              }
            : await deleteOne(found.name, topicId, ctx),
        );
      } else if (name === null) {
        responses.push({
          name: null,
          topicId,
          errorCode: KafkaError.INVALID_REQUEST,
          errorMessage: 'A topic to delete needs a name or an id',
        });
      } else {
        const id = known.find((t) => t.name === name)?.topicId ?? ZERO_UUID;
        responses.push(await deleteOne(name, id, ctx));
      }
    }
    return { throttleTimeMs: 0, responses };
  },
  errorResponse: (request, errorCode, ctx) => ({
    responses: (ctx.header.apiVersion >= 6
      ? request.topics
      : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }))
    ).map((t) => ({ name: t.name, topicId: t.topicId, errorCode })),
  }),
});
