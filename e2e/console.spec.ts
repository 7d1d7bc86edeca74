import { copyFileSync, mkdirSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { Kafka, logLevel } from 'kafkajs';
import { startSluice, type SluiceProcess } from './support/sluice-process';

/**
 * The demo run of the console against the real server (`server/main.ts` over a fresh data dir,
 * with fault injection on): one operator's session, step by step, on one page. Every step waits
 * on what the page shows (no fixed sleeps), no step may log a browser console error, and each
 * page is saved as a screenshot under test-results/screenshots/.
 */
const TOPIC = 'demo-orders';
const PARTITION = 3;
/** The records' event times: one an hour from 10:00 UTC, so a date range can pick some of them. */
const BASE = Date.UTC(2026, 0, 10, 10, 0, 0);
const RECORDS = Array.from({ length: 6 }, (_, n) => ({
  key: `order-${n}`,
  value: JSON.stringify({ order: n, total: 10 * (n + 1) }),
  time: new Date(BASE + n * 3_600_000).toISOString(),
}));

let sluice: SluiceProcess;
let page: Page;
let errors: string[] = [];
/** Console lines a step provokes on purpose (the browser logs every 4xx answer as an error). */
let expected: RegExp[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  sluice = await startSluice(['--fault-injection']);
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
});
test.afterAll(async () => {
  await page?.close();
  await sluice?.stop();
});
test.afterEach(() => {
  const seen = errors.filter((e) => !expected.some((x) => x.test(e)));
  errors = [];
  expected = [];
  expect(seen).toEqual([]);
});

/** The step sends a request the server refuses with `status`: the browser's log line is expected. */
function expectRefusal(status: number): void {
  expected.push(new RegExp(`Failed to load resource: the server responded with a status of ${status}`));
}

const open = (path: string) => page.goto(`${sluice.url}${path}`);

/** A segmented control's option: its visible label, since the radio itself is hidden. */
async function readFrom(mode: string): Promise<void> {
  await page.getByRole('radiogroup', { name: 'Read from' }).getByText(mode, { exact: true }).click();
}

async function screenshot(name: string): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

test('every page opens from the navigation', async () => {
  await open('/');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Records per second' })).toBeVisible();
  for (const [link, heading] of [
    ['Topics', 'Topics'],
    ['Consumer groups', 'Consumer groups'],
    ['Throughput', 'Throughput'],
    ['Supervision', 'Supervision'],
    ['Workload', 'Workload'],
  ] as const) {
    await page.getByRole('navigation').getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  }
});

test('a topic name is checked next to the field, then a topic with 6 partitions is created', async () => {
  await open('/topics');
  await page.getByRole('button', { name: 'Create topic' }).click();
  const dialog = page.getByRole('dialog');
  const name = dialog.getByRole('textbox', { name: 'Name' });
  await name.fill('bad name');
  await name.blur();
  await expect(name).toHaveAccessibleDescription(
    /^Topic name may contain only letters, digits, '\.', '_' and '-'/,
  );
  // A name only the broker refuses: its sentence comes back next to the field too.
  expectRefusal(400);
  await name.fill('__reserved');
  await dialog.getByRole('button', { name: 'Create topic' }).click();
  await expect(name).toHaveAccessibleDescription(/names starting with '__' are reserved/);
  await name.fill(TOPIC);
  await dialog.getByLabel('Partitions').fill('6');
  await dialog.getByRole('button', { name: 'Create topic' }).click();
  await expect(page).toHaveURL(new RegExp(`/topics/${TOPIC}`));
  await page.getByRole('tab', { name: 'Partitions' }).click();
  await expect(page.getByRole('row', { name: /running/ })).toHaveCount(6);
  await screenshot('topic-partitions');
  await open('/topics');
  await expect(page.getByRole('row', { name: new RegExp(TOPIC) })).toContainText('6');
  await screenshot('topics');
});

