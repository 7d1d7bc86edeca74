/**
 * The data that crosses the `Cluster` interface (see cluster.ts): plain, JSON-serialisable values
 * only, so that tRPC can ship them to the browser as they are and a second implementation over a
 * Kafka client can produce them too. No Buffers: bytes travel as text or base64 with their size;
 * offsets and timestamps are JS numbers (offsets stay far below 2^53 on one machine).
 */

/** Milliseconds since the Unix epoch. */
export type EpochMillis = number;

// ---------------------------------------------------------------------------------------- cluster

export interface ClusterListener {
  name: string;
  protocol: 'kafka' | 'http';
  host: string;
  port: number;
}

/** What this cluster can do; the console hides what is off instead of failing on it. */
export interface ClusterFeatures {
  /** Crash an actor, fail its next writes, slow it down. Off unless the operator enabled it. */
  faultInjection: boolean;
  /** There is an actor tree to show (an external Kafka cluster has none). */
  supervision: boolean;
  /** In-process producers and consumer groups can be started (demo and load workload). */
  workload: boolean;
}

export interface ClusterInfo {
  clusterId: string;
  /** 'embedded' is this process's broker; 'external' a Kafka cluster reached over the network. */
  kind: 'embedded' | 'external';
  brokerVersion: string;
  startedAt: EpochMillis;
  uptimeMs: number;
  listeners: ClusterListener[];
  features: ClusterFeatures;
}

// ----------------------------------------------------------------------------------------- topics

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
/** CreateTime: the producer's event time. LogAppendTime: the broker's clock when it stored it. */
export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** Per-second rates. "In" is what producers wrote, "out" what consumers fetched. */
export interface Rates {
  recordsInPerSec: number;
  bytesInPerSec: number;
  recordsOutPerSec: number;
  bytesOutPerSec: number;
}

export interface TopicSummary {
  name: string;
  internal: boolean;
  partitions: number;
  /** Records between the start and end offsets, summed over partitions. */
  records: number;
  sizeBytes: number;
  retentionMs: number;
  retentionBytes: number;
  cleanupPolicy: CleanupPolicy;
  timestampType: TimestampType;
  rates: Rates;
}

/**
 * The supervision runtime's states: `starting` (preStart), `running`, `suspended` (failed, awaiting
 * its supervisor's directive), `restarting` (waiting out its backoff), `stopping`, `stopped`, and
 * `offline` (stopped because of failures: requests get a retriable unavailable error).
 */
export type ActorState =
  'starting' | 'running' | 'suspended' | 'restarting' | 'stopping' | 'stopped' | 'offline';

/** The actor serving a partition or a group; null where the cluster has no actors. */
export interface ActorRef {
  path: string;
  state: ActorState;
  restarts: number;
}

export interface PartitionDescription {
  partition: number;
  /** Log start offset: the first offset still stored. */
  startOffset: number;
  /** Log end offset: the offset the next record will get. */
  endOffset: number;
  records: number;
  sizeBytes: number;
  segments: number;
  firstTimestamp: EpochMillis | null;
  lastTimestamp: EpochMillis | null;
  actor: ActorRef | null;
  rates: Rates;
}

/** Kafka's DescribeConfigs sources, reduced to the three a single broker has. */
export type ConfigSource = 'TOPIC' | 'BROKER' | 'DEFAULT';
export type ConfigType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list' | 'password';

/** Config values are strings as in Kafka's admin API, whatever their type. */
export interface ConfigEntry {
  name: string;
  value: string | null;
  defaultValue: string | null;
  source: ConfigSource;
  type: ConfigType;
  readOnly: boolean;
  sensitive: boolean;
  documentation: string;
  /** The accepted values of an enumerated config (cleanup.policy, message.timestamp.type). */
  allowed?: string[];
}

export interface TopicDescription {
  name: string;
  internal: boolean;
  partitions: PartitionDescription[];
  configs: ConfigEntry[];
  records: number;
  sizeBytes: number;
}

