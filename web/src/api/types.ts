import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../server/api/routers/_app';

/** The console's data types, derived from the router so that they can never drift from it. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export type ClusterInfo = RouterOutputs['cluster']['info'];
export type TopicSummary = RouterOutputs['topics']['list'][number];
export type TopicDescription = RouterOutputs['topics']['describe'];
export type PartitionDescription = TopicDescription['partitions'][number];
export type ConfigEntry = TopicDescription['configs'][number];
export type MessagePage = RouterOutputs['messages']['read'];
export type ClusterRecord = RouterOutputs['messages']['get'];
export type Payload = NonNullable<ClusterRecord['value']>;
export type MessageSeek = RouterInputs['messages']['read']['seek'];
export type GroupSummary = RouterOutputs['groups']['list'][number];
export type GroupDescription = RouterOutputs['groups']['describe'];
export type RebalanceRecord = RouterOutputs['groups']['rebalances'][number];
export type MetricsHistory = RouterOutputs['metrics']['history'];
export type MetricsScope = RouterInputs['metrics']['history']['scope'];
export type ActorNode = RouterOutputs['supervision']['tree'];
export type ActorState = ActorNode['state'];
export type ClusterEvent = RouterOutputs['cluster']['eventHistory'][number];
export type WorkloadStatus = RouterOutputs['workload']['status'];
export type Rates = TopicSummary['rates'];
