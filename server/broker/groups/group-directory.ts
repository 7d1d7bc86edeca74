import { oneForOne, type ActorRef, type Supervisor } from '../actors';
import type { BrokerContext } from '../broker-context';
import { BrokerError } from '../errors';
import type { GroupListing } from './group-api';
import { groupActor, type GroupActorDeps, type GroupMessage } from './group-actor';
import type { ResolvedGroupServiceOptions } from './group-service-api';
import type { GroupState } from './group-state';

/**
 * The groups supervisor (`/broker/groups`) and its actors, one per consumer group, named by the
 * URI-encoded group id (an actor name cannot hold '/'). A group's actor is spawned on first use
 * (a join, an offset commit with generation -1, a reset) or at start for every stored group, and
 * removed when the group is deleted. Each actor publishes its group's listing here after every
 * message, so listings need no round trip to the actors.
 *
 * Supervision: a failing group actor (a bug) restarts with backoff, by default at most 10 times
 * in a minute (groups.supervision); past that it goes offline alone (its requests answer
 * COORDINATOR_NOT_AVAILABLE) until an operator restarts it: the root resumes the escalating
 * groups supervisor instead of restarting every group.
 */
export const GROUPS_SUPERVISOR = 'groups';

export interface GroupEntry {
  readonly groupId: string;
  readonly ref: ActorRef<GroupMessage>;
  state: GroupState;
  protocolType: string;
}

export class GroupDirectory {
  private readonly entries = new Map<string, GroupEntry>();
  /** Actors being removed: a group re-created meanwhile waits for its name to be free. */
  private readonly retiring = new Map<string, Promise<unknown>>();
  readonly supervisor: Supervisor;

  constructor(
    private readonly ctx: BrokerContext,
    supervision: ResolvedGroupServiceOptions['supervision'],
    private readonly deps: Omit<GroupActorDeps, 'groupId' | 'publish'>,
  ) {
    const { maxRestarts, withinMs, backoff } = supervision;
    this.supervisor = ctx.system.root.spawnSupervisor(GROUPS_SUPERVISOR, {
      strategy: oneForOne({ maxRestarts, withinMs, ...(backoff === undefined ? {} : { backoff }) }),
    });
  }

  get size(): number {
    return this.entries.size;
  }

  get(groupId: string): GroupEntry | undefined {
    return this.entries.get(groupId);
  }

  all(): IterableIterator<GroupEntry> {
    return this.entries.values();
  }

  /** The group's actor, spawned if there is none yet. */
  async obtain(groupId: string): Promise<GroupEntry> {
    for (;;) {
      const existing = this.entries.get(groupId);
      if (existing !== undefined) return existing;
      const retiring = this.retiring.get(groupId);
      if (retiring === undefined) return this.spawn(groupId);
      await retiring;
    }
  }

  spawn(groupId: string): GroupEntry {
    const existing = this.entries.get(groupId);
    if (existing !== undefined) return existing;
    const publish = (listing: GroupListing | undefined, afterMessage: boolean): void => {
      const current = this.entries.get(groupId);
      if (current === undefined || current.ref !== ref) return;
      current.state = listing?.state ?? 'Dead';
      current.protocolType = listing?.protocolType ?? '';
      // A group that ended without members, metadata or offsets (a first join refused): nothing
      // is left to serve, so its actor goes rather than accumulate.
      const { store } = this.deps;
      const vacant =
        listing === undefined && !store.hasOffsets(groupId) && store.snapshot(groupId) === undefined;
      if (afterMessage && vacant) {
        this.retire(groupId);
      }
    };
    const ref: ActorRef<GroupMessage> = this.supervisor.spawn(encodeURIComponent(groupId), {
      factory: groupActor({ ...this.deps, groupId, publish }),
      mailboxCapacity: 10_000,
      unavailableError: (info) =>
        new BrokerError(
          'COORDINATOR_NOT_AVAILABLE',
          `The coordinator of group ${JSON.stringify(groupId)} is ${info.state}` +
            (info.lastError ? `: ${info.lastError.message}` : ''),
        ),
    });
    // Until the actor's preStart publishes, the group is as last stored.
    const stored = this.deps.store.snapshot(groupId);
    const entry: GroupEntry = {
      groupId,
      ref,
      state: stored?.state ?? 'Empty',
      protocolType: stored?.protocolType ?? '',
    };
    this.entries.set(groupId, entry);
    return entry;
  }

  /** Forgets a deleted group and stops its actor. */
  retire(groupId: string): void {
    if (!this.entries.delete(groupId)) return;
    const removal = this.supervisor
      .removeChild(encodeURIComponent(groupId))
      .catch((error: unknown) =>
        this.ctx.options.logger.warn({ group: groupId, err: String(error) }, 'Could not stop a group actor'),
      )
      .finally(() => this.retiring.delete(groupId));
    this.retiring.set(groupId, removal);
  }

  /** Tells every group actor (topic changes); a stopped actor is skipped. */
  broadcast(message: GroupMessage): void {
    for (const entry of this.entries.values()) {
      try {
        entry.ref.tell(message);
      } catch {
        // offline or overloaded: it restores from its snapshot and clients rejoin anyway
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.retiring.values()]);
    await this.ctx.system.root.removeChild(GROUPS_SUPERVISOR);
    this.entries.clear();
  }
}
