/**
 * The full CRM card (*relatiekaart*) and the work queue, in Chromium against the real platform
 * (issue 20): an adviser opens a card (tabs in the URL, arrow keys between them), sets a typed
 * property and an indicator, adds post-it notes (an always-first one with priority stays on
 * top), relates another person, records the identification (number answered masked), adds a
 * signal due today and sees the open counter, then finds the signal in the work queue on the
 * dashboard (GET /work-queue), follows its link to the card and marks it done there in the queue.
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

describe('The CRM card as tabs and the work queue, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Kaart-${suffix}`;

  it('works a card: property, indicator, notes, relation, identification, a signal that shows in the work queue and is marked done', async () => {
    const admin = { authorization: `Bearer ${platform.tokens.admin}` };
    const children = await platform.api.post('/crm/properties', { key: `kinderen-${suffix}`, label: `Aantal kinderen ${suffix}`, type: 'number' }, admin);
    expect(children.status, JSON.stringify(children.body)).toBe(201);
    const source = await platform.api.post('/crm/properties', { key: `bron-${suffix}`, label: `Bron ${suffix}`, type: 'choice', choices: ['Website', 'Beurs'] }, admin);
    expect(source.status, JSON.stringify(source.body)).toBe(201);
    const lead = await platform.api.post('/crm/indicators', { label: `Lead ${suffix}` }, admin);
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const created = await platform.api.post('/dossiers', {
      applicants: [
        { person: { firstName: 'Kees', lastName, birthDate: '1980-04-05', email: `kees.${suffix}@example.nl` } },
        { person: { firstName: 'Karin', lastName, birthDate: '1982-06-07', email: `karin.${suffix}@example.nl` } },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const personId = created.body.applicants[0].person.id as string;
    const card = async () => (await platform.api.get(`/persons/${personId}/card`)).body;

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/crm/persons/${personId}`);
    await page.getByRole('heading', { name: new RegExp(`Relatiekaart: Kees .*${lastName}`) }).waitFor();

    // The tabs by keyboard: the first tab is selected, the arrow key moves and selects, the URL follows.
    const tablist = page.getByRole('tablist', { name: 'Relatiekaart' });
    const gegevens = tablist.getByRole('tab', { name: 'Gegevens' });
    expect(await gegevens.getAttribute('aria-selected')).toBe('true');
    await gegevens.focus();
    await page.keyboard.press('ArrowRight');
    const eigenschappen = tablist.getByRole('tab', { name: 'Eigenschappen' });
    await expect.poll(() => eigenschappen.getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Eigenschappen');
    expect(new URL(page.url()).hash).toBe('#eigenschappen');

    // Eigenschappen: a number is saved as a number, a choice as its text.
    const childrenForm = page.getByRole('form', { name: `Eigenschap Aantal kinderen ${suffix}` });
    await childrenForm.getByRole('spinbutton', { name: `Aantal kinderen ${suffix}` }).fill('2');
    await childrenForm.getByRole('button', { name: /^Opslaan/ }).click();
    const sourceForm = page.getByRole('form', { name: `Eigenschap Bron ${suffix}` });
    await sourceForm.getByRole('combobox', { name: `Bron ${suffix}` }).selectOption('Beurs');
    await sourceForm.getByRole('button', { name: /^Opslaan/ }).click();
    await expect
      .poll(async () => (await card()).properties.filter((p: { key: string }) => p.key.endsWith(suffix)).map((p: { key: string; value: unknown }) => [p.key, p.value]).sort(), { timeout: 30_000 })
      .toEqual([
        [`bron-${suffix}`, 'Beurs'],
        [`kinderen-${suffix}`, 2],
      ]);
    await screenshot(page, 'crm-card-properties');

    // Indicatoren: switched on, shown above the tabs.
    await tablist.getByRole('tab', { name: 'Indicatoren' }).click();
    await page.getByRole('checkbox', { name: `Lead ${suffix}` }).check();
    await waitForText(page.getByLabel('Actieve indicatoren'), new RegExp(`Lead ${suffix}`));
    expect((await card()).indicators.map((i: { label: string }) => i.label)).toEqual([`Lead ${suffix}`]);

    // Notities as post-its: an always-first note with priority stays on top of a newer one.
    await tablist.getByRole('tab', { name: 'Notities' }).click();
    const notes = page.getByRole('region', { name: 'Notities' });
    const form = notes.getByRole('form', { name: 'Notitie toevoegen' });
    await form.getByLabel('Titel nieuwe notitie').fill(`Vastgepind ${suffix}`);
    await form.getByLabel('Notitie', { exact: true }).fill('Wil alleen na 18:00 gebeld worden.');
    await form.getByLabel('Prioriteit').selectOption('high');
    await form.getByLabel('Altijd eerst').check();
    await form.getByRole('button', { name: 'Notitie toevoegen' }).click();
    await waitForText(notes.getByTestId('note').first(), new RegExp(`Vastgepind ${suffix}`));
    await form.getByLabel('Titel nieuwe notitie').fill(`Later ${suffix}`);
    await form.getByRole('button', { name: 'Notitie toevoegen' }).click();
    const titles = () => notes.getByTestId('note').locator('strong').allTextContents();
    await expect.poll(titles, { timeout: 30_000 }).toEqual([`Vastgepind ${suffix}`, `Later ${suffix}`]);
    const pinned = notes.getByTestId('note').first();
    expect(await pinned.getAttribute('data-priority')).toBe('high');
    expect(await pinned.getAttribute('style')).toMatch(/background: rgb\(255, 216, 211\)/);
    expect(await notes.getByTestId('note').nth(1).getAttribute('style')).toMatch(/background: rgb\(255, 245, 177\)/);
    expect((await card()).notes.map((n: { title: string; priority: string; alwaysFirst: boolean }) => [n.title, n.priority, n.alwaysFirst])).toEqual([
      [`Vastgepind ${suffix}`, 'high', true],
      [`Later ${suffix}`, 'normal', false],
    ]);
    await screenshot(page, 'crm-card-notes');

    // Relaties: find the partner by e-mail and relate her; the relation is listed with a link.
    await tablist.getByRole('tab', { name: 'Relaties' }).click();
    const relate = page.getByRole('search', { name: 'Zoek een persoon om te relateren' });
    await relate.getByRole('searchbox', { name: 'Zoek persoon op naam of e-mail' }).fill(`karin.${suffix}@example.nl`);
    await relate.getByRole('combobox', { name: 'Is voor deze relatie' }).selectOption('partner');
    await relate.getByRole('button', { name: 'Zoeken' }).click();
    await waitForText(page.getByRole('list', { name: 'Gevonden personen' }), new RegExp(`Karin .*${lastName}`));
    // The visually hidden part of a button's name is a block of its own (absolutely positioned): hence "\s*:".
    await page.getByRole('button', { name: new RegExp(`Toevoegen als partner\\s*: Karin .*${lastName}`) }).click();
    await waitForText(page.getByTestId('relations'), new RegExp(`Partner: Karin .*${lastName}`));
    expect((await card()).relations.map((r: { type: string }) => r.type)).toEqual(['partner']);

    // Identificatie: the number is shown masked after saving.
    await tablist.getByRole('tab', { name: 'Identificatie' }).click();
    const idForm = page.getByRole('form', { name: 'Identificatie vastleggen' });
    await idForm.getByLabel('Soort document').selectOption('id-kaart');
    await idForm.getByLabel('Documentnummer').fill('IX12AB3456');
    await idForm.getByLabel('Geldig tot').fill('2031-01-31');
    await idForm.getByRole('button', { name: 'Identificatie opslaan' }).click();
    const shown = page.getByTestId('identification');
    await waitForText(shown, /Identiteitskaart.*3456/);
    expect(await shown.textContent()).not.toContain('IX12AB3456');

    // Signaleringen: a signal due today; the tab label counts it.
    const signalsTab = tablist.getByRole('tab', { name: /^Signaleringen/ });
    await waitForText(signalsTab, /Signaleringen 0 open/);
    await signalsTab.click();
    const signalForm = page.getByRole('form', { name: 'Signalering toevoegen' });
    await signalForm.getByLabel('Omschrijving').fill(`Bel terug ${suffix}`);
    await signalForm.getByRole('button', { name: 'Signalering toevoegen' }).click();
    await waitForText(signalsTab, /Signaleringen 1 open/);
    await waitForText(page.getByTestId('signal'), new RegExp(`Bel terug ${suffix}.*In werkvoorraad`));
    await screenshot(page, 'crm-card-signals');

    // The work queue on the dashboard reads /work-queue: the signal is there; its link opens the card's tab.
    await page.goto(`${platform.api.url}/ui/`);
    const queue = page.getByRole('region', { name: 'Werkvoorraad' });
    await queue.getByLabel('Soort').selectOption('signal');
    const item = queue.getByTestId('work-item').filter({ hasText: `Bel terug ${suffix}` });
    await waitForText(item, new RegExp(`Signalering.*Bel terug ${suffix}.*Kees .*${lastName}`));
    await screenshot(page, 'work-queue-signal');
    await item.getByRole('link', { name: `Bel terug ${suffix}` }).click();
    await expect.poll(() => tablist.getByRole('tab', { name: /^Signaleringen/ }).getAttribute('aria-selected')).toBe('true');
    expect(new URL(page.url()).hash).toBe('#signaleringen');

    await page.goBack();
    await queue.getByLabel('Soort').selectOption('signal');
    await item.getByRole('button', { name: new RegExp(`^Afgerond\\s*: Bel terug ${suffix}$`) }).click();
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(0);
    const after = await card();
    expect(after.signals.open).toBe(0);
    expect(after.signals.items.map((s: { title: string; done: boolean }) => [s.title, s.done])).toEqual([[`Bel terug ${suffix}`, true]]);
    const queued = await platform.api.get('/work-queue?kind=signal&limit=100');
    expect(queued.body.items.some((i: { title: string }) => i.title === `Bel terug ${suffix}`)).toBe(false);
  });
});
