import type { ActorSnapshot } from '../../broker/actors';
import type { ResolvedBrokerOptions } from '../../broker/broker-options';
import { parsePartitionPath, TOPICS_PATH } from '../../broker/supervision/broker-supervision';
import type { ActorKind, ActorNode } from '../types';
import { toClusterPath } from './paths';

/** The supervision runtime's snapshot as the console's tree: kinds, strategies, mailboxes. */

const GROUPS_PREFIX = '/broker/groups/';

function kindOf(node: ActorSnapshot, isRoot: boolean): ActorKind {
  if (isRoot) return 'broker';
  if (parsePartitionPath(node.path) !== undefined) return 'partition';
  if (node.path.startsWith(GROUPS_PREFIX) && node.kind !== 'supervisor') return 'group';
  return node.kind === 'supervisor' ? 'supervisor' : 'worker';
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A topic supervisor's strategy in words, from the options it was built with. */
function partitionStrategy(options: ResolvedBrokerOptions): string {
  const { maxRestarts, withinMs, backoff } = options.partitionSupervision;
  const limit = `at most ${maxRestarts} restarts in ${seconds(withinMs)}`;
  const delay =
    backoff === undefined
      ? 'no backoff'
      : `backoff ${seconds(backoff.minBackoffMs)} to ${seconds(backoff.maxBackoffMs)}`;
  return `one-for-one, ${limit}, ${delay}`;
}

function strategyOf(
  node: ActorSnapshot,
  parentPath: string | null,
  options: ResolvedBrokerOptions,
): string | null {
  if (node.strategy === undefined) return null;
  if (parentPath === TOPICS_PATH) return partitionStrategy(options);
  return node.strategy;
}

export function toActorNode(
  node: ActorSnapshot,
  options: ResolvedBrokerOptions,
  parentPath: string | null = null,
): ActorNode {
  const kind = kindOf(node, parentPath === null);
  const supervisor = node.kind === 'supervisor';
  return {
    path: toClusterPath(node.path),
    name: node.name,
    kind,
    state: node.state,
    strategy: strategyOf(node, parentPath, options),
    restarts: node.restartCount,
    // The runtime keeps the last failure's time; a restart follows it (after its backoff).
    lastRestartAt: node.restartCount > 0 ? (node.lastError?.at ?? null) : null,
    nextRestartAt: node.nextRestartAt ?? null,
    lastError: node.lastError ? { message: node.lastError.message, at: node.lastError.at } : null,
    mailbox: supervisor
      ? null
      : {
          size: node.mailboxSize,
          capacity: kind === 'partition' ? options.partitionMailboxCapacity : null,
          stashed: node.stashSize,
        },
    children: node.children.map((child) => toActorNode(child, options, node.path)),
  };
}

/** Whether the tree holds an actor at `path` (the runtime's form, with its leading slash). */
export function hasActor(node: ActorSnapshot, path: string): boolean {
  if (node.path === path) return true;
  return path.startsWith(`${node.path}/`) && node.children.some((child) => hasActor(child, path));
}
