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

describe('DeleteGroups', () => {
  it('v0-v2: empty groups go with their offsets; groups with members, unknown and invalid ids are refused', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.createTopic('t', { partitions: 1 });
    await rawStableMember(s.port, 'busy');
    for (let version = 0; version <= 2; version++) {
      const groupId = `empty${version}`;
      await s.broker.commitOffsets(groupId, '', -1, null, [{ topic: 't', partition: 0, offset: 3 }]);
      const response = await rawRequest(s.port, 'DeleteGroups', version, {
        groupsNames: [groupId, 'busy', 'nope', ''],
      });
      expect(response.results, `v${version}`).toEqual([
        { groupId, errorCode: 0 },
        { groupId: 'busy', errorCode: KafkaError.NON_EMPTY_GROUP },
        { groupId: 'nope', errorCode: KafkaError.GROUP_ID_NOT_FOUND },
        { groupId: '', errorCode: KafkaError.INVALID_GROUP_ID },
      ]);
      expect((await s.broker.fetchOffsets(groupId, null)).topics).toEqual([]);
    }
    expect(s.broker.listGroups().map((g) => g.groupId)).toEqual(['busy']);
  });
});
