/**
 * Kafka's numeric error codes (org.apache.kafka.common.protocol.Errors) and the mapping from the
 * core's `BrokerError` codes to them. The core names its errors after Kafka's but carries no wire
 * numbers; this file is the only place that knows them.
 */
import { BrokerError, type BrokerErrorCode } from '../broker/errors';

/** The codes of Errors.java that Sluice sends or may send (values are the protocol's, never change). */
export const KafkaError = {
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_FETCH_SIZE: 4,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  BROKER_NOT_AVAILABLE: 8,
  REPLICA_NOT_AVAILABLE: 9,
  MESSAGE_TOO_LARGE: 10,
  OFFSET_METADATA_TOO_LARGE: 12,
  NETWORK_EXCEPTION: 13,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INVALID_TOPIC_EXCEPTION: 17,
  RECORD_LIST_TOO_LARGE: 18,
  NOT_ENOUGH_REPLICAS: 19,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  INVALID_COMMIT_OFFSET_SIZE: 28,
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  INVALID_TIMESTAMP: 32,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  NOT_CONTROLLER: 41,
  INVALID_REQUEST: 42,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  POLICY_VIOLATION: 44,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  DUPLICATE_SEQUENCE_NUMBER: 46,
  INVALID_PRODUCER_EPOCH: 47,
  INVALID_TXN_STATE: 48,
  INVALID_PRODUCER_ID_MAPPING: 49,
  INVALID_TRANSACTION_TIMEOUT: 50,
  CONCURRENT_TRANSACTIONS: 51,
  SECURITY_DISABLED: 54,
  OPERATION_NOT_ATTEMPTED: 55,
  KAFKA_STORAGE_ERROR: 56,
  UNKNOWN_PRODUCER_ID: 59,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  FETCH_SESSION_ID_NOT_FOUND: 70,
  INVALID_FETCH_SESSION_EPOCH: 71,
  TOPIC_DELETION_DISABLED: 73,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  OFFSET_NOT_AVAILABLE: 78,
  MEMBER_ID_REQUIRED: 79,
  GROUP_MAX_SIZE_REACHED: 81,
  FENCED_INSTANCE_ID: 82,
  GROUP_SUBSCRIBED_TO_TOPIC: 86,
  INVALID_RECORD: 87,
  UNSTABLE_OFFSET_COMMIT: 88,
  THROTTLING_QUOTA_EXCEEDED: 89,
  PRODUCER_FENCED: 90,
  RESOURCE_NOT_FOUND: 91,
  UNKNOWN_TOPIC_ID: 100,
  INCONSISTENT_TOPIC_ID: 103,
} as const;

export type KafkaErrorName = keyof typeof KafkaError;

/**
 * Where an error is reported: the right retriable code depends on what the client will do with
 * it. `partition` = per-partition data paths (Produce, Fetch, ListOffsets, DeleteRecords) and
 * anything else by default; `group` = group coordinator APIs (JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups...).
 */
export type ErrorScope = 'partition' | 'group';

