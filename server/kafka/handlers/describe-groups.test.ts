import { afterEach, describe, expect, it } from 'vitest';
import { decodeAssignment, decodeSubscription } from '../../broker/groups/consumer-protocol';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { FAST_GROUPS, rawJoin, rawStableMember } from '../testing/raw-group';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('DescribeGroups', () => {
  it('v0-v5: state, protocol, members with metadata and assignment bytes; unknown groups are Dead', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    const member = await rawStableMember(s.port, 'g', {
      groupInstanceId: 'i-1',
      topics: ['t'],
      partitions: [0, 1],
    });
    for (let version = 0; version <= 5; version++) {
      const response = await rawRequest(s.port, 'DescribeGroups', version, { groups: ['g', 'nope'] });
      const [g, nope] = response.groups;
      expect(g, `v${version}`).toMatchObject({
        errorCode: 0,
        groupId: 'g',
        groupState: 'Stable',
        protocolType: 'consumer',
        protocolData: 'range',
        ...(version >= 3 && { authorizedOperations: -2147483648 }),
      });
      expect(g?.members).toHaveLength(1);
      expect(g?.members[0]).toMatchObject({
        memberId: member.memberId,
        clientId: 'raw-test',
        clientHost: '/127.0.0.1',
        ...(version >= 4 && { groupInstanceId: 'i-1' }),
      });
      expect(decodeSubscription(g?.members[0]?.memberMetadata ?? Buffer.alloc(0)).topics).toEqual(['t']);
      expect(decodeAssignment(g?.members[0]?.memberAssignment ?? Buffer.alloc(0)).assignedPartitions).toEqual(
        [{ topic: 't', partitions: [0, 1] }],
      );
      expect(nope).toMatchObject({
        errorCode: 0,
        groupId: 'nope',
        groupState: 'Dead',
        protocolType: '',
        members: [],
      });
    }
  });

  it('while rebalancing: no protocol, empty metadata and assignments (as Kafka); authorized operations when asked', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    const first = await rawStableMember(s.port, 'g');
    const required = await rawJoin(s.port, 'g', 5);
    const second = rawJoin(s.port, 'g', 5, { memberId: required.memberId });
    const response = await rawRequest(s.port, 'DescribeGroups', 5, {
      groups: ['g', ''],
      includeAuthorizedOperations: true,
    });
    const [g, empty] = response.groups;
    expect(g).toMatchObject({ groupState: 'PreparingRebalance', protocolData: '' });
    expect(g?.members.every((m) => m.memberMetadata.length === 0 && m.memberAssignment.length === 0)).toBe(
      true,
    );
    // READ (3), DELETE (6), DESCRIBE (8): a group's operations, all allowed without an authorizer.
    expect(g?.authorizedOperations).toBe((1 << 3) | (1 << 6) | (1 << 8));
    expect(empty?.errorCode).toBe(KafkaError.INVALID_GROUP_ID);
    // The first member rejoins: the join phase ends for both.
    expect((await rawJoin(s.port, 'g', 5, { memberId: first.memberId })).errorCode).toBe(0);
    expect((await second).errorCode).toBe(0);
  });
});
