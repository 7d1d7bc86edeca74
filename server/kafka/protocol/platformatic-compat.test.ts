/**
 * Cross-checks the flexible versions against @platformatic/kafka, a client that only speaks
 * flexible versions: its request encoders → our decoders, our response encoders → its parsers.
 */
import {
  apiVersionsV3,
  createRecordsBatch,
  createTopicsV7,
  fetchV12,
  findCoordinatorV4,
  initProducerIdV4,
  joinGroupV6,
  metadataV12,
  offsetCommitV8,
  offsetFetchV8,
  produceV9,
  Reader as PlatformaticReader,
  type Writer as PlatformaticWriter,
} from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import {
  ApiKey,
  decodeApiVersionsRequest,
  decodeCreateTopicsRequest,
  decodeFetchRequest,
  decodeFindCoordinatorRequest,
  decodeInitProducerIdRequest,
  decodeJoinGroupRequest,
  decodeMetadataRequest,
  decodeOffsetCommitRequest,
  decodeOffsetFetchRequest,
  decodeProduceRequest,
  encodeApiVersionsResponse,
  encodeFetchResponse,
  encodeMetadataResponse,
  encodeProduceResponse,
} from './generated/index';
import { Reader } from './reader';
import { Writer } from './writer';

function decodeAll<T>(w: PlatformaticWriter, version: number, decode: (r: Reader, v: number) => T): T {
  const r = new Reader(w.buffer);
  const msg = decode(r, version);
  expect(r.remaining).toBe(0);
  return msg;
}

function encodeBody(fn: (w: Writer) => void): PlatformaticReader {
  const w = new Writer();
  fn(w);
  return PlatformaticReader.from(w.toBuffer());
}

