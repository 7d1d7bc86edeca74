import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { FAST_GROUPS, rawStableMember } from '../testing/raw-group';
import { rawRequest } from '../testing/raw-request';
import { startTestListener, type TestListener } from '../testing/test-listener';

let s: BrokerListener | undefined;
let t: TestListener | undefined;

afterEach(async () => {
  await s?.stop();
  await t?.listener.stop();
  s = undefined;
  t = undefined;
});

describe('ListGroups', () => {
  it('v0-v4: every group but Dead ones, sorted, with protocol type; v4 with its state', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.createTopic('t', { partitions: 1 });
    await rawStableMember(s.port, 'consumers');
    await s.broker.commitOffsets('offsets-only', '', -1, null, [{ topic: 't', partition: 0, offset: 1 }]);
    for (let version = 0; version <= 4; version++) {
      const response = await rawRequest(s.port, 'ListGroups', version, {});
      expect(response.errorCode).toBe(0);
      expect(response.groups, `v${version}`).toEqual([
        { groupId: 'consumers', protocolType: 'consumer', groupState: version >= 4 ? 'Stable' : '' },
        { groupId: 'offsets-only', protocolType: '', groupState: version >= 4 ? 'Empty' : '' },
      ]);
    }
  });

  it('v4 states filter: case-insensitive, unknown names match nothing, empty lists all', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.createTopic('t', { partitions: 1 });
    await rawStableMember(s.port, 'a');
    await s.broker.commitOffsets('b', '', -1, null, [{ topic: 't', partition: 0, offset: 1 }]);
    const ids = async (statesFilter: string[]) =>
      (await rawRequest(s?.port ?? 0, 'ListGroups', 4, { statesFilter })).groups.map((g) => g.groupId);
    expect(await ids(['Stable'])).toEqual(['a']);
    expect(await ids(['EMPTY'])).toEqual(['b']);
    expect(await ids(['stable', 'empty'])).toEqual(['a', 'b']);
    expect(await ids(['Sleeping'])).toEqual([]);
    expect(await ids([])).toEqual(['a', 'b']);
  });

  it('without a running core: COORDINATOR_NOT_AVAILABLE and no groups', async () => {
    t = await startTestListener();
    const response = await rawRequest(t.port, 'ListGroups', 4, {});
    expect(response).toMatchObject({ errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE, groups: [] });
  });
});
