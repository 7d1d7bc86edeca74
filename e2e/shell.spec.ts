import { test, expect } from '@playwright/test';
import { startSluice, type SluiceProcess } from './support/sluice-process';

let sluice: SluiceProcess;

test.beforeAll(async () => {
  sluice = await startSluice();
});
test.afterAll(async () => {
  await sluice?.stop();
});

test('the server serves the built console shell and a health check', async ({ page, request }) => {
  const health = await request.get(`${sluice.url}/healthz`);
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok' });

  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(sluice.url);
  await expect(page.getByRole('heading', { name: 'Sluice' })).toBeVisible();
  await expect(page.getByTestId('shell-ready')).toBeVisible();
  // A deep link is answered with the app, not a 404, so links into the console can be shared.
  await page.goto(`${sluice.url}/supervision?actor=broker/topics`);
  await expect(page.getByRole('heading', { name: 'Supervision' })).toBeVisible();
  await expect(page.getByText('one-for-one')).toBeVisible();
  expect(errors).toEqual([]);
});
