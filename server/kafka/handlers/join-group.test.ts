import { afterEach, describe, expect, it } from 'vitest';
import { decodeSubscription } from '../../broker/groups/consumer-protocol';
import { KafkaError } from '../error-codes';
import { ApiKey, decodeJoinGroupResponse, decodeMetadataResponse } from '../protocol/generated/index';
import { encodeJoinGroupRequest, encodeMetadataRequest } from '../protocol/generated/index';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { RawKafkaClient, responseBodyReader } from '../testing/raw-kafka-client';
import { FAST_GROUPS, rawJoin, rawStableMember, recordingCalls, subscription } from '../testing/raw-group';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;
const clients: RawKafkaClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await s?.stop();
  s = undefined;
});

async function connect(port: number): Promise<RawKafkaClient> {
  const c = await RawKafkaClient.connect(port);
  clients.push(c);
  return c;
}

describe('JoinGroup', () => {
  it('v0-v3 give a new member its id with the join; v4+ ask for it first (MEMBER_ID_REQUIRED)', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    for (let version = 0; version <= 6; version++) {
      const groupId = `g${version}`;
      const first = await rawJoin(s.port, groupId, version, { topics: ['orders'] });
      let joined = first;
      if (version >= 4) {
        expect(first, `v${version}`).toMatchObject({
          errorCode: KafkaError.MEMBER_ID_REQUIRED,
          generationId: -1,
          leader: '',
          members: [],
        });
        expect(first.memberId).toMatch(/^raw-test-/);
        joined = await rawJoin(s.port, groupId, version, { memberId: first.memberId, topics: ['orders'] });
      }
      expect(joined, `v${version}`).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
      expect(joined.leader).toBe(joined.memberId);
      // The leader gets every member's metadata, as the member sent it.
      expect(joined.members.map((m) => m.memberId)).toEqual([joined.memberId]);
      expect(decodeSubscription(joined.members[0]?.metadata ?? Buffer.alloc(0)).topics).toEqual(['orders']);
    }
  });

  it('passes what each version carries: v0 uses the session timeout as rebalance timeout, v5+ instance ids', async () => {
    const calls: { method: string; args: unknown[] }[] = [];
    s = await startBrokerListener({ ...FAST_GROUPS, wrap: recordingCalls(['joinGroup'], calls) });
    await rawJoin(s.port, 'a', 0, { sessionTimeoutMs: 7000, rebalanceTimeoutMs: 9000 });
    await rawJoin(s.port, 'b', 1, { sessionTimeoutMs: 7000, rebalanceTimeoutMs: 9000 });
    await rawJoin(s.port, 'c', 5, { groupInstanceId: 'i-1' });
    await rawJoin(s.port, 'd', 4);
    const requests = calls.map((c) => c.args[1] as Record<string, unknown>);
    expect(requests[0]).toMatchObject({
      rebalanceTimeoutMs: 7000,
      sessionTimeoutMs: 7000,
      requireKnownMemberId: false,
      groupInstanceId: null,
      clientId: 'raw-test',
      clientHost: '/127.0.0.1',
      protocolType: 'consumer',
    });
    expect(requests[1]).toMatchObject({ rebalanceTimeoutMs: 9000, requireKnownMemberId: false });
    expect(requests[2]).toMatchObject({ groupInstanceId: 'i-1', requireKnownMemberId: true });
    expect(requests[3]).toMatchObject({ groupInstanceId: null, requireKnownMemberId: true });
    expect(Buffer.isBuffer((requests[2]?.['protocols'] as { metadata: unknown }[])[0]?.metadata)).toBe(true);
  });

  it('waits for the join phase without holding up other connections; requests behind it answer in order', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    const leader = await rawStableMember(s.port, 'g', { partitions: [0, 1] });
    const c = await connect(s.port);
    // A second member's join waits until the first rejoins; a Metadata request pipelined behind it
    // on the same connection is answered after it.
    c.request(
      { requestApiKey: ApiKey.JoinGroup, requestApiVersion: 5, correlationId: 1, clientId: 'second' },
      (w) =>
        encodeJoinGroupRequest(
          w,
          {
            groupId: 'g',
            sessionTimeoutMs: 10_000,
            rebalanceTimeoutMs: 10_000,
            memberId: 'second-fixed',
            protocolType: 'consumer',
            protocols: [{ name: 'range', metadata: subscription(['t']) }],
          },
          5,
        ),
    );
    c.request(
      { requestApiKey: ApiKey.Metadata, requestApiVersion: 1, correlationId: 2, clientId: 'second' },
      (w) => encodeMetadataRequest(w, { topics: [] }, 1),
    );
    // "second-fixed" is unknown: answered at once with UNKNOWN_MEMBER_ID, then Metadata.
    const [refused, metadata] = await c.waitForResponses(2);
    expect(refused?.correlationId).toBe(1);
    expect(
      decodeJoinGroupResponse(responseBodyReader(refused?.body ?? Buffer.alloc(0), false), 5).errorCode,
    ).toBe(KafkaError.UNKNOWN_MEMBER_ID);
    expect(metadata?.correlationId).toBe(2);

    const required = await rawJoin(s.port, 'g', 5, { client: c });
    expect(required.errorCode).toBe(KafkaError.MEMBER_ID_REQUIRED);
    const before = c.responses.length;
    c.request(
      { requestApiKey: ApiKey.JoinGroup, requestApiVersion: 5, correlationId: 10, clientId: 'second' },
      (w) =>
        encodeJoinGroupRequest(
          w,
          {
            groupId: 'g',
            sessionTimeoutMs: 10_000,
            rebalanceTimeoutMs: 10_000,
            memberId: required.memberId,
            protocolType: 'consumer',
            protocols: [{ name: 'range', metadata: subscription(['t']) }],
          },
          5,
        ),
    );
    c.request(
      { requestApiKey: ApiKey.Metadata, requestApiVersion: 1, correlationId: 11, clientId: 'second' },
      (w) => encodeMetadataRequest(w, { topics: [] }, 1),
    );
    // Meanwhile another connection is served: the leader learns of the rebalance and rejoins.
    await new Promise((r) => setTimeout(r, 50));
    expect(c.responses.length).toBe(before);
    const heartbeat = await rawRequest(s.port, 'Heartbeat', 3, {
      groupId: 'g',
      generationId: 1,
      memberId: leader.memberId,
    });
    expect(heartbeat.errorCode).toBe(KafkaError.REBALANCE_IN_PROGRESS);
    const rejoined = await rawJoin(s.port, 'g', 5, { memberId: leader.memberId });
    expect(rejoined).toMatchObject({ errorCode: 0, generationId: 2, leader: leader.memberId });
    expect(rejoined.members.map((m) => m.memberId).sort()).toEqual(
      [leader.memberId, required.memberId].sort(),
    );

    const [joinRaw, metadataRaw] = (await c.waitForResponses(before + 2)).slice(before);
    expect([joinRaw?.correlationId, metadataRaw?.correlationId]).toEqual([10, 11]);
    const follower = decodeJoinGroupResponse(responseBodyReader(joinRaw?.body ?? Buffer.alloc(0), false), 5);
    expect(follower).toMatchObject({ errorCode: 0, generationId: 2, leader: leader.memberId, members: [] });
    expect(
      decodeMetadataResponse(responseBodyReader(metadataRaw?.body ?? Buffer.alloc(0), false), 1).brokers,
    ).toHaveLength(1);
  });

  it('v5+ static members: a restarted instance takes its slot back, the old member id is fenced', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    const old = await rawStableMember(s.port, 'g', { groupInstanceId: 'instance-1' });
    const restarted = await rawJoin(s.port, 'g', 5, { groupInstanceId: 'instance-1' });
    // Same protocols in a Stable group: the current generation, no rebalance.
    expect(restarted).toMatchObject({ errorCode: 0, generationId: old.generationId });
    expect(restarted.memberId).not.toBe(old.memberId);
    const fenced = await rawRequest(s.port, 'Heartbeat', 3, {
      groupId: 'g',
      generationId: old.generationId,
      memberId: old.memberId,
      groupInstanceId: 'instance-1',
    });
    expect(fenced.errorCode).toBe(KafkaError.FENCED_INSTANCE_ID);
    const described = await s.broker.describeGroups(['g']);
    expect(described[0]?.members.map((m) => [m.memberId, m.groupInstanceId])).toEqual([
      [restarted.memberId, 'instance-1'],
    ]);
  });

  it('refuses bad joins with the coordinator errors, creating no group', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    const codes = async (...joins: Promise<{ errorCode: number }>[]) =>
      (await Promise.all(joins)).map((j) => j.errorCode);
    expect(
      await codes(
        rawJoin(s.port, '', 5),
        rawJoin(s.port, 'g', 5, { sessionTimeoutMs: 10 }),
        rawJoin(s.port, 'g', 5, { memberId: 'ghost' }),
        rawJoin(s.port, 'g', 2, { protocolType: '' }),
      ),
    ).toEqual([
      KafkaError.INVALID_GROUP_ID,
      KafkaError.INVALID_SESSION_TIMEOUT,
      KafkaError.UNKNOWN_MEMBER_ID,
      KafkaError.INCONSISTENT_GROUP_PROTOCOL,
    ]);
    expect(s.broker.listGroups()).toEqual([]);
    await rawStableMember(s.port, 'g');
    const other = await rawJoin(s.port, 'g', 3, { protocolType: 'connect' });
    expect(other).toMatchObject({
      errorCode: KafkaError.INCONSISTENT_GROUP_PROTOCOL,
      generationId: -1,
      leader: '',
    });
  });

  it('while the broker stops: COORDINATOR_NOT_AVAILABLE-class errors, never a closed connection', async () => {
    s = await startBrokerListener(FAST_GROUPS);
    await s.broker.stop();
    const response = await rawJoin(s.port, 'g', 5);
    expect(response.errorCode).toBe(KafkaError.COORDINATOR_NOT_AVAILABLE);
  });
});
