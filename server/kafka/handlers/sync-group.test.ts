import { afterEach, describe, expect, it } from 'vitest';
import { decodeAssignment } from '../../broker/groups/consumer-protocol';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { assignment, FAST_GROUPS, rawJoin, rawStableMember } from '../testing/raw-group';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe('SyncGroup', () => {
  it('v0-v4: the leader hands out assignments; each member gets its own bytes', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.createTopic('t', { partitions: 4 });
    for (let version = 0; version <= 4; version++) {
      const groupId = `g${version}`;
      const leader = await rawStableMember(s.port, groupId, { version: Math.min(version + 1, 5) });
      // A follower joins: the leader rejoins on its next heartbeat, both wait for the join phase.
      const required = await rawJoin(s.port, groupId, 5);
      const followerJoin = rawJoin(s.port, groupId, 5, { memberId: required.memberId });
      const leaderJoin = await rawJoin(s.port, groupId, 5, { memberId: leader.memberId });
      const follower = await followerJoin;
      expect(leaderJoin.members).toHaveLength(2);
      const generationId = leaderJoin.generationId;
      // The follower's sync waits for the leader's.
      const followerSync = rawRequest(s.port, 'SyncGroup', version, {
        groupId,
        generationId,
        memberId: follower.memberId,
        assignments: [],
      });
      const leaderSync = await rawRequest(s.port, 'SyncGroup', version, {
        groupId,
        generationId,
        memberId: leader.memberId,
        assignments: [
          { memberId: leader.memberId, assignment: assignment('t', [0, 1]) },
          { memberId: follower.memberId, assignment: assignment('t', [2, 3]) },
        ],
      });
      expect(leaderSync.errorCode, `v${version}`).toBe(0);
      expect(decodeAssignment(leaderSync.assignment).assignedPartitions).toEqual([
        { topic: 't', partitions: [0, 1] },
      ]);
      const synced = await followerSync;
      expect(synced.errorCode).toBe(0);
      expect(decodeAssignment(synced.assignment).assignedPartitions).toEqual([
        { topic: 't', partitions: [2, 3] },
      ]);
      const [described] = await s.broker.describeGroups([groupId]);
      expect(described?.state).toBe('Stable');
    }
  });

  it('stale generations, unknown members and fenced instances are refused with an empty assignment', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    const member = await rawStableMember(s.port, 'g', { groupInstanceId: 'i-1' });
    const sync = (
      body: { generationId: number; memberId: string; groupInstanceId?: string | null },
      groupId = 'g',
    ) => rawRequest(s?.port ?? 0, 'SyncGroup', 4, { groupId, assignments: [], ...body });
    const stale = await sync({ generationId: member.generationId + 1, memberId: member.memberId });
    expect(stale).toMatchObject({ errorCode: KafkaError.ILLEGAL_GENERATION, assignment: Buffer.alloc(0) });
    expect((await sync({ generationId: 1, memberId: 'ghost' })).errorCode).toBe(KafkaError.UNKNOWN_MEMBER_ID);
    expect((await sync({ generationId: 1, memberId: 'x' }, 'nope')).errorCode).toBe(
      KafkaError.UNKNOWN_MEMBER_ID,
    );
    expect((await sync({ generationId: 1, memberId: 'x' }, '')).errorCode).toBe(KafkaError.INVALID_GROUP_ID);
    const fenced = await sync({
      generationId: member.generationId,
      memberId: 'other',
      groupInstanceId: 'i-1',
    });
    expect(fenced.errorCode).toBe(KafkaError.FENCED_INSTANCE_ID);
    // A Stable member syncing again gets its assignment back.
    const again = await sync({
      generationId: member.generationId,
      memberId: member.memberId,
      groupInstanceId: 'i-1',
    });
    expect(again.errorCode).toBe(0);
    expect(decodeAssignment(again.assignment).assignedPartitions).toEqual([
      { topic: 't', partitions: [0, 1] },
    ]);
  });
});
