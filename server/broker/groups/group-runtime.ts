import type { BrokerContext } from '../broker-context';
import { BrokerError, isBrokerError } from '../errors';
import type { CreateTopicRequest } from '../topic-manager/topic-manager';
import { DEFAULT_GROUP_COORDINATOR_CONFIG } from './group-api';
import { GroupCoordinator } from './group-coordinator';
import { GroupDirectory } from './group-directory';
import { groupError } from './group-results';
import type { GroupServiceOptions, ResolvedGroupServiceOptions } from './group-service-api';
import { InternalTopic } from './internal-topic';
import { ManualScheduler } from './scheduler';
import { OffsetStore } from './offset-store';
import { OFFSETS_TOPIC } from './offsets-format';
import { RebalanceHistory, REBALANCES_TOPIC } from './rebalance-history';

export type Phase = 'loading' | 'ready' | 'stopping';

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new BrokerError(
      'INVALID_CONFIG',
      `Broker option groups.${name} must be a positive integer, got ${value}`,
    );
  }
  return value;
}

const DEFAULT_GROUP_BACKOFF = {
  minBackoffMs: 50,
  maxBackoffMs: 5_000,
  randomFactor: 0.2,
  resetAfterMs: 30_000,
};

export function resolveGroupServiceOptions(options: GroupServiceOptions = {}): ResolvedGroupServiceOptions {
  const supervision = options.supervision ?? {};
  return {
    coordinator: { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...options.coordinator },
    offsetsTopicPartitions: positiveInt('offsetsTopicPartitions', options.offsetsTopicPartitions, 4),
    maxOffsetMetadataBytes: positiveInt('maxOffsetMetadataBytes', options.maxOffsetMetadataBytes, 4096),
    rebalanceHistorySize: positiveInt('rebalanceHistorySize', options.rebalanceHistorySize, 1000),
    rebalanceHistoryPerGroup: positiveInt('rebalanceHistoryPerGroup', options.rebalanceHistoryPerGroup, 250),
    supervision: {
      maxRestarts: positiveInt('supervision.maxRestarts', supervision.maxRestarts, 10),
      withinMs: positiveInt('supervision.withinMs', supervision.withinMs, 60_000),
      backoff: supervision.backoff === null ? undefined : (supervision.backoff ?? DEFAULT_GROUP_BACKOFF),
    },
  };
}

/**
 * What the group API shares: the internal topics, the offsets cache, the rebalance history, the
 * group actors, and the coordinator's readiness. `GroupService` (group-service.ts) is the facade
 * the Broker delegates to.
 */
export class GroupRuntime {
  phase: Phase = 'loading';
  loadError: Error | undefined;
  private cancelRetry: (() => void) | undefined;
  readonly loaded: Promise<void>;
  /** Answers requests for groups that do not exist (errors only: it never holds a group). */
  readonly nobody: GroupCoordinator;
  private readonly stopHooks = new Set<() => Promise<void> | void>();
  private closingClients: Promise<void> | undefined;

  private constructor(
    readonly ctx: BrokerContext,
    readonly options: ResolvedGroupServiceOptions,
    readonly offsetsTopic: InternalTopic,
    readonly rebalancesTopic: InternalTopic,
    readonly store: OffsetStore,
    readonly history: RebalanceHistory,
    readonly directory: GroupDirectory,
  ) {
    this.nobody = new GroupCoordinator({ scheduler: new ManualScheduler(), config: options.coordinator });
    this.loaded = this.load();
  }

  static start(
    ctx: BrokerContext,
    createTopic: (name: string, request: CreateTopicRequest) => Promise<unknown>,
    groupOptions: GroupServiceOptions = {},
  ): GroupRuntime {
    const options = resolveGroupServiceOptions(groupOptions);
    const offsetsTopic = new InternalTopic(ctx, OFFSETS_TOPIC, createTopic, {
      partitions: options.offsetsTopicPartitions,
      configs: {
        'cleanup.policy': 'compact',
        'segment.bytes': 64 * 1024 * 1024,
        'max.message.bytes': 16 * 1024 * 1024,
      },
    });
    const rebalancesTopic = new InternalTopic(ctx, REBALANCES_TOPIC, createTopic, {
      partitions: 1,
      configs: {
        'cleanup.policy': 'compact',
        'segment.bytes': 8 * 1024 * 1024,
        'max.message.bytes': 16 * 1024 * 1024,
      },
    });
    const { logger } = ctx.options;
    const store = new OffsetStore(offsetsTopic, logger);
    const history = new RebalanceHistory(
      rebalancesTopic,
      options.rebalanceHistorySize,
      options.rebalanceHistoryPerGroup,
      logger,
    );
    const directory = new GroupDirectory(ctx, options.supervision, {
      config: options.coordinator,
      store,
      history,
    });
    return new GroupRuntime(ctx, options, offsetsTopic, rebalancesTopic, store, history, directory);
  }