/**
 * One to one by name, except the core's own concepts that Kafka lacks. The choices, made for what
 * clients do with the code (all of kafkajs, librdkafka, kafka-python, franz-go and Java retry it):
 *
 * - PARTITION_OFFLINE (a partition actor restarting under its supervisor) → NOT_LEADER_OR_FOLLOWER
 *   (6). It is the one retriable error every client, old or new, answers the same way for both
 *   Produce and Fetch: refresh metadata, back off, retry; the refreshed metadata names us again and
 *   the retry lands once the actor is back. KAFKA_STORAGE_ERROR (56) is what Kafka sends for an
 *   offline log dir, but kafkajs does not refresh metadata on it and older clients know it less
 *   well; we keep 56 for real disk failures (the core's KAFKA_STORAGE_ERROR), so an operator can
 *   tell "restarting" from "the disk failed" in client logs.
 * - OVERLOADED (a bounded mailbox is full) → REQUEST_TIMED_OUT (7). THROTTLING_QUOTA_EXCEEDED (89)
 *   exists only for CreateTopics/CreatePartitions/DeleteTopics (KIP-599): kafkajs does not know it
 *   (it would become a fatal UNKNOWN) and no client expects it on Produce or Fetch.
 *   NOT_ENOUGH_REPLICAS (19) is retriable for Produce only and tells the operator a lie about ISR.
 *   REQUEST_TIMED_OUT is retriable in every client for every API, and since nothing was appended
 *   the retry is safe, idempotent or not.
 * - BROKER_NOT_AVAILABLE (the broker starting or stopping) → 8 by name, but NOT_LEADER_OR_FOLLOWER
 *   on data paths: clients (kafkajs, Java) treat 8 as fatal, while the core means "try again".
 * - In the `group` scope, the core's "not available right now" errors become
 *   COORDINATOR_NOT_AVAILABLE (15), as Kafka's GroupCoordinator does when __consumer_offsets cannot
 *   be written: consumers re-discover the coordinator and retry, where a data-path code in a
 *   Heartbeat or OffsetCommit response would be an unexpected, fatal error for them.
 *
 * Produce < v8 predates INVALID_RECORD (87): the Produce handler should send CORRUPT_MESSAGE (2) to
 * those versions, as Kafka does.
 */
const BY_BROKER_CODE: Readonly<Record<BrokerErrorCode, number>> = {
  CORRUPT_MESSAGE: KafkaError.CORRUPT_MESSAGE,
  INVALID_RECORD: KafkaError.INVALID_RECORD,
  MESSAGE_TOO_LARGE: KafkaError.MESSAGE_TOO_LARGE,
  RECORD_LIST_TOO_LARGE: KafkaError.RECORD_LIST_TOO_LARGE,
  UNSUPPORTED_COMPRESSION_TYPE: KafkaError.UNSUPPORTED_COMPRESSION_TYPE,
  OFFSET_OUT_OF_RANGE: KafkaError.OFFSET_OUT_OF_RANGE,
  KAFKA_STORAGE_ERROR: KafkaError.KAFKA_STORAGE_ERROR,
  UNKNOWN_TOPIC_OR_PARTITION: KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
  TOPIC_ALREADY_EXISTS: KafkaError.TOPIC_ALREADY_EXISTS,
  INVALID_TOPIC_EXCEPTION: KafkaError.INVALID_TOPIC_EXCEPTION,
  INVALID_PARTITIONS: KafkaError.INVALID_PARTITIONS,
  INVALID_CONFIG: KafkaError.INVALID_CONFIG,
  INVALID_REQUEST: KafkaError.INVALID_REQUEST,
  POLICY_VIOLATION: KafkaError.POLICY_VIOLATION,
  PARTITION_OFFLINE: KafkaError.NOT_LEADER_OR_FOLLOWER,
  OVERLOADED: KafkaError.REQUEST_TIMED_OUT,
  REQUEST_TIMED_OUT: KafkaError.REQUEST_TIMED_OUT,
  BROKER_NOT_AVAILABLE: KafkaError.BROKER_NOT_AVAILABLE,
  NOT_COORDINATOR: KafkaError.NOT_COORDINATOR,
  COORDINATOR_LOAD_IN_PROGRESS: KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
  COORDINATOR_NOT_AVAILABLE: KafkaError.COORDINATOR_NOT_AVAILABLE,
  INVALID_GROUP_ID: KafkaError.INVALID_GROUP_ID,
  GROUP_ID_NOT_FOUND: KafkaError.GROUP_ID_NOT_FOUND,
  NON_EMPTY_GROUP: KafkaError.NON_EMPTY_GROUP,
  UNKNOWN_MEMBER_ID: KafkaError.UNKNOWN_MEMBER_ID,
  MEMBER_ID_REQUIRED: KafkaError.MEMBER_ID_REQUIRED,
  ILLEGAL_GENERATION: KafkaError.ILLEGAL_GENERATION,
  REBALANCE_IN_PROGRESS: KafkaError.REBALANCE_IN_PROGRESS,
  INCONSISTENT_GROUP_PROTOCOL: KafkaError.INCONSISTENT_GROUP_PROTOCOL,
  INVALID_SESSION_TIMEOUT: KafkaError.INVALID_SESSION_TIMEOUT,
  FENCED_INSTANCE_ID: KafkaError.FENCED_INSTANCE_ID,
  GROUP_SUBSCRIBED_TO_TOPIC: KafkaError.GROUP_SUBSCRIBED_TO_TOPIC,
  GROUP_MAX_SIZE_REACHED: KafkaError.GROUP_MAX_SIZE_REACHED,
  OUT_OF_ORDER_SEQUENCE_NUMBER: KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
  DUPLICATE_SEQUENCE_NUMBER: KafkaError.DUPLICATE_SEQUENCE_NUMBER,
  INVALID_PRODUCER_EPOCH: KafkaError.INVALID_PRODUCER_EPOCH,
  UNKNOWN_PRODUCER_ID: KafkaError.UNKNOWN_PRODUCER_ID,
  INVALID_PRODUCER_ID_MAPPING: KafkaError.INVALID_PRODUCER_ID_MAPPING,
};

