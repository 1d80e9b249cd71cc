/**
 * RISK in the web UI, in Chromium against the real platform and the simulated RISK (issue 20):
 * the adviser requests a non-life quote from the dossier page; RISK's final message arrives and
 * the insurance product shows its policy and history. Then a RISK message that matches no
 * dossier waits in the RISK inbox; the adviser finds the dossier by name (keyboard: Enter
 * searches), matches it by hand, and the message is applied to an insurance product of that
 * dossier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newId } from '../../db/ids.js';
import { writeSimAfd1 } from '../../simulators/risk/index.js';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;

beforeAll(async () => {
  session = await openBrowserPlatform({ risk: { scenario: 'final', stepDelayMs: 300 } });
  ({ platform, page } = session);
});

afterAll(async () => {
  await session?.close();
});

describe('RISK quote, inbox and match by hand, in Chromium', () => {
  const suffix = newId().slice(0, 6);
  const lastName = `Verzekerd-${suffix}`;
  let dossierId: string;

  it('requests a quote from the dossier; the final policy and its history show on the insurance product', async () => {
    const dossier = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Vera', lastName, birthDate: '1984-06-07', email: `vera.${suffix}@example.nl` } }],
    });
    expect(dossier.status, JSON.stringify(dossier.body)).toBe(201);
    dossierId = dossier.body.id;

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
    const quote = page.getByRole('region', { name: 'Verzekeringsofferte aanvragen (RISK)' });
    await quote.getByRole('button', { name: 'Offerte aanvragen' }).click();
    const form = quote.getByRole('form', { name: 'Verzekeringsofferte aanvragen' });
    await form.getByRole('textbox', { name: /^Branche/ }).fill('020');
    await form.getByLabel(/^Ingangsdatum/).fill('2027-01-01');
    await form.getByRole('textbox', { name: 'Code dekking 1' }).fill('WA');
    await form.getByRole('textbox', { name: 'Omschrijving dekking 1' }).fill('Wettelijke aansprakelijkheid');
    await form.getByRole('button', { name: 'Dekking toevoegen' }).click();
    await form.getByRole('textbox', { name: 'Code dekking 2' }).fill('CASCO');
    await form.getByRole('textbox', { name: 'Omschrijving dekking 2' }).fill('Volledig casco');
    await form.getByRole('button', { name: 'Offerte aanvragen bij RISK' }).click();
    await waitForText(quote.getByRole('status'), /Offerte aangevraagd bij RISK/);

    // The simulated RISK answers the quote, then sends the final policy; the page polls.
    const card = page.getByRole('article', { name: /Verzekering/ });
    const policy = card.getByRole('region', { name: 'Polis (RISK)' });
    await waitForText(policy.getByRole('table', { name: 'Verzekeringshistorie' }), /Definitief/, 60_000);
    await waitForText(policy.getByTestId('insurance-policy'), /Premie€\s37,50/);
    const products = (await platform.api.get(`/dossiers/${dossierId}`)).body.products as { id: string; type: string }[];
    const insurance = products.filter((p) => p.type === 'insurance');
    expect(insurance).toHaveLength(1);
    const view = await platform.api.get(`/products/${insurance[0]!.id}/insurance`);
    expect(view.body.history.map((h: { kind: string }) => h.kind)).toEqual(['final']);
    await screenshot(page, 'risk-quote-policy');
  }, 120_000);

  it('matches a waiting RISK message to the dossier by hand', async () => {
    const policyNumber = `POL-${suffix}`;
    const reference = `MSG-${suffix}`;
    // A holder no dossier knows (other name and birth date): RISK's message cannot be matched.
    const sent = await platform.send('/risk/messages', {
      token: platform.tokens.risk!,
      contentType: 'application/xml',
      body: writeSimAfd1({
        reference,
        kind: 'final',
        version: 2,
        eventAt: '2026-12-01T10:00:00.000Z',
        policyNumber,
        insurer: 'RISK',
        branch: '021',
        startDate: '2027-02-01',
        premiumCents: 1995,
        holder: { lastName: `Onbekend-${suffix}`, birthDate: '1950-01-01' },
        coverages: [{ code: 'INB', description: 'Inboedel', premiumCents: 1995 }],
        documents: [],
      }),
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.state).toBe('waiting');
    const messageId = sent.body.id as string;

    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'RISK-inbox' }).click();
    await page.getByRole('heading', { name: 'RISK-inbox', level: 1 }).waitFor();
    const row = page.locator(`tr[data-message-id="${messageId}"]`);
    await waitForText(row.getByTestId('risk-state'), /Wacht op koppeling/);
    await waitForText(row, new RegExp(policyNumber));

    // Keyboard: type the name in the search field, Enter searches; the one dossier found is chosen.
    const form = row.getByRole('form', { name: /koppelen$/ });
    await form.getByRole('textbox', { name: 'Dossier zoeken' }).focus();
    await page.keyboard.type(lastName);
    await page.keyboard.press('Enter');
    const dossierSelect = form.getByRole('combobox', { name: 'Dossier' });
    await expect.poll(() => dossierSelect.inputValue(), { timeout: 15_000 }).toBe(dossierId);
    await waitForText(form.getByRole('combobox', { name: 'Verzekeringnemer' }), new RegExp(lastName));
    await screenshot(page, 'risk-inbox-match');
    await form.getByRole('button', { name: 'Koppelen' }).focus();
    await page.keyboard.press('Enter');
    await waitForText(page.getByTestId('risk-matched'), /Gekoppeld \(Afgeleverd\)/);

    // The message left the waiting list; the dossier got an insurance product from it.
    const waiting = (await platform.api.get('/risk/inbox?state=waiting')).body as { id: string }[];
    expect(waiting.map((m) => m.id)).not.toContain(messageId);
    await expect
      .poll(async () => {
        const d = await platform.api.get(`/dossiers/${dossierId}`);
        return (d.body.products as { type: string }[]).filter((p) => p.type === 'insurance').length;
      })
      .toBe(2);
    await page.getByTestId('risk-matched').getByRole('link', { name: 'naar het dossier' }).click();
    await page.getByRole('heading', { name: /^Dossier / , level: 1 }).waitFor();
    await waitForText(page.getByRole('region', { name: 'Producten' }), /Inboedel/);
    await screenshot(page, 'risk-matched-dossier');
  }, 120_000);
});