  /**
   * Reads both internal topics in the background; group requests meanwhile get
   * COORDINATOR_LOAD_IN_PROGRESS.
   * A failed read (an offline `__consumer_offsets` partition) is retried with a growing pause, so
   * an operator restart of the partition lets the coordinator come up. Then spawns an actor per
   * stored group (members' sessions restart now: those that do not come back expire) and drops
   * the offsets of topics deleted while the broker was down.
   */
  private async load(): Promise<void> {
    const { logger, clock, scheduler } = this.ctx.options;
    const startedAt = clock();
    for (let attempt = 1; this.phase === 'loading'; attempt++) {
      try {
        const { records, skipped } = await this.store.load();
        await this.history.load();
        if (this.phase !== 'loading') return;
        for (const groupId of this.store.groupIds()) this.directory.spawn(groupId);
        this.phase = 'ready';
        this.loadError = undefined;
        const orphans = await this.store.deleteWhere(
          (tp) => this.ctx.registry.get(tp.topic)?.partitions[tp.partition] === undefined,
        );
        logger.info(
          { groups: this.directory.size, records, skipped, orphans, ms: clock() - startedAt },
          `Loaded ${OFFSETS_TOPIC}`,
        );
        return;
      } catch (error) {
        if (this.phase !== 'loading') return;
        this.loadError = error as Error;
        const delayMs = Math.min(100 * 2 ** Math.min(attempt, 7), 10_000);
        logger.error(
          { err: (error as Error).message, attempt, retryInMs: delayMs },
          `Could not load ${OFFSETS_TOPIC}`,
        );
        await new Promise<void>((resolve) => {
          const timer = scheduler.setTimeout(resolve, delayMs, undefined);
          this.cancelRetry = () => {
            scheduler.clearTimeout(timer);
            resolve();
          };
        });
        this.cancelRetry = undefined;
      }
    }
  }

  /** The error every group request gets while the coordinator cannot serve, else undefined. */
  unavailable(groupId: string): BrokerError | undefined {
    switch (this.phase) {
      case 'ready':
        return undefined;
      case 'loading': {
        const last = this.loadError ? ` (last attempt: ${this.loadError.message})` : '';
        return groupError(
          'COORDINATOR_LOAD_IN_PROGRESS',
          groupId,
          `the coordinator is still loading ${OFFSETS_TOPIC}${last}; retry`,
        );
      }
      case 'stopping':
        return groupError('NOT_COORDINATOR', groupId, 'the coordinator is stopping');
    }
  }

  // ---- in-process clients and stop --------------------------------------------------------------

  /** Registers work to finish while the broker still serves, before it stops (in-process clients). */
  onStop(hook: () => Promise<void> | void): () => void {
    this.stopHooks.add(hook);
    return () => {
      this.stopHooks.delete(hook);
    };
  }

  /** Runs the stop hooks once (in-process consumers commit and leave, producers stop). */
  closeClients(): Promise<void> {
    this.closingClients ??= (async () => {
      const hooks = [...this.stopHooks];
      this.stopHooks.clear();
      const results = await Promise.allSettled(hooks.map(async (hook) => hook()));
      for (const r of results) {
        if (r.status === 'rejected') {
          this.ctx.options.logger.warn({ err: String(r.reason) }, 'An in-process client failed to stop');
        }
      }
    })();
    return this.closingClients;
  }

  /** Stops the group actors and waits for the writes they issued. */
  async stop(): Promise<void> {
    await this.closeClients();
    this.phase = 'stopping';
    this.cancelRetry?.();
    await this.loaded;
    await this.directory.stop();
    await Promise.allSettled([this.offsetsTopic.idle(), this.rebalancesTopic.idle()]);
  }
}

/** A thrown or rejected ask as the error a group request answers with. */
export function askFailure(groupId: string, error: unknown): BrokerError {
  if (isBrokerError(error)) return error;
  return groupError(
    'COORDINATOR_NOT_AVAILABLE',
    groupId,
    error instanceof Error ? error.message : String(error),
  );
}
