/**
 * The mortgage over HDN end to end, over HTTP only, against the real parts: advice software
 * posts an AX, the adviser turns it into a product and sends the application, and the
 * simulated lender (its own HTTP server, speaking HDN XML) carries it to SX20 "loan in
 * servicing" through the platform's authenticated inbound endpoint.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.js';
import { createOrm } from '../../db/orm.js';
import { buildHdn, parseHdn } from '../../integrations/hdn/codec.js';
import { readHdnMessage } from '../../integrations/hdn/read.js';
import type { HdnApplication, HdnStatus } from '../../integrations/hdn/types.js';
import { DEMO_HDN_NODES, DEMO_LENDER } from '../../scripts/seed.js';
import { E2E_HDN_NODE, startE2ePlatform, type E2ePlatform, type HttpResult } from '../helpers/e2e-platform.js';

let platform: E2ePlatform;

beforeAll(async () => {
  platform = await startE2ePlatform({ lender: { scenario: 'happy', stepDelayMs: 150, sx09DelayMs: 50 } });
  // A second lender code served by the same simulated lender plays the "reordered" scenario.
  const orm = await createOrm(process.env.DATABASE_URL!);
  await orm.em.fork().execute(
    `insert into hdn_lenders (code, name, node_number) values ('reordered', 'Voorbeeld Hypotheken (volgorde)', ?) on conflict (code) do nothing`,
    [DEMO_LENDER.node],
  );
  await orm.close(true);
});

afterAll(async () => {
  await platform?.stop();
});

const axFixture = parseHdn(readFileSync(new URL('../../integrations/hdn/fixtures/ax.xml', import.meta.url), 'utf8')) as HdnApplication;

/** An AX from the demo advice software to us, for a fresh application number. */
function adviceAx(lenderCode: string, suffix: string): { xml: string; applicationNumber: string } {
  const applicationNumber = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  const ax: HdnApplication = {
    ...axFixture,
    header: {
      ...axFixture.header,
      senderNode: DEMO_HDN_NODES.advice_software,
      receiverNode: E2E_HDN_NODE,
      receiverCode: lenderCode,
      applicationNumber,
      applicationVersion: '1',
    },
    applicants: axFixture.applicants.map((a) => ({ ...a, lastName: `${a.lastName}-${suffix}`, email: `${a.position}.${suffix}@example.nl` })),
  };
  return { xml: buildHdn(ax), applicationNumber };
}

const postXml = (token: string | undefined, body: string | Uint8Array): Promise<HttpResult> =>
  platform.send('/hdn/messages', { token, contentType: 'application/xml', body });

