/**
 * Dutch throughout the UI (issue 20, deliverable 6), in a real browser: with demo-like data made over the API (an
 * AX waiting in the HDN inbox, a mortgage the simulated lender carries to "lopend" with its SX messages, a lender
 * message parked for an unknown application), the adviser's main pages are walked and their visible text must not
 * hold English giveaway words. Texts that come from the server (HDN summaries, SX decisions, parking reasons) are
 * what this catches first; codes (AX, SX, HDN), names and e-mail addresses are no words of the list.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newId } from '../../db/ids.js';
import { DEMO_HDN_NODES, DEMO_LENDER } from '../../scripts/seed.js';
import { buildHdn, parseHdn } from '../../integrations/hdn/codec.js';
import type { HdnApplication, HdnStatus } from '../../integrations/hdn/types.js';
import { E2E_HDN_NODE, type E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;

beforeAll(async () => {
  session = await openBrowserPlatform({ lender: { scenario: 'happy', stepDelayMs: 50, sx09DelayMs: 50 } });
  ({ platform, page } = session);
}, 600_000);

afterAll(async () => {
  await session?.close();
});

/**
 * English words that do not occur in Dutch sentences (so not "is", "of", "was", "status", "en"): one of them in the
 * visible text of a page means an English sentence reached the adviser.
 */
const englishWords = [
  'the', 'and', 'for', 'with', 'not', 'has', 'this', 'that', 'from', 'which', 'must', 'cannot', 'already', 'none', 'yet',
  'application', 'applicant', 'applicants', 'loan', 'parts', 'attachment', 'attachments', 'offer', 'unknown', 'found',
  'first', 'follows', 'recorded', 'applied', 'received', 'failed', 'error', 'loading', 'please', 'save', 'cancel',
  'delete', 'process', 'ended', 'matched', 'reason', 'office',
];
const englishPattern = new RegExp(`(?<![\\p{L}\\d@.-])(${englishWords.join('|')})(?![\\p{L}\\d@-])`, 'iu');

/** The lines of the page's visible text that hold an English word (the word first). */
async function englishLines(p: Page): Promise<string[]> {
  const text = await p.locator('body').innerText();
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => englishPattern.test(line))
    .map((line) => `${englishPattern.exec(line)![1]}: ${line.slice(0, 200)}`);
}

const axFixture = parseHdn(readFileSync(new URL('../../integrations/hdn/fixtures/ax.xml', import.meta.url), 'utf8')) as HdnApplication;

function adviceAx(suffix: string): { xml: string; applicationNumber: string } {
  const applicationNumber = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  const ax: HdnApplication = {
    ...axFixture,
    header: { ...axFixture.header, senderNode: DEMO_HDN_NODES.advice_software, receiverNode: E2E_HDN_NODE, receiverCode: DEMO_LENDER.code, applicationNumber, applicationVersion: '1' },
    applicants: axFixture.applicants.map((a) => ({ ...a, lastName: `${a.lastName}-${suffix}`, email: `${a.position}.${suffix}@example.nl` })),
  };
  return { xml: buildHdn(ax), applicationNumber };
}

function sx(code: string, applicationNumber: string): string {
  const message: HdnStatus = {
    type: 'SX',
    header: {
      senderNode: DEMO_LENDER.node,
      receiverNode: E2E_HDN_NODE,
      messageType: 'SX',
      messageVersion: '24.0',
      sentDate: '2026-11-23',
      sentTime: '10:05:00',
      applicationNumber,
      applicationVersion: '1',
    },
    statusCode: code,
  };
  return buildHdn(message);
}

const postXml = (token: string | undefined, body: string) => platform.send('/hdn/messages', { token, contentType: 'application/xml', body });

describe('the adviser reads Dutch on every main page', () => {
  it('dashboard, dossier with a mortgage and its lender messages, and the other pages hold no English sentences', async () => {
    // An AX that waits in the HDN inbox (its summary is on the dashboard).
    const waiting = adviceAx(newId().slice(0, 6));
    expect((await postXml(platform.tokens.advice_software, waiting.xml)).status).toBe(202);
    // A lender message for an application nobody knows: parked with its reason.
    // A number of its own: the same SX sent by an earlier run or test would be answered as a duplicate.
    const parked = await postXml(platform.tokens.lender, sx('10', `9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`));
    expect(parked.body.state).toBe('parked');
    // A mortgage the simulated lender carries to "lopend": SX decisions and summaries on the dossier page.
    const converted = adviceAx(newId().slice(0, 6));
    const inbound = await postXml(platform.tokens.advice_software, converted.xml);
    const made = await platform.api.post(`/hdn/messages/${inbound.body.id}/convert`, {});
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { productId, dossierId } = made.body as { productId: string; dossierId: string };
    const sent = await platform.api.post(`/products/${productId}/steps/send-application`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    for (let i = 0; ; i++) {
      const product = await platform.api.get(`/products/${productId}`);
      if (product.body.status === 'lopend') break;
      if (i > 300) throw new Error(`the product stayed at ${product.body.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    const found: string[] = [];
    const walk = async (path: string, ready: (p: Page) => Promise<void>) => {
      await page.goto(`${platform.api.url}/ui${path}`);
      await ready(page);
      // Let the lists that load after the heading arrive.
      await page.waitForTimeout(1500);
      found.push(...(await englishLines(page)).map((l) => `${path} ${l}`));
    };

    await walk('/', async (p) => {
      await waitForText(p.getByRole('row').filter({ hasText: waiting.applicationNumber }), /AX voor aanvraag/);
    });
    await screenshot(page, 'dutch-dashboard');
    await walk(`/dossiers/${dossierId}`, async (p) => {
      await waitForText(p.getByRole('article', { name: /Hypotheek/ }).getByRole('row').filter({ hasText: /SX 20/ }).first(), /SX 20/);
    });
    await screenshot(page, 'dutch-dossier-mortgage');
    for (const path of ['/dossiers', '/crm', '/track-and-trace', '/billing', '/processes', '/risk']) {
      await walk(path, async (p) => {
        await p.getByRole('heading', { level: 1 }).first().waitFor();
      });
    }
    expect(found).toEqual([]);
  }, 300_000);
});
