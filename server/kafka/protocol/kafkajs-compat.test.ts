/**
 * Cross-checks the generated codecs against an independent implementation: kafkajs 2.x's own
 * protocol modules. Requests encoded by kafkajs are decoded by our decoders; responses encoded by
 * our encoders are decoded by kafkajs. kafkajs only speaks non-flexible versions.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeRequestFrame } from './frame';
import {
  ApiKey,
  decodeApiVersionsRequest,
  decodeCreateTopicsRequest,
  decodeFetchRequest,
  decodeFindCoordinatorRequest,
  decodeJoinGroupRequest,
  decodeListOffsetsRequest,
  decodeMetadataRequest,
  decodeOffsetCommitRequest,
  decodeProduceRequest,
  decodeSyncGroupRequest,
  encodeApiVersionsResponse,
  encodeFetchResponse,
  encodeJoinGroupResponse,
  encodeMetadataResponse,
  encodeProduceResponse,
} from './generated/index';
import { Reader } from './reader';
import { Writer } from './writer';

const require = createRequire(import.meta.url);
const KAFKAJS = 'kafkajs/src/protocol';

interface KafkajsEncoder {
  readonly buffer: Buffer;
}
interface KafkajsRequest {
  readonly apiKey: number;
  readonly apiVersion: number;
  encode(): Promise<KafkajsEncoder>;
}
type RequestFactory = (args: Record<string, unknown>) => KafkajsRequest;
type ResponseDecoder = { decode(data: Buffer): Promise<Record<string, unknown>> };

function kafkajsRequest(api: string, version: number): RequestFactory {
  return require(`${KAFKAJS}/requests/${api}/v${version}/request`) as RequestFactory;
}

function kafkajsResponse(api: string, version: number): ResponseDecoder {
  return require(`${KAFKAJS}/requests/${api}/v${version}/response`) as ResponseDecoder;
}

/** kafkajs request body bytes, decoded with our decoder; checks every byte was consumed. */
async function viaKafkajs<T>(
  api: string,
  version: number,
  args: Record<string, unknown>,
  decode: (r: Reader, v: number) => T,
): Promise<T> {
  const req = kafkajsRequest(api, version)(args);
  expect(req.apiVersion).toBe(version);
  const body = (await req.encode()).buffer;
  const r = new Reader(body);
  const msg = decode(r, version);
  expect(r.remaining).toBe(0);
  return msg;
}

function encodeBody(fn: (w: Writer) => void): Buffer {
  const w = new Writer();
  fn(w);
  return w.toBuffer();
}

const messages = [
  { key: Buffer.from('k1'), value: Buffer.from('v1'), headers: { h: 'x' } },
  { key: null, value: Buffer.from('v2') },
];

