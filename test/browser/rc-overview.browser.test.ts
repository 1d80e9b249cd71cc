/**
 * Saldo-overzicht RC deelnemers (issue 21) in Chromium against the real platform: the central
 * organisation (the platform's office) sees its participants with what to pay out, opens one
 * participant's overview with debit and credit per category; a participant allowed to see its
 * overview sees its own balance; a participant without the visibility setting sees nothing but
 * the message (no amounts, no table). Then the central organisation's admin, by keyboard: turns a
 * participant's visibility off (that participant then sees nothing), requests its pay-out,
 * approves it from the list of pay-outs waiting for approval, sees its status move on to the
 * pain.001 and downloads that file; axe-core finds nothing serious on the pages.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { MikroORM } from '../../db/orm.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { createTestOffice, openOrm, type TestOffice } from '../api/support.js';
import { expectKeyboardUsable, expectNoSeriousAxeViolations, openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

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
/** The office's name as the platform has it (createTestOffice adds the first part of its id). */
const nameOf = (o: TestOffice, name: string) => `${name} ${o.officeId.slice(0, 8)}`;
const PARTICIPANT_IBAN = `NL${ibanCheckDigits('NL', 'INGB0001234567')}INGB0001234567`;

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

  it("the admin turns a participant's overview off by keyboard, and that participant sees nothing", async () => {
    await page.evaluate(() => sessionStorage.clear());
    await signIn(page, platform.api.url, platform.tokens.admin!);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Saldo RC' }).click();
    const visibleName = nameOf(visible, 'Deelnemer Zichtbaar');
    const visibility = page.getByRole('switch', { name: `Mag eigen RC-overzicht zien: ${visibleName}` });
    await visibility.waitFor();
    expect(await visibility.isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: `Mag eigen RC-overzicht zien: ${nameOf(hidden, 'Deelnemer Verborgen')}` }).isChecked()).toBe(false);
    await expectNoSeriousAxeViolations(page, 'Saldo RC (beheerder)');
    await visibility.focus();
    await page.keyboard.press('Space');
    await page.getByRole('status').filter({ hasText: `${visibleName} mag het eigen RC-overzicht niet meer zien.` }).waitFor();
    expect(await visibility.isChecked()).toBe(false);
    expect(await page.getByRole('alert').count()).toBe(0);
    // Saved, not only shown: the API says so, and so does the page after a reload.
    const role = await platform.send('/rc/role', { method: 'GET', token: visible.tokens.adviser });
    expect(role.body).toMatchObject({ role: 'participant', mayViewOverview: false });
    await page.reload();
    await visibility.waitFor();
    expect(await visibility.isChecked()).toBe(false);

    await page.evaluate(() => sessionStorage.clear());
    await signIn(page, platform.api.url, visible.tokens.adviser);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Saldo RC' }).click();
    await page.getByTestId('rc-hidden').waitFor();
    expect((await page.textContent('body')) ?? '').not.toMatch(/1\.234,56|Eindsaldo/);
    expect(await page.getByRole('table').count()).toBe(0);
  });

  it('the admin requests a pay-out, approves it, sees the pain.001 made and downloads it', async () => {
    await page.evaluate(() => sessionStorage.clear());
    await signIn(page, platform.api.url, platform.tokens.admin!);
    await page.goto(`${platform.api.url}/ui/rc/participants/${visible.officeId}`);
    await page.getByRole('heading', { name: /Saldo-overzicht Deelnemer Zichtbaar/, level: 1 }).waitFor();
    await waitForText(page.getByTestId('payout-amount'), /1\.234,56/);
    await expectKeyboardUsable(page, 'Saldo RC van een deelnemer (beheerder)', { skipLink: true });

    const request = page.getByRole('button', { name: 'Uitbetaling aanvragen' });
    await request.focus();
    await page.keyboard.press('Enter');
    // No IBAN of the participant yet: the API's problem is shown in Dutch, as the one alert.
    await waitForText(page.getByRole('alert'), /^Uitbetaling aanvragen mislukt: Deze uitbetaling kan niet: er is geen positief saldo of geen rekeningnummer\.$/);
    expect(await page.getByRole('alert').count()).toBe(1);
    // With the IBAN (kept when only the visibility is saved) it can.
    await asAdmin('PUT', `/rc/participants/${visible.officeId}`, { mayViewOverview: false, iban: PARTICIPANT_IBAN });
    await request.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /Uitbetaling van €\s1\.234,56 .* aangevraagd/ }).waitFor();
    const mine = page.getByRole('table', { name: 'Uitbetalingen van deze deelnemer' });
    const row = mine.getByRole('row').filter({ hasText: '1.234,56' });
    await waitForText(row.getByTestId('payout-status'), /^Aangevraagd, wacht op goedkeuring$/);
    expect(await page.getByRole('alert').count()).toBe(0);
    // One at a time: a second request is not offered while this one is open.
    expect(await request.isDisabled()).toBe(true);
    await expectNoSeriousAxeViolations(page, 'Saldo RC van een deelnemer met een aangevraagde uitbetaling');

    // The central page lists it as waiting for approval; approved there by keyboard.
    await page.getByRole('link', { name: '← Saldo-overzicht RC deelnemers' }).click();
    const waiting = page.getByRole('table', { name: 'Uitbetalingen die wachten op goedkeuring' });
    const waitingRow = waiting.getByRole('row').filter({ hasText: 'Deelnemer Zichtbaar' });
    await waitingRow.waitFor();
    await waitingRow.getByRole('button', { name: /^Goedkeuren: uitbetaling .* aan Deelnemer Zichtbaar [0-9a-f]{8}$/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /is goedgekeurd/ }).waitFor();
    await expect.poll(() => waitingRow.count(), { timeout: 30_000 }).toBe(0);
    await expectNoSeriousAxeViolations(page, 'Saldo RC na goedkeuring');

    // On the participant's page the status moves on by itself (the workflow books and makes the file).
    await page.getByRole('table', { name: 'Deelnemers' }).getByRole('link', { name: nameOf(visible, 'Deelnemer Zichtbaar') }).click();
    await waitForText(row.getByTestId('payout-status'), /^Betaalbestand aangemaakt, wacht op bevestiging van de bank$/);
    // Booked from the RC: the overview follows (paid out, nothing left to pay).
    await waitForText(page.getByTestId('closing-balance'), /^€\s0,00$/);
    // The booking and the transfer name the period in Dutch.
    const lines = (await page.getByRole('table', { name: 'Boekingen' }).textContent()) ?? '';
    expect(lines).toContain(`Uitbetaling ${year}`);
    expect(lines).not.toMatch(/\byear\b/);
    const file = row.getByRole('button', { name: /^Betaalbestand \(pain\.001\) downloaden/ });
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
    expect(download.suggestedFilename()).toMatch(/^RCM-[0-9a-f]+\.xml$/);
    const xml = await readFile((await download.path())!, 'utf8');
    expect(xml).toContain('pain.001.001.03');
    expect(xml).toContain(PARTICIPANT_IBAN);
    expect(xml).toContain('1234.56');
    expect(xml).toContain(`<Ustrd>Uitbetaling RC ${year}</Ustrd>`);
    await row.getByRole('button', { name: /^Uitbetalingsoverzicht \(PDF\) downloaden/ }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectNoSeriousAxeViolations(page, 'Saldo RC van een deelnemer met betaalbestand');
    await screenshot(page, 'rc-payout-file');
  });
});
