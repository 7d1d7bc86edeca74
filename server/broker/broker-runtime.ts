import fs from 'node:fs';
import path from 'node:path';
import { ActorSystem } from './actors';
import { brokerBrowseSource } from './browse/broker-browse-source';
import type { BrowseSource } from './browse/browse-types';
import type { BrokerContext } from './broker-context';
import type { ResolvedBrokerOptions } from './broker-options';
import { storageError } from './errors';
import { FaultInjection } from './faults';
import type { FetchWaiters } from './fetch/fetch-waiter';
import { GroupService } from './groups/group-service';
import type { MetricsRegistry } from './metrics/metrics-registry';
import { ProducerIdManager } from './producers/producer-id-manager';
import { trackPartitionStates } from './supervision/broker-actors';
import { ROOT_NAME, rootStrategy, TOPICS_SUPERVISOR, topicsStrategy } from './supervision/broker-supervision';
import { TopicManager } from './topic-manager/topic-manager';
import type { TopicRegistry } from './topic-manager/topic-registry';
import { TopicStore } from './topics/topic-store';
import { spawnWorkers, type BrokerWorkers } from './workers/broker-workers';

/** Everything a running broker holds; built by `startRuntime`, torn down by `stopRuntime`. */
export interface BrokerRuntime {
  readonly ctx: BrokerContext;
  readonly topics: TopicManager;
  readonly workers: BrokerWorkers;
  readonly producerIds: ProducerIdManager;
  readonly groups: GroupService;
  readonly faults: FaultInjection;
  readonly browseSource: BrowseSource;
  readonly cleanup: (() => void)[];
}

export interface RuntimeParts {
  readonly options: ResolvedBrokerOptions;
  readonly registry: TopicRegistry;
  readonly metrics: MetricsRegistry;
  readonly stopping: () => boolean;
}

/**
 * Start order: data dir, topic registry, producer id blocks, the actor system with its topics
 * supervisor, every partition (each recovers its log in its own preStart), the workers, the
 * group coordinator (it loads `__consumer_offsets` in the background), then metrics sampling. A failure part way stops what was started (closing the logs it opened).
 */
export async function startRuntime(parts: RuntimeParts): Promise<BrokerRuntime> {
  const { options, registry, metrics } = parts;
  const { logger } = options;
  try {
    fs.mkdirSync(options.dataDir, { recursive: true });
  } catch (error) {
    throw storageError(`Cannot create the data directory ${options.dataDir}`, error);
  }
  const store = await TopicStore.load(options.dataDir, {
    onWarning: (m) => logger.warn({}, m),
    now: options.clock,
  });
  const producerIds = await ProducerIdManager.open({ dataDir: path.join(options.dataDir, 'meta') });
  const system = new ActorSystem({
    name: ROOT_NAME,
    scheduler: options.scheduler,
    eventHistorySize: options.eventHistorySize,
    guardianStrategy: rootStrategy(),
    onFatal: (error) => logger.error({ err: error.message }, 'A supervision failure reached the root'),
  });
  const cleanup = [system.events.subscribe(trackPartitionStates(registry))];
  try {
    const topicsSupervisor = system.root.spawnSupervisor(TOPICS_SUPERVISOR, { strategy: topicsStrategy() });
    const ctx: BrokerContext = {
      options,
      store,
      registry,
      metrics,
      system,
      topicsSupervisor,
      stopping: parts.stopping,
    };
    const topics = new TopicManager(ctx);
    await topics.openAll();
    const workers = spawnWorkers(ctx);
    cleanup.push(
      metrics.addCollector(() => {
        for (const handle of registry.allPartitions()) {
          handle.metrics.size.set(handle.stats.sizeInBytes);
          handle.metrics.endOffset.set(handle.stats.logEndOffset);
        }
      }),
    );
    // The group coordinator loads its internal topics in the background (creating them on first use).
    const groups = GroupService.start(ctx, (name, request) => topics.create(name, request), options.groups);
    metrics.start();
    const faults = new FaultInjection(options.faultInjection, system, options.scheduler, (p) =>
      registry.byActorPath(p),
    );
    return {
      ctx,
      topics,
      workers,
      producerIds,
      groups,
      faults,
      browseSource: brokerBrowseSource(ctx),
      cleanup,
    };
  } catch (error) {
    await system.stop();
    for (const undo of cleanup) undo();
    await producerIds.close();
    throw error;
  }
}

/** Finishes admin changes, answers waiting fetches, stops every actor (closing logs cleanly). */
export async function stopRuntime(runtime: BrokerRuntime, waiters: FetchWaiters): Promise<void> {
  // Group actors stop first, while the partitions they write to still serve.
  await runtime.groups.stop();
  runtime.ctx.metrics.stop();
  waiters.wakeAll();
  runtime.faults.dispose();
  await runtime.topics.idle();
  await runtime.ctx.system.stop();
  for (const undo of runtime.cleanup) undo();
  await runtime.producerIds.close();
}
