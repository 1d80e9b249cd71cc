/**
 * Manual risk classification on the person card, in Chromium against the real platform: the
 * adviser opens the card of a client without any Ockto retrieval, sets a class with too short a
 * motivation (the API's 400 is shown at the Motivering field), then with a real one, moving and
 * submitting by keyboard, and sees the class as current and in the history with the source "Handmatig".
 * Then, for another client, the adviser starts an Ockto retrieval: the client's link shows, the
 * simulated Ockto's client shares, the answers and the derived class appear without a reload,
 * and the adviser deviates from the class with a motivation (too short first: the API's 400 at
 * the field), which becomes the current class with the source "Ockto (afwijking)".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;

beforeAll(async () => {
  // The simulated Ockto's client shares 3 s after the session starts: long enough to see the link.
  session = await openBrowserPlatform({ ockto: { scenario: 'shares', actAfterMs: 3000 } });
  ({ platform, page } = session);
});

afterAll(async () => {
  await session?.close();
});

describe('Risicoclassificatie on the person card, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Risico-${suffix}`;
  const motivation = `Geen Ockto: paspoort op kantoor gezien, inkomen uit loonstroken verklaard (${suffix})`;

  it('sets a class with a motivation and shows it in the history as Handmatig', async () => {
    const created = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Rita', lastName, birthDate: '1985-03-02', email: `rita.${suffix}@example.nl` } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const personId = created.body.applicants[0].person.id as string;

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/crm/persons/${personId}#identificatie`);
    await page.getByRole('heading', { name: new RegExp(`Relatiekaart: Rita .*${lastName}`) }).waitFor();
    const section = page.getByRole('region', { name: 'Risicoclassificatie' });
    await waitForText(section.getByTestId('current-risk-class'), /Nog niet vastgesteld/);

    // Choose the class, then by keyboard: Tab to the motivation, type it, Tab to the button, Enter.
    const select = section.getByRole('combobox', { name: /^Risicoklasse/ });
    await select.focus();
    await select.selectOption('Hoog');
    await page.keyboard.press('Tab');
    await page.keyboard.type('  te kort ');
    const motivationField = section.getByRole('textbox', { name: /^Motivering/ });
    await expect.poll(() => motivationField.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // The API's problem, at the field it names.
    await expect.poll(() => motivationField.getAttribute('aria-invalid')).toBe('true');
    const described = (await motivationField.getAttribute('aria-describedby')) ?? '';
    const errorId = described.split(' ').find((id) => id.endsWith('-motivation-error'));
    expect(errorId).toBeDefined();
    await waitForText(page.locator(`[id="${errorId}"]`), /at least 10 characters/);
    await waitForText(section.getByTestId('current-risk-class'), /Nog niet vastgesteld/);
    await screenshot(page, 'risk-class-field-error');

    await motivationField.fill(motivation);
    await motivationField.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitForText(section.getByTestId('current-risk-class'), /^Hoog$/);
    const row = section.getByRole('row').filter({ hasText: motivation });
    await waitForText(row, /Hoog.*Handmatig/);
    expect(await motivationField.getAttribute('aria-invalid')).toBeNull();
    await screenshot(page, 'risk-class-history');

    // The card read after a reload shows the same, from the API.
    await page.reload();
    await waitForText(page.getByRole('region', { name: 'Risicoclassificatie' }).getByTestId('current-risk-class'), /^Hoog$/);
    const risk = await platform.api.get(`/persons/${personId}/risk-class`);
    expect(risk.body.history).toEqual([expect.objectContaining({ to: 'Hoog', motivation, source: 'manual', origin: 'manual' })]);
    // "Door": the name of the adviser's credential, not its id.
    const actorName = risk.body.history[0].actorName as string;
    expect(actorName).toMatch(/\S/);
    const escaped = actorName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await waitForText(page.getByRole('region', { name: 'Risicoclassificatie' }).getByRole('row').filter({ hasText: motivation }), new RegExp(`Handmatig.*${escaped}`));
  });

  it('starts an Ockto retrieval, shows the link, the answers and the class, and overrides the class with a motivation', async () => {
    const ocktoName = `Ockto-${suffix}`;
    const created = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Otto', lastName: ocktoName, birthDate: '1982-08-09', email: `otto.${suffix}@example.nl` } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const personId = created.body.applicants[0].person.id as string;

    await page.goto(`${platform.api.url}/ui/crm/persons/${personId}#identificatie`);
    await page.getByRole('heading', { name: new RegExp(`Relatiekaart: Otto .*${ocktoName}`) }).waitFor();
    const section = page.getByRole('region', { name: 'Risicoclassificatie' });
    const ockto = section.getByRole('region', { name: 'Ockto' });
    await waitForText(ockto, /Nog geen Ockto-uitvraag/);
    await ockto.getByRole('button', { name: 'Ockto-uitvraag starten' }).focus();
    await page.keyboard.press('Enter');

    // The client's link while Ockto waits for the client; then the answers, without a reload.
    await waitForText(ockto.getByTestId('ockto-link'), /^https?:\/\//);
    await waitForText(ockto.getByTestId('ockto-status'), /Wacht op de klant/);
    await screenshot(page, 'ockto-waiting-link');
    await waitForText(ockto.getByTestId('ockto-status'), /Gegevens ontvangen, klasse bepaald/, 60_000);
    await waitForText(ockto.getByTestId('ockto-answer-identity'), /Ja, geverifieerd/);
    await waitForText(ockto.getByTestId('ockto-derived-class'), /^Laag$/);
    await waitForText(section.getByTestId('current-risk-class'), /^Laag$/);
    await waitForText(section.getByRole('row').filter({ hasText: 'Ockto (brondata)' }), /Laag/);

    // Deviate: too short a motivation first (the API's 400 at the field), then a real one.
    const deviate = ockto.getByRole('form', { name: 'Afwijken van de Ockto-klasse' });
    await deviate.getByRole('combobox', { name: /^Nieuwe klasse/ }).selectOption('Hoog');
    const motivationField = deviate.getByRole('textbox', { name: /^Motivering van de afwijking/ });
    await motivationField.fill('kort');
    await deviate.getByRole('button', { name: 'Afwijking vastleggen' }).click();
    await expect.poll(() => motivationField.getAttribute('aria-invalid')).toBe('true');
    await waitForText(ockto.getByTestId('ockto-current-class'), /^Laag$/);

    const why = `Klant werkt in een land met verhoogd risico; bron vermogen deels onduidelijk (${suffix})`;
    await motivationField.fill(why);
    await motivationField.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitForText(ockto.getByTestId('ockto-current-class'), /^Hoog$/);
    await waitForText(ockto.getByTestId('ockto-derived-class'), /^Laag$/);
    await waitForText(section.getByTestId('current-risk-class'), /^Hoog$/);
    await waitForText(section.getByRole('row').filter({ hasText: why }), /Laag → Hoog.*Ockto \(afwijking\)/);
    await screenshot(page, 'ockto-class-overridden');

    const risk = await platform.api.get(`/persons/${personId}/risk-class`);
    expect(risk.body.currentClass).toBe('Hoog');
    expect(risk.body.retrievals).toEqual([expect.objectContaining({ status: 'classified', currentClass: 'Hoog' })]);
    expect(risk.body.history).toEqual([
      expect.objectContaining({ to: 'Laag', source: 'data', origin: 'ockto' }),
      expect.objectContaining({ from: 'Laag', to: 'Hoog', motivation: why, source: 'manual', origin: 'ockto' }),
    ]);
  }, 120_000);
});
