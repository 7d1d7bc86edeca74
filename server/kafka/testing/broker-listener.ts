/**
 * Test support: a real Broker in a temporary data dir behind the real Kafka listener on
 * 127.0.0.1:0, for handler tests with real clients. `stop` always stops both and removes the dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Broker } from '../../broker/broker';
import type { BrokerOptions } from '../../broker/broker-options';
import type { KafkaBrokerServices } from '../handler';
import { startKafkaListener, type KafkaListener } from '../kafka-listener';
import type { LogLine } from './test-listener';

export interface BrokerListener {
  readonly broker: Broker;
  readonly listener: KafkaListener;
  readonly port: number;
  /** `127.0.0.1:<port>`, for bootstrap servers. */
  readonly bootstrap: string;
  readonly logs: LogLine[];
  /** Log lines at error (50) or above. */
  errors(): LogLine[];
  stop(): Promise<void>;
}

export interface BrokerListenerOptions {
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  broker?: Partial<BrokerOptions>;
  /** What the listener is given instead of the Broker itself (a wrapper that observes calls). */
  wrap?: (broker: Broker) => KafkaBrokerServices;
}

export async function startBrokerListener(options: BrokerListenerOptions = {}): Promise<BrokerListener> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-kafka-'));
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );
  const broker = new Broker({ dataDir, requestTimeoutMs: 10_000, ...options.broker });
  let listener: KafkaListener | undefined;
  try {
    await broker.start();
    listener = await startKafkaListener({
      host: '127.0.0.1',
      port: 0,
      broker: options.wrap?.(broker) ?? broker,
      clusterId: 'sluice-test',
      autoCreateTopics: options.autoCreateTopics ?? false,
      defaultPartitions: options.defaultPartitions ?? 1,
      logger,
      shutdownTimeoutMs: 2_000,
    });
  } catch (error) {
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const started = listener;
  let stopped: Promise<void> | undefined;
  return {
    broker,
    listener: started,
    port: started.port,
    bootstrap: `127.0.0.1:${started.port}`,
    logs,
    errors: () => logs.filter((l) => l.level >= 50),
    stop() {
      stopped ??= (async () => {
        try {
          await started.stop();
        } finally {
          await broker.stop();
          rmSync(dataDir, { recursive: true, force: true });
        }
      })();
      return stopped;
    },
  };
}
