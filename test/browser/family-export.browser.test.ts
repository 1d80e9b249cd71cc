/**
 * Family data and the export for advice software (issue 19 deliverables 6 and 7), in Chromium
 * against the real platform: on the person card the adviser records gender and marital status
 * and a child in the *Gezin* section and sees the current partner; on the dossier page
 * *Exporteer voor adviessoftware* downloads the JSON with that family data, and the HDN file.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

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

describe('Gezin on the person card and Exporteer voor adviessoftware, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Gezin-${suffix}`;
  const n = 1000 + Math.floor(Math.random() * 8999);

  it('records the family on the card and exports it from the dossier', async () => {
    const created = await platform.api.post('/dossiers', {
      applicants: [
        { person: { firstName: 'Femke', lastName, birthDate: '1982-03-03', email: `femke.${suffix}@example.nl`, address: { street: 'Dorpsstraat', houseNumber: 7, postcode: `${n}GZ`, city: 'Zwolle' } } },
        { person: { firstName: 'Gijs', lastName, birthDate: '1981-08-08', email: `gijs.${suffix}@example.nl` } },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const dossierId = created.body.id as string;
    const [femke, gijs] = created.body.applicants.map((a: { person: { id: string } }) => a.person.id) as [string, string];
    const partnership = await platform.api.post(`/persons/${femke}/partnerships`, { partnerId: gijs, kind: 'marriage', startDate: '2010-06-12' });
    expect(partnership.status, JSON.stringify(partnership.body)).toBe(201);

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/crm/persons/${femke}#gezin`);
    const gezin = page.getByRole('region', { name: 'Gezin' });
    await waitForText(gezin.getByTestId('current-partner'), new RegExp(`Gijs ${lastName} \\(huwelijk sinds`));

    const fields = gezin.getByRole('form', { name: 'Geslacht en burgerlijke staat' });
    await fields.getByLabel('Geslacht').selectOption({ label: 'Vrouw' });
    await fields.getByLabel('Burgerlijke staat').selectOption({ label: 'Gehuwd onder huwelijkse voorwaarden' });
    await fields.getByRole('button', { name: 'Gezinsgegevens opslaan' }).click();
    await expect.poll(async () => (await platform.api.get(`/persons/${femke}`)).body.maritalStatus).toBe('married_prenuptial');

    const child = gezin.getByRole('form', { name: 'Kind toevoegen' });
    await child.getByLabel('Voornaam').fill('Daan');
    await child.getByLabel('Achternaam').fill(lastName);
    await child.getByLabel('Geboortedatum').fill('2013-09-01');
    await child.getByRole('button', { name: 'Kind toevoegen' }).click();
    await waitForText(gezin.getByRole('table', { name: 'Kinderen' }), new RegExp(`Daan ${lastName}`));
    // A child born in the future is refused by the API, and its answer is shown.
    await child.getByLabel('Voornaam').fill('Later');
    await child.getByLabel('Achternaam').fill(lastName);
    await child.getByLabel('Geboortedatum').fill('2199-01-01');
    await child.getByRole('button', { name: 'Kind toevoegen' }).click();
    await waitForText(gezin.getByRole('alert'), /birthDate ligt in de toekomst/);
    await screenshot(page, 'family-section');

    await page.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporteer voor adviessoftware' }).click()]);
    expect(json.suggestedFilename()).toMatch(/^klantgegevens-.*\.json$/);
    const body = JSON.parse(await readFile((await json.path())!, 'utf8'));
    expect(body.schemaVersion).toBe('1.0');
    expect(body.clients[0]).toMatchObject({
      firstName: 'Femke',
      gender: 'female',
      maritalStatus: 'married_prenuptial',
      currentPartner: { personId: gijs, kind: 'marriage', coApplicant: true },
      children: [{ firstName: 'Daan', lastName, birthDate: '2013-09-01' }],
    });
    const [hdn] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporteer als HDN-bestand' }).click()]);
    expect(hdn.suggestedFilename()).toMatch(/-hdn\.xml$/);
    const xml = await readFile((await hdn.path())!, 'utf8');
    expect(xml).toContain('<VoorNaam>Daan</VoorNaam>');
    expect(xml).toContain('<BurgerlijkeStaat>04</BurgerlijkeStaat>');
  });
});
