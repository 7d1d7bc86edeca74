import { test, expect, type Page } from '@playwright/test';
import { startSluice, type SluiceProcess } from './support/sluice-process';

/**
 * The console against the in-memory demo cluster (server/api/test-support/dev-server.ts): every
 * page loads without a console error, forms put errors next to their fields, and links reopen views.
 * When the broker core lands, the same flows run against `server/main.ts`.
 */
let sluice: SluiceProcess;
let errors: string[];

test.beforeAll(async () => {
  sluice = await startSluice(['--fault-injection'], { entry: 'server/api/test-support/dev-server.ts' });
});
test.afterAll(async () => {
  await sluice?.stop();
});
test.beforeEach(({ page }) => {
  errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
});
test.afterEach(() => {
  expect(errors).toEqual([]);
});

const open = (page: Page, path: string) => page.goto(`${sluice.url}${path}`);

test('every page loads from the navigation', async ({ page }) => {
  await open(page, '/');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Records per second' })).toBeVisible();
  for (const [link, heading] of [
    ['Topics', 'Topics'],
    ['Consumer groups', 'Consumer groups'],
    ['Throughput', 'Throughput'],
    ['Supervision', 'Supervision'],
    ['Workload', 'Workload'],
  ]) {
    await page.getByRole('navigation').getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  }
});

test('creating a topic checks the name as you type, then produces and browses a record', async ({ page }) => {
  await open(page, '/topics');
  await page.getByRole('button', { name: 'Create topic' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('bad name');
  await dialog.getByRole('textbox', { name: 'Name' }).blur();
  await expect(
    dialog.getByText("Topic name may contain only letters, digits, '.', '_' and '-'"),
  ).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Name' }).fill('e2e-events');
  await dialog.getByRole('button', { name: 'Create topic' }).click();
  await expect(page).toHaveURL(/\/topics\/e2e-events/);

  await page.getByRole('button', { name: 'Produce' }).click();
  const produce = page.getByRole('dialog');
  await produce.getByLabel('Key', { exact: true }).fill('user-1');
  await produce.getByLabel('Value', { exact: true }).fill('{"hello":"world"}');
  await produce.getByRole('button', { name: 'Produce' }).click();
  await expect(page.getByText(/Produced to partition \d+ at offset 0/)).toBeVisible();

  const row = page.getByRole('row', { name: /user-1/ });
  await expect(row).toBeVisible();
  await row.press('Enter');
  await expect(page).toHaveURL(/record=/);
  await expect(page.getByText('CreateTime · event time')).toBeVisible();
  await expect(page.getByText('"hello": "world"')).toBeVisible();
});

test('a read past the end of a partition says so next to the offset', async ({ page }) => {
  await open(page, '/topics/orders?mode=offset&partition=2&offset=999999');
  await expect(page.getByText(/Offset 999999 is past the end \(\d+\) of partition 2/)).toBeVisible();
});

test('an empty date range is refused next to "To", and a range link reopens its view', async ({ page }) => {
  await open(page, '/topics/orders?mode=range&from=now&to=-1h&tz=utc');
  await expect(page.getByText("The date range is empty: 'from' is after 'to'")).toBeVisible();
  await open(page, '/topics/orders?mode=range&from=-2h&to=now&tz=utc');
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('-2h');
  await expect(page.getByRole('radio', { name: 'UTC' })).toBeChecked();
  await expect(page.getByRole('row', { name: /customer-/ }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Last hour' }).click();
  await page.getByRole('button', { name: 'Read' }).click();
  await expect(page).toHaveURL(/from=-1h/);
});

test('a group shows its rebalances, and a crash shows in the supervision tree', async ({ page }) => {
  await open(page, '/groups/billing?tab=rebalances');
  await expect(page.getByText(/Generation 2 → 3 · join/)).toBeVisible();
  await open(page, '/supervision?actor=broker/topics/orders/1');
  await page.getByRole('button', { name: 'Crash' }).click();
  await expect(page.getByText(/Injected crash into broker\/topics\/orders\/1/)).toBeVisible();
  await expect(page.getByText('1 restarts').first()).toBeVisible();
});

test('the theme choice survives a reload', async ({ page }) => {
  await open(page, '/');
  const html = page.locator('html');
  const before = await html.getAttribute('data-mantine-color-scheme');
  await page.getByRole('button', { name: /Switch to the (dark|light) theme/ }).click();
  const after = before === 'dark' ? 'light' : 'dark';
  await expect(html).toHaveAttribute('data-mantine-color-scheme', after);
  await page.reload();
  await expect(html).toHaveAttribute('data-mantine-color-scheme', after);
});
