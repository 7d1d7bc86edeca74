import type {
  ActorNode,
  ClusterEvent,
  ClusterInfo,
  ClusterRecord,
  ConfigAlteration,
  ConfigEntry,
  ConsumerWorkload,
  CreateTopicRequest,
  EventQuery,
  FaultRequest,
  GetRecordOptions,
  GroupDescription,
  GroupPartitionOffset,
  GroupSummary,
  MessagePage,
  MetricsHistory,
  MetricsHistoryRequest,
  MetricsStreamRequest,
  MetricsTick,
  PartitionStart,
  ProduceRequest,
  ProduceResult,
  ProducerWorkload,
  ReadMessagesRequest,
  RebalanceQuery,
  RebalanceRecord,
  ResetOffsetsRequest,
  StartConsumerGroupRequest,
  StartProducerRequest,
  TailBatch,
  TailRequest,
  TopicDescription,
  TopicSummary,
  WorkloadStatus,
} from './types';

/**
 * Everything the console reads from or does to a cluster. The console (server/api) knows only this
 * interface: the embedded broker implements it over server/broker, and a Kafka cluster reached over
 * the network can implement it over a Kafka admin/consumer client without any change to the UI.
 *
 * Contract for implementations:
 * - every value in and out is plain JSON (see types.ts); the API layer has already validated the
 *   shape of inputs (names, ranges) but an implementation checks what only it knows (existence,
 *   offsets past the end, configs it does not support);
 * - every failure is a `ClusterError` with a human message naming the thing at fault;
 * - streams end when `signal` aborts (the browser went away) and release what they hold.
 */
export interface Cluster {
  /** Version, uptime, listeners and the features the console may offer. */
  info(): Promise<ClusterInfo>;

  // topics
  /** Every topic with its size, record count, retention and current produce rate. */
  listTopics(options?: { includeInternal?: boolean }): Promise<TopicSummary[]>;
  /** Partitions (offsets, size, segments, actor state) and every config with its source. */
  describeTopic(topic: string): Promise<TopicDescription>;
  /** ALREADY_EXISTS if the name is taken; INVALID_ARGUMENT (field = config name) for a bad config. */
  createTopic(request: CreateTopicRequest): Promise<TopicDescription>;
  /** Incremental: untouched configs keep their values. Returns the configs after the change. */
  alterTopicConfigs(topic: string, alterations: ConfigAlteration[]): Promise<ConfigEntry[]>;
  /** Grows the topic to `totalPartitions` (Kafka's CreatePartitions); it can never shrink. */
  addPartitions(topic: string, totalPartitions: number): Promise<TopicDescription>;
  /** Deletes all records (DeleteRecords to the end offset); offsets are never reused. */
  purgeTopic(topic: string, partitions?: number[]): Promise<PartitionStart[]>;
  deleteTopic(topic: string): Promise<void>;

  // messages
  /** One page of records from a seek or a cursor, with cursors for the pages around it. */
  readMessages(request: ReadMessagesRequest): Promise<MessagePage>;
  /** One record with larger caps, for the detail panel. OUT_OF_RANGE past the partition's end. */
  getRecord(
    topic: string,
    partition: number,
    offset: number,
    options: GetRecordOptions,
  ): Promise<ClusterRecord>;
  /** Records appended from now (or from `resumeFrom`), in batches, until `signal` aborts. */
  tailMessages(request: TailRequest, signal: AbortSignal): AsyncIterable<TailBatch>;
  produce(request: ProduceRequest): Promise<ProduceResult>;

  // consumer groups
  /** All groups, or those with committed offsets or assignments on `topic`. */
  listGroups(options?: { topic?: string }): Promise<GroupSummary[]>;
  /** Members, assignments and per-partition committed offset, end offset and lag. */
  describeGroup(groupId: string): Promise<GroupDescription>;
  /** FAILED_PRECONDITION unless the group is Empty. Returns the new (or, dry run, proposed) offsets. */
  resetGroupOffsets(request: ResetOffsetsRequest): Promise<GroupPartitionOffset[]>;
  /** FAILED_PRECONDITION unless the group is Empty. */
  deleteGroup(groupId: string): Promise<void>;
  /** Past rebalances, newest first. */
  rebalanceHistory(query: RebalanceQuery): Promise<RebalanceRecord[]>;

