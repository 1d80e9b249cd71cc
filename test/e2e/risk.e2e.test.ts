/**
 * RISK end to end, over HTTP: the API on a real port, the worker as its own process, the
 * simulated RISK calling our webhook. Acceptance of the RISK part of the issue:
 * - a quote requested here becomes final, then a mutation, then a duplicate of the mutation:
 *   one product, two history entries, premium updated;
 * - two conflicting RISK events sent concurrently: still one product, the newer one wins;
 * - the polling fallback re-reads the same events: all deduplicated, nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.js';
import { writeSimAfd1, type SimMessage } from '../../simulators/risk/index.js';
import { startE2ePlatform, type E2ePlatform } from '../helpers/e2e-platform.js';

let platform: E2ePlatform;

beforeAll(async () => {
  platform = await startE2ePlatform({ risk: { scenario: 'duplicate', stepDelayMs: 150 } });
}, 180_000);

afterAll(async () => {
  await platform?.stop();
});

async function until<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('RISK end to end with the simulated RISK', () => {
  let dossierId: string;
  let productId: string;
  let quoteNumber: string;

  it('quote → final → mutation → duplicate of the mutation: one product, two history entries, premium updated', async () => {
    const tag = newId().slice(0, 8);
    const dossier = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Sanne', lastName: `Visser-${tag}`, birthDate: '1988-03-09', email: `sanne.${tag}@example.nl` } }],
    });
    expect(dossier.status, JSON.stringify(dossier.body)).toBe(201);
    dossierId = dossier.body.id;

    const quote = await platform.api.post(`/dossiers/${dossierId}/insurance-quotes`, {
      branch: '020',
      startDate: '2027-01-01',
      coverages: [
        { code: 'WA', description: 'Wettelijke aansprakelijkheid', insuredAmountCents: 250_000_000 },
        { code: 'CASCO', description: 'Volledig casco' },
      ],
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    productId = quote.body.productId;
    expect(quote.body.workflowId).toBe(`insurance:${productId}`);

    // The simulator numbers the quote, then sends final (v2), mutation (v3) and the mutation again.
    const simulated = await platform.risk!.waitFor((q) => q.reference === productId && q.sent.length === 3, 30_000);
    quoteNumber = simulated.quoteNumber;
    expect(simulated.sent.map((s) => [s.kind, s.version, s.status])).toEqual([
      ['final', 2, 202],
      ['mutation', 3, 202],
      ['mutation', 3, 202],
    ]);

    const view = await until(async () => {
      const r = await platform.api.get(`/products/${productId}/insurance`);
      return r.status === 200 && r.body.history.length === 2 && r.body.lastVersion === 3 ? r.body : undefined;
    }, 'two applied RISK events');
    // Coverages 1500 + 2250 cents; the mutation adds 10%: 1650 + 2475.
    expect(view).toMatchObject({ externalRef: quoteNumber, premiumCents: 4125, startDate: '2027-02-01', lastVersion: 3 });
    expect(view.history.map((h: { kind: string; premiumCents: number }) => [h.kind, h.premiumCents])).toEqual([
      ['final', 3750],
      ['mutation', 4125],
    ]);

    const d = await platform.api.get(`/dossiers/${dossierId}`);
    const insurance = d.body.products.filter((p: { type: string }) => p.type === 'insurance');
    expect(insurance).toHaveLength(1);
    const product = await platform.api.get(`/products/${productId}`);
    expect(product.body).toMatchObject({ status: 'lopend', category: 'running', company: 'RISK' });
    expect(product.body.parts.map((p: { description: string; status: string }) => [p.description, p.status])).toEqual([
      ['Wettelijke aansprakelijkheid (WA)', 'lopend'],
      ['Volledig casco (CASCO)', 'lopend'],
    ]);
    // The policy PDF of the final message is attached to the product.
    const docs = await platform.api.get(`/dossiers/${dossierId}/documents`);
    const docList = Array.isArray(docs.body) ? docs.body : (docs.body.items ?? docs.body.documents ?? []);
    expect(docList.some((doc: { filename: string }) => doc.filename === `polis-${quoteNumber}.pdf`)).toBe(true);
  }, 90_000);

  it('two conflicting RISK events sent concurrently: one product, the newer one wins', async () => {
    // Written as RISK writes them (the simulated RISK's own AFD writer, synthetic codes).
    const event = (version: number, premiumCents: number, second: number): SimMessage => ({
      reference: `${quoteNumber}-C${version}`,
      kind: 'mutation',
      version,
      eventAt: `2026-11-25T10:00:0${second}.000Z`,
      policyNumber: quoteNumber,
      insurer: 'RISK',
      branch: '020',
      startDate: '2027-03-01',
      premiumCents,
      holder: { lastName: 'Visser', birthDate: '1988-03-09' },
      coverages: [{ code: 'WA', description: 'Wettelijke aansprakelijkheid', premiumCents }],
      documents: [],
    });
    const send = (m: SimMessage) => platform.send('/risk/messages', { token: platform.tokens.risk!, contentType: 'application/xml', body: writeSimAfd1(m) });
    const [older, newer] = await Promise.all([send(event(4, 5000, 1)), send(event(5, 6000, 2))]);
    expect(older.status, JSON.stringify(older.body)).toBe(202);
    expect(newer.status, JSON.stringify(newer.body)).toBe(202);
    expect(older.body.productId).toBe(productId);
    expect(newer.body.productId).toBe(productId);

    const view = await until(async () => {
      const r = await platform.api.get(`/products/${productId}/insurance`);
      return r.body.lastVersion === 5 ? r.body : undefined;
    }, 'the newer event applied');
    expect(view.premiumCents).toBe(6000);
    // Whatever order the workflow saw them in, the older one never overwrote the newer one.
    await new Promise((r) => setTimeout(r, 1000));
    const after = await platform.api.get(`/products/${productId}/insurance`);
    expect(after.body).toMatchObject({ premiumCents: 6000, lastVersion: 5 });
    const d = await platform.api.get(`/dossiers/${dossierId}`);
    expect(d.body.products.filter((p: { type: string }) => p.type === 'insurance')).toHaveLength(1);
    const product = await platform.api.get(`/products/${productId}`);
    // The dropped coverage (CASCO) ended; WA follows the product.
    expect(product.body.parts.map((p: { status: string }) => p.status)).toEqual(['lopend', 'beeindigd']);
  }, 60_000);

  it('the polling fallback reads the same events again: all duplicates, nothing changes', async () => {
    const before = await platform.api.get(`/products/${productId}/insurance`);
    const poll = await platform.api.post('/risk/poll', {});
    expect(poll.status, JSON.stringify(poll.body)).toBe(200);
    expect(poll.body.fetched).toBeGreaterThanOrEqual(3);
    expect(poll.body.stored).toBe(0);
    const after = await platform.api.get(`/products/${productId}/insurance`);
    expect(after.body.history).toEqual(before.body.history);
  }, 30_000);
});
