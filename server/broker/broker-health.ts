import type { ActorSnapshot } from './actors';
import type { BrokerRuntime } from './broker-runtime';

/** Broker.health(): `ok` when running with no actor offline; `problems` say what is not. */
export interface BrokerHealth {
  readonly running: boolean;
  readonly ok: boolean;
  readonly problems: readonly string[];
}

/**
 * Whether the broker serves all of itself: not while it is not running, nor while an actor is
 * offline past its restart limit (a partition, a group, or the retention or compaction worker,
 * whose escalation past the root is otherwise only logged). Each problem names the actor.
 */
export function brokerHealth(lifecycle: string, running: BrokerRuntime | undefined): BrokerHealth {
  if (lifecycle !== 'running' || running === undefined) {
    return { running: false, ok: false, problems: [`The broker is ${lifecycle}`] };
  }
  const problems: string[] = [];
  const visit = (node: ActorSnapshot): void => {
    if (node.state === 'offline') {
      const why = node.lastError === undefined ? '' : `: ${node.lastError.message}`;
      problems.push(`${node.path} is offline${why}`);
    }
    for (const child of node.children) visit(child);
  };
  visit(running.ctx.system.snapshot());
  return { running: true, ok: problems.length === 0, problems };
}
