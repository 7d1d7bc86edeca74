import { Broker } from '../../server/broker/broker';
import { BATCH, computeBatchCrc } from '../../server/broker/log/batch-header';
import { encodeRecordBatch } from '../../server/broker/log/record-batch';
import { progress } from './measure';
import {
  BATCHES_PER_PARTITION,
  OUT_OF_ORDER_EVERY,
  OUT_OF_ORDER_MS,
  PAGE_SIZE,
  PARTITIONS,
  RECORDS_PER_BATCH,
  SPAN_MS,
  TOPIC,
} from './console-params';

/**
 * The console bench's topic: prepared batches produced through the Broker API (one encoded batch
 * per partition, copied per append with its timestamps shifted), and seeded random places in it.
 */

const now = () => performance.now();

/** A seeded PRNG (mulberry32), so that runs pick the same ranges and offsets. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Dataset {
  /** CreateTime of the first and last record (out-of-order ones aside). */
  firstTs: number;
  lastTs: number;
  endOffsets: number[];
  records: number;
  bytes: number;
  buildSeconds: number;
}

/** Per-record step so that one partition's batches span SPAN_MS. */
const STEP_MS = Math.floor(SPAN_MS / (BATCHES_PER_PARTITION * RECORDS_PER_BATCH));

function templateBatch(partition: number, base: number): Buffer {
  const regions = ['eu-west', 'us-east', 'ap-south', 'sa-east'];
  return encodeRecordBatch(
    Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({
      key: Buffer.from(`order-${partition}-${i}`),
      value: Buffer.from(
        JSON.stringify({ order: i, total: (i * 37) % 1000, region: regions[i % regions.length] }),
      ),
      headers: i % 10 === 0 ? [{ key: 'trace', value: Buffer.from(`t-${i}`) }] : [],
      timestamp: base + i * STEP_MS - (i % OUT_OF_ORDER_EVERY === 0 && i > 0 ? OUT_OF_ORDER_MS : 0),
    })),
    { baseTimestamp: base },
  );
}

/** The template with its timestamps moved by `shift` ms: base and max timestamps, then the CRC. */
function shifted(template: Buffer, shift: number): Buffer {
  const batch = Buffer.from(template);
  batch.writeBigInt64BE(template.readBigInt64BE(BATCH.BASE_TIMESTAMP) + BigInt(shift), BATCH.BASE_TIMESTAMP);
  batch.writeBigInt64BE(template.readBigInt64BE(BATCH.MAX_TIMESTAMP) + BigInt(shift), BATCH.MAX_TIMESTAMP);
  batch.writeUInt32BE(computeBatchCrc(batch), BATCH.CRC);
  return batch;
}

export async function buildDataset(dataDir: string): Promise<Dataset> {
  const broker = new Broker({ dataDir, requestTimeoutMs: 120_000 });
  await broker.start();
  const start = now();
  try {
    await broker.createTopic(TOPIC, { partitions: PARTITIONS });
    const firstTs = Date.now() - SPAN_MS - 3_600_000;
    const batchSpan = RECORDS_PER_BATCH * STEP_MS;
    let bytes = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: PARTITIONS }, async (_, p) => {
        // Partitions are staggered by a few seconds so that a merged page interleaves them.
        const template = templateBatch(p, firstTs + p * 7_000);
        for (let b = 0; b < BATCHES_PER_PARTITION; b++) {
          await broker.produce(TOPIC, p, shifted(template, b * batchSpan), { acks: 1 });
          bytes += template.length;
          if (++done % 2_000 === 0) progress(`${done * RECORDS_PER_BATCH} records`);
        }
      }),
    );
    const endOffsets = await Promise.all(
      Array.from(
        { length: PARTITIONS },
        async (_, p) => (await broker.listOffsets(TOPIC, p, 'latest')).offset,
      ),
    );
    return {
      firstTs,
      lastTs: firstTs + BATCHES_PER_PARTITION * batchSpan + PARTITIONS * 7_000,
      endOffsets,
      records: endOffsets.reduce((a, b) => a + b, 0),
      bytes,
      buildSeconds: (now() - start) / 1000,
    };
  } finally {
    await broker.stop();
  }
}

export interface RangeSeek {
  from: number;
  to: number;
}

/** Random ranges inside the data: a start anywhere, a width from one minute to six hours (log-uniform). */
export function randomRanges(data: Dataset, count: number, seed: number): RangeSeek[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const width = Math.round(60_000 * Math.pow(360, rnd()));
    const from = Math.round(data.firstTs + rnd() * (data.lastTs - data.firstTs - width));
    return { from, to: from + width };
  });
}

export function randomOffsets(
  data: Dataset,
  count: number,
  seed: number,
): { partition: number; offset: number }[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const partition = Math.floor(rnd() * PARTITIONS);
    return { partition, offset: Math.floor(rnd() * ((data.endOffsets[partition] as number) - PAGE_SIZE)) };
  });
}
