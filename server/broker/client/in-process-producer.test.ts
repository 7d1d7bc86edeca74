import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../broker';
import { BrokerError } from '../errors';
import { encodeRecordBatch } from '../log/record-batch';
import { expectBrokerError, readAll, startBroker, tempDataDir } from '../test-support/broker-fixtures';
import { InProcessProducer, type ProducerBroker } from './in-process-producer';

/** Idempotent producers end to end: InitProducerId, retries deduplicated, gaps and fenced epochs refused. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const temp = tempDataDir();
  cleanups.push(temp.cleanup);
  return temp.dir;
}

/**
 * The broker behind a switch: `loseNext` lets the next produce reach the log and then fails its
 * answer with REQUEST_TIMED_OUT, as a lost response does; `broker` can be replaced by a restarted one.
 */
function flakyLink(initial: Broker) {
  const link = {
    broker: initial,
    loseNext: 0,
    produced: 0,
    /** Runs after the produce reached the log, before its answer is lost. */
    meanwhile: undefined as (() => Promise<void>) | undefined,
  };
  const view: ProducerBroker = {
    produce: async (...args) => {
      link.produced++;
      const result = await link.broker.produce(...args);
      if (link.loseNext > 0) {
        await link.meanwhile?.();
        link.loseNext--;
        throw new BrokerError('REQUEST_TIMED_OUT', 'the response was lost');
      }
      return result;
    },
    produceRecords: (...args) => link.broker.produceRecords(...args),
    initProducerId: (...args) => link.broker.initProducerId(...args),
    partitionCount: (...args) => link.broker.partitionCount(...args),
  };
  return { link, view };
}

const values = async (b: Broker, topic: string, partition = 0) =>
  (await readAll(b, topic, partition)).map((r) => r.value);

describe('InProcessProducer', () => {
  it('sends plain records through the partitioner and reports their offsets', async () => {
    const b = await startBroker(dataDir());
    cleanups.push(() => b.stop());
    await b.createTopic('t', { partitions: 3 });
    const producer = new InProcessProducer(b);
    const sent = await producer.send('t', [
      { key: 'a', value: '1' },
      { key: 'a', value: '2' },
      { value: '3', partition: 2 },
    ]);
    expect(sent[0]?.partition).toBe(sent[1]?.partition);
    expect(sent[1]?.offset).toBe((sent[0]?.offset ?? -1) + 1);
    expect(sent[2]).toMatchObject({ partition: 2, offset: 0 });
    await producer.close();
    await expectBrokerError(producer.send('t', [{ value: 'late' }]), 'INVALID_REQUEST');
  });

  it('stores a batch once when it is retried after a lost response, even across a restart', async () => {
    const dir = dataDir();
    const b = await startBroker(dir);
    await b.createTopic('t', { partitions: 1 });
    const { link, view } = flakyLink(b);
    const producer = new InProcessProducer(view, { idempotent: true, retryBackoffMs: 1 });
    expect((await producer.send('t', [{ value: 'a' }, { value: 'b' }])).map((r) => r.offset)).toEqual([0, 1]);
    link.loseNext = 1;
    const retried = await producer.send('t', [{ value: 'c' }]);
    expect(retried.map((r) => r.offset)).toEqual([2]);
    expect(link.produced).toBe(3); // sent twice, stored once
    expect(await values(b, 't')).toEqual(['a', 'b', 'c']);

    // The answer is lost, the broker restarts (state rebuilt from its log), the producer retries.
    const { producerId, producerEpoch } = await producer.producerIdentity();
    link.loseNext = 1;
    link.meanwhile = async () => {
      await b.stop();
      link.broker = await startBroker(dir);
      cleanups.push(() => link.broker.stop());
    };
    const afterRestart = await producer.send('t', [{ value: 'd' }]);
    expect(afterRestart.map((r) => r.offset)).toEqual([3]);
    expect(await values(link.broker, 't')).toEqual(['a', 'b', 'c', 'd']);
    expect(await producer.producerIdentity()).toEqual({ producerId, producerEpoch });
  });

  it('has a batch with a sequence gap refused, and goes on in order', async () => {
    const b = await startBroker(dataDir());
    cleanups.push(() => b.stop());
    await b.createTopic('t', { partitions: 1 });
    const producer = new InProcessProducer(b, { idempotent: true });
    await producer.send('t', [{ value: 'a' }]);
    const { producerId, producerEpoch } = await producer.producerIdentity();
    const gap = encodeRecordBatch([{ key: null, value: Buffer.from('z') }], {
      producerId,
      producerEpoch,
      baseSequence: 5,
    });
    await expectBrokerError(
      b.produce('t', 0, gap, { acks: -1 }),
      'OUT_OF_ORDER_SEQUENCE_NUMBER',
      /expected sequence 1/,
    );
    await producer.send('t', [{ value: 'b' }]);
    expect(await values(b, 't')).toEqual(['a', 'b']);
  });

  it('fails every send once fenced by a newer epoch of its producer id', async () => {
    const b = await startBroker(dataDir());
    cleanups.push(() => b.stop());
    await b.createTopic('t', { partitions: 1 });
    const producer = new InProcessProducer(b, { idempotent: true });
    await producer.send('t', [{ value: 'a' }]);
    const { producerId } = await producer.producerIdentity();
    // Another instance of the same producer takes over (KIP-360 bump): the old epoch is fenced.
    expect(await b.initProducerId({ producerId, producerEpoch: 0 })).toEqual({
      producerId,
      producerEpoch: 1,
    });
    const newer = encodeRecordBatch([{ key: null, value: Buffer.from('new') }], {
      producerId,
      producerEpoch: 1,
      baseSequence: 0,
    });
    await b.produce('t', 0, newer, { acks: -1 });
    await expectBrokerError(producer.send('t', [{ value: 'stale' }]), 'INVALID_PRODUCER_EPOCH');
    await expectBrokerError(producer.send('t', [{ value: 'again' }]), 'INVALID_PRODUCER_EPOCH', /fenced/);
    expect(await values(b, 't')).toEqual(['a', 'new']);
  });
});
