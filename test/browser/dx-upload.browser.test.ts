/**
 * DX upload against the lender's checklist, in Chromium against the real platform and the
 * simulated lender (issue 20): a mortgage goes to the lender (over the API, as
 * test/e2e/hdn.e2e.test.ts does), the lender's DA lists the documents it wants; on the dossier
 * page the adviser sees the lines with their status, the line the lender fetches itself has no
 * upload, a file that is no PDF is refused with the API's message at the line, and a PDF chosen
 * by keyboard is uploaded and reaches the simulated lender as a DX for that line.
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
  session = await openBrowserPlatform({ lender: { scenario: 'happy', stepDelayMs: 100, sx09DelayMs: 50 } });
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

type Line = { lineId: string; fetchedByLender: boolean; status: string };

describe("DX upload to the lender's checklist, in Chromium", () => {
  it('uploads a PDF for a DA line (a non-PDF refused first) and the lender receives it as DX', async () => {
    const { xml, applicationNumber } = adviceAx(newId().slice(0, 6));
    const inbound = await platform.send('/hdn/messages', { token: platform.tokens.advice_software, contentType: 'application/xml', body: xml });
    expect(inbound.status, JSON.stringify(inbound.body)).toBe(202);
    const converted = await platform.api.post(`/hdn/messages/${inbound.body.id}/convert`, {});
    expect(converted.status, JSON.stringify(converted.body)).toBe(201);
    const { productId, dossierId } = converted.body as { productId: string; dossierId: string };
    const sent = await platform.api.post(`/products/${productId}/steps/send-application`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    // The lender's DA arrives on its own; wait until the checklist has its lines.
    let lines: Line[] = [];
    await expect
      .poll(
        async () => {
          lines = (await platform.api.get(`/products/${productId}/document-lines`)).body.items as Line[];
          return lines.length;
        },
        { timeout: 60_000, interval: 300 },
      )
      .toBeGreaterThan(1);
    const open = lines.find((l) => !l.fetchedByLender && l.status !== '04')!;
    const fetched = lines.find((l) => l.fetchedByLender)!;
    expect(open).toBeDefined();
    expect(fetched).toBeDefined();

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
    const section = page.locator(`[data-product-id="${productId}"]`).getByRole('region', { name: /^Stukkenlijst van de geldverstrekker/ });
    const openRow = section.locator(`tr[data-line-id="${open.lineId}"]`);
    const fetchedRow = section.locator(`tr[data-line-id="${fetched.lineId}"]`);
    await waitForText(openRow.getByTestId('line-status'), /Aan te leveren|Afgekeurd/);
    await waitForText(fetchedRow, /Haalt de geldverstrekker zelf op/);
    expect(await fetchedRow.locator('input[type=file]').count()).toBe(0);

    // Not a PDF behind a .pdf name: the API's 415 is shown at the line, nothing is sent.
    const form = openRow.getByRole('form', { name: /^Document uploaden voor/ });
    const fileInput = form.getByLabel(/^Bestand voor/);
    await fileInput.setInputFiles({ name: 'nep.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a pdf at all') });
    await form.getByRole('button', { name: /^Uploaden/ }).click();
    await waitForText(form.getByRole('alert'), /Niet verstuurd/);
    await screenshot(page, 'dx-upload-refused');

    // A real PDF, by keyboard: focus the file field, Tab to the button, Enter.
    await fileInput.setInputFiles({ name: 'werkgeversverklaring.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% werkgeversverklaring\n%%EOF\n') });
    await fileInput.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitForText(form.getByTestId('line-sent'), /werkgeversverklaring\.pdf .* als DX naar de geldverstrekker verstuurd \(poging 1\)/);
    expect(await form.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'dx-upload-sent');

    // The simulated lender received the DX for exactly that line.
    const dx = await platform.lender!.waitFor((a) => a.applicationNumber === applicationNumber && a.dxReceived.includes(open.lineId));
    expect(dx.dxReceived).toEqual([open.lineId]);
  }, 180_000);
});
