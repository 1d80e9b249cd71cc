/**
 * The mortgage in the adviser web UI, in a real browser: advice software posts an AX (over
 * the API, as test/e2e/hdn.e2e.test.ts does), the adviser turns it into a product with one
 * click on the dashboard's HDN inbox, sends the application with a button, and watches the
 * simulated lender's SX messages move the product along on the open dossier page without a
 * reload (the page polls). The lender's messages show with their XML.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newId } from '../../db/ids.js';
import { DEMO_HDN_NODES, DEMO_LENDER } from '../../scripts/seed.js';
import { buildHdn, parseHdn } from '../../integrations/hdn/codec.js';
import type { HdnApplication } from '../../integrations/hdn/types.js';
import { E2E_HDN_NODE, type E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;

beforeAll(async () => {
  // Slow enough that the page sees intermediate statuses, fast enough for a test.
  session = await openBrowserPlatform({ lender: { scenario: 'happy', stepDelayMs: 600, sx09DelayMs: 300 } });
  ({ platform, page } = session);
});

afterAll(async () => {
  await session?.close();
});

const axFixture = parseHdn(readFileSync(new URL('../../integrations/hdn/fixtures/ax.xml', import.meta.url), 'utf8')) as HdnApplication;

function adviceAx(suffix: string): { xml: string; applicationNumber: string } {
  const applicationNumber = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  const ax: HdnApplication = {
    ...axFixture,
    header: {
      ...axFixture.header,
      senderNode: DEMO_HDN_NODES.advice_software,
      receiverNode: E2E_HDN_NODE,
      receiverCode: DEMO_LENDER.code,
      applicationNumber,
      applicationVersion: '1',
    },
    applicants: axFixture.applicants.map((a) => ({ ...a, lastName: `${a.lastName}-${suffix}`, email: `${a.position}.${suffix}@example.nl` })),
  };
  return { xml: buildHdn(ax), applicationNumber };
}

describe('adviser web UI: a mortgage whose status the lender changes underneath', () => {
  it('makes the product from the HDN inbox in one click, sends the application, and shows every SX live', async () => {
    const { xml, applicationNumber } = adviceAx(newId().slice(0, 6));
    const inbound = await platform.send('/hdn/messages', { token: platform.tokens.advice_software, contentType: 'application/xml', body: xml });
    expect(inbound.status, JSON.stringify(inbound.body)).toBe(202);

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    const row = page.getByRole('row').filter({ hasText: applicationNumber });
    await row.waitFor({ timeout: 30_000 });
    await screenshot(page, 'dashboard-hdn-inbox');
    await row.getByRole('button', { name: /Maak product/ }).click();

    // The dossier page of the new mortgage product.
    const card = page.getByRole('article', { name: /Hypotheek/ });
    const productStatus = card.getByTestId('product-status');
    await waitForText(productStatus, /^Advies ontvangen$/);
    await card.getByRole('img', { name: /Hypotheek, status Advies ontvangen, categorie nieuw \(blauw\)/ }).waitFor();
    const dossierUrl = page.url();

    // From here on the page must not reload: a marker on the document survives only without one.
    await page.evaluate(() => {
      (globalThis as Record<string, unknown>).__sameDocument = true;
    });
    await card.getByRole('button', { name: 'Aanvraag versturen naar maatschappij' }).click();
    // The step's answer shows 'Offerte aangevraagd'; then the simulated lender answers SX09 …
    // SX20 and the open page follows by itself.
    await waitForText(productStatus, /^(?!Advies ontvangen$|Offerte aangevraagd$).+/, 30_000);
    await screenshot(page, 'dossier-mortgage-sx-arriving');
    await waitForText(productStatus, /^Lopend \(lening in beheer\)$/, 60_000);
    await card.getByRole('img', { name: /categorie lopend \(groen\)/ }).waitFor();
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__sameDocument)).toBe(true);
    expect(page.url()).toBe(dossierUrl);

    // The lender's messages are listed; the XML of one opens in place.
    const sx20 = card.getByRole('row').filter({ hasText: /SX 20/ });
    await sx20.waitFor({ timeout: 30_000 });
    await sx20.getByRole('button', { name: /XML bekijken/ }).click();
    await waitForText(card.getByLabel('XML van SX 20'), /^<\?xml/);
    await screenshot(page, 'dossier-mortgage-lopend');

    const product = await platform.api.get(`/dossiers/${new URL(dossierUrl).pathname.split('/').pop()}`);
    expect((product.body.products as { status: string }[]).map((p) => p.status)).toContain('lopend');
  });
});
