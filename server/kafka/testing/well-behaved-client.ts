/**
 * Test support: a client that keeps producing (kafkajs, acks=all, no retries) and consuming (raw
 * Fetch long polls on a connection of its own, no group) one single-partition topic while
 * something else goes on, and checks that it reads back exactly what it wrote, in order. Any
 * error stops it and is reported by `stop`, which waits (bounded) for the consumer to catch up.
 */
import { Kafka, logLevel } from 'kafkajs';
import { decodeBatches } from '../../broker/log/record-batch';
import { RawKafkaClient } from './raw-kafka-client';
import { rawRequest } from './raw-request';

export interface WellBehavedResult {
  readonly produced: number;
  readonly consumed: number;
  readonly errors: readonly string[];
}

export interface WellBehavedClient {
  stop(catchUpMs?: number): Promise<WellBehavedResult>;
}

const MiB = 1024 * 1024;

export async function startWellBehavedClient(
  bootstrap: string,
  port: number,
  topic: string,
): Promise<WellBehavedClient> {
  const errors: string[] = [];
  let running = true;
  let produced = 0;
  let consumed = 0;
  let catchUpDeadline = Infinity;
  const kafka = new Kafka({
    brokers: [bootstrap],
    clientId: 'well-behaved',
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const consumer = await RawKafkaClient.connect(port);

  const producing = (async () => {
    while (running) {
      const messages = Array.from({ length: 10 }, (_, i) => ({ value: `good-${produced + i}` }));
      try {
        await producer.send({ topic, messages, acks: -1 });
        produced += messages.length;
        await new Promise((r) => setTimeout(r, 2));
      } catch (error) {
        errors.push(`producer: ${String(error)}`);
        return;
      }
    }
  })();

  const consuming = (async () => {
    while (running || consumed < produced) {
      if (Date.now() > catchUpDeadline) {
        errors.push(`consumer: read ${consumed} of ${produced} records`);
        return;
      }
      try {
        const response = await rawRequest(
          port,
          'Fetch',
          11,
          {
            replicaId: -1,
            maxWaitMs: 100,
            minBytes: 1,
            maxBytes: MiB,
            isolationLevel: 0,
            sessionId: 0,
            sessionEpoch: -1,
            topics: [
              {
                topic,
                partitions: [
                  {
                    partition: 0,
                    currentLeaderEpoch: -1,
                    fetchOffset: BigInt(consumed),
                    lastFetchedEpoch: -1,
                    logStartOffset: -1n,
                    partitionMaxBytes: MiB,
                  },
                ],
              },
            ],
            forgottenTopicsData: [],
            rackId: '',
          },
          consumer,
        );
        const p = response.responses[0]?.partitions[0];
        if (p === undefined || p.errorCode !== 0) {
          errors.push(`consumer: fetch error ${p?.errorCode ?? 'missing partition'}`);
          return;
        }
        for (const batch of decodeBatches(p.records ?? Buffer.alloc(0))) {
          for (const r of batch.records) {
            if (r.offset < consumed) continue;
            const value = r.value?.toString();
            if (r.offset !== consumed || value !== `good-${consumed}`) {
              errors.push(`consumer: offset ${r.offset} holds ${value}, expected good-${consumed}`);
              return;
            }
            consumed++;
          }
        }
      } catch (error) {
        errors.push(`consumer: ${String(error)}`);
        return;
      }
    }
  })();

  return {
    async stop(catchUpMs = 20_000) {
      running = false;
      await producing;
      catchUpDeadline = Date.now() + catchUpMs;
      await consuming;
      await producer.disconnect();
      consumer.close();
      return { produced, consumed, errors };
    },
  };
}
