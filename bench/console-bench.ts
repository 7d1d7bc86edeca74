import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import playwrightConfig from '../playwright.config';
import { apiFigures } from './support/console-api-timing';
import { browserReadFigures, newPage } from './support/console-browser-timing';
import { bundleFigures, ensureBuilt } from './support/console-bundle-size';
import { buildDataset } from './support/console-data';
import { liveChartFigures } from './support/console-live-charts';
import { OUT_OF_ORDER_EVERY, OUT_OF_ORDER_MS, PARTITIONS, TOTAL_RECORDS } from './support/console-params';
import { emit, progress } from './support/measure';
import { startSluiceChild, type SluiceChild } from './support/sluice-child';

/**
 * The operations console's figures (measured, never asserted):
 *
 * 1. The API over a topic of 12 partitions holding 10,000,000 records whose CreateTime spans a
 *    day (a few records in each batch out of order): the first page (200 records, 512 B
 *    previews: what the Messages page asks) of a date-range read over random ranges and of an
 *    offset seek at random partitions and offsets, through the tRPC router's in-process caller
 *    (`createCaller` over an EmbeddedCluster: zod, middlewares, cluster, broker browse), against
 *    `broker.browse` called directly and the Kafka-client way to the same place (ListOffsets by
 *    timestamp, then one Fetch).
 * 2. The browser: Sluice run as an operator runs it (`tsx server/main.ts` over the same data dir)
 *    and its Messages page in Chromium: from the click on "Read" to the new rows in the DOM and
 *    the next frame, by performance marks in the page; the request's own time from Resource
 *    Timing.
 * 3. Live charts: the Overview page for 60 s with the workload producer at 2,000 records/s: long
 *    tasks (PerformanceObserver 'longtask') and the points drawn per chart series (the recharts
 *    path's commands).
 * 4. The production bundle: gzip sizes of the entry chunk and of every file the first page loads
 *    (as requested by the browser), from dist/web.
 *
 * One JSON line per figure on stdout; progress on stderr. BENCH_QUICK=1 shrinks the volumes.
 * The data is built in a temporary directory by producing prepared batches through the Broker
 * API: one encoded batch per partition, copied per append with its timestamps shifted (header
 * fields and CRC rewritten); the log assigns the offsets.
 */

const [load1, load5] = os.loadavg();
emit('console.bench.machine_load', load1 ?? NaN, 'load1', { load5: load5 ?? NaN, cpus: os.cpus().length });
const only = process.env.BENCH_ONLY; // api | browser, for a partial run
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-console-bench-'));
let built = { stale: false };
let server: SluiceChild | undefined;
let browser: Browser | undefined;
const cleanUp = async () => {
  await browser?.close().catch(() => undefined);
  browser = undefined;
  await server?.stop().catch((error: unknown) => progress(`server stop: ${String(error)}`));
  server = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}
try {
  built = ensureBuilt();
  progress(`building ${TOTAL_RECORDS} records in ${PARTITIONS} partitions under ${dataDir}`);
  const data = await buildDataset(dataDir);
  progress(`built in ${data.buildSeconds.toFixed(1)} s (${(data.bytes / 1e6).toFixed(0)} MB)`);
  emit('console.data.build', data.records / data.buildSeconds, 'records/s', {
    records: data.records,
    partitions: PARTITIONS,
    MB: data.bytes / 1e6,
    seconds: data.buildSeconds,
    how: 'one encoded 1,000-record batch per partition, timestamps shifted per append, Broker.produce acks=1',
    create_time_span_h: (data.lastTs - data.firstTs) / 3_600_000,
    out_of_order: `1 in ${OUT_OF_ORDER_EVERY} records, ${OUT_OF_ORDER_MS / 1000} s early`,
  });
  if (only === undefined || only === 'api') await apiFigures(dataDir, data);
  if (only === undefined || only === 'browser') {
    progress('starting Sluice (tsx server/main.ts) over the data');
    const startedAt = Date.now();
    server = await startSluiceChild(dataDir);
    progress(`Sluice up in ${Date.now() - startedAt} ms at ${server.httpUrl}`);
    browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
    const page = await newPage(browser);
    await browserReadFigures(page, server.httpUrl, data);
    await page.close();
    await liveChartFigures(browser, server.httpUrl, startedAt, (requested) =>
      bundleFigures(requested, built),
    );
  }
} finally {
  await cleanUp();
}