const PARTITION_OVERRIDES: Partial<Record<BrokerErrorCode, number>> = {
  BROKER_NOT_AVAILABLE: KafkaError.NOT_LEADER_OR_FOLLOWER,
};

const GROUP_OVERRIDES: Partial<Record<BrokerErrorCode, number>> = {
  PARTITION_OFFLINE: KafkaError.COORDINATOR_NOT_AVAILABLE,
  OVERLOADED: KafkaError.COORDINATOR_NOT_AVAILABLE,
  REQUEST_TIMED_OUT: KafkaError.COORDINATOR_NOT_AVAILABLE,
  BROKER_NOT_AVAILABLE: KafkaError.COORDINATOR_NOT_AVAILABLE,
  KAFKA_STORAGE_ERROR: KafkaError.COORDINATOR_NOT_AVAILABLE,
};

/** The Kafka code for a core error code in a scope. */
export function kafkaCodeFor(code: BrokerErrorCode, scope: ErrorScope = 'partition'): number {
  const override = scope === 'group' ? GROUP_OVERRIDES[code] : PARTITION_OVERRIDES[code];
  return override ?? BY_BROKER_CODE[code];
}

/**
 * The Kafka error code for anything a handler caught: a BrokerError maps by its code (see the
 * table above); anything else is a bug or an unexpected failure and becomes UNKNOWN_SERVER_ERROR,
 * which the caller should log.
 */
export function kafkaErrorCode(error: unknown, scope: ErrorScope = 'partition'): number {
  return error instanceof BrokerError ? kafkaCodeFor(error.code, scope) : KafkaError.UNKNOWN_SERVER_ERROR;
}

const UNKNOWN_SERVER_ERROR_MESSAGE =
  'The server experienced an unexpected error when processing the request.';

/**
 * Text for the APIs with an ErrorMessage field (CreateTopics, DeleteTopics, CreatePartitions,
 * IncrementalAlterConfigs...): a BrokerError's own message, which names the thing at fault; for
 * anything else Kafka's generic sentence, so that internals (paths, stack traces) never leak.
 */
export function kafkaErrorMessage(error: unknown): string {
  return error instanceof BrokerError ? error.message : UNKNOWN_SERVER_ERROR_MESSAGE;
}

const NAMES: ReadonlyMap<number, KafkaErrorName> = new Map(
  (Object.entries(KafkaError) as [KafkaErrorName, number][]).map(([name, code]) => [code, name]),
);

/** The name of a Kafka error code, for log lines ("NOT_LEADER_OR_FOLLOWER"), or `ERROR_<n>`. */
export function kafkaErrorName(code: number): string {
  return NAMES.get(code) ?? `ERROR_${code}`;
}