async function waitForStatus(productId: string, status: string, timeoutMs = 60_000): Promise<HttpResult> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const product = await platform.api.get(`/products/${productId}`);
    if (product.body.status === status) return product;
    if (Date.now() > until) throw new Error(`product ${productId} stayed at ${product.body.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Posts an AX as advice software, converts it, and sends the application. */
async function applicationSent(lenderCode: string): Promise<{ productId: string; applicationNumber: string; dossierId: string }> {
  const suffix = newId().slice(0, 6);
  const { xml, applicationNumber } = adviceAx(lenderCode, suffix);
  const inbound = await postXml(platform.tokens.advice_software, xml);
  expect(inbound.status, JSON.stringify(inbound.body)).toBe(202);
  expect(inbound.body).toMatchObject({ type: 'AX', state: 'received', duplicate: false });

  const inbox = await platform.api.get('/hdn/inbox');
  expect((inbox.body.items as { id: string }[]).map((m) => m.id)).toContain(inbound.body.id);

  const converted = await platform.api.post(`/hdn/messages/${inbound.body.id}/convert`, {});
  expect(converted.status, JSON.stringify(converted.body)).toBe(201);
  const { productId, dossierId } = converted.body as { productId: string; dossierId: string };

  const sent = await platform.api.post(`/products/${productId}/steps/send-application`, {});
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  expect(sent.body.product.status).toBe('aanvraag-verstuurd');
  return { productId, applicationNumber, dossierId };
}

describe('HDN over HTTP: advice in, application out, lender messages drive the mortgage', () => {
  it('carries a mortgage from the AX to SX20 "loan in servicing", every message visible with its XML', async () => {
    const { productId, applicationNumber, dossierId } = await applicationSent(DEMO_LENDER.code);

    const product = await waitForStatus(productId, 'lopend');
    expect(product.body.category).toBe('running');
    expect(product.body.company).toBe(DEMO_LENDER.name);
    for (const part of product.body.parts as { status: string; category: string }[]) {
      expect(part).toMatchObject({ status: 'lopend', category: 'running' });
    }

    // The status is recorded a moment before the message gets its outcome: wait for the outcomes.
    type Item = { id: string; direction: string; type: string; statusCode: string | null; state: string; reason: string | null; rawXml: string; codes?: { note: string }[] };
    let items: Item[] = [];
    for (let i = 0; i < 100; i++) {
      items = (await platform.api.get(`/products/${productId}/hdn-messages?includeXml=true`)).body.items as Item[];
      if (items.every((m) => m.state !== 'delivered')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const sx = items.filter((m) => m.type === 'SX').map((m) => m.statusCode);
    expect(sx).toEqual(['09', '10', '22', '12', '04', '23', '05', '31', '26', '20']);
    expect(items.filter((m) => m.type === 'OX')).toHaveLength(2);
    expect(items.filter((m) => m.type === 'DA')).toHaveLength(1);
    expect(items.filter((m) => m.direction === 'out' && m.type === 'AX')).toMatchObject([{ state: 'sent' }]);
    for (const m of items) {
      expect(m.rawXml).toMatch(/^<\?xml/);
      // Either shape through the one reader.
      expect(readHdnMessage(m.rawXml).header.applicationNumber).toBe(applicationNumber);
    }
    // What we sent the lender is in the public shape (the simulated lender read it with its own reader).
    const sentAx = items.find((m) => m.direction === 'out' && m.type === 'AX')!;
    expect(sentAx.rawXml).toMatch(/^<\?xml[^>]*\?>\s*<AX>\s*<Header>/);
    expect(sentAx.rawXml).toContain('<AflossingsVorm>01</AflossingsVorm>');
    // The inbox detail parses it like any AX (public shape through the same reader).
    const detail = await platform.api.get(`/hdn/messages/${sentAx.id}`);
    expect(detail.status).toBe(200);
    const parsed = detail.body.parsed as { type: string; applicants: { lastName: string }[]; loanParts: { repaymentType: string }[] };
    expect(parsed.type).toBe('AX');
    expect(parsed.applicants[0]?.lastName).toMatch(/^Vries/);
    expect(parsed.loanParts.map((p) => p.repaymentType)).toEqual(['01', '05']);
    const fromLender = items.filter((m) => m.direction === 'in' && m.type !== 'AX');
    // The simulated lender writes the public HDN structure with its own writer: header inside the message, no <HDN> wrapper.
    for (const m of fromLender) expect(m.rawXml).toMatch(new RegExp(`^<\\?xml[^>]*\\?>\\s*<${m.type}>\\s*<Header>`));
    // Every lender message was handled by the workflow (none left undelivered). SX 31 is not on the
    // official HDN list and this platform does not enable it (HDN_ENABLED_UNVERIFIED_CODES unset):
    // recorded with the reason and the code noted, the product goes on with 26.
    expect(fromLender.filter((m) => m.statusCode !== '31').every((m) => m.state === 'applied')).toBe(true);
    const sx31 = fromLender.find((m) => m.statusCode === '31');
    expect(sx31).toMatchObject({ state: 'recorded', reason: expect.stringMatching(/HDN_ENABLED_UNVERIFIED_CODES/), codes: [{ note: 'niet-officiële status 31 (niet aangezet door dit kantoor)' }] });
    // The DA's codes the 24.0 list lacks (the simulator's own document kinds) are recorded with it, not refused.
    expect(fromLender.find((m) => m.type === 'DA')?.codes?.map((c) => c.note)).toContain('onbekende documentsoort 901 (lines[2])');

    // History: started, the step, and one entry per lender message.
    const history = product.body.history as { kind?: string; label: string }[];
    expect(history.filter((h) => h.label.startsWith('SX '))).toHaveLength(10);

    // The lender's checklist (DA) is on the product; a fetched line cannot get a document.
    const lines = (await platform.api.get(`/products/${productId}/document-lines`)).body.items as { lineId: string; fetchedByLender: boolean }[];
    expect(lines.length).toBeGreaterThan(1);
    const open = lines.find((l) => !l.fetchedByLender)!;
    const fetched = lines.find((l) => l.fetchedByLender)!;
    const pdf = new TextEncoder().encode('%PDF-1.4\n% werkgeversverklaring\n%%EOF\n');
    const upload = await platform.send(`/products/${productId}/document-lines/${open.lineId}/file?filename=werkgeversverklaring.pdf`, {
      token: platform.tokens.adviser,
      contentType: 'application/pdf',
      body: pdf,
    });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    expect(upload.body).toMatchObject({ lineId: open.lineId, attempt: 1 });
    const again = await platform.send(`/products/${productId}/document-lines/${open.lineId}/file?filename=werkgeversverklaring.pdf`, {
      token: platform.tokens.adviser,
      contentType: 'application/pdf',
      body: pdf,
    });
    expect(again.body).toMatchObject({ messageId: upload.body.messageId, attempt: 1 });
    const refused = await platform.send(`/products/${productId}/document-lines/${fetched.lineId}/file?filename=bkr.pdf`, {
      token: platform.tokens.adviser,
      contentType: 'application/pdf',
      body: pdf,
    });
    expect(refused.status).toBe(409);
    const notAPdf = await platform.send(`/products/${productId}/document-lines/${open.lineId}/file?filename=x.pdf`, {
      token: platform.tokens.adviser,
      contentType: 'application/pdf',
      body: new TextEncoder().encode('MZ not a pdf'),
    });
    expect(notAPdf.status).toBe(415);
    const dx = await platform.lender!.waitFor((a) => a.applicationNumber === applicationNumber && a.dxReceived.includes(open.lineId));
    expect(dx.dxReceived).toEqual([open.lineId]);

    // The dossier shows the product; Temporal knows the case by its business key.
    const dossier = await platform.api.get(`/dossiers/${dossierId}`);
    expect((dossier.body.products as { id: string }[]).map((p) => p.id)).toContain(productId);
    expect((await platform.describeWorkflow(`product:${productId}`)).type).toBe('productWorkflow');
  });

  it('never moves back: with SX10 delivered before SX09 the product still ends at SX20', async () => {
    const { productId } = await applicationSent('reordered');
    const product = await waitForStatus(productId, 'lopend');
    const labels = (product.body.history as { label: string; fromStatus?: string; toStatus?: string }[]).map((h) => h.label);
    expect(labels.indexOf('SX 10 In behandeling')).toBeLessThan(labels.indexOf('SX 09 Ontvangst bevestigd'));
    const messages = (await platform.api.get(`/products/${productId}/hdn-messages`)).body.items as { statusCode: string | null; state: string; reason: string | null }[];
    const late09 = messages.find((m) => m.statusCode === '09');
    expect(late09?.state).toBe('recorded');
  });

  it('stores a duplicate once, parks an unknown application and routes it by hand later', async () => {
    const { productId, applicationNumber } = await applicationSent(DEMO_LENDER.code);
    await waitForStatus(productId, 'lopend');
    const sx = (code: string, number: string, time: string): string => {
      const message: HdnStatus = {
        type: 'SX',
        header: {
          senderNode: DEMO_LENDER.node,
          receiverNode: E2E_HDN_NODE,
          messageType: 'SX',
          messageVersion: '24.0',
          sentDate: '2026-11-23',
          sentTime: time,
          applicationNumber: number,
          applicationVersion: '1',
        },
        statusCode: code,
      };
      return buildHdn(message);
    };
    // The same SX twice: one stored row, the same answer, no second effect.
    const xml = sx('24', applicationNumber, '10:00:00');
    const first = await postXml(platform.tokens.lender, xml);
    expect(first.status).toBe(202);
    const handled = async (): Promise<string> => {
      for (let i = 0; i < 100; i++) {
        const m = await platform.api.get(`/hdn/messages/${first.body.id}`);
        if (m.body.state !== 'delivered') return m.body.state as string;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('SX 24 was not handled');
    };
    expect(await handled()).toBe('recorded'); // 24: informational, recorded without moving the product
    const before = (await platform.api.get(`/products/${productId}`)).body.history.length as number;
    const second = await postXml(platform.tokens.lender, xml);
    expect(second.body).toMatchObject({ id: first.body.id, duplicate: true });
    await new Promise((r) => setTimeout(r, 500));
    const after = (await platform.api.get(`/products/${productId}`)).body;
    expect(after.history.length).toBe(before);
    expect(after.status).toBe('lopend');

    // A message for an application nobody knows is parked with the reason.
    // A number of its own: the same SX sent by another test on the shared database would be a duplicate.
    const unknownNumber = `9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const parked = await postXml(platform.tokens.lender, sx('10', unknownNumber, '10:05:00'));
    expect(parked.body.state).toBe('parked');
    expect(parked.body.reason).toContain(unknownNumber);
    // Routing it to a product with another application number is refused with the reason.
    const wrong = await platform.api.post(`/hdn/messages/${parked.body.id}/route`, { productId });
    expect(wrong.status).toBe(409);

    // A status that arrives before its AX was converted is parked, and routed by hand once it is.
    const early = adviceAx(DEMO_LENDER.code, newId().slice(0, 6));
    const earlySx = await postXml(platform.tokens.lender, sx('09', early.applicationNumber, '10:10:00'));
    expect(earlySx.body.state).toBe('parked');
    const ax = await postXml(platform.tokens.advice_software, early.xml);
    const converted = await platform.api.post(`/hdn/messages/${ax.body.id}/convert`, {});
    expect(converted.status).toBe(201);
    const routed = await platform.api.post(`/hdn/messages/${earlySx.body.id}/route`, { productId: converted.body.productId });
    expect(routed.status, JSON.stringify(routed.body)).toBe(200);
    expect(routed.body.state).toBe('delivered');
    const listed = (await platform.api.get(`/products/${converted.body.productId}/hdn-messages`)).body.items as { id: string }[];
    expect(listed.map((m) => m.id)).toContain(earlySx.body.id);
  });

  it('refuses bad input with a readable 4xx, stores nothing and keeps running', async () => {
    const lender = platform.tokens.lender;
    const malformed = await postXml(lender, '<HDN><Header>');
    expect(malformed.status).toBe(400);
    expect(malformed.contentType).toContain('application/problem+json');

    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><HDN>&lol2;</HDN>`;
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><HDN>&xxe;</HDN>`;
    for (const body of [laughs, xxe]) {
      const refused = await postXml(lender, body);
      expect(refused.status).toBe(400);
      expect(String(refused.body.detail)).toMatch(/DOCTYPE|ENTITY/i);
    }

    const huge = new Uint8Array(30 * 1024 * 1024).fill(0x20);
    const tooLarge = await postXml(lender, huge);
    expect(tooLarge.status).toBe(413);

    const { xml } = adviceAx(DEMO_LENDER.code, 'wrongparty');
    const wrongParty = await postXml(lender, xml); // a lender may not post an AX
    expect(wrongParty.status).toBe(403);
    const anonymous = await postXml(undefined, xml);
    expect(anonymous.status).toBe(401);

    const health = await platform.send('/health/ready', { method: 'GET' });
    expect(health.status).toBe(200);
  });
});
