import { afterEach, describe, expect, it } from 'vitest';
import { KafkaError } from '../error-codes';
import { startBrokerListener, type BrokerListener } from '../testing/broker-listener';
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

describe('FindCoordinator', () => {
  it('v0-v3: every group is coordinated by node 0 at the advertised host and port', async () => {
    s = await startBrokerListener();
    for (let version = 0; version <= 3; version++) {
      const response = await rawRequest(s.port, 'FindCoordinator', version, { key: 'g', keyType: 0 });
      expect(response, `v${version}`).toMatchObject({
        errorCode: 0,
        nodeId: 0,
        host: '127.0.0.1',
        port: s.port,
        ...(version >= 1 && { errorMessage: null }),
      });
    }
  });

  it('v4 answers each key of a batch, in order', async () => {
    s = await startBrokerListener();
    const response = await rawRequest(s.port, 'FindCoordinator', 4, {
      keyType: 0,
      coordinatorKeys: ['a', 'b', ''],
    });
    expect(response.coordinators).toEqual(
      ['a', 'b', ''].map((key) => ({
        key,
        nodeId: 0,
        host: '127.0.0.1',
        port: s?.port,
        errorCode: 0,
        errorMessage: null,
      })),
    );
  });

  it('transaction coordinators (key type 1) and unknown key types are INVALID_REQUEST, with the reason', async () => {
    s = await startBrokerListener();
    const v3 = await rawRequest(s.port, 'FindCoordinator', 3, { key: 'tx', keyType: 1 });
    expect(v3).toMatchObject({ errorCode: KafkaError.INVALID_REQUEST, nodeId: -1, host: '', port: -1 });
    expect(v3.errorMessage).toMatch(/Transactions are not supported/);
    const v4 = await rawRequest(s.port, 'FindCoordinator', 4, { keyType: 1, coordinatorKeys: ['tx'] });
    expect(v4.coordinators[0]).toMatchObject({
      key: 'tx',
      errorCode: KafkaError.INVALID_REQUEST,
      nodeId: -1,
    });
    const other = await rawRequest(s.port, 'FindCoordinator', 2, { key: 'x', keyType: 7 });
    expect(other).toMatchObject({
      errorCode: KafkaError.INVALID_REQUEST,
      errorMessage: 'Unknown coordinator key type 7',
    });
  });

  it('without a running core: COORDINATOR_NOT_AVAILABLE, which clients retry', async () => {
    t = await startTestListener();
    const v1 = await rawRequest(t.port, 'FindCoordinator', 1, { key: 'g', keyType: 0 });
    expect(v1).toMatchObject({ errorCode: KafkaError.COORDINATOR_NOT_AVAILABLE, nodeId: -1 });
    const v4 = await rawRequest(t.port, 'FindCoordinator', 4, { keyType: 0, coordinatorKeys: ['g'] });
    expect(v4.coordinators[0]?.errorCode).toBe(KafkaError.COORDINATOR_NOT_AVAILABLE);
  });

  it('while the broker stops: COORDINATOR_NOT_AVAILABLE', async () => {
    s = await startBrokerListener();
    await s.broker.stop();
    const response = await rawRequest(s.port, 'FindCoordinator', 0, { key: 'g' });
    expect(response.errorCode).toBe(KafkaError.COORDINATOR_NOT_AVAILABLE);
  });
});
