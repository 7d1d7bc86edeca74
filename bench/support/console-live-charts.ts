import type { Browser, Page } from '@playwright/test';
import { emit, progress } from './measure';
import { newPage } from './console-browser-timing';
import { LIVE_RATE, LIVE_RECORD_BYTES, LIVE_SECONDS, LIVE_TOPIC, PARTITIONS } from './console-params';

// 3. Live charts: the Overview page under a steady workload: long tasks and points per series.

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

/** `onFirstPageLoaded`: called with the paths the browser requested while the Overview page loaded. */
export async function liveChartFigures(
  browser: Browser,
  url: string,
  serverStartedAt: number,
  onFirstPageLoaded: (requested: string[]) => void,
): Promise<void> {
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
    onFirstPageLoaded(requested);

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
