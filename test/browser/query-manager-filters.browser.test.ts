/**
 * Acceptance of issue 19 (query manager) in a real browser against the real platform: three
 * clients made over the API — an interest-only (*aflossingsvrij*) loan part without home
 * insurance, the same with a home insurance quote (coverage OPSTAL), and an annuity — then
 * "met leningdeel aflossingsvrij, zonder dekking OPSTAL" built in the UI finds exactly the
 * first; its CSV and Excel exports hold exactly that person; the whole-CRM export holds all
 * three and a person who has no dossier.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;

beforeAll(async () => {
  session = await openBrowserPlatform();
  platform = session.platform;
  page = session.page;
});

afterAll(async () => {
  await session?.close();
});

interface Made {
  dossierId: string;
  email: string;
  name: string;
}

describe('adviser web UI: interest-only clients without home insurance', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  let interestOnly: Made;
  let insured: Made;
  let annuity: Made;
  let lonelyEmail: string;

  async function client(lastName: string, n: number): Promise<Made> {
    const email = `${lastName.toLowerCase()}@example.nl`;
    const res = await platform.api.post('/dossiers', {
      applicants: [
        {
          person: { firstName: 'Noor', lastName, birthDate: '1980-02-03', email, address: { street: 'Stationsweg', houseNumber: n, postcode: '6711 PM', city: 'Ede' } },
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { dossierId: res.body.id, email, name: res.body.applicants[0].person.name };
  }

  async function mortgage(d: Made, repaymentType: string, amountCents: number): Promise<void> {
    const res = await platform.api.post(`/dossiers/${d.dossierId}/products`, {
      type: 'mortgage',
      company: 'Testbank',
      parts: [{ description: 'Leningdeel 1', repaymentType, amountCents }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  it('makes the clients over the API', async () => {
    interestOnly = await client(`Aflosvrij-${suffix}`, 1);
    insured = await client(`Verzekerd-${suffix}`, 2);
    annuity = await client(`Annuiteit-${suffix}`, 3);
    await mortgage(interestOnly, 'aflossingsvrij', 25_000_000);
    await mortgage(insured, 'aflossingsvrij', 18_000_000);
    await mortgage(annuity, 'annuiteit', 30_000_000);
    const quote = await platform.api.post(`/dossiers/${insured.dossierId}/insurance-quotes`, {
      branch: '020',
      startDate: '2027-01-01',
      coverages: [{ code: 'OPSTAL', description: 'Opstalverzekering' }],
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    lonelyEmail = `zonder-dossier-${suffix}@example.nl`;
    const person = await platform.api.post('/persons', {
      firstName: 'Zonder',
      lastName: `Dossier-${suffix}`,
      birthDate: '1975-07-07',
      email: lonelyEmail,
      address: { street: 'Markt', houseNumber: 9, postcode: '6711 AA', city: 'Ede' },
    });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
  });

  it('builds "met leningdeel aflossingsvrij, zonder dekking OPSTAL" and finds exactly the first client', async () => {
    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'CRM' }).click();
    await page.getByRole('heading', { name: 'CRM – relaties', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Zoekvragen' }).click();
    await page.getByRole('heading', { name: 'Zoekvragen', level: 2 }).waitFor();

    const form = page.getByRole('form', { name: 'Zoekvraag' });
    await form.getByRole('group', { name: 'Leningdeel' }).getByLabel('Aflossingsvorm').selectOption('aflossingsvrij');
    await form.getByRole('group', { name: 'Dekkingen' }).getByLabel(/^Zonder dekking/).fill('OPSTAL');
    await form.getByRole('button', { name: 'Zoeken', exact: true }).click();

    const result = page.getByRole('region', { name: 'Resultaat' });
    await waitForText(result.locator('caption'), /^1 persoon gevonden – met leningdeel aflossingsvrij, zonder dekking OPSTAL/);
    const rows = result.getByRole('row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toContain(interestOnly.email);
    await rows.nth(1).getByRole('link', { name: interestOnly.name }).waitFor();
  });

  it('exports the result as CSV and Excel with exactly that client', async () => {
    const exports = page.getByRole('group', { name: 'Resultaat exporteren' });
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), exports.getByRole('button', { name: 'Exporteren als CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^selectie-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await csvDownload.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Naam;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(interestOnly.email);

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), exports.getByRole('button', { name: 'Exporteren als Excel' }).click()]);
    expect(xlsxDownload.suggestedFilename()).toMatch(/^selectie-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsxDownload.path())!);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect(String(sheet.getRow(2).getCell(5).value)).toBe(interestOnly.email);
    await screenshot(page, 'query-manager-filters');
  });

  it('filters on a CRM property (number ≥) and an indicator (heeft) built in the UI', async () => {
    const admin = { authorization: `Bearer ${platform.tokens.admin!}` };
    const key = `kinderen-${suffix}`;
    const def = await platform.api.post('/crm/properties', { key, label: `Aantal kinderen ${suffix}`, type: 'number' }, admin);
    expect(def.status, JSON.stringify(def.body)).toBe(201);
    const indicator = await platform.api.post('/crm/indicators', { label: `Lead ${suffix}` }, admin);
    expect(indicator.status, JSON.stringify(indicator.body)).toBe(201);
    const personOf = async (d: Made) => (await platform.api.get(`/dossiers/${d.dossierId}`)).body.applicants[0].person.id as string;
    const put = (pathname: string, body: unknown) => platform.send(pathname, { method: 'PUT', token: platform.tokens.adviser!, contentType: 'application/json', body: JSON.stringify(body) });
    for (const [d, n] of [[interestOnly, 2], [insured, 3], [annuity, 1]] as const) {
      expect((await put(`/persons/${await personOf(d)}/properties/${key}`, { value: n })).status).toBe(200);
    }
    for (const d of [interestOnly, annuity]) {
      expect((await put(`/persons/${await personOf(d)}/indicators`, { indicatorIds: [indicator.body.id] })).status).toBe(200);
    }

    // The definitions load with the page.
    await page.reload();
    await page.getByRole('tab', { name: 'Zoekvragen' }).click();
    const form = page.getByRole('form', { name: 'Zoekvraag' });
    await form.getByRole('button', { name: 'Formulier leegmaken' }).click();
    const crm = form.getByRole('group', { name: 'Eigenschappen en indicatoren' });
    await crm.getByRole('button', { name: 'Eigenschap toevoegen' }).click();
    const row = crm.getByRole('group', { name: 'Eigenschap 1' });
    await row.getByLabel('Eigenschap', { exact: true }).selectOption(key);
    await row.getByLabel('Vergelijking').selectOption('gte');
    await row.getByLabel('Waarde').fill('2');
    await crm.getByLabel(`Indicator Lead ${suffix}`).selectOption('with');
    await form.getByRole('button', { name: 'Zoeken', exact: true }).click();

    const result = page.getByRole('region', { name: 'Resultaat' });
    await waitForText(result.locator('caption'), new RegExp(`^1 persoon gevonden – ${key} ≥ 2, met indicator Lead ${suffix}`));
    expect(await result.getByRole('row').nth(1).textContent()).toContain(interestOnly.email);
  });

  it('exports the whole CRM: every client, also the person without a dossier', async () => {
    const whole = page.getByRole('group', { name: 'Hele CRM exporteren' });
    const [download] = await Promise.all([page.waitForEvent('download'), whole.getByRole('button', { name: 'Alle personen als CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^crm-personen-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    for (const email of [interestOnly.email, insured.email, annuity.email, lonelyEmail]) expect(text).toContain(email);
    const lonely = text.split('\r\n').find((l) => l.includes(lonelyEmail))!;
    expect(lonely.split(';')[13]).toBe(''); // no dossier number
  });
});
