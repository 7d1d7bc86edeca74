import type { LifecycleListener, Supervisor } from '../actors';
import type { BrokerContext } from '../broker-context';
import { BrokerError } from '../errors';
import type { TopicRegistry } from '../topic-manager/topic-registry';
import { ROOT_NAME, TOPICS_SUPERVISOR } from './broker-supervision';

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

/** The supervisor that owns the actor at `path`, and the actor's name under it. */
function parentOf(ctx: BrokerContext, path: string): { parent: Supervisor; name: string } {
  const parts = typeof path === 'string' ? path.split('/') : [];
  const name = parts.pop() ?? '';
  const parentPath = parts.join('/');
  let parent: Supervisor | undefined;
  if (parentPath === `/${ROOT_NAME}`) parent = ctx.system.root;
  else if (parentPath === `/${ROOT_NAME}/${TOPICS_SUPERVISOR}`) parent = ctx.topicsSupervisor;
  else if (parentPath.startsWith(`/${ROOT_NAME}/${TOPICS_SUPERVISOR}/`) && parts.length === 4) {
    parent = ctx.registry.get(parts[3] ?? '')?.supervisor;
  }
  if (parent === undefined || !parent.hasChild(name)) {
    throw new BrokerError('INVALID_REQUEST', `No actor at ${String(path)}`);
  }
  return { parent, name };
}

/**
 * Operator restart (always allowed, unlike fault injection): an offline or stopped actor comes
 * back with a fresh restart budget; a running one is restarted (its log closed and reopened).
 */
export async function restartActor(ctx: BrokerContext, path: string): Promise<void> {
  const { parent, name } = parentOf(ctx, path);
  await parent.restartChild(name);
}
