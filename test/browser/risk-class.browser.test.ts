/**
 * Manual risk classification on the person card, in Chromium against the real platform: the
 * adviser opens the card of a client without any Ockto retrieval, sets a class with too short a
 * motivation (the API's 400 is shown at the Motivering field), then with a real one, moving and
 * submitting by keyboard, and sees the class as current and in the history with the source "Handmatig".
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
});
