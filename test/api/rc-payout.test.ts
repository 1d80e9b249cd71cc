/**
 * A pay-out end to end (issue 21), over the API with a real worker and Temporal: commission in →
 * the participant's RC up → pay-out requested and approved (RC → intermediate account) → the
 * pain.001 (read back, XSD-valid when the schema is in the reference folder) → the simulated
 * bank's camt.053 imported through the platform's bank import → the workflow books
 * intermediate account → bank. Then the participant's overview and the central overview agree to
 * the cent, revenue was booked once, the intermediate account is back at zero, and the pay-out
 * is not booked twice when the statement comes again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '../../db/orm.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { readPain001 } from '../../integrations/sepa/index.js';
import { bundledXsdDir, xsdErrors } from '../../integrations/sepa/testing/support.js';
import { transferStatement } from '../../simulators/bank/transfers.js';
import { bearer, createTestOffice, openOrm, startAppWithWorker, type AppWithWorker, type TestOffice } from './support.js';

let orm: MikroORM;
let platform: AppWithWorker;
let central: TestOffice;
let participant: TestOffice;
let other: TestOffice;

const nlIban = (account: string, bankCode: string) => `NL${ibanCheckDigits('NL', `${bankCode}${account}`)}${bankCode}${account}`;
const CENTRAL_IBAN = nlIban('0417164300', 'ABNA');
const PARTICIPANT_IBAN = nlIban('0001234567', 'INGB');
const CREDITOR_ID = `NL${creditorIdCheckDigits('NL', '123456780000')}ZZZ123456780000`;

beforeAll(async () => {
  orm = await openOrm();
  central = await createTestOffice(orm, 'Centraal uitbetaling');
  participant = await createTestOffice(orm, 'Deelnemer uitbetaling');
  other = await createTestOffice(orm, 'Ander centraal');
  platform = await startAppWithWorker(orm, `rc-payout-${randomUUID()}`);
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await orm?.close(true);
});

const admin = (o: TestOffice) => bearer(o.tokens.admin);
const inject = (method: 'GET' | 'PUT' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) =>
  platform.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function accountBalance(centralId: string, kind: string): Promise<number> {
  const [r] = await orm.em.fork().execute<{ b: string }[]>(
    `select coalesce(sum(l.debit_cents - l.credit_cents), 0) as b from journal_lines l join ledger_accounts a on a.id = l.account_id where a.central_office_id = ? and a.kind = ?`,
    [centralId, kind],
  );
  return Number(r!.b);
}

describe('pay-out with the mirror booking', () => {
  let payoutId: string;

  it('sets up, books commission, requests and approves the pay-out', async () => {
    const year = 2026;
    expect((await inject('PUT', '/billing/settings', admin(central), { reminderMode: 'workflow', paymentTermDays: 14, creditor: { name: 'Centraal BV', iban: CENTRAL_IBAN, creditorId: CREDITOR_ID } })).statusCode).toBe(200);
    expect((await inject('PUT', '/rc/organisation', admin(central), { iban: CENTRAL_IBAN })).statusCode).toBe(200);
    expect((await inject('PUT', `/rc/participants/${participant.officeId}`, admin(central), { mayViewOverview: true, centralShareBp: 1000 })).statusCode).toBe(204);
    const commission = await inject('POST', '/rc/commissions', admin(central), { participantOfficeId: participant.officeId, reference: 'PO-1', productType: 'mortgage', amountCents: 1500_00, entryDate: `${year}-03-01` });
    expect(commission.statusCode, commission.body).toBe(200);
    const revenueBefore = await accountBalance(central.officeId, 'revenue');
    expect(revenueBefore).toBe(-150_00);

    // No IBAN of the participant yet: nothing to pay to.
    const noIban = await inject('POST', `/rc/participants/${participant.officeId}/payouts`, admin(central), { year });
    expect(noIban.statusCode, noIban.body).toBe(409);
    expect((await inject('PUT', `/rc/participants/${participant.officeId}`, admin(central), { mayViewOverview: true, iban: PARTICIPANT_IBAN })).statusCode).toBe(204);

    const requested = await inject('POST', `/rc/participants/${participant.officeId}/payouts`, admin(central), { year });
    expect(requested.statusCode, requested.body).toBe(201);
    expect(requested.json()).toMatchObject({ amountCents: 1350_00, status: 'requested', hasFile: false });
    payoutId = requested.json().id;
    // One open pay-out per participant; another central organisation does not see it.
    expect((await inject('POST', `/rc/participants/${participant.officeId}/payouts`, admin(central), { year })).statusCode).toBe(409);
    expect((await inject('GET', `/rc/payouts/${payoutId}`, admin(other))).statusCode).toBe(404);
    expect((await inject('POST', `/rc/payouts/${payoutId}/approve`, admin(other))).statusCode).toBe(404);
    expect((await inject('GET', `/rc/payouts/${payoutId}/pain001`, admin(central))).statusCode).toBe(409);
    // The lists: waiting for approval, this participant's; another central organisation's list is empty.
    const ids = async (url: string, o: TestOffice = central) => {
      const res = await inject('GET', url, bearer(o.tokens.adviser));
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string }[]).map((p) => p.id);
    };
    expect(await ids('/rc/payouts?status=requested')).toContain(payoutId);
    expect(await ids(`/rc/payouts?participantOfficeId=${participant.officeId}`)).toEqual([payoutId]);
    expect(await ids(`/rc/payouts?participantOfficeId=${participant.officeId}&status=settled`)).toEqual([]);
    expect(await ids(`/rc/payouts?participantOfficeId=${other.officeId}`)).toEqual([]);
    expect(await ids('/rc/payouts?status=requested', other)).toEqual([]);
    const listed = (await inject('GET', `/rc/payouts?participantOfficeId=${participant.officeId}`, admin(central))).json().items[0];
    expect(Date.parse(listed.requestedAt)).not.toBeNaN();
    for (const bad of ['status=waiting', 'participantOfficeId=abc', 'office=1']) {
      const res = await inject('GET', `/rc/payouts?${bad}`, admin(central));
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }

    const approved = await inject('POST', `/rc/payouts/${payoutId}/approve`, admin(central));
    expect(approved.statusCode, approved.body).toBe(200);
    const withFile = await until('the pain.001', async () => {
      const p = (await inject('GET', `/rc/payouts/${payoutId}`, admin(central))).json();
      return p.status === 'file_created' ? p : undefined;
    });
    expect(withFile.hasFile).toBe(true);
    expect((await inject('POST', `/rc/payouts/${payoutId}/approve`, admin(central))).statusCode).toBe(409);
    expect(await ids('/rc/payouts?status=requested')).not.toContain(payoutId);
    expect(await ids('/rc/payouts?status=file_created')).toContain(payoutId);
    // Approved: the RC is at zero, the money waits on the intermediate account; revenue untouched.
    const own = (await inject('GET', `/rc/overview?year=${year}`, bearer(participant.tokens.adviser))).json();
    expect(own).toMatchObject({ incomeCents: 1350_00, paidOutCents: 1350_00, closingBalanceCents: 0, toPayOutCents: 0 });
    expect(await accountBalance(central.officeId, 'intermediate')).toBe(-1350_00);
    expect(await accountBalance(central.officeId, 'revenue')).toBe(revenueBefore);
  });

  it('the pain.001 pays the participant, and is XSD-valid', async () => {
    const res = await inject('GET', `/rc/payouts/${payoutId}/pain001`, admin(central));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/xml/);
    const file = readPain001(res.body);
    expect(file.debtorIban).toBe(CENTRAL_IBAN);
    expect(file.transfers).toEqual([expect.objectContaining({ amountCents: 1350_00, creditor: expect.objectContaining({ iban: PARTICIPANT_IBAN }) })]);
    expect(await xsdErrors(res.body, 'pain.001.001.03.xsd', bundledXsdDir)).toEqual([]);
  });

  it("the simulated bank's statement settles it through the intermediate account, once", async () => {
    const pain001 = (await inject('GET', `/rc/payouts/${payoutId}/pain001`, admin(central))).body;
    const camt = transferStatement(pain001, { bookedOn: '2026-07-03', statementId: `STMT-${payoutId.slice(0, 8)}` });
    const imported = await platform.app.inject({ method: 'POST', url: '/billing/bank-imports', headers: { ...bearer(central.tokens.adviser), 'content-type': 'application/xml' }, payload: camt });
    expect(imported.statusCode, imported.body).toBeLessThan(300);
    const settled = await until('the settlement', async () => {
      const p = (await inject('GET', `/rc/payouts/${payoutId}`, admin(central))).json();
      return p.status === 'settled' ? p : undefined;
    });
    expect(settled.settledOn).toBe('2026-07-03');
    expect(await accountBalance(central.officeId, 'intermediate')).toBe(0);
    expect(await accountBalance(central.officeId, 'bank')).toBe(150_00);
    expect(await accountBalance(central.officeId, 'revenue')).toBe(-150_00);
    // The same statement again books nothing more.
    await platform.app.inject({ method: 'POST', url: '/billing/bank-imports', headers: { ...bearer(central.tokens.adviser), 'content-type': 'application/xml' }, payload: camt });
    await new Promise((r) => setTimeout(r, 500));
    const [n] = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from journal_entries where key like ?`, [`payout%${payoutId}`]);
    expect(n!.n).toBe(2);
    // The participant's overview and the central overview agree to the cent.
    const own = (await inject('GET', '/rc/overview?year=2026', bearer(participant.tokens.adviser))).json();
    const all = (await inject('GET', '/rc/participants?year=2026', bearer(central.tokens.adviser))).json();
    const row = all.participants.find((p: { officeId: string }) => p.officeId === participant.officeId);
    for (const k of ['openingBalanceCents', 'incomeCents', 'costsCents', 'paidOutCents', 'closingBalanceCents', 'toPayOutCents', 'toClaimCents']) expect(row[k], k).toBe(own[k]);
    expect(own.categories.find((c: { kind: string }) => c.kind === 'payout')).toMatchObject({ name: 'Uitbetaling', debitCents: 1350_00 });
  });
});
