/**
 * Compatibility matrix: confluent-kafka (Debian's python3-confluent-kafka over librdkafka) against
 * a real Broker. An idempotent producer (murmur2_random), a consumer group of two members with
 * manual commits, and the AdminClient's topic calls and list_groups (ListGroups + DescribeGroups;
 * list_consumer_groups/describe_consumer_groups only exist from confluent-kafka 2.0).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerListener } from '../testing/broker-listener';
import { PARTITIONS, startCompatBroker, waitForStable } from '../testing/group-checks';
import { PythonMember, pythonGroupScenario, pythonJson } from '../testing/python-clients';
import { killAllSpawned } from '../testing/spawned';

const SCRIPT = 'confluent_client.py';
const TOPIC = 'confluent-matrix';
const GROUP = 'confluent-group';

let s: BrokerListener;

beforeAll(async () => {
  s = await startCompatBroker();
  await s.broker.createTopic(TOPIC, { partitions: PARTITIONS });
});

afterEach(killAllSpawned);

afterAll(async () => {
  await s.stop();
});

describe('confluent-kafka', () => {
  it('idempotent producer; a group member reads all and commits; a second joins and splits the partitions, then leaves', async () => {
    await pythonGroupScenario({
      script: SCRIPT,
      broker: s.broker,
      bootstrap: s.bootstrap,
      topic: TOPIC,
      group: GROUP,
      prefix: 'confluent',
    });
    expect(s.errors()).toEqual([]);
  });

  it('AdminClient: create and delete a topic; list_groups lists and describes the group', async () => {
    const member = new PythonMember(SCRIPT, s.bootstrap, TOPIC, GROUP, 'confluent member');
    await waitForStable(s.broker, GROUP, 1, 0);
    const out = await pythonJson<Record<string, unknown>>(SCRIPT, [
      s.bootstrap,
      'groups',
      'confluent-admin',
      GROUP,
    ]);
    expect(out).toEqual({
      create: 'NONE',
      listed: true,
      groups: [GROUP],
      described: [
        {
          id: GROUP,
          error: null,
          state: 'Stable',
          protocol_type: 'consumer',
          protocol: 'range',
          members: [['confluent-matrix', '/127.0.0.1', true, true]],
        },
      ],
      delete: 'NONE',
    });
    await member.close();
    expect(s.broker.listTopics().map((t) => t.name)).toEqual([TOPIC]);
  });
});
