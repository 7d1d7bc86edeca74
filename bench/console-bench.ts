import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import playwrightConfig from '../playwright.config';
import { createInnerContext } from '../server/api/context';
import { appRouter } from '../server/api/routers/_app';
import { createCallerFactory } from '../server/api/trpc';
import { Broker } from '../server/broker/broker';
import { BATCH, computeBatchCrc } from '../server/broker/log/batch-header';
import { encodeRecordBatch } from '../server/broker/log/record-batch';
import { EmbeddedCluster } from '../server/cluster/embedded/embedded-cluster';
import { emit, percentile, progress } from './support/measure';
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
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const QUICK = process.env.BENCH_QUICK === '1';
const TOPIC = 'console-bench';
const LIVE_TOPIC = 'console-bench-live';
const PARTITIONS = 12;
const RECORDS_PER_BATCH = 1_000;
const TOTAL_RECORDS = QUICK ? 1_200_000 : 10_000_000;
const BATCHES_PER_PARTITION = Math.ceil(TOTAL_RECORDS / RECORDS_PER_BATCH / PARTITIONS);
/** The records' CreateTime spans this much, ending an hour ago. */
const SPAN_MS = 24 * 3_600_000;
/** Every OUT_OF_ORDER_EVERY-th record of a batch is stamped this much earlier than its place. */
const OUT_OF_ORDER_EVERY = 97;
const OUT_OF_ORDER_MS = 45_000;
/** What the Messages page asks for (web/src/features/messages/messages-tab.tsx). */
const PAGE_SIZE = 200;
const PREVIEW_BYTES = 512;
const API_REQUESTS = QUICK ? 40 : 200;
const API_WARMUP = 20;
const BROWSER_READS = QUICK ? 5 : 20;
const LIVE_SECONDS = QUICK ? 15 : 60;
const LIVE_RATE = 2_000;
const LIVE_RECORD_BYTES = 200;

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

function stats(samples: number[]): { p50: number; p95: number; max: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

// ---- the data ---------------------------------------------------------------------------------

interface Dataset {
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

async function buildDataset(dataDir: string): Promise<Dataset> {
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

// ---- 1. the API -------------------------------------------------------------------------------

interface RangeSeek {
  from: number;
  to: number;
}

/** Random ranges inside the data: a start anywhere, a width from one minute to six hours (log-uniform). */
function randomRanges(data: Dataset, count: number, seed: number): RangeSeek[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const width = Math.round(60_000 * Math.pow(360, rnd()));
    const from = Math.round(data.firstTs + rnd() * (data.lastTs - data.firstTs - width));
    return { from, to: from + width };
  });
}

function randomOffsets(data: Dataset, count: number, seed: number): { partition: number; offset: number }[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const partition = Math.floor(rnd() * PARTITIONS);
    return { partition, offset: Math.floor(rnd() * ((data.endOffsets[partition] as number) - PAGE_SIZE)) };
  });
}

async function timed<T>(samples: number[], run: () => Promise<T>): Promise<T> {
  const start = now();
  const result = await run();
  samples.push(now() - start);
  return result;
}

async function apiFigures(dataDir: string, data: Dataset): Promise<void> {
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

// ---- 2. the browser: reads --------------------------------------------------------------------

/**
 * A page whose evaluated functions may hold named inner functions: tsx compiles this file with
 * esbuild's keepNames, which wraps them in a `__name` helper that exists only in Node.
 */
async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return page;
}

/** 'YYYY-MM-DD HH:mm:ss' in UTC, as an operator types it with the UTC toggle on. */
function utcText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

interface ReadTiming {
  /** Click to the new rows in the DOM. */
  dom: number;
  /** Click to the frame after (rows painted). */
  frame: number;
  /** The messages.read request itself (Resource Timing), or NaN. */
  request: number;
}

/**
 * Clicks "Read" in the page and resolves once the records table's first row has changed and the
 * page no longer says "loading", then once more at the next frame. All marks are taken in the
 * page (performance.mark / measure), so Playwright's round trips are not counted.
 */
