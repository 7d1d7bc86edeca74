import { createInnerContext } from '../../server/api/context';
import { appRouter } from '../../server/api/routers/_app';
import { createCallerFactory } from '../../server/api/trpc';
import { Broker } from '../../server/broker/broker';
import { EmbeddedCluster } from '../../server/cluster/embedded/embedded-cluster';
import { emit, progress, stats } from './measure';
import { randomOffsets, randomRanges, type Dataset } from './console-data';
import { API_REQUESTS, API_WARMUP, PAGE_SIZE, PARTITIONS, PREVIEW_BYTES, TOPIC } from './console-params';

/** 1. The API: first pages through the tRPC caller, against broker.browse and the Kafka-client way. */

const now = () => performance.now();

async function timed<T>(samples: number[], run: () => Promise<T>): Promise<T> {
  const start = now();
  const result = await run();
  samples.push(now() - start);
  return result;
}

export async function apiFigures(dataDir: string, data: Dataset): Promise<void> {
  progress('API: reopening the broker over the data');
  const openStart = now();
  const broker = new Broker({ dataDir, requestTimeoutMs: 120_000 });
  await broker.start();
  const openMs = now() - openStart;
  const cluster = new EmbeddedCluster({ broker, clusterId: 'bench' });
  const api = createCallerFactory(appRouter)(
    createInnerContext(
      { cluster, faultInjection: false },
      { authorized: true, sameOrigin: true, origin: null },
    ),
  );
  const read = (
    seek: { kind: 'range'; from: number; to: number } | { kind: 'offset'; partition: number; offset: number },
  ) => api.messages.read({ topic: TOPIC, seek, limit: PAGE_SIZE, previewBytes: PREVIEW_BYTES });
  const browse = (
    seek: { kind: 'range'; from: number; to: number } | { kind: 'offset'; partition: number; offset: number },
  ) => broker.browse({ topic: TOPIC, seek, limit: PAGE_SIZE, maxValueBytes: PREVIEW_BYTES });
  try {
    // Untimed: JIT warm-up of every path below, on other ranges and offsets than the timed ones.
    for (const r of randomRanges(data, API_WARMUP, 99)) await read({ kind: 'range', ...r });
    for (const o of randomOffsets(data, API_WARMUP, 98)) await read({ kind: 'offset', ...o });

    const ranges = randomRanges(data, API_REQUESTS, 1);
    const rangeTimes: number[] = [];
    const rangeDirect: number[] = [];
    const rangeKafka: number[] = [];
    let rangeRecords = 0;
    let rangeScanned = 0;
    progress(`API: ${API_REQUESTS} date-range first pages`);
    for (const r of ranges) {
      const page = await timed(rangeTimes, () => read({ kind: 'range', ...r }));
      rangeRecords += page.records.length;
      rangeScanned += page.scanned;
    }
    for (const r of ranges) await timed(rangeDirect, () => browse({ kind: 'range', ...r }));
    // A Kafka client's way to the same place: ListOffsets by timestamp per partition, one Fetch.
    for (const r of ranges) {
      await timed(rangeKafka, async () => {
        const at = await Promise.all(
          Array.from({ length: PARTITIONS }, (_, p) => broker.listOffsets(TOPIC, p, { timestamp: r.from })),
        );
        await broker.fetch({
          partitions: at
            .map((o, p) => ({ topic: TOPIC, partition: p, offset: o.offset, maxBytes: 64 * 1024 }))
            .filter((p) => p.offset >= 0),
          maxWaitMs: 0,
          minBytes: 1,
          maxBytes: 16 * 1024 * 1024,
        });
      });
    }

    const offsets = randomOffsets(data, API_REQUESTS, 2);
    const offsetTimes: number[] = [];
    const offsetDirect: number[] = [];
    const offsetKafka: number[] = [];
    progress(`API: ${API_REQUESTS} offset-seek first pages`);
    for (const o of offsets) await timed(offsetTimes, () => read({ kind: 'offset', ...o }));
    for (const o of offsets) await timed(offsetDirect, () => browse({ kind: 'offset', ...o }));
    for (const o of offsets) {
      await timed(offsetKafka, () =>
        broker.fetch({
          partitions: [{ topic: TOPIC, partition: o.partition, offset: o.offset, maxBytes: 64 * 1024 }],
          maxWaitMs: 0,
          minBytes: 1,
          maxBytes: 16 * 1024 * 1024,
        }),
      );
    }

    const common = {
      via: 'tRPC createCaller(appRouter) over EmbeddedCluster, in process',
      records_in_topic: data.records,
      partitions: PARTITIONS,
      page: `${PAGE_SIZE} records, ${PREVIEW_BYTES} B previews`,
      requests: API_REQUESTS,
      page_cache: 'warm (data just written)',
    };
    const range = stats(rangeTimes);
    const rangeB = stats(rangeDirect);
    const rangeK = stats(rangeKafka);
    emit('console.api.range_first_page.p50', range.p50, 'ms', {
      ...common,
      ranges: 'random, 1 min to 6 h wide (log-uniform), inside the 24 h of data',
      mean_records_per_page: rangeRecords / ranges.length,
      mean_records_scanned: rangeScanned / ranges.length,
      broker_browse_direct_p50_ms: rangeB.p50,
      kafka_way_list_offsets_then_fetch_p50_ms: rangeK.p50,
    });
    emit('console.api.range_first_page.p95', range.p95, 'ms', {
      target_ms: 50,
      max_ms: range.max,
      broker_browse_direct_p95_ms: rangeB.p95,
      kafka_way_list_offsets_then_fetch_p95_ms: rangeK.p95,
    });
    const offset = stats(offsetTimes);
    const offsetB = stats(offsetDirect);
    const offsetK = stats(offsetKafka);
    emit('console.api.offset_first_page.p50', offset.p50, 'ms', {
      ...common,
      seeks: 'random partition, random offset',
      broker_browse_direct_p50_ms: offsetB.p50,
      kafka_way_fetch_64KiB_p50_ms: offsetK.p50,
      broker_reopen_ms: openMs,
    });
    emit('console.api.offset_first_page.p95', offset.p95, 'ms', {
      target_ms: 50,
      max_ms: offset.max,
      broker_browse_direct_p95_ms: offsetB.p95,
      kafka_way_fetch_64KiB_p95_ms: offsetK.p95,
    });
  } finally {
    cluster.close();
    await broker.stop();
  }
}
