import type { ActorFactory, Replies, TimerHandle } from '../actors';
import { isBrokerError, type BrokerError } from '../errors';
import type {
  GroupCoordinatorConfig,
  GroupDescription,
  GroupListing,
  HeartbeatRequest,
  HeartbeatResult,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupMember,
  LeaveGroupResult,
  OffsetCommitMember,
  SyncGroupRequest,
  SyncGroupResult,
} from './group-api';
import { GroupCoordinator } from './group-coordinator';
import { groupError } from './group-results';
import type { GroupSnapshot } from './group-snapshot';
import type { CommittedOffset, OffsetDeleteResult, TopicPartitionError } from './group-service-api';
import type { OffsetStore, TopicPartition } from './offset-store';
import type { RebalanceHistory } from './rebalance-history';
import type { Scheduler as GroupScheduler } from './scheduler';

/**
 * The actor of one consumer group (DESIGN "Actors and supervision": broker → groups → one actor
 * per group). It hosts a GroupCoordinator holding that one group, following the coordinator's
 * hosting rules:
 * - every request and every timer callback is one message, so they never interleave;
 * - join and sync answers settle later (on other members' requests or on timers), so the handler
 *   returns them wrapped in `Pending` and never awaits them: awaiting would block the very
 *   messages that settle them. Offset appends are returned the same way, so a commit does not
 *   hold the group up while its batch is written;
 * - the coordinator's timers are scheduler timers that post a `timer` message to the actor;
 * - a new incarnation (start, restart after a failure) restores the group from the last snapshot
 *   the coordinator stored; postStop shuts the coordinator down (parked requests get
 *   NOT_COORDINATOR and the clients rejoin).
 */
export interface Pending<T> {
  readonly result: Promise<T>;
}

export interface OffsetCommitEntry extends TopicPartition {
  value: CommittedOffset;
}

export type GroupMessage =
  | ({ type: 'join'; request: JoinGroupRequest } & Replies<Pending<JoinGroupResult>>)
  | ({ type: 'sync'; request: SyncGroupRequest } & Replies<Pending<SyncGroupResult>>)
  | ({ type: 'heartbeat'; request: HeartbeatRequest } & Replies<HeartbeatResult>)
  | ({ type: 'leave'; members: readonly LeaveGroupMember[] } & Replies<LeaveGroupResult>)
  | ({ type: 'commit'; member: OffsetCommitMember; commits: OffsetCommitEntry[] } & Replies<
      Pending<{ error?: BrokerError }>
    >)
  /** An administrative commit (offset reset): only while the group has no members. */
  | ({ type: 'reset'; commits: OffsetCommitEntry[] } & Replies<Pending<{ error?: BrokerError }>>)
  | ({ type: 'describe' } & Replies<{ description: GroupDescription; stored: GroupSnapshot | undefined }>)
  | ({ type: 'delete' } & Replies<Pending<{ error?: BrokerError }>>)
  | ({ type: 'deleteOffsets'; partitions: TopicPartition[] } & Replies<Pending<OffsetDeleteResult>>)
  | { type: 'topicsChanged'; topics: readonly string[] }
  | { type: 'timer'; fire: () => void; incarnation: object };

export interface GroupActorDeps {
  readonly groupId: string;
  readonly config: GroupCoordinatorConfig;
  readonly store: OffsetStore;
  readonly history: RebalanceHistory;
  /** The group's listing at start and after each message (undefined: the coordinator holds no group). */
  readonly publish: (listing: GroupListing | undefined, afterMessage: boolean) => void;
}

const done = <T>(value: T): Pending<T> => ({ result: Promise.resolve(value) });

/** An append to `__consumer_offsets` failed: the coordinator is not available (Kafka's mapping). */
export function storeFailure(groupId: string, error: unknown): BrokerError {
  const reason = error instanceof Error ? error.message : String(error);
  if (isBrokerError(error, 'NOT_COORDINATOR')) return error;
  return groupError('COORDINATOR_NOT_AVAILABLE', groupId, `could not store in __consumer_offsets: ${reason}`);
}

function emptySnapshot(groupId: string, now: number): GroupSnapshot {
  return {
    version: 1,
    groupId,
    state: 'Empty',
    generationId: 0,
    protocolType: null,
    protocolName: null,
    leaderId: null,
    stateTimestamp: now,
    members: [],
  };
}

