/**
 * IncrementalAlterConfigs (key 44), versions 0-1.
 *
 * - TOPIC resources: SET (0) overrides a config, DELETE (1) removes the override (the broker
 *   default applies again); APPEND (2) and SUBTRACT (3) add values to or remove them from a list
 *   config (cleanup.policy) starting from its current value, and are INVALID_CONFIG on any other
 *   config. All of a resource's changes are validated together and applied at once or not at
 *   all: an unknown key, a bad value or range is INVALID_CONFIG naming the key; a key changed twice
 *   in one resource is INVALID_REQUEST. The new configs reach the live partitions.
 * - validateOnly: the same checks, nothing changes.
 * - BROKER resources are refused with INVALID_CONFIG: broker configs are set by flags at start
 *   and are read-only here. Other resource types are INVALID_REQUEST; an unknown topic
 *   UNKNOWN_TOPIC_OR_PARTITION.
 */
import { BrokerError } from '../../broker/errors';
import { validateTopicConfigName } from '../../broker/topics/topic-config';
import { defineHandler, type RequestContext, type RequestOf } from '../handler';
import {
  alterConfigResource,
  claimOnce,
  resourceResult,
  validatedSet,
  type ConfigResourceResult,
  type TopicConfigChanges,
} from './config-alteration';

type Resource = RequestOf<'IncrementalAlterConfigs'>['resources'][number];

const OP = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

function listOf(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The resource's changes as the core's SET/DELETE request. Throws BrokerError. */
function plan(resource: Resource, ctx: RequestContext): TopicConfigChanges {
  const topic = resource.resourceName;
  const current = new Map(ctx.broker.describeTopicConfigs(topic).map((e) => [e.name, e]));
  const set = new Map<string, string>();
  const deleted: string[] = [];
  const seen = new Set<string>();
  for (const { name, configOperation, value } of resource.configs) {
    claimOnce(seen, name);
    if (configOperation === OP.DELETE) {
      validateTopicConfigName(name);
      deleted.push(name);
      continue;
    }
    if (configOperation !== OP.SET && configOperation !== OP.APPEND && configOperation !== OP.SUBTRACT) {
      throw new BrokerError('INVALID_REQUEST', `Unknown config operation ${configOperation} for ${name}`);
    }
    if (value === null) throw new BrokerError('INVALID_CONFIG', `A null value is not allowed for ${name}`);
    if (configOperation === OP.SET) {
      set.set(name, value);
      continue;
    }
    validateTopicConfigName(name);
    const entry = current.get(name);
    if (entry?.type !== 'list') {
      const op = configOperation === OP.APPEND ? 'append' : 'subtract';
      throw new BrokerError('INVALID_CONFIG', `Config value ${op} is not allowed for config key: ${name}`);
    }
    const before = listOf(entry.value);
    const change = listOf(value);
    const after =
      configOperation === OP.APPEND
        ? [...before, ...change.filter((v) => !before.includes(v))]
        : before.filter((v) => !change.includes(v));
    set.set(name, after.join(','));
  }
  return { set: validatedSet(set), delete: deleted };
}

export const incrementalAlterConfigsHandler = defineHandler('IncrementalAlterConfigs', {
  minVersion: 0,
  maxVersion: 1,
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