function clickReadAndWait(page: Page, label: string): Promise<ReadTiming> {
  return page.evaluate(async (label) => {
    const firstRow = () =>
      document.querySelector('table[aria-label="Records"] tbody tr[data-row="0"]')?.textContent ?? null;
    const loading = () =>
      Array.from(document.querySelectorAll('[aria-live="polite"]')).some((e) =>
        (e.textContent ?? '').includes('loading'),
      );
    const button = Array.from(document.querySelectorAll('button[type="submit"]')).find(
      (b) => b.textContent?.trim() === 'Read',
    ) as HTMLButtonElement | undefined;
    if (!button) throw new Error('no Read button');
    const before = firstRow();
    performance.clearResourceTimings();
    return await new Promise<ReadTiming>((resolve, reject) => {
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`${label}: the rows did not change within 20 s`));
      }, 20_000);
      const observer = new MutationObserver(() => {
        const row = firstRow();
        if (row === null || row === before || loading()) return;
        observer.disconnect();
        clearTimeout(timer);
        performance.mark(`${label}:dom`);
        const dom = performance.measure(`${label}:to-dom`, `${label}:click`, `${label}:dom`).duration;
        // The frame that paints the rows: the next animation frame, then past its rendering.
        requestAnimationFrame(() =>
          setTimeout(() => {
            performance.mark(`${label}:frame`);
            const frame = performance.measure(
              `${label}:to-frame`,
              `${label}:click`,
              `${label}:frame`,
            ).duration;
            const entry = performance
              .getEntriesByType('resource')
              .find((e) => e.name.includes('messages.read')) as PerformanceResourceTiming | undefined;
            resolve({ dom, frame, request: entry ? entry.responseEnd - entry.startTime : NaN });
          }, 0),
        );
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      performance.mark(`${label}:click`);
      button.click();
    });
  }, label);
}

async function browserReadFigures(page: Page, url: string, data: Dataset): Promise<void> {
  const rangeSeeks = randomRanges(data, BROWSER_READS + 1, 3);
  const first = rangeSeeks[0] as RangeSeek;
  const query = `tz=utc&mode=range&from=${encodeURIComponent(utcText(first.from))}&to=${encodeURIComponent(utcText(first.to))}`;
  progress('browser: opening the Messages page');
  await page.goto(`${url}/topics/${TOPIC}?${query}`);
  const rows = page.getByRole('table', { name: 'Records' }).locator('tbody tr[data-row]');
  await rows.first().waitFor({ timeout: 60_000 });

  // Untimed: one read of each kind first, so that the page's code is loaded and warm.
  const ranges: ReadTiming[] = [];
  progress(`browser: ${BROWSER_READS} date-range reads`);
  for (const [i, r] of rangeSeeks.slice(1).entries()) {
    await page.getByLabel('From', { exact: true }).fill(utcText(r.from));
    await page.getByLabel('To', { exact: true }).fill(utcText(r.to));
    const timing = await clickReadAndWait(page, `range-${i}`);
    if (i > 0) ranges.push(timing);
  }

  await page.getByRole('radiogroup', { name: 'Read from' }).getByText('Offset', { exact: true }).click();
  const offsets: ReadTiming[] = [];
  progress(`browser: ${BROWSER_READS} offset seeks`);
  for (const [i, o] of randomOffsets(data, BROWSER_READS + 1, 4).entries()) {
    await page.getByRole('combobox', { name: 'Partition' }).click();
    await page.getByRole('option', { name: `Partition ${o.partition}`, exact: true }).click();
    await page.getByRole('textbox', { name: 'Offset', exact: true }).fill(String(o.offset));
    const timing = await clickReadAndWait(page, `offset-${i}`);
    if (i > 0) offsets.push(timing);
  }

  for (const [kind, timings] of [
    ['range_read', ranges],
    ['offset_read', offsets],
  ] as const) {
    const frame = stats(timings.map((t) => t.frame));
    const dom = stats(timings.map((t) => t.dom));
    const request = stats(timings.map((t) => t.request).filter(Number.isFinite));
    emit(`console.browser.${kind}.p50`, frame.p50, 'ms', {
      what: 'click on Read -> new rows in the DOM -> next frame (performance marks in the page)',
      reads: timings.length,
      first_read_untimed: 1,
      to_rows_in_dom_p50_ms: dom.p50,
      request_p50_ms: request.p50,
      page_size: PAGE_SIZE,
      browser: 'Debian chromium, headless, same 2 cores as the server',
    });
    emit(`console.browser.${kind}.p95`, frame.p95, 'ms', {
      target_ms: 300,
      max_ms: frame.max,
      to_rows_in_dom_p95_ms: dom.p95,
      request_p95_ms: request.p95,
    });
  }
}

