/**
 * AlterConfigs (key 33), versions 0-2 (the legacy API; v1 only changes throttling, v2 is flexible).
 *
 * - TOPIC resources: the request is the topic's whole set of overrides, as in Kafka. Each config
 *   given with a value becomes an override; every other override is removed (the broker default
 *   applies again), including one given with a null value; an empty list removes them all. The
 *   resource is validated as a whole and applied at once or not at all: an unknown key, a bad value
 *   or range is INVALID_CONFIG naming the key; a key given twice is INVALID_REQUEST. The new
 *   configs reach the live partitions.
 * - validateOnly: the same checks, nothing changes.
 * - BROKER resources are refused with INVALID_CONFIG: broker configs are set by flags at start
 *   and are read-only here. Other resource types are INVALID_REQUEST; an unknown topic
 *   UNKNOWN_TOPIC_OR_PARTITION. Resources are independent: each gets its own code and message.
 */
import { TOPIC_CONFIG_NAMES, validateTopicConfigName } from '../../broker/topics/topic-config';
import { defineHandler, type RequestContext, type RequestOf } from '../handler';
import {
  alterConfigResource,
  claimOnce,
  resourceResult,
  validatedSet,
  type ConfigResourceResult,
  type TopicConfigChanges,
} from './config-alteration';

type Resource = RequestOf<'AlterConfigs'>['resources'][number];

/** The replacement as the core's SET/DELETE request. Throws BrokerError. */
function plan(resource: Resource, ctx: RequestContext): TopicConfigChanges {
  ctx.broker.describeTopicConfigs(resource.resourceName); // UNKNOWN_TOPIC_OR_PARTITION, validateOnly too
  const set = new Map<string, string>();
  const seen = new Set<string>();
  for (const { name, value } of resource.configs) {
    claimOnce(seen, name);
    validateTopicConfigName(name);
    if (value !== null) set.set(name, value);
  }
  // Every supported config not set is deleted, not just the overrides seen now: deleting a key
  // without an override changes nothing, and the replacement stays whole even if another change
  // (the console, another client) lands between this plan and the core applying it.
  const deleted = TOPIC_CONFIG_NAMES.filter((name) => !set.has(name));
  return { set: validatedSet(set), delete: deleted };
}

export const alterConfigsHandler = defineHandler('AlterConfigs', {
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const responses: ConfigResourceResult[] = [];
    for (const resource of request.resources) {
      const changes = () => plan(resource, ctx);
      responses.push(await alterConfigResource(resource, request.validateOnly, ctx, changes));
    }
    return { throttleTimeMs: 0, responses };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    responses: request.resources.map((r) => resourceResult(r, errorCode, null)),
  }),
});
