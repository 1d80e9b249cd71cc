/**
 * The query manager (CRM → Zoekvragen) in a real browser against the real platform parts
 * (startE2ePlatform): two dossiers made over the API — one with only a mortgage, one with a
 * mortgage and a second product — then "met hypotheek (bij our maatschappij), zonder <second
 * product>" in the UI finds exactly the first person; the selection is saved, shows in the
 * saved list and exports as CSV (a download fetched with the bearer token); call tasks and a
 * mail campaign are made over it and the campaign's progress updates on its own; finally the
 * saved selection is loaded back into the form and deleted.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startE2ePlatform, type E2ePlatform } from '../helpers/e2e-platform.js';
import { ensureUiBuilt, launchChromium, screenshot, signIn, waitForText } from './support.js';

let platform: E2ePlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ensureUiBuilt();
  platform = await startE2ePlatform();
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true, locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await platform?.stop();
});

interface Made {
  dossierId: string;
  number: string;
  name: string;
  email: string;
}

describe('adviser web UI: the query manager', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const company = `Bank ${suffix}`;
  const savedName = `Hypotheek zonder tweede product ${suffix}`;
  let onlyMortgage: Made;
  let both: Made;
  /** The second product of `both`: insurance when the API makes one, else service. */
  let excluded: 'insurance' | 'service' = 'insurance';

  async function dossier(lastName: string, n: number): Promise<Made> {
    const email = `${lastName.toLowerCase()}@example.nl`;
    const res = await platform.api.post('/dossiers', {
      applicants: [
        {
          person: {
            firstName: 'Mila',
            lastName,
            birthDate: '1985-06-01',
            email,
            address: { street: 'Kerkstraat', houseNumber: n, postcode: '3511 AB', city: 'Utrecht' },
          },
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { dossierId: res.body.id, number: res.body.number, name: res.body.applicants[0].person.name, email };
  }

  async function product(dossierId: string, type: string, withCompany?: string) {
    return platform.api.post(`/dossiers/${dossierId}/products`, {
      type,
      ...(withCompany ? { company: withCompany } : {}),
      parts: [{ description: type === 'mortgage' ? 'Leningdeel 1' : 'Onderdeel 1' }],
    });
  }

  it('makes a dossier with a mortgage and one with a mortgage and a second product (API)', async () => {
    onlyMortgage = await dossier(`Alleen-${suffix}`, 11);
    both = await dossier(`Beide-${suffix}`, 12);
    for (const d of [onlyMortgage, both]) {
      const res = await product(d.dossierId, 'mortgage', company);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const insurance = await product(both.dossierId, 'insurance', 'Woonverzekeraar');
    if (insurance.status !== 201) {
      excluded = 'service';
      const service = await product(both.dossierId, 'service');
      expect(service.status, JSON.stringify(service.body)).toBe(201);
    }
  });

  it('runs "met hypotheek, zonder <tweede product>" and finds exactly the first person', async () => {
    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'CRM' }).click();
    await page.getByRole('heading', { name: 'CRM – relaties', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Zoekvragen' }).click();
    await page.getByRole('heading', { name: 'Zoekvragen', level: 2 }).waitFor();

    const form = page.getByRole('form', { name: 'Zoekvraag' });
    const first = form.getByRole('group', { name: 'Productfilter 1' });
    await first.getByRole('radio', { name: 'met', exact: true }).check();
    await first.getByLabel('Soort product').selectOption('mortgage');
    await first.getByLabel(/^Maatschappij/).fill(company);
    const second = form.getByRole('group', { name: 'Productfilter 2' });
    await second.getByRole('radio', { name: 'zonder', exact: true }).check();
    await second.getByLabel('Soort product').selectOption(excluded);
    await form.getByRole('button', { name: 'Zoeken', exact: true }).click();

    const result = page.getByRole('region', { name: 'Resultaat' });
    await waitForText(result.locator('caption'), /^1 persoon gevonden/);
    const rows = result.getByRole('row');
    await expect.poll(() => rows.count()).toBe(2); // the header and exactly one person
    const row = rows.nth(1);
    expect(await row.textContent()).toContain(onlyMortgage.email);
    await row.getByRole('link', { name: onlyMortgage.name }).waitFor();
    const dossierLink = row.getByRole('link', { name: onlyMortgage.number, exact: true });
    expect(await dossierLink.getAttribute('href')).toBe(`/ui/dossiers/${onlyMortgage.dossierId}`);
    expect(await result.textContent()).not.toContain(both.email);
  });

  it('saves the selection, lists it and exports it as CSV', async () => {
    const saveForm = page.getByRole('form', { name: 'Zoekvraag opslaan' });
    await saveForm.getByLabel(/^Naam van de zoekvraag/).fill(savedName);
    await saveForm.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('status').filter({ hasText: `Zoekvraag „${savedName}” opgeslagen.` }).waitFor();
    const savedRow = page.getByRole('table', { name: 'Opgeslagen zoekvragen' }).getByRole('row').filter({ hasText: savedName });
    await savedRow.waitFor();
    await waitForText(savedRow, new RegExp(`met hypotheek bij ${company}, zonder ${excluded === 'insurance' ? 'verzekering' : 'dienst'}`));

    const [download] = await Promise.all([page.waitForEvent('download'), savedRow.getByRole('button', { name: `Zoekvraag ${savedName} exporteren als CSV` }).click()]);
    expect(download.suggestedFilename()).toMatch(/^selectie-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(onlyMortgage.email);
    expect(csv).not.toContain(both.email);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), savedRow.getByRole('button', { name: `Zoekvraag ${savedName} exporteren als Excel` }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^selectie-.*\.xlsx$/);
  });

  it('makes call tasks and starts a mail campaign whose progress updates by itself', async () => {
    const tasks = page.getByRole('form', { name: 'Beltaken maken' });
    await tasks.getByLabel(/^Titel van de beltaak/).fill('Bellen: woonlastenverzekering aanbieden');
    await tasks.getByRole('button', { name: 'Beltaken maken' }).click();
    await waitForText(tasks.getByRole('status'), /^1 beltaak\/beltaken gemaakt voor 1 dossier/);
    const dossier = await platform.api.get(`/dossiers/${onlyMortgage.dossierId}`);
    expect((dossier.body.tasks as { title: string }[]).map((t) => t.title)).toContain('Bellen: woonlastenverzekering aanbieden');

    const campaign = page.getByRole('form', { name: 'Mailcampagne starten' });
    await campaign.getByLabel(/^Naam van de campagne/).fill(`Nieuwsbrief ${suffix}`);
    await expect.poll(() => campaign.getByLabel(/^Mailsjabloon/).inputValue()).toBe('campaign-newsletter');
    await campaign.getByRole('button', { name: 'Mailcampagne starten' }).click();
    await waitForText(campaign.getByRole('status'), /gestart voor 1 ontvanger/);

    const campaignRow = page.getByRole('table', { name: 'Mailcampagnes' }).getByRole('row').filter({ hasText: `Nieuwsbrief ${suffix}` });
    await waitForText(campaignRow.getByTestId('campaign-status'), /^Voltooid$/, 60_000);
    await waitForText(campaignRow, /Voltooid.*1\s*0\s*0\s*1/); // sent 1, failed 0, skipped 0, total 1
    await screenshot(page, 'query-manager');
  });

  it('loads a saved selection into the form and deletes it', async () => {
    await page.getByRole('button', { name: 'Formulier leegmaken' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Productfilter 1' }).getByLabel('Soort product').inputValue()).toBe('');
    await page.getByRole('button', { name: `Zoekvraag ${savedName} laden` }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Productfilter 1' }).getByLabel('Soort product').inputValue()).toBe('mortgage');
    await waitForText(page.getByRole('region', { name: 'Resultaat' }).locator('caption'), /^1 persoon gevonden/);
    await page.getByRole('button', { name: `Zoekvraag ${savedName} verwijderen` }).click();
    await page.getByText('Je hebt nog geen zoekvragen opgeslagen.').waitFor();
    expect((await platform.api.get('/selections/saved')).body.items).toEqual([]);
  });
});
