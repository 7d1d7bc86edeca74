import type { BrokerRuntime } from './broker-runtime';
import {
  describeTopic,
  summarizeTopic,
  type TopicDescription,
  type TopicSummary,
} from './topic-manager/topic-describe';
import type { CreateTopicRequest } from './topic-manager/topic-manager';
import { describeTopicConfig, type TopicConfigEntry } from './topics/topic-config';

/**
 * The Broker's topic administration: the TopicManager's changes plus what the rest of the broker
 * must hear of them (groups rebalance, a deleted topic's committed offsets go). `live` is the
 * Broker's running runtime, read on each use: it throws BROKER_NOT_AVAILABLE once stopped.
 */
export type LiveRuntime = () => BrokerRuntime;

export async function createTopic(
  live: LiveRuntime,
  name: string,
  request: CreateTopicRequest,
): Promise<TopicDescription> {
  await live().topics.create(name, request);
  return describeLiveTopic(live, name);
}

export async function describeLiveTopic(live: LiveRuntime, name: string): Promise<TopicDescription> {
  const { ctx } = live();
  return describeTopic(ctx, ctx.registry.require(name));
}

export function listTopics(live: LiveRuntime, options: { includeInternal?: boolean }): TopicSummary[] {
  return live()
    .ctx.registry.list()
    .map(summarizeTopic)
    .filter((t) => options.includeInternal === true || !t.internal);
}

export function describeTopicConfigs(live: LiveRuntime, name: string): TopicConfigEntry[] {
  const { ctx } = live();
  return describeTopicConfig(ctx.registry.require(name).meta.configs, ctx.options.topicDefaults);
}

/** Groups subscribed to the topic rebalance onto the new partitions. */
export async function addPartitions(
  live: LiveRuntime,
  name: string,
  totalPartitions: number,
): Promise<TopicDescription> {
  const { topics, groups } = live();
  await topics.addPartitions(name, totalPartitions);
  groups.onTopicsChanged([name]);
  return describeLiveTopic(live, name);
}

/** Also removes every group's committed offsets for the topic (and its subscribers rebalance). */
export async function deleteTopic(
  live: LiveRuntime,
  name: string,
  options: { internal?: boolean },
): Promise<void> {
  const { topics, groups } = live();
  await topics.delete(name, options);
  await groups.onTopicDeleted(name);
}
