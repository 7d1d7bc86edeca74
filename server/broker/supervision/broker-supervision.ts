import {
  describeUnavailable,
  oneForOne,
  RestartLimitExceededError,
  type SupervisorStrategy,
  type UnavailableErrorFactory,
} from '../actors';
import type { ResolvedBrokerOptions } from '../broker-options';
import { BrokerError } from '../errors';

/**
 * The shape of the broker's supervision tree (DESIGN "Actors and supervision"):
 *
 *   /broker                      root (ActorSystem guardian)
 *   /broker/topics               one-for-one; a topic supervisor that escalates a partition's
 *                                exceeded restart limit is resumed, so the partition stays
 *                                offline and its siblings keep serving
 *   /broker/topics/<topic>       one-for-one over its partitions: restart on every failure,
 *                                with backoff, at most N restarts in T, then offline
 *   /broker/topics/<topic>/<n>   the partition actor
 *   /broker/groups               one-for-one over the group actors; a group past its restart
 *                                limit is stopped (offline) and the escalation is resumed by
 *                                the root, so the other groups keep their actors
 *   /broker/groups/<group>       the group actor
 *   /broker/retention            retention worker
 *   /broker/log-cleaner          compaction worker
 */
export const ROOT_NAME = 'broker';
export const TOPICS_SUPERVISOR = 'topics';
export const RETENTION_WORKER = 'retention';
export const LOG_CLEANER_WORKER = 'log-cleaner';

export const TOPICS_PATH = `/${ROOT_NAME}/${TOPICS_SUPERVISOR}`;

export function topicPath(topic: string): string {
  return `${TOPICS_PATH}/${topic}`;
}

export function partitionPath(topic: string, partition: number): string {
  return `${TOPICS_PATH}/${topic}/${partition}`;
}

/** `/broker/topics/orders/2` → { topic: 'orders', partition: 2 }, else undefined. */
export function parsePartitionPath(path: string): { topic: string; partition: number } | undefined {
  const prefix = `${TOPICS_PATH}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length).split('/');
  if (rest.length !== 2) return undefined;
  const [topic = '', number = ''] = rest;
  if (topic.length === 0 || !/^\d{1,9}$/.test(number)) return undefined;
  return { topic, partition: Number(number) };
}

/** The topics supervisor: a partition past its restart limit stays offline alone. */
export function topicsStrategy(): SupervisorStrategy {
  return oneForOne({
    decider: (error) => (error instanceof RestartLimitExceededError ? 'resume' : 'restart'),
  });
}

/**
 * The root's strategy for its supervisors (topics, groups): an escalated restart limit means one
 * child is already offline, so the escalating supervisor is resumed rather than restarted (a
 * restart would restart every sibling of that child and revive the offline one).
 */
export function rootStrategy(): SupervisorStrategy {
  return topicsStrategy();
}

/** A topic supervisor's strategy for its partitions. */
export function partitionStrategy(options: ResolvedBrokerOptions): SupervisorStrategy {
  const { maxRestarts, withinMs, backoff } = options.partitionSupervision;
  return oneForOne({ maxRestarts, withinMs, ...(backoff === undefined ? {} : { backoff }) });
}

/**
 * What a request to a partition whose actor is not running gets: PARTITION_OFFLINE (retriable,
 * an operator may restart it) after failures; UNKNOWN_TOPIC_OR_PARTITION once its topic was
 * deleted; BROKER_NOT_AVAILABLE during shutdown.
 */
export function partitionUnavailableError(topic: string, partition: number): UnavailableErrorFactory {
  return (info) => {
    if (info.state === 'offline') {
      return new BrokerError(
        'PARTITION_OFFLINE',
        `${describeUnavailable(`Partition ${partition} of '${topic}'`, info)}. ` +
          `An operator can restart it (${info.path})`,
      );
    }
    if (info.reason === 'removed') {
      return new BrokerError('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' was deleted`);
    }
    return new BrokerError('BROKER_NOT_AVAILABLE', `Partition ${partition} of '${topic}' is stopped`);
  };
}