export interface CreateTopicRequest {
  name: string;
  partitions: number;
  /** Overrides by Kafka config name; anything left out takes the broker default. */
  configs: Record<string, string>;
}

/** Kafka's IncrementalAlterConfigs: set one config, or delete the override to restore the default. */
export type ConfigAlteration = { name: string; op: 'set'; value: string } | { name: string; op: 'delete' };

export interface PartitionStart {
  partition: number;
  startOffset: number;
}

// --------------------------------------------------------------------------------------- messages

/**
 * Bytes as the console sees them: UTF-8 text when they decode as such, base64 otherwise.
 * `data` may be a prefix (`truncated`); `sizeBytes` is always the full size.
 */
export interface PayloadPreview {
  encoding: 'utf8' | 'base64';
  data: string;
  sizeBytes: number;
  truncated: boolean;
}

/** Bytes to produce: text (encoded as UTF-8) or base64 for binary. */
export interface PayloadInput {
  encoding: 'utf8' | 'base64';
  data: string;
}

export interface RecordHeader {
  key: string;
  value: PayloadPreview | null;
}

export interface ClusterRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: EpochMillis;
  timestampType: TimestampType;
  /** null is a null key (no key) or a null value (a tombstone), not an empty one. */
  key: PayloadPreview | null;
  value: PayloadPreview | null;
  headers: RecordHeader[];
  /** Key + value + header bytes, uncompressed. */
  sizeBytes: number;
}

/**
 * Where a read starts. Reads over several partitions are merged by (timestamp, partition, offset).
 * - oldest: every partition from its start offset.
 * - newest: the last `limit` records across partitions.
 * - offset: one partition from an offset, in offset order.
 * - timestamp: every partition from the earliest offset whose timestamp is >= t (ListOffsets).
 * - range: records with from <= timestamp <= to.
 */
export type MessageSeek =
  | { kind: 'oldest' }
  | { kind: 'newest' }
  | { kind: 'offset'; partition: number; offset: number }
  | { kind: 'timestamp'; timestamp: EpochMillis }
  | { kind: 'range'; from: EpochMillis; to: EpochMillis };

/** Case-insensitive substring filters; a record must match all that are set. */
export interface MessageFilter {
  key?: string;
  value?: string;
  /** Matches a header's key or its text value. */
  header?: string;
}

export interface ReadMessagesRequest {
  topic: string;
  seek: MessageSeek;
  /** Restrict to these partitions; all when absent. */
  partitions?: number[];
  filter?: MessageFilter;
  /** Page size. */
  limit: number;
  /** Cap on the bytes of each key, value and header value in the page. */
  previewBytes: number;
  /** A cursor from a previous page of the same topic: continues from there, `seek` is ignored. */
  cursor?: string;
}

export interface PartitionWatermarks {
  partition: number;
  startOffset: number;
  endOffset: number;
}

export interface MessagePage {
  records: ClusterRecord[];
  /** The page after this one, or null when the read reached the end of the range or the logs. */
  nextCursor: string | null;
  /** The page before this one, or null at the start. */
  prevCursor: string | null;
  /** Records examined to fill the page, filters included: tells "no match" from "no data". */
  scanned: number;
  watermarks: PartitionWatermarks[];
}

export interface GetRecordOptions {
  /** Cap on the value bytes returned; the key and headers are capped at the same size. */
  maxValueBytes: number;
}

export interface TailRequest {
  topic: string;
  partitions?: number[];
  filter?: MessageFilter;
  previewBytes: number;
  /** A cursor from an earlier batch: resume after it. Absent: start at the end of the logs. */
  resumeFrom?: string;
}

/** New records as they are appended, with the cursor to resume after them. */
export interface TailBatch {
  cursor: string;
  records: ClusterRecord[];
}

export interface ProduceRequest {
  topic: string;
  /** Absent: the default partitioner (murmur2 of the key; sticky when there is no key). */
  partition?: number;
  key: PayloadInput | null;
  value: PayloadInput | null;
  headers: { key: string; value: PayloadInput | null }[];
  /** CreateTime; absent: now. Ignored (replaced by the broker's clock) on LogAppendTime topics. */
  timestamp?: EpochMillis;
}