export function groupActor(deps: GroupActorDeps): ActorFactory<GroupMessage> {
  const { groupId, store } = deps;
  return (context) => {
    const incarnation = {};
    const timers = new Set<TimerHandle>();
    const post = (fire: () => void): void => {
      try {
        context.self.tell({ type: 'timer', fire, incarnation });
      } catch (error) {
        // A full mailbox must not lose a session or rebalance timer: try again shortly. A
        // stopped actor's timers are moot (the next incarnation restarts them from the snapshot).
        if (isBrokerError(error, 'OVERLOADED')) scheduler.schedule(10, fire);
      }
    };
    const scheduler: GroupScheduler = {
      now: () => context.scheduler.now(),
      schedule(delayMs, fn) {
        const handle = context.scheduler.setTimeout(
          () => {
            timers.delete(handle);
            post(fn);
          },
          delayMs,
          undefined,
        );
        timers.add(handle);
        return () => {
          if (timers.delete(handle)) context.scheduler.clearTimeout(handle);
        };
      },
    };
    const coordinator = new GroupCoordinator({
      scheduler,
      config: deps.config,
      listener: {
        onRebalance: (record) => deps.history.add(record),
        onGroupStored: (snapshot) => store.storeGroup(snapshot),
      },
    });
    const publish = (afterMessage = true): void => deps.publish(coordinator.list()[0], afterMessage);
    const after = <T>(value: T): T => {
      publish();
      return value;
    };

    const commit = (commits: OffsetCommitEntry[]): Pending<{ error?: BrokerError }> => ({
      result: store.commit(groupId, commits).then(
        () => ({}),
        (error: unknown) => ({ error: storeFailure(groupId, error) }),
      ),
    });

    const deleteOffsets = (partitions: TopicPartition[]): Pending<OffsetDeleteResult> => {
      const { state, protocolType } = coordinator.describe(groupId);
      if (state === 'Dead') return done({ error: groupError('GROUP_ID_NOT_FOUND', groupId), partitions: [] });
      let allowed = partitions;
      const results: TopicPartitionError[] = partitions.map((tp) => ({ ...tp }));
      if (state !== 'Empty') {
        if (protocolType !== 'consumer') {
          return done({ error: groupError('NON_EMPTY_GROUP', groupId), partitions: [] });
        }
        const subscribed = coordinator.subscribedTopics(groupId);
        allowed = partitions.filter((tp) => subscribed?.has(tp.topic) !== true);
        for (const r of results) {
          if (subscribed?.has(r.topic) === true) {
            r.error = groupError(
              'GROUP_SUBSCRIBED_TO_TOPIC',
              groupId,
              `its members subscribe to '${r.topic}': stop them or change their subscription first`,
            );
          }
        }
      }
      return {
        result: store.deleteOffsets(groupId, allowed).then(
          () => ({ partitions: results }),
          (error: unknown) => ({ error: storeFailure(groupId, error), partitions: [] }),
        ),
      };
    };

    return {
      preStart: () => {
        const snapshot = store.snapshot(groupId);
        if (snapshot !== undefined) coordinator.restore(snapshot);
        else if (store.hasOffsets(groupId)) coordinator.restore(emptySnapshot(groupId, scheduler.now()));
        publish(false);
      },
      postStop: () => {
        coordinator.shutdown();
        for (const handle of timers) context.scheduler.clearTimeout(handle);
        timers.clear();
      },
      receive: {
        join: ({ request }) => after({ result: coordinator.join(groupId, request) }),
        sync: ({ request }) => after({ result: coordinator.sync(groupId, request) }),
        heartbeat: ({ request }) => after(coordinator.heartbeat(groupId, request)),
        leave: ({ members }) => after(coordinator.leave(groupId, members)),
        commit: ({ member, commits }) => {
          const { error } = coordinator.validateOffsetCommit(groupId, member);
          return after(error ? done({ error }) : commit(commits));
        },
        reset: ({ commits }) => {
          const { state, members } = coordinator.describe(groupId);
          if (state !== 'Empty' && state !== 'Dead') {
            return done({
              error: groupError(
                'NON_EMPTY_GROUP',
                groupId,
                `the group is ${state} with ${members.length} member(s): stop its consumers before resetting its offsets`,
              ),
            });
          }
          const { error } = coordinator.validateOffsetCommit(groupId, { memberId: '', generationId: -1 });
          return after(error ? done({ error }) : commit(commits));
        },
        describe: () => ({
          description: coordinator.describe(groupId),
          stored: coordinator.toSnapshot(groupId),
        }),
        delete: () => {
          const { error } = coordinator.delete(groupId);
          if (error) return after(done({ error }));
          return after({
            result: store.deleteGroup(groupId).then(
              () => ({}),
              (e: unknown) => ({ error: storeFailure(groupId, e) }),
            ),
          });
        },
        deleteOffsets: ({ partitions }) => after(deleteOffsets(partitions)),
        topicsChanged: ({ topics }) => {
          coordinator.onTopicMetadataChange(topics);
          publish();
        },
        timer: (msg) => {
          if (msg.incarnation !== incarnation) return;
          msg.fire();
          publish();
        },
      },
    };
  };
}
