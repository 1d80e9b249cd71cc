/**
 * The RC ledger over HTTP (issue 21): a central organisation sets itself up and adds
 * participants, books commission and costs, and reads its overview of all participants and of
 * one; a participant reads only its own overview, and only when allowed. Office scoping across
 * four offices (central A with participants P1 and P2, a second central B with participant Q):
 * nobody sees another office's bookings, whatever id they put in the path. Every refusal is
 * problem+json; the participant overview and the central overview agree to the cent.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, openOrm, temporalStub, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let a: TestOffice;
let p1: TestOffice;
let p2: TestOffice;
let b: TestOffice;
let q: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
  const made = await Promise.all(['Centraal A', 'Deelnemer P1', 'Deelnemer P2', 'Centraal B', 'Deelnemer Q'].map((n) => createTestOffice(orm, n)));
  [a, p1, p2, b, q] = made as [TestOffice, TestOffice, TestOffice, TestOffice, TestOffice];
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const admin = (o: TestOffice) => bearer(o.tokens.admin);
const adviser = (o: TestOffice) => bearer(o.tokens.adviser);

async function call(method: 'GET' | 'PUT' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) {
  return app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

function expectProblem(res: Awaited<ReturnType<typeof call>>, status: number, slug?: RegExp) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  if (slug) expect(res.json().type).toMatch(slug);
}

describe('setting up the organisation structure', () => {
  it('central organisations and their participants', async () => {
    expect((await call('GET', '/rc/role', adviser(a))).json()).toEqual({ role: 'none', centralOfficeId: null, mayViewOverview: false });
    expect((await call('PUT', '/rc/organisation', admin(a), { iban: 'NL91 ABNA 0417 1643 00' })).json()).toMatchObject({ role: 'central' });
    expect((await call('PUT', '/rc/organisation', admin(b), { iban: 'NL20INGB0001234567', bic: 'INGBNL2A' })).statusCode).toBe(200);
    for (const [central, part, may] of [[a, p1, true], [a, p2, false], [b, q, true]] as const) {
      const res = await call('PUT', `/rc/participants/${part.officeId}`, admin(central), { mayViewOverview: may, centralShareBp: 1000 });
      expect(res.statusCode, res.body).toBe(204);
    }
    expect((await call('GET', '/rc/role', adviser(p2))).json()).toEqual({ role: 'participant', centralOfficeId: a.officeId, mayViewOverview: false });
  });

  it('refuses, as problem+json, what is not one level or not its own', async () => {
    expectProblem(await call('PUT', '/rc/organisation', admin(a), { iban: 'NL00ABNA0417164300' }), 400);
    expectProblem(await call('PUT', '/rc/organisation', adviser(a), { iban: 'NL91ABNA0417164300' }), 403);
    expectProblem(await call('PUT', '/rc/organisation', admin(p1), { iban: 'NL91ABNA0417164300' }), 409, /office-is-participant/);
    // B cannot take over A's participant: it is not found for B.
    expectProblem(await call('PUT', `/rc/participants/${p1.officeId}`, admin(b), { mayViewOverview: true }), 404);
    expectProblem(await call('PUT', `/rc/participants/${b.officeId}`, admin(a), { mayViewOverview: true }), 409, /office-is-central/);
    expectProblem(await call('PUT', `/rc/participants/${p2.officeId}`, admin(p1), { mayViewOverview: true }), 409, /not-central-organisation/);
  });
});

describe('bookings and overviews', () => {
  it('books commission and costs, once per reference', async () => {
    const commission = { participantOfficeId: p1.officeId, reference: 'VZ-2026-001', productType: 'mortgage', amountCents: 2000_00, entryDate: '2026-03-10' };
    const first = await call('POST', '/rc/commissions', admin(a), commission);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().created).toBe(true);
    expect((await call('POST', '/rc/commissions', admin(a), commission)).json()).toEqual({ entryId: first.json().entryId, created: false });
    for (const [office, body] of [
      [a, { participantOfficeId: p1.officeId, reference: 'VZ-2026-002', productType: 'insurance', amountCents: 500_00, entryDate: '2026-05-02' }],
      [a, { participantOfficeId: p2.officeId, reference: 'VZ-2026-003', productType: 'mortgage', amountCents: 100_00, entryDate: '2026-02-01' }],
      [a, { participantOfficeId: p1.officeId, reference: 'VZ-2025-099', amountCents: 300_00, entryDate: '2025-12-31' }],
      [b, { participantOfficeId: q.officeId, reference: 'B-1', productType: 'mortgage', amountCents: 999_00, entryDate: '2026-03-10' }],
    ] as const) {
      expect((await call('POST', '/rc/commissions', admin(office), body)).statusCode).toBe(200);
    }
    const charge = await call('POST', '/rc/charges', admin(a), { participantOfficeId: p2.officeId, reference: 'LIC-2026', categoryCode: 'licentie', amountCents: 250_00, entryDate: '2026-01-15' });
    expect(charge.statusCode, charge.body).toBe(200);
    // A central organisation books only on its own participants.
    expectProblem(await call('POST', '/rc/commissions', admin(b), { ...commission, reference: 'steal' }), 404);
    expectProblem(await call('POST', '/rc/commissions', adviser(a), { ...commission, reference: 'adv' }), 403);
  });

  it("the participant's own overview: income per product, costs, balance, lines; by year and period", async () => {
    const res = await call('GET', '/rc/overview?year=2026', adviser(p1));
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json();
    // 2000.00 and 500.00 less 10% for the central organisation; 270.00 from 2025 opens the year.
    expect(o).toMatchObject({ officeId: p1.officeId, from: '2026-01-01', to: '2026-12-31', openingBalanceCents: 270_00, incomeCents: 2250_00, costsCents: 0 });
    expect(o.closingBalanceCents).toBe(2520_00);
    expect(o.toPayOutCents).toBe(2520_00);
    expect(o.categories.map((c: { name: string; creditCents: number }) => [c.name, c.creditCents])).toEqual([
      ['Hypotheek', 1800_00],
      ['Verzekering', 450_00],
    ]);
    expect(o.lines).toHaveLength(2);
    const q1 = (await call('GET', '/rc/overview?year=2026&period=Q1', adviser(p1))).json();
    expect(q1).toMatchObject({ from: '2026-01-01', to: '2026-03-31', incomeCents: 1800_00, closingBalanceCents: 2070_00 });
    const y2025 = (await call('GET', '/rc/overview?year=2025', adviser(p1))).json();
    expect(y2025.categories).toEqual([{ code: 'advies', name: 'Advies', kind: 'income', debitCents: 0, creditCents: 270_00 }]);
    expectProblem(await call('GET', '/rc/overview?year=2026&period=Q5', adviser(p1)), 400);
    expectProblem(await call('GET', '/rc/overview', adviser(p1)), 400);
  });

  it('a participant without the visibility setting sees nothing; an office that is no participant neither', async () => {
    expectProblem(await call('GET', '/rc/overview?year=2026', adviser(p2)), 403, /rc-overview-hidden/);
    expectProblem(await call('GET', '/rc/overview?year=2026', adviser(a)), 404, /rc-not-participant/);
    // Nor through the central organisation's routes.
    expectProblem(await call('GET', '/rc/participants?year=2026', adviser(p2)), 404, /rc-not-central/);
    expectProblem(await call('GET', `/rc/participants/${p2.officeId}/overview?year=2026`, adviser(p1)), 404);
    // Once allowed, it sees its own.
    expect((await call('PUT', `/rc/participants/${p2.officeId}`, admin(a), { mayViewOverview: true })).statusCode).toBe(204);
    const own = (await call('GET', '/rc/overview?year=2026', adviser(p2))).json();
    expect(own).toMatchObject({ incomeCents: 90_00, costsCents: 250_00, closingBalanceCents: -160_00, toClaimCents: 160_00, toPayOutCents: 0 });
    expect(own.categories.find((c: { code: string }) => c.code === 'licentie')).toMatchObject({ name: 'Licentie', kind: 'cost', debitCents: 250_00 });
    expect((await call('PUT', `/rc/participants/${p2.officeId}`, admin(a), { mayViewOverview: false })).statusCode).toBe(204);
    expectProblem(await call('GET', '/rc/overview?year=2026', adviser(p2)), 403);
  });

  it("the central organisation's overview of all participants agrees with each participant's to the cent", async () => {
    const res = await call('GET', '/rc/participants?year=2026', adviser(a));
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.participants.map((p: { officeId: string }) => p.officeId).sort()).toEqual([p1.officeId, p2.officeId].sort());
    for (const row of c.participants) {
      const one = (await call('GET', `/rc/participants/${row.officeId}/overview?year=2026`, adviser(a))).json();
      for (const k of ['openingBalanceCents', 'incomeCents', 'costsCents', 'paidOutCents', 'closingBalanceCents', 'toPayOutCents', 'toClaimCents']) expect(one[k], k).toBe(row[k]);
    }
    expect(c.totals).toMatchObject({ toPayOutCents: 2520_00, toClaimCents: 160_00 });
    // B's participant is not in A's overview and not readable through A.
    expectProblem(await call('GET', `/rc/participants/${q.officeId}/overview?year=2026`, adviser(a)), 404);
    const bView = (await call('GET', '/rc/participants?year=2026', adviser(b))).json();
    expect(bView.participants.map((p: { officeId: string }) => p.officeId)).toEqual([q.officeId]);
    expect(bView.totals.toPayOutCents).toBe(899_10);
  });

  it('the overview downloads as PDF for the central organisation and a participant allowed to see it, for nobody else', async () => {
    const central = await call('GET', `/rc/participants/${p1.officeId}/overview/pdf?year=2026&period=Q1`, adviser(a));
    expect(central.statusCode, central.body).toBe(200);
    expect(central.headers['content-type']).toBe('application/pdf');
    expect(central.headers['content-disposition']).toMatch(/saldo-overzicht-rc-2026-Q1\.pdf/);
    expect(central.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const pdf = await PDFDocument.load(central.rawPayload);
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(pdf.getTitle()).toBe('Saldo-overzicht RC Q1 2026');
    expect((await call('GET', '/rc/overview/pdf?year=2026', adviser(p1))).statusCode).toBe(200);
    expectProblem(await call('GET', '/rc/overview/pdf?year=2026', adviser(p2)), 403, /rc-overview-hidden/);
    expectProblem(await call('GET', `/rc/participants/${p1.officeId}/overview/pdf?year=2026`, adviser(b)), 404);
  });

  it('reverses an entry once; only the own central organisation can', async () => {
    const own = (await call('GET', '/rc/overview?year=2026&period=M05', adviser(p1))).json();
    const entryId = own.lines[0].entryId;
    expectProblem(await call('POST', `/rc/entries/${entryId}/reversal`, admin(b), { entryDate: '2026-05-31' }), 404);
    const rev = await call('POST', `/rc/entries/${entryId}/reversal`, admin(a), { entryDate: '2026-05-31' });
    expect(rev.statusCode, rev.body).toBe(200);
    expect((await call('POST', `/rc/entries/${entryId}/reversal`, admin(a), { entryDate: '2026-05-31' })).json()).toEqual({ entryId: rev.json().entryId, created: false });
    const after = (await call('GET', '/rc/overview?year=2026&period=M05', adviser(p1))).json();
    expect(after.incomeCents).toBe(450_00);
    expect(after.costsCents).toBe(450_00);
    expect(after.closingBalanceCents).toBe(2070_00);
    expectProblem(await call('POST', `/rc/entries/${rev.json().entryId}/reversal`, admin(a), { entryDate: '2026-05-31' }), 409, /reversal-not-reversed/);
  });
});
