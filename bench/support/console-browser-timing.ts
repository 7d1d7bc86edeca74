import type { Browser, Page } from '@playwright/test';
import { emit, progress, stats } from './measure';
import { randomOffsets, randomRanges, type Dataset, type RangeSeek } from './console-data';
import { BROWSER_READS, PAGE_SIZE, TOPIC } from './console-params';

// 2. The browser: the Messages page's reads, timed by performance marks in the page.

/**
 * A page whose evaluated functions may hold named inner functions: tsx compiles this file with
 * esbuild's keepNames, which wraps them in a `__name` helper that exists only in Node.
 */
export async function newPage(browser: Browser): Promise<Page> {
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

export async function browserReadFigures(page: Page, url: string, data: Dataset): Promise<void> {
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
