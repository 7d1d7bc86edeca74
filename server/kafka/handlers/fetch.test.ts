import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../../broker/broker';
import { BATCH } from '../../broker/log/batch-header';
import { decodeBatches, encodeRecordBatch } from '../../broker/log/record-batch';
import { KafkaError } from '../error-codes';
import type { KafkaBrokerServices } from '../handler';
import { ApiKey, encodeFetchRequest } from '../protocol/generated/index';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { kcatConsumeAll, kcatProduceKeyed } from '../testing/kcat';
import { RawKafkaClient } from '../testing/raw-kafka-client';
import { rawRequest, type RawRequestInput } from '../testing/raw-request';
import { eventually } from '../testing/test-listener';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

function batch(values: string[]): Buffer {
  return encodeRecordBatch(values.map((v) => ({ key: null, value: Buffer.from(v) })));
}

function values(records: Buffer | null): string[] {
  return [...decodeBatches(records ?? Buffer.alloc(0))].flatMap((b) =>
    b.records.map((r) => r.value?.toString() ?? ''),
  );
}

function fetchBody(
  partitions: { topic?: string; partition?: number; offset?: bigint; max?: number }[],
  options: Partial<RawRequestInput<'Fetch'>> = {},
): RawRequestInput<'Fetch'> {
  const byTopic = new Map<string, { partition: number; fetchOffset: bigint; partitionMaxBytes: number }[]>();
  for (const p of partitions) {
    const topic = p.topic ?? 't';
    const list = byTopic.get(topic) ?? [];
    list.push({
      partition: p.partition ?? 0,
      fetchOffset: p.offset ?? 0n,
      partitionMaxBytes: p.max ?? 1_000_000,
    });
    byTopic.set(topic, list);
  }
  return {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 10_000_000,
    topics: [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps })),
    ...options,
  };
}

