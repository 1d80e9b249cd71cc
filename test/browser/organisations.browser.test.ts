/**
 * Organisations in the CRM (issue 19 deliverable 3), in Chromium against the real platform: the
 * adviser creates a notary under CRM | Organisaties (the KvK number typed with a space is stored
 * as 8 digits) and edits it, links a client as its contact person, links the notary to the client's dossier
 * under *Betrokken partijen*, and sees the link on the organisation page and the organisation on
 * the client's card; the dossier also shows the mortgage's lender, derived from the product's
 * company (not stored).
 */
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

describe('Organisaties in the CRM, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const kvk = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
  const notaryName = `Notariskantoor Zegelaar ${suffix}`;
  const lenderName = `Regiobank ${suffix}`;
  const lastName = `Koper-${suffix}`;

  it('creates an organisation, links a contact person and a dossier, and shows the links everywhere', async () => {
    const created = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Karel', lastName, birthDate: '1985-02-03', email: `karel.${suffix}@example.nl` } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const dossierId = created.body.id as string;
    const dossierNumber = created.body.number as string;
    const personId = created.body.applicants[0].person.id as string;
    const mortgage = await platform.api.post(`/dossiers/${dossierId}/products`, { type: 'mortgage', company: lenderName, parts: [{ description: 'Leningdeel 1' }] });
    expect(mortgage.status, JSON.stringify(mortgage.body)).toBe(201);
    const lender = await platform.api.post('/organisations', { kind: 'lender', name: lenderName });
    expect(lender.status, JSON.stringify(lender.body)).toBe(201);

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/crm`);
    await page.getByRole('link', { name: /^Organisaties/ }).click();
    await page.getByRole('heading', { name: 'CRM – organisaties', level: 1 }).waitFor();

    // Create: the KvK number as typed on a letterhead.
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    const form = page.getByRole('form', { name: 'Nieuwe organisatie' });
    await form.getByRole('combobox', { name: /^Soort/ }).selectOption('notary');
    await form.getByRole('textbox', { name: /^Naam/ }).fill(notaryName);
    await form.getByRole('textbox', { name: /^KvK-nummer/ }).fill(`${kvk.slice(0, 4)} ${kvk.slice(4)}`);
    await form.getByRole('textbox', { name: /^Plaats/ }).fill('');
    await form.getByRole('textbox', { name: /^Website/ }).fill(`www.zegelaar-${suffix}.nl`);
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('heading', { name: `Organisatie: ${notaryName}`, level: 1 }).waitFor();
    await waitForText(page.getByTestId('organisation-kvk'), new RegExp(`^${kvk.slice(0, 4)} ${kvk.slice(4)}$`));
    const organisationId = page.url().split('/').pop()!;
    expect((await platform.api.get(`/organisations/${organisationId}`)).body).toMatchObject({ kvkNumber: kvk, website: `https://www.zegelaar-${suffix}.nl` });

    // Edit (with the version it was read at): a phone number added.
    await page.getByRole('button', { name: 'Gegevens wijzigen' }).click();
    const edit = page.getByRole('form', { name: 'Organisatie wijzigen' });
    await edit.getByRole('textbox', { name: /^Telefoon/ }).fill('030-2345678');
    await edit.getByRole('button', { name: 'Opslaan' }).click();
    await waitForText(page.locator('dl.card'), /030-2345678/);
    expect((await platform.api.get(`/organisations/${organisationId}`)).body).toMatchObject({ phone: '030-2345678', kvkNumber: kvk, version: 2 });

    // The same KvK number again is answered with the existing organisation.
    await page.goto(`${platform.api.url}/ui/crm/organisations`);
    await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
    const again = page.getByRole('form', { name: 'Nieuwe organisatie' });
    await again.getByRole('combobox', { name: /^Soort/ }).selectOption('notary');
    await again.getByRole('textbox', { name: /^Naam/ }).fill(`Zegelaar ${suffix}`);
    await again.getByRole('textbox', { name: /^KvK-nummer/ }).fill(kvk);
    await again.getByRole('button', { name: 'Opslaan' }).click();
    await waitForText(again.getByRole('alert'), /al in gebruik/);
    await again.getByRole('link', { name: notaryName }).click();
    await page.getByRole('heading', { name: `Organisatie: ${notaryName}`, level: 1 }).waitFor();

    // Contact person: the client, found by name.
    const contactForm = page.getByRole('form', { name: 'Contactpersoon toevoegen' });
    await contactForm.getByRole('searchbox', { name: /Zoek relatie/ }).fill(lastName);
    await contactForm.getByRole('button', { name: 'Relatie zoeken' }).click();
    await contactForm.getByRole('combobox', { name: /^Relatie/ }).waitFor();
    await contactForm.getByRole('combobox', { name: /^Rol/ }).selectOption('notary');
    await contactForm.getByRole('textbox', { name: /^Functietitel/ }).fill('Kandidaat-notaris');
    await contactForm.getByRole('button', { name: 'Koppelen' }).click();
    const contacts = page.getByRole('region', { name: 'Contactpersonen' });
    await waitForText(contacts.getByRole('table'), new RegExp(`Karel ${lastName}.*Notaris.*Kandidaat-notaris`));

    // The dossier: link the notary under Betrokken partijen; the lender shows from the mortgage's company.
    await page.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
    const parties = page.getByRole('region', { name: 'Betrokken partijen' });
    await waitForText(parties.getByRole('table'), new RegExp(`${lenderName}.*Geldverstrekker.*maatschappij van het product`));
    const linkForm = parties.getByRole('form', { name: 'Partij koppelen' });
    await linkForm.getByRole('searchbox', { name: /Zoek organisatie/ }).fill(notaryName);
    await linkForm.getByRole('button', { name: 'Organisatie zoeken' }).click();
    await linkForm.getByRole('combobox', { name: /^Organisatie/ }).waitFor();
    await linkForm.getByRole('combobox', { name: /^Koppelen aan/ }).selectOption('dossier');
    await linkForm.getByRole('combobox', { name: /^Rol/ }).selectOption('notary');
    await linkForm.getByRole('button', { name: 'Koppelen' }).click();
    await waitForText(parties.getByRole('table'), new RegExp(`${notaryName}.*Notaris.*Dossier`));
    await screenshot(page, 'organisations-dossier-parties');

    // The organisation page lists the dossier; the client's card lists the organisation.
    await parties.getByRole('link', { name: notaryName }).click();
    const linked = page.getByRole('region', { name: 'Gekoppelde dossiers en producten' });
    await waitForText(linked.getByRole('table'), new RegExp(`Dossier ${dossierNumber}.*Notaris`));
    await page.goto(`${platform.api.url}/ui/crm/persons/${personId}#organisaties`);
    const onCard = page.getByRole('region', { name: 'Organisaties' });
    await waitForText(onCard, new RegExp(`${notaryName}.*Notaris.*Kandidaat-notaris`));
    await screenshot(page, 'organisations-person-card');

    // What the UI did is stored: one contact, one dossier link; the derived lender is not stored.
    expect((await platform.api.get(`/organisations/${organisationId}/links`)).body.items).toMatchObject([{ dossierId, role: 'notary', derived: false }]);
    expect((await platform.api.get(`/organisations/${lender.body.id}/links`)).body.items).toMatchObject([{ dossierId, role: 'lender', derived: true, id: null }]);
  });
});
