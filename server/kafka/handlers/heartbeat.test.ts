import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { waitUntil } from '../testing/group-checks';
import { FAST_GROUPS, rawJoin, rawStableMember } from '../testing/raw-group';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('Heartbeat', () => {
  it('v0-v4: a current member is kept; a join by another turns the answer to REBALANCE_IN_PROGRESS', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    const member = await rawStableMember(s.port, 'g', { groupInstanceId: 'i-1' });
    const beat = (
      version: number,
      body: Partial<{ generationId: number; memberId: string; groupInstanceId: string | null }> = {},
    ) =>
      rawRequest(s?.port ?? 0, 'Heartbeat', version, {
        groupId: 'g',
        generationId: member.generationId,
        memberId: member.memberId,
        ...(version >= 3 && { groupInstanceId: 'i-1' }),
        ...body,
      });
    for (let version = 0; version <= 4; version++)
      expect((await beat(version)).errorCode, `v${version}`).toBe(0);
    expect((await beat(2, { generationId: 7 })).errorCode).toBe(KafkaError.ILLEGAL_GENERATION);
    expect((await beat(2, { memberId: 'ghost' })).errorCode).toBe(KafkaError.UNKNOWN_MEMBER_ID);
    expect((await beat(4, { memberId: 'ghost', groupInstanceId: 'i-1' })).errorCode).toBe(
      KafkaError.FENCED_INSTANCE_ID,
    );
    expect(
      (await rawRequest(s.port, 'Heartbeat', 1, { groupId: '', generationId: 1, memberId: 'm' })).errorCode,
    ).toBe(KafkaError.INVALID_GROUP_ID);

    const required = await rawJoin(s.port, 'g', 5);
    const joining = rawJoin(s.port, 'g', 5, { memberId: required.memberId });
    expect((await beat(4)).errorCode).toBe(KafkaError.REBALANCE_IN_PROGRESS);
    await rawJoin(s.port, 'g', 5, { memberId: member.memberId, groupInstanceId: 'i-1' });
    expect((await joining).errorCode).toBe(0);
  });

  it('an expired session: UNKNOWN_MEMBER_ID', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    const member = await rawStableMember(s.port, 'g', { sessionTimeoutMs: 1000 });
    const b = s.broker;
    await waitUntil(
      'the session expired',
      async () => (await b.describeGroups(['g']))[0]?.members.length === 0,
    );
    const late = await rawRequest(s.port, 'Heartbeat', 4, {
      groupId: 'g',
      generationId: member.generationId,
      memberId: member.memberId,
    });
    expect(late.errorCode).toBe(KafkaError.UNKNOWN_MEMBER_ID);
    expect(s.broker.rebalanceHistory({ groupId: 'g' }).at(-1)?.reason).toBe('session-expired');
  });
});