describe('kafkajs requests decode with the generated decoders', () => {
  it('a full kafkajs frame (request header v1) through decodeRequestFrame', async () => {
    const encodeFrame = require(`${KAFKAJS}/request`) as (
      a: Record<string, unknown>,
    ) => Promise<KafkajsEncoder>;
    const request = kafkajsRequest('metadata', 4)({ topics: ['orders'], allowAutoTopicCreation: false });
    const frame = (await encodeFrame({ correlationId: 42, clientId: 'sluice-test', request })).buffer;
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    const { header, headerVersion, body } = decodeRequestFrame(frame.subarray(4));
    expect(headerVersion).toBe(1);
    expect(header).toMatchObject({
      requestApiKey: ApiKey.Metadata,
      requestApiVersion: 4,
      correlationId: 42,
      clientId: 'sluice-test',
    });
    const msg = decodeMetadataRequest(body, 4);
    expect(msg.topics?.map((t) => t.name)).toEqual(['orders']);
    expect(msg.allowAutoTopicCreation).toBe(false);
    expect(body.remaining).toBe(0);
  });

  it.each([3, 5, 7])('Produce v%i: fields and the record batch bytes', async (version) => {
    const msg = await viaKafkajs(
      'produce',
      version,
      {
        transactionalId: 'tx-1',
        acks: -1,
        timeout: 30000,
        topicData: [{ topic: 'orders', partitions: [{ partition: 2, messages }] }],
      },
      decodeProduceRequest,
    );
    expect(msg.transactionalId).toBe('tx-1');
    expect(msg.acks).toBe(-1);
    expect(msg.timeoutMs).toBe(30000);
    expect(msg.topicData).toHaveLength(1);
    const topic = msg.topicData[0];
    expect(topic?.name).toBe('orders');
    const records = topic?.partitionData[0]?.records;
    expect(topic?.partitionData[0]?.index).toBe(2);
    // A RecordBatch v2: baseOffset 0, batchLength = rest, magic 2 at byte 16, two records.
    expect(records).toBeInstanceOf(Buffer);
    const batch = records as Buffer;
    expect(batch.readBigInt64BE(0)).toBe(0n);
    expect(batch.readInt32BE(8)).toBe(batch.length - 12);
    expect(batch.readInt8(16)).toBe(2);
    expect(batch.readInt32BE(57)).toBe(2);
  });

  it.each([0, 1, 4, 6])('Metadata v%i', async (version) => {
    const msg = await viaKafkajs(
      'metadata',
      version,
      { topics: ['a', 'b'], allowAutoTopicCreation: false },
      decodeMetadataRequest,
    );
    expect(msg.topics?.map((t) => t.name)).toEqual(['a', 'b']);
    expect(msg.allowAutoTopicCreation).toBe(version >= 4 ? false : true);
  });

  it.each([4, 7, 11])('Fetch v%i', async (version) => {
    const msg = await viaKafkajs(
      'fetch',
      version,
      {
        replicaId: -1,
        maxWaitTime: 500,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 1,
        rackId: 'rack-a',
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          { topic: 'orders', partitions: [{ partition: 3, fetchOffset: '1234567890123', maxBytes: 65536 }] },
        ],
      },
      decodeFetchRequest,
    );
    expect(msg).toMatchObject({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 1,
    });
    expect(msg.topics[0]?.topic).toBe('orders');
    expect(msg.topics[0]?.partitions[0]).toMatchObject({
      partition: 3,
      fetchOffset: 1234567890123n,
      partitionMaxBytes: 65536,
    });
    if (version >= 11) expect(msg.rackId).toBe('rack-a');
  });

  it.each([0, 2, 5])('JoinGroup v%i', async (version) => {
    const metadata = Buffer.from([0, 1, 2, 3]);
    const msg = await viaKafkajs(
      'joinGroup',
      version,
      {
        groupId: 'g1',
        sessionTimeout: 10000,
        rebalanceTimeout: 60000,
        memberId: '',
        groupInstanceId: 'instance-1',
        protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata }],
      },
      decodeJoinGroupRequest,
    );
    expect(msg).toMatchObject({
      groupId: 'g1',
      sessionTimeoutMs: 10000,
      memberId: '',
      protocolType: 'consumer',
    });
    expect(msg.rebalanceTimeoutMs).toBe(version >= 1 ? 60000 : -1);
    if (version >= 5) expect(msg.groupInstanceId).toBe('instance-1');
    expect(msg.protocols).toHaveLength(1);
    expect(msg.protocols[0]?.name).toBe('RoundRobinAssigner');
    expect(msg.protocols[0]?.metadata.equals(metadata)).toBe(true);
  });

  it.each([0, 1, 2])('ApiVersions v%i (empty body)', async (version) => {
    const msg = await viaKafkajs('apiVersions', version, {}, decodeApiVersionsRequest);
    expect(msg.clientSoftwareName).toBe('');
  });

  it('SyncGroup v1, OffsetCommit v3, ListOffsets v2, CreateTopics v2, FindCoordinator v2', async () => {
    const sync = await viaKafkajs(
      'syncGroup',
      1,
      {
        groupId: 'g',
        generationId: 4,
        memberId: 'm-1',
        groupAssignment: [{ memberId: 'm-1', memberAssignment: Buffer.from([9]) }],
      },
      decodeSyncGroupRequest,
    );
    expect(sync).toMatchObject({ groupId: 'g', generationId: 4, memberId: 'm-1' });
    expect(sync.assignments[0]?.assignment).toEqual(Buffer.from([9]));

    const commit = await viaKafkajs(
      'offsetCommit',
      3,
      {
        groupId: 'g',
        groupGenerationId: 4,
        memberId: 'm-1',
        retentionTime: -1,
        topics: [{ topic: 't', partitions: [{ partition: 0, offset: '42', metadata: 'meta' }] }],
      },
      decodeOffsetCommitRequest,
    );
    expect(commit).toMatchObject({
      groupId: 'g',
      generationIdOrMemberEpoch: 4,
      memberId: 'm-1',
      retentionTimeMs: -1n,
    });
    expect(commit.topics[0]?.partitions[0]).toMatchObject({
      partitionIndex: 0,
      committedOffset: 42n,
      committedMetadata: 'meta',
    });

    const offsets = await viaKafkajs(
      'listOffsets',
      2,
      {
        replicaId: -1,
        isolationLevel: 1,
        topics: [{ topic: 't', partitions: [{ partition: 1, timestamp: -2 }] }],
      },
      decodeListOffsetsRequest,
    );
    expect(offsets).toMatchObject({ replicaId: -1, isolationLevel: 1 });
    expect(offsets.topics[0]?.partitions[0]).toMatchObject({ partitionIndex: 1, timestamp: -2n });

    const create = await viaKafkajs(
      'createTopics',
      2,
      {
        topics: [
          {
            topic: 'new',
            numPartitions: 3,
            replicationFactor: 1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        validateOnly: true,
        timeout: 5000,
      },
      decodeCreateTopicsRequest,
    );
    expect(create).toMatchObject({ timeoutMs: 5000, validateOnly: true });
    expect(create.topics[0]).toMatchObject({ name: 'new', numPartitions: 3, replicationFactor: 1 });
    expect(create.topics[0]?.configs).toEqual([{ name: 'cleanup.policy', value: 'compact' }]);

    const find = await viaKafkajs(
      'findCoordinator',
      2,
      { coordinatorKey: 'g', coordinatorType: 0 },
      decodeFindCoordinatorRequest,
    );
    expect(find).toMatchObject({ key: 'g', keyType: 0 });
  });
});

