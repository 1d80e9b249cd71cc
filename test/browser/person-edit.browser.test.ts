/**
 * Editing a client's address on the person card, in Chromium against the real platform: the
 * adviser opens the card, changes the address with a postcode that is none (the API's 400 is
 * shown at the Postcode field and nothing is saved), corrects it, saves, and sees the new
 * address on the card and the history lines (who, field, old → new) under *Wijzigingshistorie*;
 * the dossier shows the same person with the same history (one person record), and an edit made
 * in the dossier is on the card too.
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

describe('Gegevens wijzigen on the person card, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Verhuizer-${suffix}`;
  const n = 1000 + Math.floor(Math.random() * 8999);
  const newStreet = `Kerkweg${suffix}`;

  it('edits the address, shows a refused postcode at its field, and lists the change in the history', async () => {
    const created = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Vera', lastName, birthDate: '1979-06-15', email: `vera.${suffix}@example.nl`, address: { street: 'Dorpsstraat', houseNumber: 5, postcode: `${n}AB`, city: 'Utrecht' } } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const personId = created.body.applicants[0].person.id as string;
    const dossierId = created.body.id as string;

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    // The history tab opens from a link (the tab is in the URL); Gegevens is the card's first tab.
    await page.goto(`${platform.api.url}/ui/crm/persons/${personId}#historie`);
    await page.getByRole('heading', { name: new RegExp(`Relatiekaart: Vera .*${lastName}`) }).waitFor();
    const history = page.getByRole('region', { name: 'Wijzigingshistorie' });
    await waitForText(history, /Nog geen wijzigingen/);
    await page.getByRole('tab', { name: 'Gegevens' }).click();

    await page.getByRole('button', { name: 'Gegevens wijzigen' }).click();
    const form = page.getByRole('form', { name: 'Gegevens wijzigen' });
    await form.getByRole('textbox', { name: /^Straat/ }).fill(newStreet);
    await form.getByRole('spinbutton', { name: /^Huisnummer/ }).fill('21');
    const postcode = form.getByRole('textbox', { name: /^Postcode/ });
    await postcode.fill('12345');
    await form.getByRole('textbox', { name: /^Plaats/ }).fill('Amersfoort');
    await form.getByRole('button', { name: 'Opslaan' }).click();
    // The API's problem, at the field it names; nothing saved.
    await expect.poll(() => postcode.getAttribute('aria-invalid')).toBe('true');
    const errorId = ((await postcode.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-postcode-error'));
    expect(errorId).toBeDefined();
    await waitForText(page.locator(`[id="${errorId}"]`), /Postcode: vier cijfers en twee letters/);
    expect((await platform.api.get(`/persons/${personId}`)).body.address.street).toBe('Dorpsstraat');
    await screenshot(page, 'person-edit-field-error');

    await postcode.fill('3811 aa');
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await waitForText(page.locator('dl.card'), new RegExp(`${newStreet} 21, 3811AA Amersfoort`));
    // The API has the lines; "Door" is the name of the adviser's credential, not its id.
    const lines = await platform.api.get(`/persons/${personId}/history`);
    await page.getByRole('tab', { name: 'Wijzigingshistorie' }).click();
    expect(lines.body.items.map((h: { field: string }) => h.field)).toEqual(['street', 'houseNumber', 'postcode', 'city']);
    const actorName = (lines.body.items[0].actorName as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const streetRow = history.getByRole('row').filter({ hasText: 'Straat' });
    await waitForText(streetRow, new RegExp(`${actorName}Straat.*Dorpsstraat → ${newStreet}`));
    await waitForText(history.getByRole('row').filter({ hasText: 'Postcode' }), new RegExp(`${n}AB → 3811AA`));
    await waitForText(history.getByRole('row').filter({ hasText: 'Plaats' }), /Utrecht → Amersfoort/);
    await screenshot(page, 'person-edit-history');

    // The dossier shows the same person with the same history.
    await page.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
    await waitForText(page.getByRole('region', { name: 'Aanvragers' }), new RegExp(`${newStreet} 21, 3811AA Amersfoort`));
    await waitForText(page.getByRole('region', { name: 'Wijzigingshistorie' }).getByRole('row').filter({ hasText: 'Straat' }), new RegExp(`Vera .*${lastName}.*Dorpsstraat → ${newStreet}`));

    // And edited in the dossier: the same person record, so the card reads it too.
    await page.getByRole('button', { name: new RegExp(`Gegevens wijzigen van Vera .*${lastName}`) }).click();
    const dossierForm = page.getByRole('form', { name: 'Gegevens wijzigen' });
    await dossierForm.getByRole('textbox', { name: /^Telefoon/ }).fill('06 1234 5678');
    await dossierForm.getByRole('button', { name: 'Opslaan' }).click();
    await waitForText(page.getByRole('region', { name: 'Aanvragers' }), /06 1234 5678/);
    await waitForText(page.getByRole('region', { name: 'Wijzigingshistorie' }).getByRole('row').filter({ hasText: 'Telefoon' }), /\(leeg\) → 06 1234 5678/);
    await screenshot(page, 'person-edit-dossier');
    const card = await platform.api.get(`/persons/${personId}`);
    expect(card.body).toMatchObject({ phone: '06 1234 5678', version: 3 });
    const dossierLines = await platform.api.get(`/dossiers/${dossierId}/history`);
    expect(dossierLines.body.items[0]).toMatchObject({ field: 'phone', position: 1, dossierId });
  });
});
