/**
 * What AlterConfigs and IncrementalAlterConfigs share: one resource's outcome by resource type
 * (TOPIC changes are planned whole, then applied at once; BROKER configs are read-only; anything
 * else is INVALID_REQUEST), the once-per-key rule, and the result row both responses carry.
 */
import { BrokerError } from '../../broker/errors';
import { validateTopicConfigs } from '../../broker/topics/topic-config';
import { KafkaError } from '../error-codes';
import type { RequestContext } from '../handler';
import { caught } from './caught';
import { RESOURCE_TYPE } from './config-entries';

export interface ConfigResourceRef {
  readonly resourceType: number;
  readonly resourceName: string;
}

export interface ConfigResourceResult extends ConfigResourceRef {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/** A topic's changes in the core's terms: overrides to set, overrides to remove. */
export interface TopicConfigChanges {
  readonly set: Readonly<Record<string, string>>;
  readonly delete: readonly string[];
}

export function resourceResult(
  resource: ConfigResourceRef,
  errorCode: number,
  errorMessage: string | null,
): ConfigResourceResult {
  return {
    errorCode,
    errorMessage,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
  };
}

/** Throws INVALID_REQUEST when `name` was already seen in this resource; records it otherwise. */
export function claimOnce(seen: Set<string>, name: string): void {
  if (seen.has(name)) {
    throw new BrokerError(
      'INVALID_REQUEST',
      `Configuration ${name} is changed more than once in the request`,
    );
  }
  seen.add(name);
}

/**
 * The SET side as a plain record with own properties only (a key like "__proto__" stays a key,
 * so it is refused as unknown rather than lost), every key and value validated: INVALID_CONFIG
 * naming the key and the rule, before anything changes.
 */
export function validatedSet(set: ReadonlyMap<string, string>): Record<string, string> {
  const record = Object.fromEntries(set) as Record<string, string>;
  validateTopicConfigs(record);
  return record;
}

/**
 * One resource: a TOPIC's changes are planned (which throws on any bad part, so nothing changes)
 * and then applied, or only planned under validateOnly. Errors become the row's code and message.
 */
export async function alterConfigResource(
  resource: ConfigResourceRef,
  validateOnly: boolean,
  ctx: RequestContext,
  plan: () => TopicConfigChanges,
): Promise<ConfigResourceResult> {
  try {
    switch (resource.resourceType) {
      case RESOURCE_TYPE.TOPIC: {
        const changes = plan();
        if (!validateOnly) await ctx.broker.alterTopicConfigs(resource.resourceName, changes);
        return resourceResult(resource, KafkaError.NONE, null);
      }
      case RESOURCE_TYPE.BROKER:
        return resourceResult(
          resource,
          KafkaError.INVALID_CONFIG,
          'Broker configurations are read-only in Sluice: they are set by command-line flags at start',
        );
      default:
        return resourceResult(
          resource,
          KafkaError.INVALID_REQUEST,
          `Unsupported resource type ${resource.resourceType}: Sluice alters topic configs (2)`,
        );
    }
  } catch (error) {
    const { errorCode, errorMessage } = caught(error, ctx, `resource ${resource.resourceName}`);
    return resourceResult(resource, errorCode, errorMessage);
  }
}
