/**
 * Track & Trace (issue 20 deliverable 4), in Chromium against the real platform: a product made
 * through the API shows with its status, maatschappij and days in status; the maatschappij filter
 * narrows the list to it, a status count is a quick filter, an age filter leaves nothing, and its
 * row links to the dossier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;

beforeAll(async () => {
  session = await openBrowserPlatform();
  ({ platform, page } = session);
});

afterAll(async () => {
  await session?.close();
});

describe('Track & Trace in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lender = `Trackbank ${suffix}`;

  it('shows a product with its status, filters on maatschappij and category, and links to the dossier', async () => {
    const created = await platform.api.post('/dossiers', { applicants: [{ person: { firstName: 'Tess', lastName: `Volger-${suffix}`, birthDate: '1988-05-06' } }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const dossierNumber = created.body.number as string;
    const product = await platform.api.post(`/dossiers/${created.body.id}/products`, { type: 'service', company: lender, parts: [{ description: 'Hypotheekadvies' }] });
    expect(product.status, JSON.stringify(product.body)).toBe(201);

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Track & Trace' }).click();
    await page.getByRole('heading', { name: 'Track & Trace', level: 1 }).waitFor();

    // Keyboard: choose the maatschappij and apply the filter with Enter.
    const company = page.getByRole('combobox', { name: 'Maatschappij' });
    await company.locator(`option[value="${lender}"]`).waitFor({ state: 'attached' });
    await company.selectOption(lender);
    await company.focus();
    await page.getByRole('button', { name: 'Filter toepassen' }).focus();
    await page.keyboard.press('Enter');

    const table = page.getByRole('table', { name: 'Producten in Track & Trace' });
    await expect.poll(async () => table.getByRole('row').count()).toBe(2);
    const row = table.getByRole('row').nth(1);
    await expect.poll(async () => row.textContent()).toContain(dossierNumber);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(lender);
    expect(text).toContain('Nieuw');
    expect(text).toContain(`Volger-${suffix}`);
    expect(await row.getByRole('cell').last().textContent()).toBe('0');
    // The counts describe the filtered maatschappij: one product, new.
    await expect.poll(async () => page.getByRole('list', { name: 'Aantal per categorie' }).textContent()).toBe('nieuw (blauw): 1');
    await screenshot(page, 'track-trace');

    // A status count is a quick filter; an age of at least one day in status leaves nothing.
    await page.getByRole('list', { name: 'Aantal per status' }).getByRole('button', { name: 'Nieuw: 1' }).click();
    await expect.poll(async () => page.getByRole('button', { name: 'Nieuw: 1', pressed: true }).count()).toBe(1);
    await expect.poll(async () => table.getByRole('row').count()).toBe(2);
    await page.getByRole('spinbutton', { name: 'Minimaal dagen in status' }).fill('1');
    await page.getByRole('button', { name: 'Filter toepassen' }).click();
    await page.getByText('Geen producten die aan het filter voldoen.').waitFor();
    await page.getByRole('button', { name: 'Filters wissen' }).click();
    await page.getByRole('combobox', { name: 'Maatschappij' }).selectOption(lender);
    await page.getByRole('button', { name: 'Filter toepassen' }).click();

    await table.getByRole('link', { name: new RegExp(dossierNumber) }).click();
    await page.waitForURL(new RegExp(`/ui/dossiers/${created.body.id}$`));
    await page.getByRole('heading', { level: 1 }).filter({ hasText: dossierNumber }).waitFor();
  });
});