  // metrics
  /** Throughput (and a group's lag) over a time window, bucketed by `stepMs`. */
  metricsHistory(request: MetricsHistoryRequest): Promise<MetricsHistory>;
  /** One tick per second with every rate and lag, resumable after a tick id. */
  metricsStream(request: MetricsStreamRequest, signal: AbortSignal): AsyncIterable<MetricsTick>;
  /** The Prometheus text exposition of the same meters. */
  prometheusText(): Promise<string>;

  // supervision
  /** The supervision tree as it is now. UNSUPPORTED where there are no actors. */
  actorTree(): Promise<ActorNode>;
  /** Past supervision and rebalance events, oldest first. */
  eventHistory(query: EventQuery): Promise<ClusterEvent[]>;
  /** Events as they happen, after `afterId` when resuming (replayed from the history first). */
  eventStream(options: { afterId?: number }, signal: AbortSignal): AsyncIterable<ClusterEvent>;
  /** NOT_FOUND for an unknown actor path; FORBIDDEN unless fault injection is enabled. */
  injectFault(request: FaultRequest): Promise<void>;

  // workload (in-process producers and consumers, for demos and load)
  workloadStatus(): Promise<WorkloadStatus>;
  startProducer(request: StartProducerRequest): Promise<ProducerWorkload>;
  stopProducer(id: string): Promise<void>;
  startConsumerGroup(request: StartConsumerGroupRequest): Promise<ConsumerWorkload>;
  /** Adds one member: the group rebalances. */
  addConsumer(groupId: string): Promise<ConsumerWorkload>;
  /** Removes one member (the given one, or the newest): the group rebalances. */
  removeConsumer(groupId: string, memberId?: string): Promise<ConsumerWorkload>;
  stopConsumerGroup(groupId: string): Promise<void>;
}

/**
 * The failure vocabulary of the interface. Codes are about what the caller can do, not about
 * Kafka error numbers: the API layer maps them to HTTP/tRPC codes one to one.
 * - NOT_FOUND: no such topic, partition, group, actor, workload.
 * - ALREADY_EXISTS: a topic or workload of that name exists.
 * - INVALID_ARGUMENT: a value the cluster refuses; `field` names it (a config name, 'partitions').
 * - OUT_OF_RANGE: an offset or timestamp outside what the log holds.
 * - FAILED_PRECONDITION: the target's state forbids it now (resetting a non-empty group).
 * - UNAVAILABLE: try again (partition restarting, coordinator loading). Retriable.
 * - OVERLOADED: a mailbox is full. Retriable after a pause.
 * - FORBIDDEN: disabled by configuration (fault injection off).
 * - UNSUPPORTED: this kind of cluster cannot do it (no actors on an external cluster).
 * - INTERNAL: a bug or an I/O failure; details go to the server log, not the message.
 */
export type ClusterErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_ARGUMENT'
  | 'OUT_OF_RANGE'
  | 'FAILED_PRECONDITION'
  | 'UNAVAILABLE'
  | 'OVERLOADED'
  | 'FORBIDDEN'
  | 'UNSUPPORTED'
  | 'INTERNAL';

export class ClusterError extends Error {
  readonly code: ClusterErrorCode;
  /** The input field at fault, so the console can show the message next to it. */
  readonly field: string | undefined;
  readonly retriable: boolean;

  constructor(code: ClusterErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClusterError';
    this.code = code;
    this.field = options?.field;
    this.retriable = code === 'UNAVAILABLE' || code === 'OVERLOADED';
  }
}

export function isClusterError(error: unknown, code?: ClusterErrorCode): error is ClusterError {
  return error instanceof ClusterError && (code === undefined || error.code === code);
}
