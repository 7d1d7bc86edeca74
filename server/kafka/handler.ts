/**
 * The contract between the Kafka door's connection layer and the one-file-per-API handlers.
 *
 * A handler is data plus one async function: the API it serves, the version range it advertises
 * (within the generated codec's range), and `handle(request, ctx)` that turns a decoded request
 * into a response object (or NO_RESPONSE for acks=0 produce). Decoding, encoding, framing, ordering
 * of responses, version checks and error containment are the connection layer's job.
 */
import type {
  DescribedGroup,
  GroupDeletion,
  HeartbeatRequest,
  HeartbeatResult,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupMember,
  LeaveGroupResult,
  ListedGroup,
  ListGroupsOptions,
  OffsetCommitPartition,
  OffsetDeleteResult,
  OffsetFetchResult,
  OffsetFetchTopic,
  SyncGroupRequest,
  SyncGroupResult,
  TopicPartitionError,
} from '../broker/broker';
import type { TopicConfigOverrides } from '../broker/topics/topic-config';
import type { Logger } from '../logger';
import { API_CODECS, type ApiName } from './protocol/generated/index';
import type { Reader } from './protocol/reader';
import type { Writer } from './protocol/writer';

/** Returned by a handler when the request gets no response at all (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('kafka.noResponse');
export type NoResponse = typeof NO_RESPONSE;

/** What a handler learns from the request header. */
export interface RequestHeaderInfo {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

/** One client connection, shared by all its requests. */
export interface ConnectionInfo {
  /** Sequential id, for logs. */
  readonly id: number;
  /** `host:port` of the peer (`[v6]:port` for IPv6). */
  readonly clientAddress: string;
  /** From ApiVersions v3+ (KIP-511), once the client has sent it. */
  clientSoftware?: { readonly name: string; readonly version: string };
}

/** An API and the versions this broker serves, as ApiVersions advertises it. */
export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** Broker-wide settings a handler may need. Fixed for the listener's lifetime. */
export interface KafkaDoorConfig {
  /** Sluice is a single broker: always 0. */
  readonly nodeId: number;
  /** Host and port clients are told to connect to (Metadata's broker list). */
  readonly advertisedHost: string;
  readonly advertisedPort: number;
  readonly clusterId: string;
  /** Metadata creates unknown topics when the client allows it and this is on. */
  readonly autoCreateTopics: boolean;
  /** Partitions of an auto-created topic (Kafka's num.partitions). */
  readonly defaultPartitions: number;
}

/** A topic as Metadata reports it (the core's TopicSummary fits structurally). */
export interface KafkaTopicSummary {
  readonly name: string;
  /** UUID text; Metadata v10+ sends it as 16 bytes. */
  readonly topicId: string;
  readonly internal: boolean;
  readonly partitions: number;
  /** Partitions whose actor is offline or stopped. */
  readonly offlinePartitions: number;
}

/** One topic config as DescribeConfigs reports it (the core's TopicConfigEntry fits). */
export interface KafkaTopicConfigEntry {
  readonly name: string;
  /** As Kafka shows it: "604800000", "compact,delete", "true". */
  readonly value: string;
  /** DEFAULT_CONFIG, STATIC_BROKER_CONFIG (the broker's --topic defaults), DYNAMIC_TOPIC_CONFIG. */
  readonly source: 'default' | 'broker' | 'topic';
  readonly isDefault: boolean;
  readonly readOnly: boolean;
  readonly sensitive: boolean;
  readonly type: 'int' | 'long' | 'boolean' | 'string' | 'list';
  readonly documentation: string;
}

/** Kafka's ListOffsets specs (-2, -1, -3, or a timestamp). */
export type KafkaOffsetSpec = 'earliest' | 'latest' | 'max-timestamp' | { timestamp: number };

export interface KafkaProduceResult {
  readonly baseOffset: number;
  /** The broker's timestamp on LogAppendTime topics, -1 otherwise. */
  readonly logAppendTime: number;
  readonly logStartOffset: number;
}

export interface KafkaFetchRequest {
  partitions: readonly { topic: string; partition: number; offset: number; maxBytes: number }[];
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export interface KafkaFetchPartitionResult {
  readonly topic: string;
  readonly partition: number;
  /** Stored batches, as read from the log. */
  readonly records: Buffer;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /** A BrokerError for this partition (unknown, offline, offset out of range). */
  readonly error?: unknown;
}

/**
 * What the handlers need from the broker core. Structural on purpose: the `Broker` is passed as is
 * (a type test checks that it fits), and tests pass a stub. Every method may reject with a
 * BrokerError, which the handlers map per topic or partition with `kafkaErrorCode`.
 */
export interface KafkaBrokerServices {
  /** Broker-wide topic config defaults (Kafka's STATIC_BROKER_CONFIG), by Kafka name. */
  readonly options: { readonly topicDefaults: TopicConfigOverrides };

