/**
 * Saldo-overzicht RC deelnemers (issue 21) in Chromium against the real platform: the central
 * organisation (the platform's office) sees its participants with what to pay out, opens one
 * participant's overview with debit and credit per category; a participant allowed to see its
 * overview sees its own balance; a participant without the visibility setting sees nothing but
 * the message (no amounts, no table).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { MikroORM } from '../../db/orm.js';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { createTestOffice, openOrm, type TestOffice } from '../api/support.js';
import { openBrowserPlatform, screenshot, signIn, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;
let orm: MikroORM;
let visible: TestOffice;
let hidden: TestOffice;

beforeAll(async () => {
  session = await openBrowserPlatform();
  ({ platform, page } = session);
  orm = await openOrm();
  visible = await createTestOffice(orm, 'Deelnemer Zichtbaar');
  hidden = await createTestOffice(orm, 'Deelnemer Verborgen');
});

afterAll(async () => {
  await session?.close();
  await orm?.close(true);
});

const year = new Date().getFullYear();

async function asAdmin(method: 'PUT' | 'POST', path: string, body: unknown): Promise<void> {
  const res = await platform.send(path, { method, token: platform.tokens.admin!, contentType: 'application/json', body: JSON.stringify(body) });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

describe('RC overviews in Chromium', () => {
  it('the central organisation sees all participants and one participant\'s overview', async () => {
    await asAdmin('PUT', '/rc/organisation', { iban: 'NL91ABNA0417164300' });
    await asAdmin('PUT', `/rc/participants/${visible.officeId}`, { mayViewOverview: true });
    await asAdmin('PUT', `/rc/participants/${hidden.officeId}`, { mayViewOverview: false });
    await asAdmin('POST', '/rc/commissions', { participantOfficeId: visible.officeId, reference: `BR-${visible.officeId.slice(0, 8)}`, productType: 'mortgage', amountCents: 1234_56, entryDate: `${year}-01-15` });
    await asAdmin('POST', '/rc/charges', { participantOfficeId: hidden.officeId, reference: `BR-${hidden.officeId.slice(0, 8)}`, categoryCode: 'licentie', amountCents: 99_00, entryDate: `${year}-01-16` });

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Saldo RC' }).click();
    await page.getByRole('heading', { name: 'Saldo-overzicht RC deelnemers', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Deelnemers' });
    const row = table.getByRole('row').filter({ hasText: 'Deelnemer Zichtbaar' });
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('1.234,56');
    expect(await table.getByRole('row').filter({ hasText: 'Deelnemer Verborgen' }).textContent()).toMatch(/99,00.*Nee/);
    await screenshot(page, 'rc-central-overview');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: /Saldo-overzicht Deelnemer Zichtbaar/, level: 1 }).waitFor();
    const categories = page.getByRole('table', { name: 'Per categorie' });
    await expect.poll(async () => (await categories.textContent()) ?? '').toMatch(/Hypotheek.*Inkomsten.*1\.234,56/);
    await screenshot(page, 'rc-participant-overview');
  });

  it('a participant allowed to see it sees its own overview', async () => {
    await page.evaluate(() => sessionStorage.clear());
    await signIn(page, platform.api.url, visible.tokens.adviser);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Saldo RC' }).click();
    await expect.poll(async () => (await page.getByTestId('closing-balance').textContent().catch(() => '')) ?? '').toContain('1.234,56');
    expect(await page.getByRole('table', { name: 'Deelnemers' }).count()).toBe(0);
  });

  it('a participant without the visibility setting sees nothing', async () => {
    await page.evaluate(() => sessionStorage.clear());
    await signIn(page, platform.api.url, hidden.tokens.adviser);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Saldo RC' }).click();
    await page.getByTestId('rc-hidden').waitFor();
    const text = (await page.textContent('body')) ?? '';
    expect(text).not.toMatch(/99,00|Eindsaldo|Boekingen/);
    expect(await page.getByRole('table').count()).toBe(0);
    await screenshot(page, 'rc-hidden');
  });
});
