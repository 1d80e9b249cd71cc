/**
 * The adviser web UI in a real browser (Debian's Chromium via playwright-core), against the
 * real platform parts (startE2ePlatform): sign in with a pasted token, create a dossier, add a
 * service product and walk the service process to 'klant' by clicking only, including a
 * refused step whose reason is shown; then visit every page. Screenshots of each page go to
 * test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startE2ePlatform, type E2ePlatform } from '../helpers/e2e-platform.js';
import { ensureUiBuilt, launchChromium, screenshot, signIn, signInError, waitForText } from './support.js';

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

describe('adviser web UI: the service process by clicking', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Jansen-${suffix}`;
  let dossierId = '';

  it('serves the UI at /ui/ and asks for a token; a wrong token is refused', async () => {
    const config = await fetch(`${platform.api.url}/ui-config`).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(config.demoToken).toBeUndefined(); // never without DEMO_UI_TOKEN
    await page.goto(`${platform.api.url}/`);
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await page.getByRole('heading', { name: 'Inloggen bij dossierflow' }).waitFor();
    await page.getByLabel('Token').fill('not-a-token');
    await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
    await waitForText(signInError(page), /Onbekend, ingetrokken of verlopen token/);
    await screenshot(page, 'login');
  });

  it('signs in and shows the dashboard', async () => {
    await signIn(page, platform.api.url, platform.tokens.adviser!);
    for (const heading of ['HDN-inbox', 'Werkvoorraad', 'Facturen die actie vragen', 'Geparkeerde berichten']) {
      await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
    }
    await screenshot(page, 'dashboard');
  });

  it('creates a dossier and walks prospect → klant by clicking, a refused step shows its reason', async () => {
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Dossiers' }).click();
    await page.getByRole('link', { name: 'Nieuw dossier' }).click();
    await page.getByRole('heading', { name: 'Nieuw dossier', level: 1 }).waitFor();
    await page.getByLabel(/^Voornaam/).fill('Anna');
    await page.getByLabel(/^Achternaam/).fill(lastName);
    await page.getByLabel('Geboortedatum').fill('1990-04-12');
    await page.getByLabel('E-mail').fill(`anna.${suffix}@example.nl`);
    await page.getByLabel('Straat').fill('Dorpsstraat');
    await page.getByLabel('Huisnummer').fill('12');
    await page.getByLabel('Postcode').fill('3511 AB');
    await page.getByLabel('Plaats').fill('Utrecht');
    await screenshot(page, 'dossier-new');
    await page.getByRole('button', { name: 'Dossier aanmaken' }).click();

    const status = page.getByTestId('dossier-status');
    await waitForText(status, /^Prospect$/);
    dossierId = new URL(page.url()).pathname.split('/').pop()!;
    expect(dossierId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Aanvragers' }).waitFor();
    await waitForText(page.locator('.cards'), new RegExp(lastName));

    // A service product with one part.
    await page.getByLabel('Soort product').selectOption('service');
    await page.getByLabel(/^Omschrijving rechterdeel/).fill('Hypotheekadvies');
    await page.getByRole('button', { name: 'Product toevoegen' }).click();
    const card = page.getByRole('article', { name: /Dienst/ });
    const productStatus = card.getByTestId('product-status');
    await waitForText(productStatus, /^Nieuw$/);
    // The status icon tells type and category (blue = new).
    await card.getByRole('img', { name: /Dienst, status Nieuw, categorie nieuw \(blauw\)/ }).waitFor();
    // Exactly the steps allowed now.
    const steps = card.getByRole('region', { name: 'Volgende stappen' }).getByRole('button');
    await expect.poll(async () => (await steps.allTextContents()).sort()).toEqual(['Dienst laten vervallen', 'Stukkenlijst kiezen']);

    await card.getByRole('button', { name: 'Stukkenlijst kiezen' }).click();
    await card.getByLabel(/^Klantprofiel/).selectOption('loondienst');
    await card.getByRole('button', { name: 'Uitvoeren' }).click();
    await waitForText(productStatus, /^Stukkenlijst gekozen$/);

    await card.getByRole('button', { name: 'Activatielink versturen' }).click();
    await waitForText(productStatus, /^Activatielink verstuurd$/);

    // Refused: the contact moment without its report (Verslag) — the API's reason is shown.
    await card.getByRole('button', { name: 'Contactmoment registreren' }).click();
    await card.getByLabel(/^Kanaal/).selectOption('telefoon');
    await card.getByRole('button', { name: 'Uitvoeren' }).click();
    const alert = card.getByRole('alert').filter({ hasText: 'geweigerd' });
    await waitForText(alert, /Stap „Contactmoment registreren” geweigerd: .*Verslag.*verplicht/);
    await screenshot(page, 'dossier-step-refused');
    expect(await productStatus.textContent()).toBe('Activatielink verstuurd');

    await card.getByLabel(/^Verslag/).fill('Wensen en budget besproken; stukken volgen.');
    await card.getByLabel('Gespreksverslag mailen').check();
    await card.getByRole('button', { name: 'Uitvoeren' }).click();
    await waitForText(productStatus, /^In gesprek$/);
    await expect.poll(() => alert.count()).toBe(0);

    // The contact log (Contactmomenten) shows the moment with its channel, product and report mail, also filtered by product.
    const log = page.getByRole('region', { name: 'Contactmomenten' });
    const moment = log.getByRole('row').filter({ hasText: 'Wensen en budget besproken; stukken volgen.' });
    await waitForText(moment, /Telefoon.*Dienst.*„.+” \((wacht op verzending|verzonden)\)/);
    await log.getByLabel('Product').selectOption({ label: 'Dienst' });
    await waitForText(log.getByRole('table'), /1 contactmoment/);
    await moment.waitFor();
    await screenshot(page, 'dossier-contact-moments');

    await card.getByRole('button', { name: 'Opdracht tot dienstverlening aanmaken' }).click();
    await waitForText(productStatus, /^Opdracht verstrekt$/);
    await card.getByRole('img', { name: /categorie lopend \(groen\)/ }).waitFor();
    await waitForText(status, /^Klant$/);

    // The agreement PDF is in the documents and downloads.
    const docRow = page.getByRole('row').filter({ hasText: 'opdracht-tot-dienstverlening' });
    await docRow.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), docRow.getByRole('button', { name: /Downloaden/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    await card.getByText(/^Historie/).click();
    await screenshot(page, 'dossier-client');

    const dossier = await platform.api.get(`/dossiers/${dossierId}`);
    expect(dossier.body.status).toBe('client');
  });

  it('shows the CRM person card, billing and processes pages', async () => {
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await nav.getByRole('link', { name: 'CRM' }).click();
    await page.getByRole('status').filter({ hasText: 'Zoekvragenbeheer' }).waitFor();
    await page.getByLabel('Zoek relatie op naam of e-mail').fill(lastName);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByRole('link', { name: new RegExp(lastName) }).click();
    await page.getByRole('heading', { name: new RegExp(`Relatiekaart: Anna .*${lastName}`) }).waitFor();
    await page.getByRole('link', { name: /^Dossier / }).first().waitFor();
    // The person's contact moments, across their dossiers, link to the dossier (on the card's tab Contact).
    await page.getByRole('tab', { name: 'Contact' }).click();
    const personLog = page.getByRole('region', { name: 'Contactmomenten' });
    await waitForText(personLog.getByRole('row').filter({ hasText: 'Wensen en budget besproken' }), /Dossier [0-9]{4}-[0-9]+, Dienst/);
    await screenshot(page, 'crm-person');

    await nav.getByRole('link', { name: 'Facturatie' }).click();
    await page.getByRole('heading', { name: 'Aanmaningsmodule' }).waitFor();
    await page.getByRole('heading', { name: 'Historie' }).waitFor();
    await screenshot(page, 'billing');

    await nav.getByRole('link', { name: 'Processen' }).click();
    await page.getByRole('heading', { name: 'Dienst (Dienst) · service', exact: true }).waitFor();
    await page.getByText('Stukkenlijst kiezen').first().waitFor();
    await screenshot(page, 'processes');
  });
});
