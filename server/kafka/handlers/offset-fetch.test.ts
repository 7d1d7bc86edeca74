import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { FAST_GROUPS } from '../testing/raw-group';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

async function withCommits(): Promise<BrokerListener> {
  const b = await startBrokerListener(FAST_GROUPS);
  await b.broker.createTopic('t', { partitions: 3 });
  await b.broker.createTopic('u', { partitions: 1 });
  await b.broker.commitOffsets('g', '', -1, null, [
    { topic: 't', partition: 0, offset: 5, metadata: 'five', leaderEpoch: 2 },
    { topic: 't', partition: 2, offset: 7 },
    { topic: 'u', partition: 0, offset: 1 },
  ]);
  return b;
}

const NO_OFFSET = { committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 };

describe('OffsetFetch', () => {
  it('v1-v7: committed offsets, -1 for a partition or topic without a commit; v5+ leader epochs', async () => {
    s = await withCommits();
    for (let version = 1; version <= 7; version++) {
      const response = await rawRequest(s.port, 'OffsetFetch', version, {
        groupId: 'g',
        topics: [
          { name: 't', partitionIndexes: [0, 1] },
          { name: 'missing', partitionIndexes: [0] },
        ],
        requireStable: version >= 7,
      });
      if (version >= 2) expect(response.errorCode, `v${version}`).toBe(0);
      expect(response.topics).toEqual([
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 5n,
              committedLeaderEpoch: version >= 5 ? 2 : -1,
              metadata: 'five',
              errorCode: 0,
            },
            { partitionIndex: 1, ...NO_OFFSET },
          ],
        },
        { name: 'missing', partitions: [{ partitionIndex: 0, ...NO_OFFSET }] },
      ]);
    }
  });

  it('v2+ with null topics: every partition the group committed', async () => {
    s = await withCommits();
    const response = await rawRequest(s.port, 'OffsetFetch', 3, { groupId: 'g', topics: null });
    expect(
      response.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.committedOffset])]),
    ).toEqual([
      [
        't',
        [
          [0, 5n],
          [2, 7n],
        ],
      ],
      ['u', [[0, 1n]]],
    ]);
    const unknownGroup = await rawRequest(s.port, 'OffsetFetch', 6, { groupId: 'nobody', topics: null });
    expect(unknownGroup).toMatchObject({ errorCode: 0, topics: [] });
  });

  it('group errors: v1 on every partition, v2-7 at the top, v8 per group', async () => {
    s = await withCommits();
    const v1 = await rawRequest(s.port, 'OffsetFetch', 1, {
      groupId: '',
      topics: [{ name: 't', partitionIndexes: [0, 1] }],
    });
    expect(v1.topics[0]?.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.errorCode])).toEqual([
      [0, -1n, KafkaError.INVALID_GROUP_ID],
      [1, -1n, KafkaError.INVALID_GROUP_ID],
    ]);
    const v4 = await rawRequest(s.port, 'OffsetFetch', 4, {
      groupId: '',
      topics: [{ name: 't', partitionIndexes: [0] }],
    });
    expect(v4).toMatchObject({ errorCode: KafkaError.INVALID_GROUP_ID, topics: [] });
    await s.broker.stop();
    const stopped = await rawRequest(s.port, 'OffsetFetch', 7, { groupId: 'g', topics: null });
    expect(stopped.errorCode).toBe(KafkaError.COORDINATOR_NOT_AVAILABLE);
  });

  it('v8: several groups at once, each answered on its own', async () => {
    s = await withCommits();
    await s.broker.commitOffsets('h', '', -1, null, [{ topic: 'u', partition: 0, offset: 9 }]);
    const response = await rawRequest(s.port, 'OffsetFetch', 8, {
      groups: [
        { groupId: 'g', topics: [{ name: 't', partitionIndexes: [2] }] },
        { groupId: 'h', topics: null },
        { groupId: '', topics: null },
      ],
      requireStable: true,
    });
    expect(response.groups).toEqual([
      {
        groupId: 'g',
        errorCode: 0,
        topics: [
          {
            name: 't',
            partitions: [
              {
                partitionIndex: 2,
                committedOffset: 7n,
                committedLeaderEpoch: -1,
                metadata: '',
                errorCode: 0,
              },
            ],
          },
        ],
      },
      {
        groupId: 'h',
        errorCode: 0,
        topics: [
          {
            name: 'u',
            partitions: [
              {
                partitionIndex: 0,
                committedOffset: 9n,
                committedLeaderEpoch: -1,
                metadata: '',
                errorCode: 0,
              },
            ],
          },
        ],
      },
      { groupId: '', errorCode: KafkaError.INVALID_GROUP_ID, topics: [] },
    ]);
  });
});