  // ---- topics
  /** Every topic by name; internal ones (`__consumer_offsets`) only when asked. */
  listTopics(options?: { includeInternal?: boolean }): readonly KafkaTopicSummary[];
  /** Partition count, or undefined for an unknown topic. */
  partitionCount(name: string): number | undefined;
  /**
   * CreateTopics and Metadata's auto-creation. Rejects with a BrokerError: INVALID_TOPIC_EXCEPTION,
   * TOPIC_ALREADY_EXISTS (a concurrent create won: fine for Metadata), INVALID_PARTITIONS,
   * INVALID_CONFIG...
   */
  createTopic(
    name: string,
    request: { partitions: number; configs?: Readonly<Record<string, string>> },
  ): Promise<unknown>;
  /** CreateTopics validateOnly: throws what createTopic would, changes nothing. */
  validateCreateTopic(
    name: string,
    request: { partitions: number; configs?: Readonly<Record<string, string>> },
  ): void;
  deleteTopic(name: string): Promise<void>;
  /** CreatePartitions: grows the topic to `totalPartitions`. */
  addPartitions(name: string, totalPartitions: number): Promise<unknown>;
  /** Every supported config of the topic; throws UNKNOWN_TOPIC_OR_PARTITION. */
  describeTopicConfigs(name: string): readonly KafkaTopicConfigEntry[];
  /** IncrementalAlterConfigs and AlterConfigs: SET and DELETE, validated as a whole. */
  alterTopicConfigs(
    name: string,
    request: { set?: Readonly<Record<string, string>>; delete?: readonly string[] },
  ): Promise<unknown>;
  /** DeleteRecords: offset -1 = the end offset. */
  deleteRecords(
    name: string,
    offsets: readonly { partition: number; offset: number }[],
  ): Promise<readonly { partition: number; lowWatermark: number }[]>;

  // ---- data
  produce(
    topic: string,
    partition: number,
    batch: Buffer,
    options: { acks: 0 | 1 | -1; timeoutMs?: number },
  ): Promise<KafkaProduceResult>;
  /** Long-polls; partition errors come back in the results, request errors reject. */
  fetch(request: KafkaFetchRequest): Promise<{ readonly partitions: readonly KafkaFetchPartitionResult[] }>;
  listOffsets(
    topic: string,
    partition: number,
    spec: KafkaOffsetSpec,
  ): Promise<{ readonly offset: number; readonly timestamp: number }>;
  /** Non-transactional InitProducerId; with (producerId, epoch) a KIP-360 epoch bump. */
  initProducerId(request?: {
    producerId?: number;
    producerEpoch?: number;
  }): Promise<{ readonly producerId: number; readonly producerEpoch: number }>;

