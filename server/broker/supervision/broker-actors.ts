import type { LifecycleListener } from '../actors';
import type { BrokerContext } from '../broker-context';
import type { TopicRegistry } from '../topic-manager/topic-registry';

/**
 * Keeps each partition handle's `state` in step with the supervision events, so that the
 * partitioner, listings and metrics know which partitions are offline without asking the actor
 * runtime, and wakes fetches waiting on a partition that stops.
 */
export function trackPartitionStates(registry: TopicRegistry): LifecycleListener {
  return (event) => {
    const handle = registry.byActorPath(event.path);
    if (handle === undefined) return;
    switch (event.type) {
      case 'started':
      case 'restarted':
      case 'resumed':
        handle.state = 'running';
        break;
      case 'restarting':
        handle.state = 'restarting';
        break;
      case 'stopped':
        handle.state = event.state;
        handle.changed();
        break;
      default:
        break;
    }
  };
}

/**
 * Operator restart (always allowed, unlike fault injection): an offline or stopped actor comes
 * back with a fresh restart budget; a running one is restarted (a partition's log closed and
 * reopened). Any path in the tree: partitions, topics, group actors, workers.
 */
export async function restartActor(ctx: BrokerContext, path: string): Promise<void> {
  await ctx.system.restart(path);
}
