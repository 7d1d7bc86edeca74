import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { decodeBatches } from '../../server/broker/log/record-batch';
import { RawKafkaClient } from '../../server/kafka/testing/raw-kafka-client';
import { rawRequest } from '../../server/kafka/testing/raw-request';

/**
 * End-to-end latency over the Kafka door: a kafkajs producer sends one record per send at a fixed
 * rate (acks=1) and a consumer in the same process notes when each arrives (one clock), after 3 s
 * of the same traffic untimed (JIT warm-up on both sides). The
 * consumer is a kafkajs group consumer when the broker serves the group APIs, otherwise a raw
 * Fetch long poll without a group; the result says which.
 */
export interface LatencyResult {
  /** Milliseconds from the producer's send() to the consumer seeing the record, one per record. */
  readonly latenciesMs: number[];
  readonly sent: number;
  readonly consumer: string;
}

const GROUP_APIS = [10, 11, 12, 14, 8, 9]; // FindCoordinator, JoinGroup, Heartbeat, SyncGroup, OffsetCommit, OffsetFetch

/** Whether the broker advertises every API a kafkajs group consumer needs. */
export async function servesGroups(port: number): Promise<boolean> {
  const versions = await rawRequest(port, 'ApiVersions', 3, {
    clientSoftwareName: 'sluice-bench',
    clientSoftwareVersion: '1',
  });
  return GROUP_APIS.every((key) => versions.apiKeys.some((k) => k.apiKey === key));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WARM_UP_SECONDS = 3;

export async function measureLatency(options: {
  bootstrap: string;
  port: number;
  topic: string;
  ratePerSecond: number;
  seconds: number;
  useGroups: boolean;
}): Promise<LatencyResult> {
  const { bootstrap, port, topic, ratePerSecond, seconds, useGroups } = options;
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'bench-latency', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();

  const sentAt: number[] = [];
  const latenciesMs: number[] = [];
  let warmedUp = false;
  const onValue = (value: string | undefined) => {
    if (value === 'warm-up') warmedUp = true;
    const i = Number(value);
    const at = sentAt[i];
    if (value !== undefined && value !== 'warm-up' && at !== undefined)
      latenciesMs.push(performance.now() - at);
  };

  let stopConsumer: () => Promise<void>;
  let consumerName: string;
  if (useGroups) {
    consumerName = 'kafkajs group consumer (eachMessage)';
    const consumer: Consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => onValue(message.value?.toString()) });
    stopConsumer = () => consumer.disconnect();
  } else {
    consumerName = 'raw Fetch v11 long poll (maxWaitMs 500), no group: the broker serves no group APIs';
    const client = await RawKafkaClient.connect(port);
    let running = true;
    let offset = 0n;
    const loop = (async () => {
      while (running) {
        const response = await rawRequest(
          port,
          'Fetch',
          11,
          {
            replicaId: -1,
            maxWaitMs: 500,
            minBytes: 1,
            maxBytes: 1 << 20,
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
                    fetchOffset: offset,
                    lastFetchedEpoch: -1,
                    logStartOffset: -1n,
                    partitionMaxBytes: 1 << 20,
                  },
                ],
              },
            ],
            forgottenTopicsData: [],
            rackId: '',
          },
          client,
        );
        const records = response.responses[0]?.partitions[0]?.records ?? Buffer.alloc(0);
        for (const batch of decodeBatches(records)) {
          for (const r of batch.records) {
            if (BigInt(r.offset) < offset) continue;
            onValue(r.value?.toString());
            offset = BigInt(r.offset) + 1n;
          }
        }
      }
    })();
    stopConsumer = async () => {
      running = false;
      await loop;
      client.close();
    };
  }

  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const errors: unknown[] = [];
  /** Sends `total` records at the rate as they fall due, one send (one Produce request) each. */
  const sendAtRate = async (total: number, timed: boolean) => {
    const start = performance.now();
    for (let i = 0; i < total;) {
      const wait = start + (i * 1000) / ratePerSecond - performance.now();
      if (wait > 0) await sleep(wait);
      for (const now = performance.now(); i < total && start + (i * 1000) / ratePerSecond <= now; i++) {
        if (timed) sentAt[i] = performance.now();
        producer
          .send({ topic, acks: 1, messages: [{ value: timed ? String(i) : 'warm-up' }] })
          .catch((e: unknown) => errors.push(e));
      }
    }
  };
  try {
    // Until the consumer reads what is produced (group joined, position set), nothing is timed;
    // then WARM_UP_SECONDS of the same traffic, untimed, so that both sides' hot paths are compiled.
    for (let tries = 0; !warmedUp; tries++) {
      if (tries > 600) throw new Error('the latency consumer never received a record');
      await producer.send({ topic, acks: 1, messages: [{ value: 'warm-up' }] });
      await sleep(100);
    }
    await sendAtRate(ratePerSecond * WARM_UP_SECONDS, false);
    await sleep(200);
    const total = ratePerSecond * seconds;
    await sendAtRate(total, true);
    const deadline = Date.now() + 10_000;
    while (latenciesMs.length < total && Date.now() < deadline) await sleep(10);
    if (errors.length > 0) throw new Error(`${errors.length} sends failed: ${String(errors[0])}`);
    return { latenciesMs, sent: total, consumer: consumerName };
  } finally {
    await producer.disconnect();
    await stopConsumer();
  }
}
