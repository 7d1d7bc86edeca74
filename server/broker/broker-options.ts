import type { BackoffOptions, Scheduler } from './actors';
import { systemScheduler } from './actors';
import { BrokerError } from './errors';
import { resolveGroupServiceOptions } from './groups/group-runtime';
import type { GroupServiceOptions, ResolvedGroupServiceOptions } from './groups/group-service-api';
import { validateTopicConfigs, type ConfigInput, type TopicConfigOverrides } from './topics/topic-config';

/** The logging the core needs; a pino logger (or a child of one) fits as it is. */
export interface BrokerLogger {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

export interface PartitionSupervision {
  /** Restarts allowed per partition within `withinMs` before it goes offline. Default 5. */
  maxRestarts?: number;
  /** Default 60 000 ms. */
  withinMs?: number;
  /** Backoff between restarts. Default 100 ms doubling to 5 s, 20 % jitter. `null`: restart at once. */
  backoff?: BackoffOptions | null;
}

export interface BrokerOptions {
  /** Root of the broker's files: `logs/<topic>-<partition>/` and `meta/`. Created if missing. */
  dataDir: string;
  logger?: BrokerLogger;
  /**
   * The clock and timers of the supervision runtime, the logs and the metrics. Default: the global
   * ones, looked up on each call (so `vi.useFakeTimers()` applies).
   */
  scheduler?: Scheduler;
  /** Crash actors, fail disk writes, slow actors down (dev and demo). Default false. */
  faultInjection?: boolean;
  /** Broker-wide topic config defaults, by Kafka name (Kafka's STATIC_BROKER_CONFIG source). */
  topicDefaults?: Readonly<Record<string, ConfigInput>>;
  /** Metrics sampling period. Default 1 000 ms. */
  metricsIntervalMs?: number;
  /** Samples kept per series. Default 3 600 (an hour at 1 s). */
  metricsHistorySize?: number;
  /** How often the retention worker visits every partition (Kafka's log.retention.check.interval.ms). Default 300 000. */
  retentionCheckIntervalMs?: number;
  /** How often the log cleaner visits compacted partitions (Kafka's log.cleaner.backoff.ms). Default 15 000. */
  logCleanerIntervalMs?: number;
  /** Deadline of a request to a partition actor when the caller gives none. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Queued messages per partition actor; beyond it requests get OVERLOADED. Default 1 000. */
  partitionMailboxCapacity?: number;
  partitionSupervision?: PartitionSupervision;
  /** Supervision events kept for the console. Default 1 000. */
  eventHistorySize?: number;
  /**
   * Read descriptors kept open per log for closed segments (LogOptions). Default 4: with 1,000
   * partitions that is at most 4,000 descriptors beside the 3 of each active segment.
   */
  maxOpenSegmentsPerLog?: number;
  /** Closed segments per log whose indexes stay in memory (LogOptions). Default 4. */
  maxLoadedIndexesPerLog?: number;
  /** Consumer groups: coordinator timings, `__consumer_offsets` partitions, rebalance history size. */
  groups?: GroupServiceOptions;
}

export interface ResolvedBrokerOptions {
  readonly dataDir: string;
  readonly logger: BrokerLogger;
  readonly scheduler: Scheduler;
  readonly clock: () => number;
  readonly faultInjection: boolean;
  readonly topicDefaults: TopicConfigOverrides;
  readonly metricsIntervalMs: number;
  readonly metricsHistorySize: number;
  readonly retentionCheckIntervalMs: number;
  readonly logCleanerIntervalMs: number;
  readonly requestTimeoutMs: number;
  readonly partitionMailboxCapacity: number;
  readonly partitionSupervision: Required<Omit<PartitionSupervision, 'backoff'>> & {
    backoff: BackoffOptions | undefined;
  };
  readonly eventHistorySize: number;
  readonly maxOpenSegmentsPerLog: number;
  readonly maxLoadedIndexesPerLog: number;
  readonly groups: ResolvedGroupServiceOptions;
}

export const SILENT_LOGGER: BrokerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export const DEFAULT_PARTITION_BACKOFF: BackoffOptions = {
  minBackoffMs: 100,
  maxBackoffMs: 5_000,
  randomFactor: 0.2,
  resetAfterMs: 30_000,
};

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new BrokerError('INVALID_CONFIG', `Broker option ${name} must be a positive number, got ${value}`);
  }
  return value;
}

/** Fills in defaults and rejects impossible values with INVALID_CONFIG naming the option. */
export function resolveBrokerOptions(options: BrokerOptions): ResolvedBrokerOptions {
  if (typeof options.dataDir !== 'string' || options.dataDir.length === 0) {
    throw new BrokerError('INVALID_CONFIG', 'Broker option dataDir must be a non-empty path');
  }
  const scheduler = options.scheduler ?? systemScheduler;
  const supervision = options.partitionSupervision ?? {};
  const maxRestarts = supervision.maxRestarts ?? 5;
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0) {
    throw new BrokerError('INVALID_CONFIG', `partitionSupervision.maxRestarts must be an integer >= 0`);
  }
  return {
    dataDir: options.dataDir,
    logger: options.logger ?? SILENT_LOGGER,
    scheduler,
    clock: () => scheduler.now(),
    faultInjection: options.faultInjection ?? false,
    topicDefaults: validateTopicConfigs(options.topicDefaults ?? {}),
    metricsIntervalMs: positive('metricsIntervalMs', options.metricsIntervalMs, 1000),
    metricsHistorySize: positive('metricsHistorySize', options.metricsHistorySize, 3600),
    retentionCheckIntervalMs: positive('retentionCheckIntervalMs', options.retentionCheckIntervalMs, 300_000),
    logCleanerIntervalMs: positive('logCleanerIntervalMs', options.logCleanerIntervalMs, 15_000),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    partitionMailboxCapacity: positive('partitionMailboxCapacity', options.partitionMailboxCapacity, 1000),
    partitionSupervision: {
      maxRestarts,
      withinMs: positive('partitionSupervision.withinMs', supervision.withinMs, 60_000),
      backoff: supervision.backoff === null ? undefined : (supervision.backoff ?? DEFAULT_PARTITION_BACKOFF),
    },
    eventHistorySize: positive('eventHistorySize', options.eventHistorySize, 1000),
    maxOpenSegmentsPerLog: positive('maxOpenSegmentsPerLog', options.maxOpenSegmentsPerLog, 4),
    maxLoadedIndexesPerLog: positive('maxLoadedIndexesPerLog', options.maxLoadedIndexesPerLog, 4),
    groups: resolveGroupServiceOptions(options.groups),
  };
}
