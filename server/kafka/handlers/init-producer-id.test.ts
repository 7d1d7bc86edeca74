import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
import { rawRequest } from '../testing/raw-request';

let s: BrokerListener | undefined;

afterEach(async () => {
  await s?.stop();
  s = undefined;
});

async function init(
  b: BrokerListener,
  version: number,
  body: { transactionalId?: string | null; producerId?: bigint; producerEpoch?: number } = {},
) {
  return rawRequest(b.port, 'InitProducerId', version, {
    transactionalId: body.transactionalId ?? null,
    transactionTimeoutMs: 60_000,
    ...(body.producerId !== undefined && { producerId: body.producerId }),
    ...(body.producerEpoch !== undefined && { producerEpoch: body.producerEpoch }),
  });
}

describe('InitProducerId', () => {
  it('v0-v4: a new producer id with epoch 0 each time, never reused', async () => {
    s = await startBrokerListener();
    const ids = new Set<bigint>();
    for (let version = 0; version <= 4; version++) {
      const response = await init(s, version);
      expect(response, `v${version}`).toMatchObject({ errorCode: 0, producerEpoch: 0 });
      expect(response.producerId).toBeGreaterThanOrEqual(0n);
      ids.add(response.producerId);
    }
    expect(ids.size).toBe(5);
  });

  it('v3+ (KIP-360): the current epoch is bumped, a retried bump answered alike, an old epoch fenced', async () => {
    s = await startBrokerListener();
    const first = await init(s, 4);
    const bumped = await init(s, 4, { producerId: first.producerId, producerEpoch: 0 });
    expect(bumped).toMatchObject({ errorCode: 0, producerId: first.producerId, producerEpoch: 1 });
    const retried = await init(s, 3, { producerId: first.producerId, producerEpoch: 0 });
    expect(retried).toMatchObject({ errorCode: 0, producerId: first.producerId, producerEpoch: 1 });
    const again = await init(s, 4, { producerId: first.producerId, producerEpoch: 1 });
    expect(again.producerEpoch).toBe(2);
    const fenced = await init(s, 4, { producerId: first.producerId, producerEpoch: 0 });
    expect(fenced.errorCode).toBe(KafkaError.INVALID_PRODUCER_EPOCH);
  });

  it('transactional producers and half-given ids are INVALID_REQUEST', async () => {
    s = await startBrokerListener();
    for (const transactionalId of ['tx-1', '']) {
      const refused = await init(s, 4, { transactionalId });
      expect(refused).toMatchObject({
        errorCode: KafkaError.INVALID_REQUEST,
        producerId: -1n,
        producerEpoch: -1,
      });
    }
    expect((await init(s, 1, { transactionalId: 'tx-old' })).errorCode).toBe(KafkaError.INVALID_REQUEST);
    expect((await init(s, 4, { producerId: 5n, producerEpoch: -1 })).errorCode).toBe(
      KafkaError.INVALID_REQUEST,
    );
    expect((await init(s, 4, { producerId: -1n, producerEpoch: 3 })).errorCode).toBe(
      KafkaError.INVALID_REQUEST,
    );
    expect(s.logs.some((l) => l.msg.includes('transactions are not supported'))).toBe(true);
  });
});
