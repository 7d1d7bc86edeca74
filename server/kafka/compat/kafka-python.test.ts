/**
 * Compatibility matrix: kafka-python (Debian's python3-kafka; the broker version auto-detected
 * from ApiVersions) against a real Broker. Its producer (murmur2 by default), a KafkaConsumer group
 * of two members with manual commits, and KafkaAdminClient's topic and group calls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerListener } from '../testing/broker-listener';
import { committedOffsets, PARTITIONS, startCompatBroker, waitForStable } from '../testing/group-checks';
import { PythonMember, pythonGroupScenario, pythonJson } from '../testing/python-clients';
import { killAllSpawned } from '../testing/spawned';

const SCRIPT = 'kafka_python_client.py';
const TOPIC = 'kafka-python-matrix';
const GROUP = 'kafka-python-group';

let s: BrokerListener;

beforeAll(async () => {
  s = await startCompatBroker();
  await s.broker.createTopic(TOPIC, { partitions: PARTITIONS });
});

afterEach(killAllSpawned);

afterAll(async () => {
  await s.stop();
});

describe('kafka-python', () => {
  it('producer; a group member reads all and commits; a second joins and splits the partitions, then leaves', async () => {
    await pythonGroupScenario({
      script: SCRIPT,
      broker: s.broker,
      bootstrap: s.bootstrap,
      topic: TOPIC,
      group: GROUP,
      prefix: 'kafkapython',
    });
    expect(s.errors()).toEqual([]);
  });

  it('KafkaAdminClient: create and delete a topic; list, describe and delete groups, list their offsets', async () => {
    const member = new PythonMember(SCRIPT, s.bootstrap, TOPIC, GROUP, 'kafka-python member');
    await waitForStable(s.broker, GROUP, 1, 0);
    const committed = await committedOffsets(s.broker, GROUP, TOPIC);
    const out = await pythonJson<Record<string, unknown>>(SCRIPT, [s.bootstrap, 'groups', 'kp-admin', GROUP]);
    expect(out).toEqual({
      created: true,
      groups: [[GROUP, 'consumer']],
      described: [
        {
          group: GROUP,
          state: 'Stable',
          protocol_type: 'consumer',
          protocol: 'range',
          members: [['kafka-python-matrix', '/127.0.0.1', [TOPIC], [0, 1, 2, 3]]],
        },
      ],
      offsets: committed.map((offset, p) => [TOPIC, p, offset]),
      deleted: true,
    });
    // A group with a member cannot be deleted; once it left, it can.
    expect(await pythonJson(SCRIPT, [s.bootstrap, 'delete_group', GROUP])).toEqual({
      deleted: [[GROUP, 'NonEmptyGroupError']],
    });
    await member.close();
    expect(await pythonJson(SCRIPT, [s.bootstrap, 'delete_group', GROUP])).toEqual({
      deleted: [[GROUP, 'NoError']],
    });
    expect(s.broker.listGroups().map((g) => g.groupId)).toEqual([]);
  });
});
