import { BrokerError } from '../errors';

/**
 * The per-partition storage settings, named after Kafka's topic configs (segment.bytes ->
 * segmentBytes...). Times are milliseconds, sizes bytes. The topic layer owns parsing and
 * per-topic overrides; the log only reads these numbers.
 */
export interface LogConfig {
  segmentBytes: number;
  segmentMs: number;
  /** -1: no time limit. */
  retentionMs: number;
  /** -1: no size limit. */
  retentionBytes: number;
  cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
  deleteRetentionMs: number;
  minCompactionLagMs: number;
  indexIntervalBytes: number;
  maxMessageBytes: number;
  messageTimestampType: 'CreateTime' | 'LogAppendTime';
  /** fsync after this many records; NEVER_FLUSH leaves it to the OS, as Kafka does by default. */
  flushMessages: number;
  /** fsync at most this long after an unflushed write. */
  flushMs: number;
  /** Acknowledge an append only after an fsync covering it (group commit). */
  fsyncBeforeAck: boolean;
}

/** Kafka's "never" for flush.messages / flush.ms (Long.MAX_VALUE there). */
export const NEVER_FLUSH = Number.MAX_SAFE_INTEGER;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Kafka's broker defaults. */
export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
  retentionMs: 7 * DAY_MS,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  deleteRetentionMs: DAY_MS,
  minCompactionLagMs: 0,
  indexIntervalBytes: 4096,
  maxMessageBytes: 1048588,
  messageTimestampType: 'CreateTime',
  flushMessages: NEVER_FLUSH,
  flushMs: NEVER_FLUSH,
  fsyncBeforeAck: false,
});

/** Index entries hold positions and relative offsets as i32, which bounds a segment. */
export const MAX_SEGMENT_BYTES = 0x7fffffff;

/**
 * Rejects values the storage cannot honour (a segment larger than an i32 position, negative
 * intervals). The topic layer validates user input first; this guards the log's own invariants.
 */
export function validateLogConfig(config: LogConfig): void {
  const fail = (field: keyof LogConfig, rule: string): never => {
    throw new BrokerError('INVALID_CONFIG', `Log config ${field}=${String(config[field])}: ${rule}`);
  };
  if (
    !Number.isInteger(config.segmentBytes) ||
    config.segmentBytes < 14 ||
    config.segmentBytes > MAX_SEGMENT_BYTES
  ) {
    fail('segmentBytes', `must be an integer between 14 and ${MAX_SEGMENT_BYTES}`);
  }
  if (!(config.segmentMs >= 1)) fail('segmentMs', 'must be at least 1');
  if (!(config.retentionMs >= -1)) fail('retentionMs', 'must be -1 or more');
  if (!(config.retentionBytes >= -1)) fail('retentionBytes', 'must be -1 or more');
  if (!['delete', 'compact', 'compact,delete'].includes(config.cleanupPolicy)) {
    fail('cleanupPolicy', "must be 'delete', 'compact' or 'compact,delete'");
  }
  if (!(config.deleteRetentionMs >= 0)) fail('deleteRetentionMs', 'must be 0 or more');
  if (!(config.minCompactionLagMs >= 0)) fail('minCompactionLagMs', 'must be 0 or more');
  if (!(config.indexIntervalBytes >= 0)) fail('indexIntervalBytes', 'must be 0 or more');
  if (!(config.maxMessageBytes >= 0)) fail('maxMessageBytes', 'must be 0 or more');
  if (!['CreateTime', 'LogAppendTime'].includes(config.messageTimestampType)) {
    fail('messageTimestampType', "must be 'CreateTime' or 'LogAppendTime'");
  }
  if (!(config.flushMessages >= 1)) fail('flushMessages', 'must be at least 1');
  if (!(config.flushMs >= 0)) fail('flushMs', 'must be 0 or more');
}

export function cleanupDeletes(config: LogConfig): boolean {
  return config.cleanupPolicy !== 'compact';
}

export function cleanupCompacts(config: LogConfig): boolean {
  return config.cleanupPolicy !== 'delete';
}