test('records produced from the form, with explicit times, are browsed by offset', async () => {
  await open(`/topics/${TOPIC}?tz=utc`);
  for (const [offset, record] of RECORDS.entries()) {
    await page.getByRole('button', { name: 'Produce', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Produce to ${TOPIC}` });
    await dialog.getByLabel('Key', { exact: true }).fill(record.key);
    await dialog.getByLabel('Value', { exact: true }).fill(record.value);
    await dialog.getByRole('combobox', { name: 'Partition' }).click();
    await page.getByRole('option', { name: `Partition ${PARTITION}`, exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Timestamp (optional)' }).fill(record.time);
    await dialog.getByRole('button', { name: 'Produce', exact: true }).click();
    await expect(page.getByText(`Produced to partition ${PARTITION} at offset ${offset}`)).toBeVisible();
    await expect(dialog).toBeHidden();
  }
  await readFrom('Offset');
  await page.getByRole('combobox', { name: 'Partition' }).click();
  await page.getByRole('option', { name: `Partition ${PARTITION}`, exact: true }).click();
  await page.getByRole('textbox', { name: 'Offset', exact: true }).fill('2');
  await page.getByRole('button', { name: 'Read' }).click();
  await expect(page).toHaveURL(/mode=offset/);
  const rows = page.getByRole('table', { name: 'Records' }).getByRole('row', { name: /order-/ });
  await expect(rows).toHaveCount(4);
  for (const n of [2, 3, 4, 5]) await expect(rows.nth(n - 2)).toContainText(`order-${n}`);
  await screenshot('messages-by-offset');
});

test('a date range shows exactly the records inside it, and its link reopens the same view', async () => {
  const from = '2026-01-10 11:30';
  const to = '2026-01-10 13:30';
  await open(`/topics/${TOPIC}?tz=utc`);
  await readFrom('Date range');
  await page.getByLabel('From', { exact: true }).fill(from);
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByRole('button', { name: 'Read' }).click();
  await expect(page).toHaveURL(/mode=range/);
  const rows = page.getByRole('table', { name: 'Records' }).getByRole('row', { name: /order-/ });
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('order-2');
  await expect(rows.nth(1)).toContainText('order-3');
  await screenshot('messages-date-range');

  await page.reload();
  await expect(page.getByLabel('From', { exact: true })).toHaveValue(from);
  await expect(page.getByLabel('To', { exact: true })).toHaveValue(to);
  await expect(page.getByRole('radio', { name: 'UTC' })).toBeChecked();
  await expect(rows).toHaveCount(2);
});

test('a record opens in a detail panel, and the panel has its own link', async () => {
  await open(`/topics/${TOPIC}?tz=utc&mode=offset&partition=${PARTITION}&offset=0`);
  const row = page.getByRole('row', { name: /order-4/ });
  await row.click();
  await expect(page).toHaveURL(new RegExp(`record=${PARTITION}%3A4|record=${PARTITION}:4`));
  await expect(page.getByText('CreateTime · event time')).toBeVisible();
  await expect(page.getByText('"total": 50')).toBeVisible();
  await screenshot('record-detail');
  await page.reload();
  await expect(page.getByText('"total": 50')).toBeVisible();
});

test('bad input is refused next to its field: an offset past the end, an empty date range', async () => {
  await open(`/topics/${TOPIC}?tz=utc&mode=offset&partition=${PARTITION}&offset=999`);
  await expect(page.getByRole('textbox', { name: 'Offset', exact: true })).toHaveAccessibleDescription(
    /Offset 999 is past the end \(6\) of/,
  );
  await open(`/topics/${TOPIC}?tz=utc&mode=range&from=2026-01-10 13:00&to=2026-01-10 11:00`);
  await expect(page.getByRole('textbox', { name: 'To', exact: true })).toHaveAccessibleDescription(
    /The date range is empty: 'from' is after 'to'/,
  );
  await screenshot('bad-input');
});

const GROUP = 'demo-billing';

/** The largest value on a chart's Y axis ("42 rec/s" → 42). */
async function chartPeak(name: string): Promise<number> {
  const labels = await page.getByRole('img', { name }).locator('text').allTextContents();
  const values = labels.filter((t) => /\/s$/.test(t)).map((t) => Number.parseFloat(t));
  return Math.max(0, ...values.filter(Number.isFinite));
}

/** Rebalance markers on a chart: one dashed line labelled "<group> <reason>" per rebalance. */
const markers = (name: string) => page.getByRole('img', { name }).locator('.recharts-reference-line');

/** The workload's producer row: its "Produced" count. */
async function produced(): Promise<number> {
  const cells = await page
    .getByRole('row', { name: new RegExp(`producer-\\d+ ${TOPIC}`) })
    .getByRole('cell')
    .allTextContents();
  return Number((cells[4] ?? '0').replace(/\D/g, ''));
}

test('a workload with 3 consumers starts, and throughput rises on the chart', async () => {
  await open('/workload');
  const producer = page.locator('form', { hasText: 'Start a producer' });
  await expect(producer.getByRole('combobox', { name: 'Topic' })).toHaveValue(TOPIC);
  await producer.getByLabel('Records per second').fill('50');
  await producer.getByLabel('Record size (bytes)').fill('200');
  await producer.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('row', { name: new RegExp(`producer-\\d+ ${TOPIC} 50/s`) })).toBeVisible();
  const group = page.locator('form', { hasText: 'Start a consumer group' });
  await group.getByLabel('Group id').fill(GROUP);
  await expect(group.getByRole('combobox', { name: 'Topic' })).toHaveValue(TOPIC);
  await group.getByLabel('Members').fill('3');
  await group.getByRole('button', { name: 'Start' }).click();
  await expect(
    page.getByText(new RegExp(`Group ${GROUP} on ${TOPIC} · 3 members · [1-9][\\d,]* consumed`)),
  ).toBeVisible();
  await screenshot('workload');

  await open('/');
  await expect.poll(() => chartPeak('Records per second'), { timeout: 30_000 }).toBeGreaterThanOrEqual(20);
  await expect(markers('Records per second')).not.toHaveCount(0);
  await open(`/groups/${GROUP}`);
  await expect(page.getByText('Stable', { exact: true }).first()).toBeVisible();
  await screenshot('group');
});

test('adding and removing a consumer shows two rebalances on the timeline and as chart markers', async () => {
  await open(`/groups/${GROUP}?tab=rebalances`);
  const items = page.locator('.mantine-Timeline-item');
  await expect(items.first()).toBeVisible();
  const before = await items.count();
  await open('/workload');
  const card = page.locator('.mantine-Paper-root', { hasText: `Group ${GROUP} on ${TOPIC}` });
  await card.getByRole('button', { name: 'Add member' }).click();
  await expect(card).toContainText('4 members');
  await expect(card.getByRole('button', { name: 'Remove' })).toHaveCount(4);
  // The new member is in once the group has handed it partitions (the cooperative protocol's
  // second round): it has consumed something. Removing it then is a rebalance of its own.
  await expect(card.getByRole('row').last()).toContainText(/[1-9][\d,]* consumed/, { timeout: 30_000 });
  await open(`/groups/${GROUP}?tab=rebalances`);
  await expect(page.getByText(new RegExp(`${GROUP}-member-\\d+ joined`)).first()).toBeVisible();
  await expect(page.getByText(/^After \(4\)/).first()).toBeVisible();
  await open('/workload');
  await card.getByRole('button', { name: 'Remove' }).last().click();
  await expect(card).toContainText('3 members');
  await open(`/groups/${GROUP}?tab=rebalances`);
  await expect(page.getByText(new RegExp(`${GROUP}-member-\\d+ left`)).first()).toBeVisible();
  await expect(page.getByText(/Generation \d+ → \d+ · leave/)).toBeVisible();
  await expect.poll(() => items.count()).toBeGreaterThanOrEqual(before + 2);
  await screenshot('group-rebalances');
  // A deep link reloads into the same group and tab.
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Rebalances' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText(new RegExp(`${GROUP}-member-\\d+ left`)).first()).toBeVisible();

  await open('/');
  await expect.poll(() => markers('Records per second').count()).toBeGreaterThanOrEqual(before + 2);
  await expect(
    page.getByRole('img', { name: 'Records per second' }).getByText(`${GROUP} leave`).first(),
  ).toBeVisible();
  await screenshot('overview-rebalances');
});

test('a partition actor crashed from the supervision view restarts while the workload goes on', async () => {
  await open(`/supervision?actor=broker/topics/${TOPIC}/1`);
  await page.getByRole('button', { name: 'Crash' }).click();
  await expect(page.getByText(new RegExp(`Injected crash into broker/topics/${TOPIC}/1`))).toBeVisible();
  await expect(page.getByText('1 restarts').first()).toBeVisible();
  await expect(page.getByRole('row', { name: /^State/ })).toContainText('running');
  await expect(page.getByText(new RegExp(`broker/topics/${TOPIC}/1 restarted`)).first()).toBeVisible();
  await screenshot('supervision');
  await open('/workload');
  await expect.poll(produced).toBeGreaterThan(0);
  const after = await produced();
  await expect.poll(produced).toBeGreaterThan(after);
});

test('the overview shows the cluster, and the theme choice survives a reload', async () => {
  await open('/?window=5');
  await expect.poll(() => chartPeak('Records per second')).toBeGreaterThan(0);

  // A real Kafka client from this process: the Kafka clients panel counts it and its requests.
  const panel = page.getByRole('region', { name: 'Kafka clients' });
  await expect(panel.getByText(`127.0.0.1:${sluice.kafkaPort}`)).toBeVisible();
  const kafka = new Kafka({
    clientId: 'e2e-client',
    brokers: [`127.0.0.1:${sluice.kafkaPort}`],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  try {
    // Each poll sends one more record, so requests keep coming until the panel shows them.
    const sendThenRead = async (stat: string) => {
      await producer.send({ topic: TOPIC, messages: [{ key: 'e2e', value: 'from kafkajs' }] });
      return panel.getByRole('group', { name: stat }).innerText();
    };
    await expect.poll(() => sendThenRead('Connected clients'), { timeout: 30_000 }).toMatch(/\b[1-9]\d*$/);
    await expect
      .poll(() => sendThenRead('Requests per second'), { timeout: 30_000 })
      .toMatch(/\b(0\.[1-9]|[1-9][\d.,]*) req\/s$/);
    await expect.poll(() => chartPeak('Kafka requests per second'), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(page.getByRole('img', { name: 'Kafka requests per second' })).toContainText('Produce');
  } finally {
    await producer.disconnect();
  }
  await screenshot('overview');
  // The README's screenshot is refreshed on request only, so that a test run never dirties the tree.
  if (process.env.SLUICE_UPDATE_SCREENSHOT === '1') {
    copyFileSync('test-results/screenshots/overview.png', 'docs/console.png');
  }
  const html = page.locator('html');
  const before = await html.getAttribute('data-mantine-color-scheme');
  await page.getByRole('button', { name: /Switch to the (dark|light) theme/ }).click();
  const after = before === 'dark' ? 'light' : 'dark';
  await expect(html).toHaveAttribute('data-mantine-color-scheme', after);
  await page.reload();
  await expect(html).toHaveAttribute('data-mantine-color-scheme', after);
  await page.getByRole('button', { name: /Switch to the (dark|light) theme/ }).click();
});
