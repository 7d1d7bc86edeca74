import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { FAST_GROUPS, rawStableMember } from '../testing/raw-group';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('LeaveGroup', () => {
  it('v0-v2: one member leaves; its error is the response error', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    for (let version = 0; version <= 2; version++) {
      const groupId = `g${version}`;
      const member = await rawStableMember(s.port, groupId);
      const left = await rawRequest(s.port, 'LeaveGroup', version, { groupId, memberId: member.memberId });
      expect(left.errorCode, `v${version}`).toBe(0);
      expect((await s.broker.describeGroups([groupId]))[0]?.state).toBe('Empty');
      expect(s.broker.rebalanceHistory({ groupId }).at(-1)?.reason).toBe('member-left');
      const again = await rawRequest(s.port, 'LeaveGroup', version, { groupId, memberId: member.memberId });
      expect(again.errorCode).toBe(KafkaError.UNKNOWN_MEMBER_ID);
    }
    const invalid = await rawRequest(s.port, 'LeaveGroup', 1, { groupId: '', memberId: 'm' });
    expect(invalid.errorCode).toBe(KafkaError.INVALID_GROUP_ID);
  });

  it('v3-v4: a batch, each member with its own error; a static member removed by instance id alone', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    for (const version of [3, 4]) {
      const groupId = `g${version}`;
      const member = await rawStableMember(s.port, groupId, { groupInstanceId: 'i-1' });
      const left = await rawRequest(s.port, 'LeaveGroup', version, {
        groupId,
        members: [
          { memberId: 'ghost', groupInstanceId: null },
          { memberId: '', groupInstanceId: 'i-1' },
        ],
      });
      expect(left.errorCode, `v${version}`).toBe(0);
      expect(left.members).toEqual([
        { memberId: 'ghost', groupInstanceId: null, errorCode: KafkaError.UNKNOWN_MEMBER_ID },
        { memberId: '', groupInstanceId: 'i-1', errorCode: 0 },
      ]);
      expect((await s.broker.describeGroups([groupId]))[0]?.members).toEqual([]);
      const fenced = await rawRequest(s.port, 'LeaveGroup', version, {
        groupId,
        members: [{ memberId: member.memberId, groupInstanceId: 'i-1' }],
      });
      expect(fenced.members[0]?.errorCode).toBe(KafkaError.UNKNOWN_MEMBER_ID);
    }
    const invalid = await rawRequest(s.port, 'LeaveGroup', 4, { groupId: '', members: [{ memberId: 'm' }] });
    expect(invalid).toMatchObject({ errorCode: KafkaError.INVALID_GROUP_ID, members: [] });
  });
});
