/**
 * The README's mortgage walk over the HDN API platform instead of bearer-token XML, end to end
 * against the real parts as `npm start` with HDN_TRANSPORT=platform runs them: advice software
 * posts its AX in the platform envelope with its node certificate, the adviser converts it and
 * sends the application (the worker posts our AX in the envelope with our certificate to the
 * simulated lender's platform listener), the lender's SX/OX/DA come back in envelopes to our
 * listener, and a document goes out as a DX the same way. The AX is SYNTHETIC (the codec fixture
 * with fresh names and numbers).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.js';
import { createOrm } from '../../db/orm.js';
import { parseHdn } from '../../integrations/hdn/codec.js';
import { buildPublicHdn } from '../../integrations/hdn/write.js';
import type { HdnApplication } from '../../integrations/hdn/types.js';
import { createHdnPlatformClient } from '../../integrations/hdn/platform/client.js';
import { issueNodeCertificate, type PemPair } from '../../integrations/hdn/platform/test-pki.js';
import { DEMO_LENDER } from '../../scripts/seed.js';
import { E2E_HDN_NODE, startE2ePlatform, type E2ePlatform, type HttpResult } from '../helpers/e2e-platform.js';

let platform: E2ePlatform;
/** This office's advice software node: its own number, since other e2e offices in the same database use the demo's. */
const adviceNode = `AE${newId().replace(/-/g, '').slice(0, 4).toUpperCase()}`;
let adviceCert: PemPair;

beforeAll(async () => {
  platform = await startE2ePlatform({ lender: { scenario: 'happy', stepDelayMs: 150, sx09DelayMs: 50, transport: 'platform' } });
  const pki = platform.hdnPlatform!.pki;
  adviceCert = await issueNodeCertificate(pki.ca, pki.dir, adviceNode);
  const orm = await createOrm(process.env.DATABASE_URL!);
  await orm.em.fork().execute(`update api_credentials set hdn_node = ? where office_id = ? and role = 'advice_software'`, [adviceNode, platform.officeId]);
  await orm.close(true);
});

afterAll(async () => {
  await platform?.stop();
});

const axFixture = parseHdn(readFileSync(new URL('../../integrations/hdn/fixtures/ax.xml', import.meta.url), 'utf8')) as HdnApplication;

async function waitForStatus(productId: string, status: string, timeoutMs = 120_000): Promise<HttpResult> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const product = await platform.api.get(`/products/${productId}`);
    if (product.body.status === status) return product;
    if (Date.now() > until) throw new Error(`product ${productId} stayed at ${product.body.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('HDN over the HDN API platform: the README walk through the envelope and mutual TLS', () => {
  it('AX in over the platform, our AX out over it, the lender carries the mortgage to SX20, a DX goes out over it', async () => {
    const suffix = newId().slice(0, 6);
    const applicationNumber = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
    const ax: HdnApplication = {
      ...axFixture,
      header: { ...axFixture.header, senderNode: adviceNode, receiverNode: E2E_HDN_NODE, receiverCode: DEMO_LENDER.code, applicationNumber, applicationVersion: '1' },
      applicants: axFixture.applicants.map((a) => ({ ...a, lastName: `${a.lastName}-${suffix}`, email: `${a.position}.${suffix}@example.nl` })),
    };
    const advice = createHdnPlatformClient({ url: platform.hdnPlatform!.url, tls: { key: adviceCert.key, cert: adviceCert.cert, ca: platform.hdnPlatform!.pki.ca.cert } });
    // The advice package sends the public HDN structure, as over the XML route.
    const inbound = await advice.send(buildPublicHdn(ax));
    expect(inbound.status).toBe(202);
    const received = JSON.parse(inbound.body) as { id: string; type: string; state: string };
    expect(received).toMatchObject({ type: 'AX', state: 'received' });

    const converted = await platform.api.post(`/hdn/messages/${received.id}/convert`, {});
    expect(converted.status, JSON.stringify(converted.body)).toBe(201);
    const { productId } = converted.body as { productId: string };
    const sent = await platform.api.post(`/products/${productId}/steps/send-application`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);

    await waitForStatus(productId, 'lopend');
    // The lender got our AX over the platform (the helper configures no XML gateway in this mode).
    const atLender = await platform.lender!.waitFor((a) => a.applicationNumber === applicationNumber);
    expect(atLender.senderNode).toBe(E2E_HDN_NODE);

    type Item = { direction: string; type: string; statusCode: string | null; state: string; rawXml: string };
    let items: Item[] = [];
    for (let i = 0; i < 100; i++) {
      items = (await platform.api.get(`/products/${productId}/hdn-messages?includeXml=true`)).body.items as Item[];
      if (items.every((m) => m.state !== 'delivered')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(items.filter((m) => m.type === 'SX').map((m) => m.statusCode)).toEqual(['09', '10', '22', '12', '04', '23', '05', '31', '26', '20']);
    expect(items.filter((m) => m.direction === 'out' && m.type === 'AX')).toMatchObject([{ state: 'sent' }]);
    // Public shape both ways: our AX as we sent it, the lender's messages as its own writer made them.
    for (const m of items) expect(m.rawXml).toMatch(new RegExp(`^<\\?xml[^>]*\\?>\\s*<${m.type}>\\s*<Header>`));
    // SX 31 is not enabled here (HDN_ENABLED_UNVERIFIED_CODES unset): recorded, the product goes on.
    const fromLender = items.filter((m) => m.direction === 'in' && m.type !== 'AX');
    expect(fromLender.filter((m) => m.statusCode !== '31').every((m) => m.state === 'applied')).toBe(true);
    expect(fromLender.find((m) => m.statusCode === '31')?.state).toBe('recorded');

    const lines = (await platform.api.get(`/products/${productId}/document-lines`)).body.items as { lineId: string; fetchedByLender: boolean }[];
    const open = lines.find((l) => !l.fetchedByLender)!;
    const upload = await platform.send(`/products/${productId}/document-lines/${open.lineId}/file?filename=werkgeversverklaring.pdf`, {
      token: platform.tokens.adviser,
      contentType: 'application/pdf',
      body: new TextEncoder().encode('%PDF-1.4\n% synthetic werkgeversverklaring\n%%EOF\n'),
    });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const dx = await platform.lender!.waitFor((a) => a.applicationNumber === applicationNumber && a.dxReceived.includes(open.lineId));
    expect(dx.dxReceived).toEqual([open.lineId]);
    // Ten lender messages over mutual TLS through the shared Temporal: alone about 20 s, beside the rest of the suite more.
  }, 180_000);
});
