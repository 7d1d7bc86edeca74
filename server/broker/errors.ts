/**
 * Every failure the broker core reports is a `BrokerError` with a `code` from this closed set.
 * The codes take Kafka's names so that the Kafka door maps them one to one and a Kafka engineer
 * recognises them, but they carry no wire numbers: the core knows nothing of the protocol.
 * `retriable` tells a door whether the client should try again (Kafka's RetriableException).
 */
export type BrokerErrorCode =
  // storage and records
  | 'CORRUPT_MESSAGE'
  | 'INVALID_RECORD'
  | 'MESSAGE_TOO_LARGE'
  | 'RECORD_LIST_TOO_LARGE'
  | 'UNSUPPORTED_COMPRESSION_TYPE'
  | 'OFFSET_OUT_OF_RANGE'
  | 'KAFKA_STORAGE_ERROR'
  // topics and partitions
  | 'UNKNOWN_TOPIC_OR_PARTITION'
  | 'TOPIC_ALREADY_EXISTS'
  | 'INVALID_TOPIC_EXCEPTION'
  | 'INVALID_PARTITIONS'
  | 'INVALID_CONFIG'
  | 'INVALID_REQUEST'
  | 'POLICY_VIOLATION'
  // actors
  | 'PARTITION_OFFLINE'
  | 'OVERLOADED'
  | 'REQUEST_TIMED_OUT'
  | 'BROKER_NOT_AVAILABLE'
  // groups
  | 'NOT_COORDINATOR'
  | 'COORDINATOR_LOAD_IN_PROGRESS'
  | 'COORDINATOR_NOT_AVAILABLE'
  | 'INVALID_GROUP_ID'
  | 'GROUP_ID_NOT_FOUND'
  | 'NON_EMPTY_GROUP'
  | 'UNKNOWN_MEMBER_ID'
  | 'MEMBER_ID_REQUIRED'
  | 'ILLEGAL_GENERATION'
  | 'REBALANCE_IN_PROGRESS'
  | 'INCONSISTENT_GROUP_PROTOCOL'
  | 'INVALID_SESSION_TIMEOUT'
  | 'FENCED_INSTANCE_ID'
  | 'GROUP_SUBSCRIBED_TO_TOPIC'
  | 'GROUP_MAX_SIZE_REACHED'
  // idempotent producers
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
  | 'DUPLICATE_SEQUENCE_NUMBER'
  | 'INVALID_PRODUCER_EPOCH'
  | 'UNKNOWN_PRODUCER_ID'
  | 'INVALID_PRODUCER_ID_MAPPING';

// A Record over the union makes the list exhaustive by construction: adding a code to the union
// without adding it here is a compile error, so tables built from the list cover every code.
const ALL_CODES: Record<BrokerErrorCode, true> = {
  CORRUPT_MESSAGE: true,
  INVALID_RECORD: true,
  MESSAGE_TOO_LARGE: true,
  RECORD_LIST_TOO_LARGE: true,
  UNSUPPORTED_COMPRESSION_TYPE: true,
  OFFSET_OUT_OF_RANGE: true,
  KAFKA_STORAGE_ERROR: true,
  UNKNOWN_TOPIC_OR_PARTITION: true,
  TOPIC_ALREADY_EXISTS: true,
  INVALID_TOPIC_EXCEPTION: true,
  INVALID_PARTITIONS: true,
  INVALID_CONFIG: true,
  INVALID_REQUEST: true,
  POLICY_VIOLATION: true,
  PARTITION_OFFLINE: true,
  OVERLOADED: true,
  REQUEST_TIMED_OUT: true,
  BROKER_NOT_AVAILABLE: true,
  NOT_COORDINATOR: true,
  COORDINATOR_LOAD_IN_PROGRESS: true,
  COORDINATOR_NOT_AVAILABLE: true,
  INVALID_GROUP_ID: true,
  GROUP_ID_NOT_FOUND: true,
  NON_EMPTY_GROUP: true,
  UNKNOWN_MEMBER_ID: true,
  MEMBER_ID_REQUIRED: true,
  ILLEGAL_GENERATION: true,
  REBALANCE_IN_PROGRESS: true,
  INCONSISTENT_GROUP_PROTOCOL: true,
  INVALID_SESSION_TIMEOUT: true,
  FENCED_INSTANCE_ID: true,
  GROUP_SUBSCRIBED_TO_TOPIC: true,
  GROUP_MAX_SIZE_REACHED: true,
  OUT_OF_ORDER_SEQUENCE_NUMBER: true,
  DUPLICATE_SEQUENCE_NUMBER: true,
  INVALID_PRODUCER_EPOCH: true,
  UNKNOWN_PRODUCER_ID: true,
  INVALID_PRODUCER_ID_MAPPING: true,
};

/** Every BrokerErrorCode, for tables and tests that must cover them all (e.g. the Kafka door). */
export const BROKER_ERROR_CODES: readonly BrokerErrorCode[] = Object.keys(ALL_CODES) as BrokerErrorCode[];

const RETRIABLE: ReadonlySet<BrokerErrorCode> = new Set<BrokerErrorCode>([
  'CORRUPT_MESSAGE', // Kafka marks it retriable: the client re-sends the batch
  'OFFSET_OUT_OF_RANGE',
  'KAFKA_STORAGE_ERROR',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'PARTITION_OFFLINE',
  'OVERLOADED',
  'REQUEST_TIMED_OUT',
  'BROKER_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'REBALANCE_IN_PROGRESS',
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
]);

export class BrokerError extends Error {
  readonly code: BrokerErrorCode;
  readonly retriable: boolean;

  constructor(code: BrokerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokerError';
    this.code = code;
    this.retriable = RETRIABLE.has(code);
  }
}

export function isBrokerError(error: unknown, code?: BrokerErrorCode): error is BrokerError {
  return error instanceof BrokerError && (code === undefined || error.code === code);
}

/** Wraps an unexpected I/O failure (ENOSPC, EIO, EACCES...) as a typed storage error. */
export function storageError(what: string, cause: unknown): BrokerError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new BrokerError('KAFKA_STORAGE_ERROR', `${what}: ${reason}`, { cause });
}
