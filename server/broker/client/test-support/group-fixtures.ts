import type { Broker } from '../../broker';
import type { BrokerOptions } from '../../broker-options';
import { startBroker } from '../../test-support/broker-fixtures';
import { InProcessConsumer, type InProcessConsumerOptions } from '../in-process-consumer';

/**
 * Group tests run on real timers with small timeouts: a short initial rebalance delay, sessions
 * of 1.5 s with heartbeats every 100 ms (ample slack on a loaded machine), fast auto-commit.
 */
export const GROUP_TEST_OPTIONS: NonNullable<BrokerOptions['groups']> = {
  coordinator: { initialRebalanceDelayMs: 200, minSessionTimeoutMs: 100 },
};

export async function startGroupBroker(
  dataDir: string,
  options: Partial<BrokerOptions> = {},
): Promise<Broker> {
  const broker = await startBroker(dataDir, { groups: GROUP_TEST_OPTIONS, ...options });
  await broker.groups.whenLoaded();
  return broker;
}

export function testConsumer(
  broker: Broker,
  options: Pick<InProcessConsumerOptions, 'groupId' | 'topics'> & Partial<InProcessConsumerOptions>,
): InProcessConsumer {
  return new InProcessConsumer(broker, {
    sessionTimeoutMs: 1_500,
    rebalanceTimeoutMs: 5_000,
    heartbeatIntervalMs: 100,
    autoCommitIntervalMs: 100,
    maxWaitMs: 100,
    autoOffsetReset: 'earliest',
    retryBackoffMs: 20,
    ...options,
  });
}

/** "t-0", "t-1"... of an assignment, sorted. */
export function flatAssignment(
  list: ReadonlyArray<{ topic: string; partitions: readonly number[] }>,
): string[] {
  return list.flatMap((tp) => tp.partitions.map((p) => `${tp.topic}-${p}`)).sort();
}