// ---- 3. the browser: live charts --------------------------------------------------------------

async function trpcMutation<T>(url: string, procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`${url}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!response.ok || body.result === undefined) {
    throw new Error(`${procedure} failed (${response.status}): ${JSON.stringify(body.error)}`);
  }
  return body.result.data;
}

/** Per chart series: the points its recharts path draws (M and L commands). */
function seriesPoints(page: Page): Promise<{ chart: string; points: number }[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('[role="img"][aria-label]')).flatMap((chart) =>
      Array.from(chart.querySelectorAll('path.recharts-line-curve')).map((path) => ({
        chart: chart.getAttribute('aria-label') ?? '',
        points: ((path.getAttribute('d') ?? '').match(/[ML]/g) ?? []).length,
      })),
    ),
  );
}

async function liveChartFigures(browser: Browser, url: string, serverStartedAt: number): Promise<void> {
  await trpcMutation(url, 'topics.create', { name: LIVE_TOPIC, partitions: PARTITIONS, configs: {} });
  const producer = await trpcMutation<{ id: string }>(url, 'workload.startProducer', {
    topic: LIVE_TOPIC,
    ratePerSec: LIVE_RATE,
    recordBytes: LIVE_RECORD_BYTES,
  });
  const page = await newPage(browser);
  try {
    // Every long task from the first byte, with its start time: load and observation told apart.
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const requested: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin === new URL(url).origin && !u.pathname.startsWith('/trpc')) requested.push(u.pathname);
    });
    progress('live charts: opening the Overview page');
    await page.goto(`${url}/?window=5`);
    await page
      .getByRole('img', { name: 'Records per second' })
      .locator('path.recharts-line-curve')
      .first()
      .waitFor();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    bundleFigures(requested);

    await page.waitForTimeout(2_000);
    const observeFrom = await page.evaluate(() => performance.now());
    const chartTitles = await page
      .locator('[role="img"][aria-label]:has(.recharts-surface)')
      .evaluateAll((charts) => charts.map((c) => c.getAttribute('aria-label')));
    progress(`live charts: observing for ${LIVE_SECONDS} s with the producer at ${LIVE_RATE} records/s`);
    let maxPoints = 0;
    let series = 0;
    const charts = new Set<string>();
    for (let s = 0; s < LIVE_SECONDS; s += 5) {
      await page.waitForTimeout(5_000);
      const points = await seriesPoints(page);
      series = Math.max(series, points.length);
      for (const p of points) {
        maxPoints = Math.max(maxPoints, p.points);
        charts.add(p.chart);
      }
    }
    const { tasks, observeTo } = await page.evaluate(() => ({
      tasks: (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks,
      observeTo: performance.now(),
    }));
    const during = tasks.filter((t) => t.start >= observeFrom && t.start <= observeTo);
    const atLoad = tasks.filter((t) => t.start < observeFrom);
    const status = await (await fetch(`${url}/trpc/workload.status`)).json().catch(() => null);
    const produced =
      (
        status as { result?: { data?: { producers?: { id: string; produced: number }[] } } } | null
      )?.result?.data?.producers?.find((p) => p.id === producer.id)?.produced ?? NaN;
    emit('console.charts.long_tasks', during.length, 'tasks over 50 ms', {
      target: 0,
      observed_s: (observeTo - observeFrom) / 1000,
      page: `Overview at window=5 (1 s points), charts: ${chartTitles.join(', ')}`,
      longest_ms: Math.max(0, ...during.map((t) => t.duration)),
      total_ms: during.reduce((a, t) => a + t.duration, 0),
      at_page_load: atLoad.length,
      at_page_load_longest_ms: Math.max(0, ...atLoad.map((t) => t.duration)),
      workload: `${LIVE_RATE} records/s x ${LIVE_RECORD_BYTES} B into ${PARTITIONS} partitions`,
      workload_produced: produced,
    });
    emit('console.charts.max_points_per_series', maxPoints, 'points', {
      target_below: 300,
      series,
      charts_with_series: charts.size,
      sampled: 'every 5 s from the recharts paths',
      server_up_s: (Date.now() - serverStartedAt) / 1000,
      note: 'a series holds the server history since start plus live points, capped at 300',
    });
  } finally {
    await page.close();
    await trpcMutation(url, 'workload.stopProducer', { id: producer.id }).catch(() => undefined);
  }
}

// ---- 4. the bundle ----------------------------------------------------------------------------

const webDir = path.join(repo, 'dist', 'web');

/** Builds dist/web when it is missing; says so when it is older than web/ (then measured as it is). */
function ensureBuilt(): { stale: boolean } {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    progress('dist/web is missing: npx vite build');
    const result = spawnSync('npx', ['vite', 'build'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error('vite build failed');
    return { stale: false };
  }
  const newest = fs
    .readdirSync(path.join(repo, 'web'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((m, e) => Math.max(m, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
  const stale = newest > fs.statSync(index).mtimeMs;
  if (stale) progress('warning: dist/web is older than web/ (run npx vite build): measuring it as it is');
  return { stale };
}

const gzipKiB = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length / 1024;

/** `requested`: the paths the browser asked for while the first page loaded. */
function bundleFigures(requested: string[]): void {
  const html = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
  if (entry === undefined) throw new Error('no entry script in dist/web/index.html');
  const preloaded = [...html.matchAll(/<link [^>]*href="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
  const files = (paths: string[]) =>
    [...new Set(paths.map((p) => (p === '/' ? '/index.html' : p)))]
      .map((p) => path.join(webDir, p))
      .filter((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  const firstPage = files(requested.length > 0 ? requested : ['/', entry, ...preloaded]);
  const fromHtml = files(['/', entry, ...preloaded]);
  const all = fs.readdirSync(path.join(webDir, 'assets')).map((n) => path.join(webDir, 'assets', n));
  const sum = (list: string[], size: (f: string) => number) => list.reduce((a, f) => a + size(f), 0);
  const raw = (f: string) => fs.statSync(f).size / 1024;
  emit('console.bundle.first_page_gzip', sum(firstPage, gzipKiB), 'KiB', {
    target_KB: 400,
    what: 'every file the browser requested to show the Overview page (html, js, css, svg), gzip -9 each',
    files: firstPage.length,
    raw_KiB: sum(firstPage, raw),
    js_gzip_KiB: sum(
      firstPage.filter((f) => f.endsWith('.js')),
      gzipKiB,
    ),
    css_gzip_KiB: sum(
      firstPage.filter((f) => f.endsWith('.css')),
      gzipKiB,
    ),
    index_html_references_gzip_KiB: sum(fromHtml, gzipKiB),
    all_assets_gzip_KiB: sum(all, gzipKiB),
    all_assets_files: all.length,
    build_older_than_web_sources: built.stale ? 'yes' : 'no',
  });
  emit('console.bundle.entry_gzip', gzipKiB(path.join(webDir, entry)), 'KiB', {
    entry: path.basename(entry),
    raw_KiB: raw(path.join(webDir, entry)),
  });
}

// ---- the run ----------------------------------------------------------------------------------

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
    await liveChartFigures(browser, server.httpUrl, startedAt);
  }
} finally {
  await cleanUp();
}
