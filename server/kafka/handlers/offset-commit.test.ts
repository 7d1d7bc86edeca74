import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { FAST_GROUPS, rawJoin, rawStableMember } from '../testing/raw-group';
import { rawRequest, type RawRequestInput } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

type Partition = Omit<
  RawRequestInput<'OffsetCommit'>['topics'][number]['partitions'][number],
  'committedMetadata'
> & {
  committedMetadata?: string | null;
};

function commit(
  b: BrokerListener,
  version: number,
  groupId: string,
  partitions: Record<string, Partition[]>,
  member: Partial<RawRequestInput<'OffsetCommit'>> = {},
) {
  return rawRequest(b.port, 'OffsetCommit', version, {
    groupId,
    topics: Object.entries(partitions).map(([name, ps]) => ({
      name,
      partitions: ps.map((p) => ({ committedMetadata: '', ...p })),
    })),
    ...member,
  });
}

const codes = (response: {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}) => response.topics.flatMap((t) => t.partitions.map((p) => [t.name, p.partitionIndex, p.errorCode]));

describe('OffsetCommit', () => {
  it('v0-v8 simple commits (no generation) are stored; v1 timestamps and v2-4 retention are ignored', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.createTopic('t', { partitions: 2 });
    for (let version = 0; version <= 8; version++) {
      const groupId = `g${version}`;
      const response = await commit(
        s,
        version,
        groupId,
        {
          t: [
            {
              partitionIndex: 0,
              committedOffset: 10n + BigInt(version),
              committedMetadata: `m${version}`,
              ...(version === 1 && { commitTimestamp: 5n }),
              ...(version >= 6 && { committedLeaderEpoch: 3 }),
            },
            { partitionIndex: 1, committedOffset: 20n, committedMetadata: null },
          ],
        },
        {
          ...(version >= 1 && { generationIdOrMemberEpoch: -1, memberId: '' }),
          ...(version >= 2 && version <= 4 && { retentionTimeMs: 1n }),
        },
      );
      expect(codes(response), `v${version}`).toEqual([
        ['t', 0, 0],
        ['t', 1, 0],
      ]);
      const fetched = await s.broker.fetchOffsets(groupId, null);
      expect(fetched.topics).toEqual([
        {
          topic: 't',
          partitions: [
            {
              partition: 0,
              offset: 10 + version,
              leaderEpoch: version >= 6 ? 3 : -1,
              metadata: `m${version}`,
            },
            { partition: 1, offset: 20, leaderEpoch: -1, metadata: '' },
          ],
        },
      ]);
    }
    // A simple commit creates the group, Empty, with no protocol type.
    expect(s.broker.listGroups().map((g) => [g.groupId, g.protocolType, g.state])).toContainEqual([
      'g0',
      '',
      'Empty',
    ]);
  });

  it('a member commits with its generation; errors per partition, the group verdict on the rest', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.createTopic('t', { partitions: 2 });
    const member = await rawStableMember(s.port, 'g', { groupInstanceId: 'i-1' });
    const ok = await commit(
      s,
      8,
      'g',
      {
        t: [
          { partitionIndex: 0, committedOffset: 5n },
          { partitionIndex: 7, committedOffset: 5n },
        ],
        missing: [{ partitionIndex: 0, committedOffset: 5n }],
      },
      { generationIdOrMemberEpoch: member.generationId, memberId: member.memberId, groupInstanceId: 'i-1' },
    );
    expect(codes(ok)).toEqual([
      ['t', 0, 0],
      ['t', 7, KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      ['missing', 0, KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    const tp = { t: [{ partitionIndex: 0, committedOffset: 6n }] };
    const verdict = async (version: number, m: Partial<RawRequestInput<'OffsetCommit'>>, groupId = 'g') =>
      codes(await commit(s as BrokerListener, version, groupId, tp, m))[0]?.[2];
    expect(
      await verdict(2, { generationIdOrMemberEpoch: member.generationId + 1, memberId: member.memberId }),
    ).toBe(KafkaError.ILLEGAL_GENERATION);
    expect(await verdict(2, { generationIdOrMemberEpoch: member.generationId, memberId: 'ghost' })).toBe(
      KafkaError.UNKNOWN_MEMBER_ID,
    );
    expect(
      await verdict(7, {
        generationIdOrMemberEpoch: member.generationId,
        memberId: 'ghost',
        groupInstanceId: 'i-1',
      }),
    ).toBe(KafkaError.FENCED_INSTANCE_ID);
    // A simple commit while the group has members is refused.
    expect(await verdict(0, {})).toBe(KafkaError.UNKNOWN_MEMBER_ID);
    expect(await verdict(3, { generationIdOrMemberEpoch: 1, memberId: 'm' }, '')).toBe(
      KafkaError.INVALID_GROUP_ID,
    );
    // A member joining: commits of the old generation are refused while the group rebalances.
    const required = await rawJoin(s.port, 'g', 5);
    const second = rawJoin(s.port, 'g', 5, { memberId: required.memberId });
    await rawJoin(s.port, 'g', 5, { memberId: member.memberId, groupInstanceId: 'i-1' });
    expect(
      await verdict(8, {
        generationIdOrMemberEpoch: member.generationId + 1,
        memberId: member.memberId,
        groupInstanceId: 'i-1',
      }),
    ).toBe(KafkaError.REBALANCE_IN_PROGRESS);
    expect((await s.broker.fetchOffsets('g', null)).topics[0]?.partitions.map((p) => p.offset)).toEqual([5]);
    expect((await second).errorCode).toBe(0);
  });

  it('offsets past 2^53 and oversized metadata fail alone; negative offsets are stored as Kafka does', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.createTopic('t', { partitions: 3 });
    const response = await commit(s, 8, 'g', {
      t: [
        { partitionIndex: 0, committedOffset: 2n ** 60n },
        { partitionIndex: 1, committedOffset: 1n, committedMetadata: 'x'.repeat(5000) },
        { partitionIndex: 2, committedOffset: -2n },
      ],
    });
    expect(codes(response)).toEqual([
      ['t', 0, KafkaError.INVALID_REQUEST],
      ['t', 1, KafkaError.INVALID_REQUEST],
      ['t', 2, 0],
    ]);
    expect(
      (await s.broker.fetchOffsets('g', null)).topics[0]?.partitions.map((p) => [p.partition, p.offset]),
    ).toEqual([[2, -2]]);
  });

  it('while the broker stops: COORDINATOR_NOT_AVAILABLE on every partition', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.createTopic('t', { partitions: 1 });
    await s.broker.stop();
    const response = await commit(s, 8, 'g', { t: [{ partitionIndex: 0, committedOffset: 1n }] });
    expect(codes(response)).toEqual([['t', 0, KafkaError.COORDINATOR_NOT_AVAILABLE]]);
  });
});
