/**
 * Beheer (issue 20 deliverable 3, admin), in Chromium against the real platform: an admin finds
 * a client, sees what is linked to them (their dossier, its product) before confirming, cannot
 * delete them (data is linked), anonymises them with the keyboard, and sees the act in the
 * privacy audit; the client's name is gone from the person search afterwards.
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

describe('Beheer: anonymise a person, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Vergeten-${suffix}`;

  it('shows the linked counts first, then anonymises and lists the act in the privacy audit', async () => {
    const created = await platform.api.post('/dossiers', { applicants: [{ person: { firstName: 'Roos', lastName, birthDate: '1979-09-10', email: `roos.${suffix}@example.nl` } }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const personId = created.body.applicants[0].person.id as string;
    const product = await platform.api.post(`/dossiers/${created.body.id}/products`, { type: 'service', parts: [{ description: 'Hypotheekadvies' }] });
    expect(product.status, JSON.stringify(product.body)).toBe(201);

    await signIn(page, platform.api.url, platform.tokens.admin!);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Beheer' }).click();
    await page.getByRole('heading', { name: 'Beheer', level: 1 }).waitFor();

    await page.getByRole('searchbox', { name: 'Naam of e-mailadres' }).fill(lastName);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: `Gevolgen bekijken voor Roos ${lastName}` }).click();

    const counts = page.getByRole('definition');
    await page.getByRole('heading', { name: `Gevolgen voor Roos ${lastName}` }).waitFor();
    const terms = await page.getByRole('term').allTextContents();
    const values = await counts.allTextContents();
    const shown = Object.fromEntries(terms.map((t, i) => [t, values[i]]));
    expect(shown).toMatchObject({ 'Dossiers met alleen deze aanvrager': '1', 'Dossiers met een medeaanvrager': '0', 'Producten en polissen': '1' });
    expect(await page.getByRole('button', { name: 'Verwijderen…' }).isDisabled()).toBe(true);
    await screenshot(page, 'admin-privacy-preview');

    // Keyboard: open the confirmation, then confirm.
    await page.getByRole('button', { name: 'Anonimiseren…' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Roos ${lastName} definitief anonimiseren?`).waitFor();
    await page.getByRole('button', { name: 'Ja, anonimiseren' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /^Geanonimiseerd\. Gewijzigd per tabel: .*persons: 1/ }).waitFor();
    await page.getByText(/Deze persoon is geanonimiseerd op/).waitFor();

    const audit = page.getByRole('table', { name: 'Privacy-audit' });
    const row = audit.getByRole('row').filter({ hasText: personId });
    await expect.poll(async () => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Geanonimiseerd');
    await screenshot(page, 'admin-privacy-audit');

    // The name is gone: the person search no longer finds them by it.
    const again = await platform.api.get(`/persons?q=${encodeURIComponent(lastName)}`);
    expect(again.body.items).toEqual([]);
  });
});