/** The broker with its fetches counted as they settle (to see a long poll end). */
function countingFetches(counter: { settled: number }) {
  return (broker: Broker): KafkaBrokerServices =>
    new Proxy(broker, {
      get(target, prop) {
        if (prop === 'fetch') {
          return async (request: Parameters<Broker['fetch']>[0]) => {
            try {
              return await target.fetch(request);
            } finally {
              counter.settled++;
            }
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
}

describe('Fetch', () => {
  it('v4-v12 return the stored batches with watermarks; sessions answered with id 0', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    await s.broker.produce('t', 0, batch(['a', 'b']), { acks: -1 });
    await s.broker.produce('t', 0, batch(['c']), { acks: -1 });
    await s.broker.deleteRecords('t', [{ partition: 0, offset: 1 }]);
    for (let version = 4; version <= 12; version++) {
      const response = await rawRequest(
        s.port,
        'Fetch',
        version,
        fetchBody([{ offset: 1n }], { isolationLevel: version % 2, sessionEpoch: version >= 7 ? 0 : -1 }),
      );
      if (version >= 7) expect(response).toMatchObject({ errorCode: 0, sessionId: 0 });
      const p = response.responses[0]?.partitions[0];
      expect(p, `v${version}`).toMatchObject({
        partitionIndex: 0,
        errorCode: 0,
        highWatermark: 3n,
        lastStableOffset: 3n,
        ...(version >= 5 && { logStartOffset: 1n }),
        ...(version >= 11 && { preferredReadReplica: -1 }),
      });
      // READ_COMMITTED gets an empty aborted list, READ_UNCOMMITTED none
      expect(p?.abortedTransactions).toEqual(version % 2 === 1 ? [] : null);
      // whole stored batches: the first one starts before the fetch offset
      expect(values(p?.records ?? null)).toEqual(['a', 'b', 'c']);
    }
  });

  it('v13 names topics by id, in the request and the response; an unknown id is UNKNOWN_TOPIC_ID', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 2 });
    await s.broker.produce('t', 1, batch(['a', 'b']), { acks: -1 });
    const topicId = s.broker.listTopics().find((t) => t.name === 't')?.topicId ?? '';
    const unknown = '11111111-2222-3333-4444-555555555555';
    const response = await rawRequest(s.port, 'Fetch', 13, {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1_000_000,
      topics: [topicId, unknown].map((id) => ({
        topicId: id,
        partitions: [{ partition: 1, fetchOffset: 0n, partitionMaxBytes: 1_000_000 }],
      })),
    });
    expect(response.responses.map((r) => [r.topicId, r.partitions[0]?.errorCode])).toEqual([
      [topicId, 0],
      [unknown, KafkaError.UNKNOWN_TOPIC_ID],
    ]);
    expect(response.responses[0]?.partitions[0]?.highWatermark).toBe(2n);
    expect(values(response.responses[0]?.partitions[0]?.records ?? null)).toEqual(['a', 'b']);
  });

  it('per-partition errors next to good partitions: out of range, unknown topic and partition', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 2 });
    await s.broker.produce('t', 0, batch(['a']), { acks: -1 });
    const response = await rawRequest(
      s.port,
      'Fetch',
      11,
      fetchBody([
        { partition: 0, offset: 0n },
        { partition: 1, offset: 5n },
        { partition: 2 },
        { topic: 'nope' },
        { partition: 0, topic: 't2', offset: 2n ** 62n },
      ]),
    );
    const codes = response.responses.flatMap((t) =>
      t.partitions.map((p) => [t.topic, p.partitionIndex, p.errorCode]),
    );
    expect(codes).toEqual([
      ['t', 0, 0],
      ['t', 1, KafkaError.OFFSET_OUT_OF_RANGE],
      ['t', 2, KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      ['nope', 0, KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      ['t2', 0, KafkaError.OFFSET_OUT_OF_RANGE],
    ]);
    expect(values(response.responses[0]?.partitions[0]?.records ?? null)).toEqual(['a']);
    expect(response.responses[0]?.partitions[1]?.highWatermark).toBe(0n);
    expect(s.errors()).toEqual([]);
  });

  it('fetch sessions: none are kept; a session id is FETCH_SESSION_ID_NOT_FOUND, a stray epoch INVALID_FETCH_SESSION_EPOCH', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    const asked = await rawRequest(s.port, 'Fetch', 7, fetchBody([{}], { sessionId: 0, sessionEpoch: 0 }));
    expect(asked).toMatchObject({ errorCode: 0, sessionId: 0 });
    const stale = await rawRequest(s.port, 'Fetch', 12, fetchBody([{}], { sessionId: 42, sessionEpoch: 3 }));
    expect(stale).toMatchObject({
      errorCode: KafkaError.FETCH_SESSION_ID_NOT_FOUND,
      sessionId: 0,
      responses: [],
    });
    const epoch = await rawRequest(s.port, 'Fetch', 12, fetchBody([{}], { sessionId: 0, sessionEpoch: 3 }));
    expect(epoch.errorCode).toBe(KafkaError.INVALID_FETCH_SESSION_EPOCH);
  });

  it('byte limits: the first batch whole even past partitionMaxBytes (KIP-74), then only what fits', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 2 });
    for (const v of ['one', 'two', 'three'])
      await s.broker.produce('t', 0, batch([v.repeat(50)]), { acks: -1 });
    await s.broker.produce('t', 1, batch(['other'.repeat(50)]), { acks: -1 });
    const tiny = await rawRequest(s.port, 'Fetch', 8, fetchBody([{ max: 10 }, { partition: 1, max: 10 }]));
    expect(values(tiny.responses[0]?.partitions[0]?.records ?? null)).toHaveLength(1);
    // the response limit is spent by the first partition: the second gets nothing this time
    expect(values(tiny.responses[0]?.partitions[1]?.records ?? null)).toHaveLength(0);
    const all = await rawRequest(s.port, 'Fetch', 8, fetchBody([{}, { partition: 1 }]));
    expect(values(all.responses[0]?.partitions[0]?.records ?? null)).toHaveLength(3);
    expect(values(all.responses[0]?.partitions[1]?.records ?? null)).toHaveLength(1);
  });

  it('long poll: a waiting fetch is answered by the append it waited for', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('t', { partitions: 1 });
    // maxWaitMs beyond the test's own timeout: only the append can answer this in time.
    const waiting = rawRequest(s.port, 'Fetch', 10, fetchBody([{}], { maxWaitMs: 120_000, minBytes: 1 }));
    await new Promise((r) => setTimeout(r, 50));
    await s.broker.produce('t', 0, batch(['wake']), { acks: -1 });
    const response = await waiting;
    expect(values(response.responses[0]?.partitions[0]?.records ?? null)).toEqual(['wake']);
  });

  it('long poll ends when the client disconnects', async () => {
    const counter = { settled: 0 };
    s = await startBrokerListener({ wrap: countingFetches(counter) });
    await s.broker.createTopic('t', { partitions: 1 });
    const c = await RawKafkaClient.connect(s.port);
    c.request({ requestApiKey: ApiKey.Fetch, requestApiVersion: 11, correlationId: 1 }, (w) =>
      encodeFetchRequest(w, fetchBody([{}], { maxWaitMs: 120_000, minBytes: 1 }), 11),
    );
    await eventually(() => s?.listener.stats().requests.Fetch === 1, 'the fetch to arrive');
    expect(counter.settled).toBe(0);
    c.close();
    await eventually(() => counter.settled === 1, 'the long poll to end after the disconnect');
  });

  it('kcat reads batches in every compression codec, its own zstd ones included', async () => {
    s = await startBrokerListener();
    await s.broker.createTopic('codecs', { partitions: 1 });
    const sent: string[] = [];
    for (const codec of ['gzip', 'snappy', 'lz4'] as const) {
      const records = Array.from({ length: 100 }, (_, i) => `${codec}-${i}:${codec}-value-${i}`);
      sent.push(...records);
      await s.broker.produce(
        'codecs',
        0,
        encodeRecordBatch(
          records.map((r) => {
            const [key, value] = r.split(':');
            return { key: Buffer.from(key ?? ''), value: Buffer.from(value ?? '') };
          }),
          { compression: codec },
        ),
        { acks: -1 },
      );
    }
    // librdkafka compresses with these codecs itself only because Produce is advertised from v0.
    for (const codec of ['zstd', 'gzip']) {
      const lines = Array.from({ length: 100 }, (_, i) => `kcat-${codec}-${i}:kcat-${codec}-value-${i}`);
      sent.push(...lines);
      await kcatProduceKeyed(s.bootstrap, 'codecs', lines, ['-z', codec]);
    }
    const consumed = await kcatConsumeAll(s.bootstrap, 'codecs');
    expect(consumed.map((r) => `${r.key}:${r.value}`)).toEqual(sent);
    const fetched = await rawRequest(s.port, 'Fetch', 4, fetchBody([{ topic: 'codecs', max: 10_000_000 }]));
    const data = fetched.responses[0]?.partitions[0]?.records ?? Buffer.alloc(0);
    const codecs: number[] = [];
    for (let pos = 0; pos < data.length; pos += BATCH.LOG_OVERHEAD + data.readInt32BE(pos + BATCH.LENGTH)) {
      codecs.push(data.readInt16BE(pos + BATCH.ATTRIBUTES) & 7);
    }
    expect(codecs).toEqual([1, 2, 3, 4, 1]);
    expect(s.errors()).toEqual([]);
  });
});
