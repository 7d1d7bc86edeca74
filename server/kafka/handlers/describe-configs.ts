/**
 * DescribeConfigs (key 32), versions 0-4.
 *
 * - TOPIC (resource type 2): every config Sluice supports for the topic, or those named in
 *   configurationKeys (names it does not support are left out, as Kafka leaves out unknown ones).
 *   Each with its value, source (v1+: DYNAMIC_TOPIC_CONFIG for the topic's own value,
 *   STATIC_BROKER_CONFIG for a broker default, DEFAULT_CONFIG), isDefault (v0: true only for the
 *   built-in default), readOnly false, sensitive false; synonyms (v1+, when includeSynonyms) from
 *   the most specific down (retention.ms, log.retention.ms); configType and documentation (v3+,
 *   documentation only when includeDocumentation). An unknown topic is UNKNOWN_TOPIC_OR_PARTITION.
 * - BROKER (resource type 4) "0": a small set of read-only broker configs (identity, listener,
 *   topic creation defaults, the log.* defaults of topic configs). "" (the cluster-wide dynamic
 *   defaults) is empty: there are none. Another broker id is INVALID_REQUEST.
 * - Any other resource type (broker loggers, groups, client metrics) is INVALID_REQUEST.
 */
import { KafkaError } from '../error-codes';
import { defineHandler, type RequestContext, type RequestOf, type ResponseOf } from '../handler';
import { caught } from './caught';
import {
  brokerConfigEntries,
  configTypeCode,
  RESOURCE_TYPE,
  sourceCode,
  topicConfigSynonyms,
  CONFIG_SOURCE,
} from './config-entries';

type Resource = RequestOf<'DescribeConfigs'>['resources'][number];
type Result = ResponseOf<'DescribeConfigs'>['results'][number];
type ConfigOut = Result['configs'][number];

function failure(resource: Resource, errorCode: number, errorMessage: string | null): Result {
  return {
    errorCode,
    errorMessage,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
    configs: [],
  };
}

function wanted(resource: Resource, name: string): boolean {
  return resource.configurationKeys === null || resource.configurationKeys.includes(name);
}

function describeTopic(
  resource: Resource,
  includeSynonyms: boolean,
  includeDocs: boolean,
  ctx: RequestContext,
): Result {
  const version = ctx.header.apiVersion;
  const entries = ctx.broker.describeTopicConfigs(resource.resourceName);
  const configs = entries
    .filter((e) => wanted(resource, e.name))
    .map((e): ConfigOut => ({
      name: e.name,
      value: e.value,
      readOnly: e.readOnly,
      ...(version === 0 && { isDefault: e.isDefault }),
      configSource: sourceCode(e.source),
      isSensitive: e.sensitive,
      synonyms: includeSynonyms ? topicConfigSynonyms(e, ctx.broker.options.topicDefaults) : [],
      configType: configTypeCode(e.type),
      documentation: includeDocs ? e.documentation : null,
    }));
  return { ...failure(resource, KafkaError.NONE, null), configs };
}

function describeBroker(
  resource: Resource,
  includeSynonyms: boolean,
  includeDocs: boolean,
  ctx: RequestContext,
): Result {
  const version = ctx.header.apiVersion;
  if (resource.resourceName === '') return failure(resource, KafkaError.NONE, null);
  if (resource.resourceName !== String(ctx.config.nodeId)) {
    return failure(
      resource,
      KafkaError.INVALID_REQUEST,
      `Unexpected broker id, expected ${ctx.config.nodeId} but received ${resource.resourceName}`,
    );
  }
  const configs = brokerConfigEntries(ctx.config, ctx.broker.options.topicDefaults)
    .filter((e) => wanted(resource, e.name))
    .map((e): ConfigOut => ({
      name: e.name,
      value: e.value,
      readOnly: true,
      ...(version === 0 && { isDefault: e.source === CONFIG_SOURCE.DEFAULT_CONFIG }),
      configSource: e.source,
      isSensitive: false,
      synonyms: includeSynonyms ? [{ name: e.name, value: e.value, source: e.source }] : [],
      configType: e.type,
      documentation: includeDocs ? e.documentation : null,
    }));
  return { ...failure(resource, KafkaError.NONE, null), configs };
}

export const describeConfigsHandler = defineHandler('DescribeConfigs', {
  minVersion: 0,
  maxVersion: 4,
  handle(request, ctx) {
    const version = ctx.header.apiVersion;
    const includeSynonyms = version >= 1 && request.includeSynonyms;
    const includeDocs = version >= 3 && request.includeDocumentation;
    const results = request.resources.map((resource): Result => {
      try {
        switch (resource.resourceType) {
          case RESOURCE_TYPE.TOPIC:
            return describeTopic(resource, includeSynonyms, includeDocs, ctx);
          case RESOURCE_TYPE.BROKER:
            return describeBroker(resource, includeSynonyms, includeDocs, ctx);
          default:
            return failure(
              resource,
              KafkaError.INVALID_REQUEST,
              `Unsupported resource type ${resource.resourceType}: Sluice describes topics (2) and broker 0 (4)`,
            );
        }
      } catch (error) {
        const { errorCode, errorMessage } = caught(error, ctx, `resource ${resource.resourceName}`);
        return failure(resource, errorCode, errorMessage);
      }
    });
    return Promise.resolve({ throttleTimeMs: 0, results });
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    results: request.resources.map((r) => failure(r, errorCode, null)),
  }),
});
