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

describe('OffsetDelete', () => {
  it('v0: deletes offsets of topics the group does not read; subscribed topics and unknown partitions refused', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.createTopic('t', { partitions: 2 });
    await s.broker.createTopic('old', { partitions: 1 });
    await s.broker.commitOffsets('g', '', -1, null, [
      { topic: 't', partition: 0, offset: 4 },
      { topic: 'old', partition: 0, offset: 9 },
    ]);
    await rawStableMember(s.port, 'g', { topics: ['t'] });
    const response = await rawRequest(s.port, 'OffsetDelete', 0, {
      groupId: 'g',
      topics: [
        { name: 'old', partitions: [{ partitionIndex: 0 }] },
        { name: 't', partitions: [{ partitionIndex: 0 }, { partitionIndex: 5 }] },
      ],
    });
    expect(response.errorCode).toBe(0);
    expect(response.topics).toEqual([
      { name: 'old', partitions: [{ partitionIndex: 0, errorCode: 0 }] },
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, errorCode: KafkaError.GROUP_SUBSCRIBED_TO_TOPIC },
          { partitionIndex: 5, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION },
        ],
      },
    ]);
    expect((await s.broker.fetchOffsets('g', null)).topics.map((t) => t.topic)).toEqual(['t']);
  });

  it('group-level errors with no partitions: unknown group, invalid id', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    const body = { topics: [{ name: 't', partitions: [{ partitionIndex: 0 }] }] };
    expect(await rawRequest(s.port, 'OffsetDelete', 0, { groupId: 'nope', ...body })).toMatchObject({
      errorCode: KafkaError.GROUP_ID_NOT_FOUND,
      topics: [],
    });
    expect((await rawRequest(s.port, 'OffsetDelete', 0, { groupId: '', ...body })).errorCode).toBe(
      KafkaError.INVALID_GROUP_ID,
    );
  });
});