export interface ProduceResult {
  topic: string;
  partition: number;
  offset: number;
  timestamp: EpochMillis;
  timestampType: TimestampType;
}

// ----------------------------------------------------------------------------------------- groups

/** Kafka's classic group protocol states. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupSummary {
  groupId: string;
  state: GroupState;
  /** 'consumer' for Kafka consumers; other protocol types are listed but not interpreted. */
  protocolType: string;
  /** The assignor the members agreed on (range, roundrobin, cooperative-sticky...). */
  protocol: string;
  generation: number;
  members: number;
  topics: string[];
  /** Sum of per-partition lag over partitions with a committed offset. */
  totalLag: number;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  assignment: TopicPartitions[];
}

export interface GroupPartitionOffset {
  topic: string;
  partition: number;
  /** null when the group never committed for this partition. */
  committedOffset: number | null;
  endOffset: number;
  lag: number | null;
  /** The member currently assigned this partition, if any. */
  memberId: string | null;
}

export interface GroupDescription extends Omit<GroupSummary, 'members'> {
  /** The summary's member count is members.length here. */
  members: GroupMember[];
  offsets: GroupPartitionOffset[];
  actor: ActorRef | null;
}

export type OffsetResetTarget =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'timestamp'; timestamp: EpochMillis }
  | { kind: 'explicit'; offsets: { partition: number; offset: number }[] };

export interface ResetOffsetsRequest {
  groupId: string;
  topic: string;
  /** Restrict to these partitions; all of the topic's when absent. */
  partitions?: number[];
  target: OffsetResetTarget;
  /** Compute and return the new offsets without committing them. */
  dryRun: boolean;
}

export type RebalanceReason = 'join' | 'leave' | 'session-expiry' | 'topic-change' | 'other';

export interface MemberAssignment {
  memberId: string;
  clientId: string;
  assignment: TopicPartitions[];
}

/** One rebalance of one group (DESIGN "Producers, consumers, groups"). */
export interface RebalanceRecord {
  id: number;
  groupId: string;
  generationBefore: number;
  /** null while the rebalance is in progress. */
  generationAfter: number | null;
  reason: RebalanceReason;
  /** Who joined, left or expired, in words. */
  reasonDetail: string;
  membersBefore: MemberAssignment[];
  membersAfter: MemberAssignment[];
  startedAt: EpochMillis;
  endedAt: EpochMillis | null;
  durationMs: number | null;
}

export interface RebalanceQuery {
  groupId?: string;
  /** Only rebalances that started at or after this time. */
  since?: EpochMillis;
  limit: number;
}

// ---------------------------------------------------------------------------------------- metrics

export type MetricsScope =
  | { kind: 'broker' }
  | { kind: 'topic'; topic: string }
  | { kind: 'partition'; topic: string; partition: number }
  | { kind: 'group'; groupId: string }
  /** The Kafka door: connected clients and requests per second by API. */
  | { kind: 'kafka' };

export interface ThroughputPoint extends Rates {
  t: EpochMillis;
}

export interface LagPoint {
  t: EpochMillis;
  lag: number;
}

export interface MetricsHistoryRequest {
  scope: MetricsScope;
  from: EpochMillis;
  to: EpochMillis;
  /** Bucket width: each point is the mean of the one-second samples in its bucket. */
  stepMs: number;
}

/** The Kafka door at one time: its open client connections and its request rates. */
export interface KafkaRates {
  /** Client connections open on the Kafka listener. */
  connections: number;
  /** Requests per second, all APIs together. */
  requestsPerSec: number;
  /** Requests per second by API name ("Produce", "Metadata"...), busiest first; idle APIs left out. */
  byApi: { api: string; perSec: number }[];
}

export interface KafkaPoint extends KafkaRates {
  t: EpochMillis;
}