  // ---- consumer groups (the core's group API, server/broker/groups/group-service-api.ts)
  // Client errors come back in the results (`error` per group, member or partition); a rejection
  // means the core is not running (or a bug), and the handlers answer it with a retriable code.
  /** FindCoordinator: this broker, or an error while the coordinator stops. */
  readonly groups: { findCoordinator(groupId: string): { readonly error?: unknown } };
  /** Resolves when the join phase ends (or at once with an error, e.g. MEMBER_ID_REQUIRED). */
  joinGroup(groupId: string, request: JoinGroupRequest): Promise<JoinGroupResult>;
  /** Resolves when the leader's assignment is in (followers wait for it). */
  syncGroup(groupId: string, request: SyncGroupRequest): Promise<SyncGroupResult>;
  heartbeat(groupId: string, request: HeartbeatRequest): Promise<HeartbeatResult>;
  leaveGroup(groupId: string, members: readonly LeaveGroupMember[]): Promise<LeaveGroupResult>;
  /** Unknown groups are Dead, without an error (Kafka's DescribeGroups up to v5). */
  describeGroups(groupIds: readonly string[]): Promise<readonly DescribedGroup[]>;
  /** Throws a BrokerError while the coordinator cannot serve (loading, stopping). */
  listGroups(options?: ListGroupsOptions): readonly ListedGroup[];
  deleteGroups(groupIds: readonly string[]): Promise<readonly GroupDeletion[]>;
  /** One result per offset, in request order; generation -1 is a "simple" commit. */
  commitOffsets(
    groupId: string,
    memberId: string,
    generationId: number,
    groupInstanceId: string | null,
    offsets: readonly OffsetCommitPartition[],
  ): Promise<readonly TopicPartitionError[]>;
  /** `null` topics: every partition the group committed. Uncommitted partitions answer -1. */
  fetchOffsets(groupId: string, topics: readonly OffsetFetchTopic[] | null): Promise<OffsetFetchResult>;
  deleteOffsets(
    groupId: string,
    partitions: readonly { topic: string; partition: number }[],
  ): Promise<OffsetDeleteResult>;
}

export interface RequestContext {
  readonly header: RequestHeaderInfo;
  readonly connection: ConnectionInfo;
  /** Same as `connection.clientAddress`. */
  readonly clientAddress: string;
  readonly broker: KafkaBrokerServices;
  readonly config: KafkaDoorConfig;
  /** Every registered handler's range, sorted by API key (what ApiVersions advertises). */
  readonly supportedApis: readonly ApiVersionRange[];
  /** Bound to the connection (`client`, `connection`). */
  readonly logger: Logger;
  /**
   * Aborts when the connection closes or the listener stops: long waits (Fetch's maxWaitMs) end
   * early and answer with what they have.
   */
  readonly signal: AbortSignal;
}

/**
 * One Kafka API. Method syntax on purpose: the registry holds handlers of different request types
 * as `AnyApiHandler`.
 */
export interface ApiHandler<Req, Res> {
  readonly name: ApiName;
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** Throws ProtocolError on malformed input (the connection is then closed). */
  decodeRequest(r: Reader, version: number): Req;
  encodeResponse(w: Writer, response: Res, version: number): void;
  /**
   * Serves one request. Errors for one partition or resource belong in the response (map them
   * with `kafkaErrorCode`); a throw means the whole request failed: see `errorResponse`.
   */
  handle(request: Req, ctx: RequestContext): Promise<Res | NoResponse>;
  /**
   * The whole-request error response (Kafka's AbstractRequest.getErrorResponse): every partition
   * or the top-level error code set to `errorCode`. Used when `handle` throws (a BrokerError's
   * code, else UNKNOWN_SERVER_ERROR). Without it a throw closes the connection.
   */
  errorResponse?(request: Req, errorCode: number, ctx: RequestContext): Res;
}

/** A handler of any API, as the registry and the connection layer hold it. */
export type AnyApiHandler = ApiHandler<unknown, unknown>;

type Codecs = typeof API_CODECS;
/** The decoded request type of an API, e.g. `RequestOf<'Metadata'>` = MetadataRequest. */
export type RequestOf<N extends ApiName> = ReturnType<Codecs[N]['decodeRequest']>;
/** The response type a handler returns, e.g. `ResponseOf<'Metadata'>` = MetadataResponseInput. */
export type ResponseOf<N extends ApiName> = Parameters<Codecs[N]['encodeResponse']>[1];

export interface HandlerSpec<N extends ApiName> {
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(request: RequestOf<N>, ctx: RequestContext): Promise<ResponseOf<N> | NoResponse>;
  errorResponse?(request: RequestOf<N>, errorCode: number, ctx: RequestContext): ResponseOf<N>;
}

/**
 * Builds a handler for a generated API: key and codecs come from the generated index, the range
 * is checked against the codec's (a handler cannot advertise what it cannot decode).
 */
export function defineHandler<N extends ApiName>(
  name: N,
  spec: HandlerSpec<N>,
): ApiHandler<RequestOf<N>, ResponseOf<N>> {
  const codec = API_CODECS[name];
  const { minVersion, maxVersion } = spec;
  if (
    !Number.isInteger(minVersion) ||
    !Number.isInteger(maxVersion) ||
    minVersion > maxVersion ||
    minVersion < codec.minVersion ||
    maxVersion > codec.maxVersion
  ) {
    throw new RangeError(
      `${name} handler versions ${minVersion}-${maxVersion} are outside the codec's ${codec.minVersion}-${codec.maxVersion}`,
    );
  }
  return {
    name,
    apiKey: codec.key,
    minVersion,
    maxVersion,
    // The codec functions of API_CODECS[N] have exactly these types; TypeScript cannot narrow
    // an indexed access through a generic key, hence the casts.
    decodeRequest: codec.decodeRequest as unknown as (r: Reader, version: number) => RequestOf<N>,
    encodeResponse: codec.encodeResponse as unknown as (
      w: Writer,
      res: ResponseOf<N>,
      version: number,
    ) => void,
    handle: (request, ctx) => spec.handle(request, ctx),
    ...(spec.errorResponse && {
      errorResponse: spec.errorResponse.bind(spec),
    }),
  };
}