describe('@platformatic/kafka requests decode with the generated decoders', () => {
  it('ApiVersions v3 (compact strings, tagged-field section)', () => {
    const msg = decodeAll(apiVersionsV3.createRequest('plt-kafka', '1.35.0'), 3, decodeApiVersionsRequest);
    expect(msg).toMatchObject({ clientSoftwareName: 'plt-kafka', clientSoftwareVersion: '1.35.0' });
  });

  it('Metadata v12 (uuid + nullable compact names; null topic list)', () => {
    const msg = decodeAll(
      metadataV12.createRequest(['orders', 'é-topic'], true, false),
      12,
      decodeMetadataRequest,
    );
    expect(msg.topics).toEqual([
      { topicId: '00000000-0000-0000-0000-000000000000', name: 'orders', unknownTaggedFields: undefined },
      { topicId: '00000000-0000-0000-0000-000000000000', name: 'é-topic', unknownTaggedFields: undefined },
    ]);
    expect(msg.allowAutoTopicCreation).toBe(true);
    expect(decodeAll(metadataV12.createRequest(null), 12, decodeMetadataRequest).topics).toBeNull();
  });

  it('Produce v9 (compact records)', () => {
    const w = produceV9.createRequest(-1, 5000, [
      { topic: 'orders', partition: 1, key: Buffer.from('k'), value: Buffer.from('v') },
      { topic: 'orders', partition: 1, key: Buffer.from('k2'), value: Buffer.from('v2') },
    ]);
    const msg = decodeAll(w, 9, decodeProduceRequest);
    expect(msg).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 5000 });
    const records = msg.topicData[0]?.partitionData[0]?.records;
    expect(msg.topicData[0]?.name).toBe('orders');
    expect(msg.topicData[0]?.partitionData[0]?.index).toBe(1);
    expect(records?.readInt8(16)).toBe(2);
    expect(records?.readInt32BE(57)).toBe(2);
  });

  it('Fetch v12', () => {
    const w = fetchV12.createRequest(
      500,
      1,
      1 << 20,
      0,
      0,
      -1,
      [
        {
          topicId: 'orders',
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 77n,
              lastFetchedEpoch: -1,
              partitionMaxBytes: 4096,
            },
          ],
        },
      ],
      [],
      'rack-1',
    );
    const msg = decodeAll(w, 12, decodeFetchRequest);
    expect(msg).toMatchObject({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1 << 20,
      sessionEpoch: -1,
      rackId: 'rack-1',
    });
    expect(msg.topics[0]?.topic).toBe('orders');
    expect(msg.topics[0]?.partitions[0]).toMatchObject({
      partition: 0,
      fetchOffset: 77n,
      partitionMaxBytes: 4096,
      lastFetchedEpoch: -1,
    });
  });

  it('JoinGroup v6, OffsetCommit v8, OffsetFetch v8, FindCoordinator v4, CreateTopics v7, InitProducerId v4', () => {
    const join = decodeAll(
      joinGroupV6.createRequest('g', 30000, 60000, 'm', 'inst', 'consumer', [
        { name: 'range', metadata: Buffer.from([5]) },
      ]),
      6,
      decodeJoinGroupRequest,
    );
    expect(join).toMatchObject({
      groupId: 'g',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: 'm',
      groupInstanceId: 'inst',
    });
    expect(join.protocols[0]?.metadata).toEqual(Buffer.from([5]));

    const commit = decodeAll(
      offsetCommitV8.createRequest('g', 3, 'm', null, [
        {
          name: 't',
          partitions: [
            { partitionIndex: 2, committedOffset: 10n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ]),
      8,
      decodeOffsetCommitRequest,
    );
    expect(commit).toMatchObject({
      groupId: 'g',
      generationIdOrMemberEpoch: 3,
      memberId: 'm',
      groupInstanceId: null,
    });
    expect(commit.topics[0]?.partitions[0]).toMatchObject({
      partitionIndex: 2,
      committedOffset: 10n,
      committedMetadata: null,
    });

    const fetch = decodeAll(
      offsetFetchV8.createRequest(
        [{ groupId: 'g', memberEpoch: -1, topics: [{ name: 't', partitionIndexes: [0, 1] }] }],
        true,
      ),
      8,
      decodeOffsetFetchRequest,
    );
    expect(fetch.requireStable).toBe(true);
    expect(fetch.groups[0]).toMatchObject({
      groupId: 'g',
      topics: [{ name: 't', partitionIndexes: [0, 1] }],
    });

    const find = decodeAll(findCoordinatorV4.createRequest(0, ['g1', 'g2']), 4, decodeFindCoordinatorRequest);
    expect(find).toMatchObject({ keyType: 0, coordinatorKeys: ['g1', 'g2'] });

    const create = decodeAll(
      createTopicsV7.createRequest(
        [
          {
            name: 'new',
            numPartitions: 2,
            replicationFactor: 1,
            assignments: [],
            configs: [{ name: 'retention.ms', value: '1000' }],
          },
        ],
        3000,
        false,
      ),
      7,
      decodeCreateTopicsRequest,
    );
    expect(create.topics[0]).toMatchObject({ name: 'new', numPartitions: 2, replicationFactor: 1 });
    expect(create.topics[0]?.configs[0]).toMatchObject({ name: 'retention.ms', value: '1000' });

    const init = decodeAll(
      initProducerIdV4.createRequest(null, 60000, -1n, -1),
      4,
      decodeInitProducerIdRequest,
    );
    expect(init).toMatchObject({
      transactionalId: null,
      transactionTimeoutMs: 60000,
      producerId: -1n,
      producerEpoch: -1,
    });
  });
});

describe('generated flexible responses parse with @platformatic/kafka', () => {
  it('ApiVersions v3 with tagged fields in the body', () => {
    const reader = encodeBody((w) =>
      encodeApiVersionsResponse(
        w,
        {
          errorCode: 0,
          apiKeys: [{ apiKey: ApiKey.Produce, minVersion: 3, maxVersion: 9 }],
          throttleTimeMs: 0,
          finalizedFeaturesEpoch: 5n,
        },
        3,
      ),
    );
    const res = apiVersionsV3.parseResponse(1, ApiKey.ApiVersions, 3, reader);
    expect(res.apiKeys).toEqual([{ apiKey: 0, name: 'Produce', minVersion: 3, maxVersion: 9 }]);
  });

  it('Metadata v12', () => {
    const topicId = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    const reader = encodeBody((w) =>
      encodeMetadataResponse(
        w,
        {
          throttleTimeMs: 0,
          brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
          clusterId: 'sluice',
          controllerId: 1,
          topics: [
            {
              errorCode: 0,
              name: 'orders',
              topicId,
              isInternal: false,
              partitions: [
                {
                  errorCode: 0,
                  partitionIndex: 0,
                  leaderId: 1,
                  leaderEpoch: 0,
                  replicaNodes: [1],
                  isrNodes: [1],
                  offlineReplicas: [],
                },
              ],
              topicAuthorizedOperations: -2147483648,
            },
          ],
        },
        12,
      ),
    );
    const res = metadataV12.parseResponse(1, ApiKey.Metadata, 12, reader);
    expect(res.brokers).toEqual([{ nodeId: 1, host: 'localhost', port: 9092, rack: null }]);
    expect(res.clusterId).toBe('sluice');
    expect(res.topics[0]).toMatchObject({ name: 'orders', topicId, isInternal: false });
    expect(res.topics[0]?.partitions[0]).toMatchObject({
      partitionIndex: 0,
      leaderId: 1,
      replicaNodes: [1],
      isrNodes: [1],
    });
  });

  it('Produce v9', () => {
    const reader = encodeBody((w) =>
      encodeProduceResponse(
        w,
        {
          responses: [
            {
              name: 'orders',
              partitionResponses: [
                {
                  index: 1,
                  errorCode: 0,
                  baseOffset: 41n,
                  logAppendTimeMs: -1n,
                  logStartOffset: 0n,
                  recordErrors: [],
                  errorMessage: null,
                },
              ],
            },
          ],
          throttleTimeMs: 0,
        },
        9,
      ),
    );
    const res = produceV9.parseResponse(1, ApiKey.Produce, 9, reader);
    expect(res.responses[0]?.name).toBe('orders');
    expect(res.responses[0]?.partitionResponses[0]).toMatchObject({
      index: 1,
      errorCode: 0,
      baseOffset: 41n,
      logStartOffset: 0n,
    });
  });

  it('Fetch v12 carrying a platformatic-built record batch', () => {
    const batch = createRecordsBatch([
      { topic: 'orders', key: Buffer.from('a'), value: Buffer.from('hello'), timestamp: 1_700_000_000_000n },
      { topic: 'orders', key: Buffer.from('b'), value: Buffer.from('world'), timestamp: 1_700_000_000_001n },
    ]);
    const records = batch.buffer;
    const reader = encodeBody((w) =>
      encodeFetchResponse(
        w,
        {
          throttleTimeMs: 0,
          errorCode: 0,
          sessionId: 0,
          responses: [
            {
              topic: 'orders',
              partitions: [
                {
                  partitionIndex: 0,
                  errorCode: 0,
                  highWatermark: 2n,
                  lastStableOffset: 2n,
                  logStartOffset: 0n,
                  abortedTransactions: [],
                  preferredReadReplica: -1,
                  records,
                  currentLeader: { leaderId: 1, leaderEpoch: 0 },
                },
              ],
            },
          ],
        },
        12,
      ),
    );
    const res = fetchV12.parseResponse(1, ApiKey.Fetch, 12, reader);
    const partition = res.responses[0]?.partitions[0];
    expect(partition).toMatchObject({ partitionIndex: 0, highWatermark: 2n, logStartOffset: 0n });
    const values = partition?.records?.flatMap((b) =>
      b.records.map((rec) => [rec.key?.toString(), rec.value?.toString()]),
    );
    expect(values).toEqual([
      ['a', 'hello'],
      ['b', 'world'],
    ]);
  });
});
