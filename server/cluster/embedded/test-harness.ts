import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInnerContext, type RequestFacts } from '../../api/context';
import { appRouter } from '../../api/routers/_app';
import { createCallerFactory } from '../../api/trpc';
import { Broker, type BrokerOptions } from '../../broker/broker';
import { EmbeddedCluster } from './embedded-cluster';

const createCaller = createCallerFactory(appRouter);

export interface EmbeddedApi {
  api: ReturnType<typeof createCaller>;
  cluster: EmbeddedCluster;
  broker: Broker;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The console's routers, called as a same-origin browser would, over a real EmbeddedCluster on a
 * real Broker in a temporary directory. `faultInjection` sets both the API's flag and the broker's
 * unless `brokerFaultInjection` says otherwise. Tests call stop().
 */
export async function startEmbeddedApi(
  options: {
    faultInjection?: boolean;
    brokerFaultInjection?: boolean;
    broker?: Partial<BrokerOptions>;
    /** How the caller looks to the API (token, origin): an authorised same-origin browser by default. */
    request?: Partial<RequestFacts>;
  } = {},
): Promise<EmbeddedApi> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-embedded-'));
  const faultInjection = options.faultInjection ?? true;
  const broker = new Broker({
    dataDir,
    faultInjection: options.brokerFaultInjection ?? faultInjection,
    partitionSupervision: { backoff: null },
    requestTimeoutMs: 10_000,
    // Groups settle in a fraction of a second rather than Kafka's 3 s initial delay.
    groups: { coordinator: { initialRebalanceDelayMs: 200, minSessionTimeoutMs: 100 } },
    ...options.broker,
  });
  await broker.start();
  await broker.groups.whenLoaded();
  const cluster = new EmbeddedCluster({
    broker,
    workload: {
      consumer: {
        sessionTimeoutMs: 1_500,
        rebalanceTimeoutMs: 5_000,
        heartbeatIntervalMs: 100,
        autoCommitIntervalMs: 100,
        maxWaitMs: 100,
        retryBackoffMs: 20,
      },
    },
  });
  const ctx = createInnerContext(
    { cluster, faultInjection },
    { authorized: true, sameOrigin: true, origin: null, ...options.request },
  );
  return {
    api: createCaller(ctx),
    cluster,
    broker,
    dataDir,
    async stop() {
      cluster.close();
      await broker.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