describe('generated response encoders decode with kafkajs', () => {
  it.each([0, 1, 2])('ApiVersions v%i', async (version) => {
    const body = encodeBody((w) =>
      encodeApiVersionsResponse(
        w,
        {
          errorCode: 0,
          apiKeys: [
            { apiKey: 0, minVersion: 3, maxVersion: 9 },
            { apiKey: 18, minVersion: 0, maxVersion: 3 },
          ],
          throttleTimeMs: 0,
        },
        version,
      ),
    );
    const decoded = await kafkajsResponse('apiVersions', version).decode(body);
    expect(decoded['apiVersions']).toEqual([
      { apiKey: 0, minVersion: 3, maxVersion: 9 },
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
    ]);
  });

  it('Metadata v5', async () => {
    const body = encodeBody((w) =>
      encodeMetadataResponse(
        w,
        {
          throttleTimeMs: 0,
          brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
          clusterId: 'sluice',
          controllerId: 1,
          topics: [
            {
              errorCode: 0,
              name: 'orders',
              isInternal: false,
              partitions: [
                {
                  errorCode: 0,
                  partitionIndex: 0,
                  leaderId: 1,
                  replicaNodes: [1],
                  isrNodes: [1],
                  offlineReplicas: [],
                },
              ],
            },
          ],
        },
        5,
      ),
    );
    const decoded = await kafkajsResponse('metadata', 5).decode(body);
    expect(decoded).toMatchObject({
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
      clusterId: 'sluice',
      controllerId: 1,
      topicMetadata: [
        {
          topic: 'orders',
          isInternal: false,
          partitionMetadata: [
            {
              partitionErrorCode: 0,
              partitionId: 0,
              leader: 1,
              replicas: [1],
              isr: [1],
              offlineReplicas: [],
            },
          ],
        },
      ],
    });
  });

  it('Produce v3', async () => {
    const body = encodeBody((w) =>
      encodeProduceResponse(
        w,
        {
          responses: [
            {
              name: 't',
              partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 99n, logAppendTimeMs: -1n }],
            },
          ],
          throttleTimeMs: 0,
        },
        3,
      ),
    );
    const decoded = await kafkajsResponse('produce', 3).decode(body);
    expect(decoded['topics']).toEqual([
      { topicName: 't', partitions: [{ partition: 0, errorCode: 0, baseOffset: '99', logAppendTime: '-1' }] },
    ]);
  });

  it('JoinGroup v2', async () => {
    const body = encodeBody((w) =>
      encodeJoinGroupResponse(
        w,
        {
          throttleTimeMs: 0,
          errorCode: 0,
          generationId: 3,
          protocolName: 'RoundRobinAssigner',
          leader: 'm-1',
          memberId: 'm-1',
          members: [{ memberId: 'm-1', metadata: Buffer.from([1, 2]) }],
        },
        2,
      ),
    );
    const decoded = await kafkajsResponse('joinGroup', 2).decode(body);
    expect(decoded).toMatchObject({
      generationId: 3,
      groupProtocol: 'RoundRobinAssigner',
      leaderId: 'm-1',
      memberId: 'm-1',
    });
    expect(decoded['members']).toEqual([{ memberId: 'm-1', memberMetadata: Buffer.from([1, 2]) }]);
  });

  it('Fetch v4 carrying a kafkajs-built record batch; kafkajs reads the messages back', async () => {
    const { RecordBatch } = require(`${KAFKAJS}/recordBatch/v0`) as {
      RecordBatch: (a: Record<string, unknown>) => Promise<KafkajsEncoder>;
    };
    const Record = require(`${KAFKAJS}/recordBatch/record/v0`) as (a: Record<string, unknown>) => unknown;
    const batch = (
      await RecordBatch({
        firstOffset: '0',
        firstTimestamp: 1_700_000_000_000,
        maxTimestamp: 1_700_000_000_000,
        lastOffsetDelta: 1,
        records: [
          Record({ key: Buffer.from('a'), value: Buffer.from('hello'), offsetDelta: 0, timestampDelta: 0 }),
          Record({ key: Buffer.from('b'), value: Buffer.from('world'), offsetDelta: 1, timestampDelta: 0 }),
        ],
      })
    ).buffer;
    const body = encodeBody((w) =>
      encodeFetchResponse(
        w,
        {
          throttleTimeMs: 0,
          responses: [
            {
              topic: 'orders',
              partitions: [
                {
                  partitionIndex: 0,
                  errorCode: 0,
                  highWatermark: 2n,
                  lastStableOffset: 2n,
                  abortedTransactions: [],
                  records: batch,
                },
              ],
            },
          ],
        },
        4,
      ),
    );
    const decoded = await kafkajsResponse('fetch', 4).decode(body);
    const responses = decoded['responses'] as {
      topicName: string;
      partitions: { highWatermark: string; messages: { key: Buffer; value: Buffer; offset: string }[] }[];
    }[];
    expect(responses[0]?.topicName).toBe('orders');
    const partition = responses[0]?.partitions[0];
    expect(partition?.highWatermark).toBe('2');
    expect(partition?.messages.map((m) => [m.offset, m.key.toString(), m.value.toString()])).toEqual([
      ['0', 'a', 'hello'],
      ['1', 'b', 'world'],
    ]);
  });
});
