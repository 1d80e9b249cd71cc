/**
 * Live updates in a real browser against the real platform (API in this process, worker in its
 * own process): a product step the worker records reaches an open dossier page through the
 * pushed stream (`GET /events`, PostgreSQL NOTIFY from the worker's process to the API's) while
 * the page cannot poll at all; and when the stream is refused, the page still follows by polling.
 * Every wait is for what the page shows, never for a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newId } from '../../db/ids.js';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;

beforeAll(async () => {
  session = await openBrowserPlatform();
  ({ platform } = session);
});

afterAll(async () => {
  await session?.close();
});

/** A dossier with a service product, made over the API (not by the page under test). */
async function dossierWithProduct(): Promise<{ dossierId: string; productId: string }> {
  const tag = newId().slice(0, 8);
  const dossier = await platform.api.post('/dossiers', { applicants: [{ person: { firstName: 'Live', lastName: `Bijwerken-${tag}`, birthDate: '1985-03-04' } }] });
  expect(dossier.status, JSON.stringify(dossier.body)).toBe(201);
  const dossierId = (dossier.body as { id: string }).id;
  const product = await platform.api.post(`/dossiers/${dossierId}/products`, { type: 'service', parts: [{ description: 'Hypotheekadvies' }] });
  expect(product.status, JSON.stringify(product.body)).toBe(201);
  return { dossierId, productId: (product.body as { id: string }).id };
}

/** Takes a step over the API, as a colleague or a process would: the open page learns of it only from the platform. */
async function chooseChecklist(productId: string): Promise<void> {
  const step = await platform.api.post(`/products/${productId}/steps/choose-checklist`, { input: { profile: 'loondienst' } });
  expect(step.status, JSON.stringify(step.body)).toBe(200);
}

async function newPage(): Promise<Page> {
  return session.page.context().newPage();
}

describe('live updates in the web UI', () => {
  it('shows a step recorded by the worker on the open dossier page from a pushed event, with polling switched off', async () => {
    const page = await newPage();
    try {
      // No polling at all in this page: every interval timer of a second or more is never started.
      // (A script string: the test's own types know no DOM.)
      await page.addInitScript(`{
        const original = window.setInterval.bind(window);
        window.setInterval = (handler, timeout, ...args) => ((timeout ?? 0) >= 1000 ? 0 : original(handler, timeout, ...args));
      }`);
      const { dossierId, productId } = await dossierWithProduct();
      await signIn(page, platform.api.url, platform.tokens.adviser!);
      const streamOpen = page.waitForResponse((r) => new URL(r.url()).pathname === '/events' && r.status() === 200);
      await page.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
      const status = page.locator(`[data-product-id="${productId}"]`).getByTestId('product-status');
      await status.waitFor();
      const before = (await status.textContent()) ?? '';
      expect(before).not.toBe('Stukkenlijst gekozen');
      await streamOpen;

      await chooseChecklist(productId);
      await waitForText(status, /^Stukkenlijst gekozen$/);
      await screenshot(page, 'dossier-live-pushed');
    } finally {
      await page.close();
    }
  });

  it('falls back to polling when the stream is refused, and the page still follows', async () => {
    const page = await newPage();
    try {
      let refused = 0;
      await page.route('**/events', async (route) => {
        refused += 1;
        await route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Service Unavailable', status: 503 }) });
      });
      const { dossierId, productId } = await dossierWithProduct();
      await signIn(page, platform.api.url, platform.tokens.adviser!);
      await page.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
      const status = page.locator(`[data-product-id="${productId}"]`).getByTestId('product-status');
      await status.waitFor();
      await expect.poll(() => refused, { timeout: 30_000 }).toBeGreaterThan(0);

      await chooseChecklist(productId);
      await waitForText(status, /^Stukkenlijst gekozen$/);
    } finally {
      await page.close();
    }
  });
});
