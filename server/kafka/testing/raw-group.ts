/**
 * Test support: consumer group members driven with raw JoinGroup/SyncGroup requests at exact
 * versions, for the group handlers' tests (what no client library lets a test choose).
 */
import type { Broker } from '../../broker/broker';
import { encodeAssignment, encodeSubscription } from '../../broker/groups/consumer-protocol';
import type { KafkaBrokerServices } from '../handler';
import { rawRequest, type RawRequestInput, type RawResponse } from './raw-request';
import type { RawKafkaClient } from './raw-kafka-client';

/** Consumer-protocol subscription bytes for `topics`. */
export function subscription(topics: readonly string[]): Buffer {
  return encodeSubscription({ topics: [...topics] }, 0);
}

/** Consumer-protocol assignment bytes: these partitions of `topic`. */
export function assignment(topic: string, partitions: readonly number[]): Buffer {
  return encodeAssignment({ assignedPartitions: [{ topic, partitions: [...partitions] }] }, 0);
}

export interface JoinOptions {
  memberId?: string;
  groupInstanceId?: string | null;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  topics?: readonly string[];
  protocolType?: string;
  client?: RawKafkaClient;
}

/** One JoinGroup request as a consumer sends it (protocol "range"). */
export function rawJoin(
  port: number,
  groupId: string,
  version: number,
  options: JoinOptions = {},
): Promise<RawResponse<'JoinGroup'>> {
  const body: RawRequestInput<'JoinGroup'> = {
    groupId,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
    rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 10_000,
    memberId: options.memberId ?? '',
    groupInstanceId: options.groupInstanceId ?? null,
    protocolType: options.protocolType ?? 'consumer',
    protocols: [{ name: 'range', metadata: subscription(options.topics ?? ['t']) }],
  };
  return rawRequest(port, 'JoinGroup', version, body, options.client);
}

/**
 * Joins (again with the given id after MEMBER_ID_REQUIRED, v4+) and syncs as the only member,
 * taking `partitions` of `topic`: the group is then Stable with this member.
 */
export async function rawStableMember(
  port: number,
  groupId: string,
  options: JoinOptions & { version?: number; partitions?: readonly number[] } = {},
): Promise<{ memberId: string; generationId: number }> {
  const version = options.version ?? 5;
  let joined = await rawJoin(port, groupId, version, options);
  if (joined.errorCode === 79 /* MEMBER_ID_REQUIRED */) {
    joined = await rawJoin(port, groupId, version, { ...options, memberId: joined.memberId });
  }
  if (joined.errorCode !== 0) throw new Error(`JoinGroup v${version} failed with ${joined.errorCode}`);
  const synced = await rawRequest(port, 'SyncGroup', Math.min(version, 4), {
    groupId,
    generationId: joined.generationId,
    memberId: joined.memberId,
    groupInstanceId: options.groupInstanceId ?? null,
    assignments: [
      {
        memberId: joined.memberId,
        assignment: assignment((options.topics ?? ['t'])[0] ?? 't', options.partitions ?? [0, 1]),
      },
    ],
  });
  if (synced.errorCode !== 0) throw new Error(`SyncGroup failed with ${synced.errorCode}`);
  return { memberId: joined.memberId, generationId: joined.generationId };
}

/** A broker wrapper for startBrokerListener's `wrap` that records the arguments of some calls. */
export function recordingCalls(
  methods: readonly string[],
  calls: { method: string; args: unknown[] }[],
): (broker: Broker) => KafkaBrokerServices {
  return (broker) =>
    new Proxy(broker, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const fn = (value as (...a: unknown[]) => unknown).bind(target);
        if (typeof prop !== 'string' || !methods.includes(prop)) return fn;
        return (...args: unknown[]) => {
          calls.push({ method: prop, args });
          return fn(...args);
        };
      },
    });
}

/** startBrokerListener options for group tests: a new group's first join phase ends at once. */
export const FAST_GROUPS = {
  broker: { groups: { coordinator: { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 1000 } } },
} as const;
