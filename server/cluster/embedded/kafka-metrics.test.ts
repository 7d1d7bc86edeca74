/**
 * The Kafka door's metrics through the console's API: a real Broker behind the real Kafka
 * listener on port 0, wired to the broker's MetricsRegistry as server/app.ts wires it, and a
 * kafkajs client that connects and produces. After a sample tick, the history and the live
 * stream report the connection and the request rates by API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { pino } from 'pino';
import { takeTracked } from '../../api/test-support/caller';
import { startKafkaListener, type KafkaListener } from '../../kafka/kafka-listener';
import type { MetricsTick } from '../types';
import { startEmbeddedApi, type EmbeddedApi } from './test-harness';

let test: EmbeddedApi | undefined;
let listener: KafkaListener | undefined;
let producer: Producer | undefined;
afterEach(async () => {
  await producer?.disconnect();
  await listener?.stop();
  await test?.stop();
  producer = undefined;
  listener = undefined;
  test = undefined;
});

/** The embedded API with the Kafka listener feeding the broker's metrics; samples taken by hand. */
async function start() {
  test = await startEmbeddedApi({ broker: { metricsIntervalMs: 3_600_000 } });
  listener = await startKafkaListener({
    host: '127.0.0.1',
    port: 0,
    broker: test.broker,
    clusterId: 'sluice-test',
    logger: pino({ level: 'silent' }),
    metrics: test.broker.metrics,
    shutdownTimeoutMs: 2_000,
  });
  return { ...test, listener };
}

async function connectAndProduce(port: number, topic: string, count: number): Promise<void> {
  const kafka = new Kafka({
    clientId: 'metrics-test',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
  });
  producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < count; i++) await producer.send({ topic, messages: [{ value: `v${i}` }] });
}

describe('EmbeddedCluster: the Kafka door in the console metrics', () => {
  it('reports connected clients and Produce/Metadata request rates after a sample tick', async () => {
    const { api, broker, listener: door } = await start();
    await api.topics.create({ name: 'orders', partitions: 1, configs: {} });
    const t = Math.ceil(Date.now() / 1000) * 1000 + 10_000;
    broker.metrics.sample(t);

    await connectAndProduce(door.port, 'orders', 4);
    expect(door.stats().connections).toBeGreaterThanOrEqual(1);
    broker.metrics.sample(t + 1000);

    // The live stream, resumed after the first tick: the tick of t + 1000 is the next.
    const [item] = await takeTracked<MetricsTick>(await api.metrics.live({ lastEventId: String(t) }), 1);
    const tick = item?.data;
    expect(tick?.t).toBe(t + 1000);
    expect(tick?.kafka.connections).toBeGreaterThanOrEqual(1);
    const liveRate = (name: string) => tick?.kafka.byApi.find((r) => r.api === name)?.perSec ?? 0;
    expect(liveRate('Produce')).toBe(4);
    expect(liveRate('Metadata')).toBeGreaterThan(0);
    expect(tick?.kafka.requestsPerSec).toBeGreaterThanOrEqual(liveRate('Produce') + liveRate('Metadata'));
    // Busiest first.
    const rates = tick?.kafka.byApi.map((r) => r.perSec) ?? [];
    expect(rates).toEqual([...rates].sort((a, b) => b - a));

    const history = await api.metrics.history({
      scope: { kind: 'kafka' },
      from: t,
      to: t + 1000,
      stepMs: 1000,
    });
    expect(history.throughput).toEqual([]);
    expect(history.lag).toEqual([]);
    const last = history.kafka.at(-1);
    expect(last?.t).toBe(t + 1000);
    expect(last?.connections).toBeGreaterThanOrEqual(1);
    const rate = (name: string) => last?.byApi.find((r) => r.api === name)?.perSec ?? 0;
    expect(rate('Produce')).toBe(4);
    expect(rate('Metadata')).toBeGreaterThan(0);
    expect(last?.requestsPerSec).toBeGreaterThan(0);

    // Other scopes carry no Kafka points; the client gone, the gauge goes back to 0.
    const brokerWide = await api.metrics.history({
      scope: { kind: 'broker' },
      from: t,
      to: t + 1000,
      stepMs: 1000,
    });
    expect(brokerWide.kafka).toEqual([]);
    await producer?.disconnect();
    producer = undefined;
    await expect.poll(() => door.stats().connections).toBe(0);
    broker.metrics.sample(t + 2000);
    const quiet = await api.metrics.history({
      scope: { kind: 'kafka' },
      from: t + 2000,
      to: t + 2000,
      stepMs: 1000,
    });
    expect(quiet.kafka).toEqual([{ t: t + 2000, connections: 0, requestsPerSec: 0, byApi: [] }]);
  });

  it('refuses an unknown scope kind', async () => {
    const { api } = await start();
    await expect(
      api.metrics.history({
        scope: { kind: 'kafkas' } as unknown as { kind: 'kafka' },
        from: 0,
        to: 1000,
        stepMs: 1000,
      }),
    ).rejects.toThrow(/kind/);
  });
});
