import { type BrokerErrorCode, isBrokerError } from '../../broker/errors';
import { ClusterError, type ClusterErrorCode } from '../cluster';

/**
 * BrokerError → ClusterError. The broker's sentence is kept as it is (it names the topic, the
 * partition, the offset or the config at fault); only the code changes, to what the console's
 * caller can do about it. A Record over the union makes the table exhaustive: a new broker code
 * is a compile error here until it is mapped.
 */
const CODES: Record<BrokerErrorCode, ClusterErrorCode> = {
  CORRUPT_MESSAGE: 'INVALID_ARGUMENT',
  INVALID_RECORD: 'INVALID_ARGUMENT',
  MESSAGE_TOO_LARGE: 'INVALID_ARGUMENT',
  RECORD_LIST_TOO_LARGE: 'INVALID_ARGUMENT',
  UNSUPPORTED_COMPRESSION_TYPE: 'INVALID_ARGUMENT',
  OFFSET_OUT_OF_RANGE: 'OUT_OF_RANGE',
  KAFKA_STORAGE_ERROR: 'UNAVAILABLE',
  UNKNOWN_TOPIC_OR_PARTITION: 'NOT_FOUND',
  TOPIC_ALREADY_EXISTS: 'ALREADY_EXISTS',
  INVALID_TOPIC_EXCEPTION: 'INVALID_ARGUMENT',
  INVALID_PARTITIONS: 'INVALID_ARGUMENT',
  INVALID_CONFIG: 'INVALID_ARGUMENT',
  INVALID_REQUEST: 'INVALID_ARGUMENT',
  POLICY_VIOLATION: 'FORBIDDEN',
  PARTITION_OFFLINE: 'UNAVAILABLE',
  OVERLOADED: 'OVERLOADED',
  REQUEST_TIMED_OUT: 'UNAVAILABLE',
  BROKER_NOT_AVAILABLE: 'UNAVAILABLE',
  NOT_COORDINATOR: 'UNAVAILABLE',
  COORDINATOR_LOAD_IN_PROGRESS: 'UNAVAILABLE',
  COORDINATOR_NOT_AVAILABLE: 'UNAVAILABLE',
  INVALID_GROUP_ID: 'INVALID_ARGUMENT',
  GROUP_ID_NOT_FOUND: 'NOT_FOUND',
  NON_EMPTY_GROUP: 'FAILED_PRECONDITION',
  UNKNOWN_MEMBER_ID: 'NOT_FOUND',
  MEMBER_ID_REQUIRED: 'FAILED_PRECONDITION',
  ILLEGAL_GENERATION: 'FAILED_PRECONDITION',
  REBALANCE_IN_PROGRESS: 'UNAVAILABLE',
  INCONSISTENT_GROUP_PROTOCOL: 'FAILED_PRECONDITION',
  INVALID_SESSION_TIMEOUT: 'INVALID_ARGUMENT',
  FENCED_INSTANCE_ID: 'FAILED_PRECONDITION',
  GROUP_SUBSCRIBED_TO_TOPIC: 'FAILED_PRECONDITION',
  GROUP_MAX_SIZE_REACHED: 'FAILED_PRECONDITION',
  OUT_OF_ORDER_SEQUENCE_NUMBER: 'UNAVAILABLE',
  DUPLICATE_SEQUENCE_NUMBER: 'FAILED_PRECONDITION',
  INVALID_PRODUCER_EPOCH: 'FAILED_PRECONDITION',
  UNKNOWN_PRODUCER_ID: 'FAILED_PRECONDITION',
  INVALID_PRODUCER_ID_MAPPING: 'FAILED_PRECONDITION',
};

/**
 * Which input a broker failure is about, for one call: by broker code, a field name or a function
 * of the message (a config error names its config). The console shows the message next to it.
 */
export type FieldRules = Partial<Record<BrokerErrorCode, string | ((message: string) => string | undefined)>>;

/** The config an INVALID_CONFIG sentence names ("configuration retention.ms", "'segmnt.bytes'"). */
export function configFieldOf(message: string): string | undefined {
  const named =
    /configuration ([a-z0-9.]+)/.exec(message)?.[1] ?? /configuration '([^']+)'/.exec(message)?.[1];
  return named === undefined ? undefined : `configs.${named}`;
}

/** "Topic 'x' does not exist" is about the topic; "Partition 7 of 'x'..." about the partition. */
export function unknownTopicOrPartitionField(message: string): string {
  return /^Partition /.test(message) ? 'partition' : 'topic';
}

export function toClusterError(error: unknown, fields: FieldRules = {}): ClusterError {
  if (error instanceof ClusterError) return error;
  if (isBrokerError(error)) {
    const rule = fields[error.code];
    const field = typeof rule === 'function' ? rule(error.message) : rule;
    return new ClusterError(CODES[error.code], error.message, {
      cause: error,
      ...(field === undefined ? {} : { field }),
    });
  }
  // A bug or an I/O failure outside the broker's vocabulary: the API layer shows a fixed sentence
  // and logs the cause.
  const message = error instanceof Error ? error.message : String(error);
  return new ClusterError('INTERNAL', message, { cause: error });
}

/** Runs a broker call, turning its failures into ClusterErrors (with the fields of this call). */
export async function guard<T>(call: () => T | Promise<T>, fields: FieldRules = {}): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toClusterError(error, fields);
  }
}