export interface MetricsHistory {
  scope: MetricsScope;
  stepMs: number;
  /** Throughput of the scope (a group's scope: of the topics it consumes); empty for the Kafka scope. */
  throughput: ThroughputPoint[];
  /** A group's total lag; empty for other scopes. */
  lag: LagPoint[];
  /** The Kafka door's connections and request rates; empty for other scopes. */
  kafka: KafkaPoint[];
}

export interface MetricsStreamRequest {
  /** Topics whose per-partition rates each tick carries (all topics' totals always come). */
  partitionsOf: string[];
  /** Resume after this tick id (a reconnect); absent: start with the next tick. */
  afterId?: number;
}

/** One second of the whole cluster, multiplexed into one stream for the browser. */
export interface MetricsTick {
  /** Monotonically increasing. */
  id: number;
  t: EpochMillis;
  broker: Rates;
  topics: { topic: string; rates: Rates }[];
  partitions: { topic: string; partition: number; rates: Rates }[];
  groups: { groupId: string; lag: number }[];
  kafka: KafkaRates;
}

// ------------------------------------------------------------------------------------ supervision

export type ActorKind = 'broker' | 'supervisor' | 'partition' | 'group' | 'worker';

export interface ActorNode {
  /** Unique, slash-separated from the root: "broker/topics/orders/2". */
  path: string;
  name: string;
  kind: ActorKind;
  state: ActorState;
  /** One-for-one, all-for-one, rest-for-one and its restart limit, for supervisors. */
  strategy: string | null;
  restarts: number;
  lastRestartAt: EpochMillis | null;
  /** While restarting: when the next attempt is due (backoff). */
  nextRestartAt: EpochMillis | null;
  lastError: { message: string; at: EpochMillis } | null;
  /** Queued messages; `stashed` are those held while the actor restarts. */
  mailbox: { size: number; capacity: number | null; stashed: number } | null;
  children: ActorNode[];
}

export type ActorEventType =
  | 'started'
  | 'failed'
  | 'restarting'
  | 'restarted'
  | 'resumed'
  | 'stopped'
  | 'escalated'
  | 'message-dropped'
  | 'stash-overflow'
  | 'fault-injected';

interface EventBase {
  /** Monotonically increasing across both kinds: the resume point of the events stream. */
  id: number;
  at: EpochMillis;
}

export interface ActorEvent extends EventBase {
  kind: 'actor';
  type: ActorEventType;
  path: string;
  /** The error for failed/escalated, the directive and delay for restarted, etc. */
  message: string;
  attempt?: number;
  delayMs?: number;
}

export interface RebalanceEvent extends EventBase {
  kind: 'rebalance';
  phase: 'started' | 'completed';
  rebalance: RebalanceRecord;
}

export type ClusterEvent = ActorEvent | RebalanceEvent;

export interface EventQuery {
  /** Only events with a larger id. */
  afterId?: number;
  kinds?: ClusterEvent['kind'][];
  limit: number;
}

export type FaultRequest =
  | { kind: 'crash'; path: string }
  | { kind: 'fail-writes'; path: string; count: number }
  | { kind: 'delay'; path: string; delayMs: number; durationMs: number }
  /** Removes the faults injected into an actor. */
  | { kind: 'clear'; path: string };

// --------------------------------------------------------------------------------------- workload

export interface ProducerWorkload {
  id: string;
  topic: string;
  ratePerSec: number;
  recordBytes: number;
  startedAt: EpochMillis;
  produced: number;
  errors: number;
  lastError: string | null;
}

export interface ConsumerWorkload {
  groupId: string;
  topic: string;
  members: { memberId: string; consumed: number }[];
  consumed: number;
}

export interface WorkloadStatus {
  producers: ProducerWorkload[];
  consumerGroups: ConsumerWorkload[];
}

export interface StartProducerRequest {
  topic: string;
  ratePerSec: number;
  recordBytes: number;
}

export interface StartConsumerGroupRequest {
  groupId: string;
  topic: string;
  members: number;
}
