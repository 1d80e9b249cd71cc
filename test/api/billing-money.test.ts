/**
 * Money end to end (issue 15, deliverable 2) over HTTP against a real PostgreSQL and a real
 * Temporal (no worker on this file's task queue, as in billing.test.ts):
 *
 * - the largest amount the platform accepts (MAX_AMOUNT_CENTS = € 999.999.999,99, the SEPA
 *   maximum of one transaction) walks API → DB (bigint) → invoice → PDF → pain.008 and back as a
 *   JSON number; one cent more is refused with 400 problem+json at every door, never a 5xx;
 * - the issue's probes: a manual payment of 2147483647 cents on a € 32,96 invoice needs the
 *   explicit confirmation (422 naming confirmAmountCents, nothing stored); confirmed, it is stored
 *   and, applied the way the invoice workflow applies it (the real activities over the same
 *   database), the invoice is paid with nothing open and the rest is the client's credit with a
 *   back-office task; the credit can be offset against another invoice and refunded, never beyond
 *   the balance; amounts ≥ 2^31 never answer 500.
 */
import { inflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createBillingActivities } from '../../activities/billing.activities.js';
import type { BillingActivities } from '../../activities/billing.contract.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import { createMailer, type Mailer } from '../../integrations/mail/transport.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { applyInvoiceEvent, moneyFactOfBooking, eventOfMoneyFact, type InvoiceState } from '../../domain/billing/invoice-status.js';
import { MAX_AMOUNT_CENTS } from '../../domain/billing/money.js';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { nextTargetBusinessDay } from '../../integrations/sepa/calendar.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { readPain008 } from '../../integrations/sepa/pain008-read.js';
import { buildCamt054 } from '../../integrations/sepa/camt-build.js';
import { buildPain002 } from '../../integrations/sepa/pain002-build.js';
import type { BankEntry, BankStatement } from '../../integrations/sepa/types.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, uniquePerson, type TestOffice } from './support.js';

const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '';
if (!temporalAddress) throw new Error('billing-money.test: TEMPORAL_ADDRESS is not set (the vitest global setup provides it)');
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';

let orm: MikroORM;
let app: FastifyInstance;
let connection: Connection;
let client: Client;
let office: TestOffice;
let mailer: Mailer;
let acts: BillingActivities;
const taskQueue = `billing-money-test-${newId().slice(0, 8)}`;

const today = todayInAmsterdam(new Date());
const tag = () => newId().replace(/-/g, '').slice(0, 6).toUpperCase();
const nlIban = (account: string, bank: string) => `NL${ibanCheckDigits('NL', `${bank}${account}`)}${bank}${account}`;
const DEBTOR_IBAN = nlIban('0417164300', 'ABNA');
const CREDITOR_IBAN = nlIban('0123456789', 'INGB');
const CREDITOR_ID = `NL${creditorIdCheckDigits('NL', '123456780000')}ZZZ123456780000`;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Geldkantoor');
  connection = await Connection.connect({ address: temporalAddress });
  client = new Client({ connection, namespace });
  app = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) } });
  await app.ready();
  // The invoices here go by letter: issuing them renders the PDF and makes a task, no mail is sent.
  mailer = createMailer('smtp://127.0.0.1:9');
  acts = createBillingActivities({ orm, mailer, settings: { mailFrom: 'Geldkantoor <noreply@geldkantoor.nl>' } });
  const put = await app.inject({
    method: 'PUT',
    url: '/billing/settings',
    headers: admin(),
    payload: { reminderMode: 'workflow', creditor: { name: 'Geldkantoor B.V.', iban: CREDITOR_IBAN, bic: 'INGBNL2A', creditorId: CREDITOR_ID }, paymentTermDays: 14 },
  });
  expect(put.statusCode).toBe(200);
}, 120_000);

afterAll(async () => {
  mailer?.close();
  await app?.close();
  await connection?.close();
  await orm?.close(true);
});

const adviser = () => bearer(office.tokens.adviser);
const admin = () => bearer(office.tokens.admin);

function expectProblem(res: { headers: Record<string, unknown>; json(): unknown; statusCode: number }, status: number) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
  return body as { detail: string; type: string; errors?: { path: string; message: string }[]; [k: string]: unknown };
}

async function newProduct(): Promise<{ id: string; dossierId: string }> {
  const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }] } });
  expect(dossier.statusCode).toBe(201);
  const product = await app.inject({
    method: 'POST',
    url: `/dossiers/${dossier.json().id}/products`,
    headers: adviser(),
    payload: { type: 'service', parts: [{ description: 'Abonnement financieel advies' }] },
  });
  expect(product.statusCode).toBe(201);
  return { id: product.json().id, dossierId: dossier.json().id };
}

const contractBody = (amountCents: number, vatRate: number, overrides: Record<string, unknown> = {}) => ({
  description: 'Vermogensbeheer',
  amountCents,
  vatRate,
  period: 'year',
  startDate: '2026-01-01',
  paymentMethod: 'sepa',
  mandate: { id: `MNDT-${tag()}`, signedOn: '2025-12-15', iban: DEBTOR_IBAN, name: 'A. Jansen' },
  delivery: 'letter',
  ...overrides,
});

/** The text a PDF draws (pdf-lib writes hex strings in Flate-compressed content streams). */
function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  const out: string[] = [];
  const streams = /stream\r?\n([\s\S]*?)\r?\nendstream/g;
  for (let m = streams.exec(raw); m; m = streams.exec(raw)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
    } catch {
      content = m[1]!;
    }
    for (const hex of content.matchAll(/<([0-9A-Fa-f\s]+)>\s*Tj/g)) out.push(Buffer.from(hex[1]!.replace(/\s/g, ''), 'hex').toString('latin1'));
    for (const lit of content.matchAll(/\(((?:\\.|[^\\)])*)\)\s*Tj/g)) out.push(lit[1]!);
  }
  return out.join('\n');
}

/** The invoice's workflow step for a stored booking line, done as the workflow does it: facts, the pure rule, the recorded outcome. */
async function applyAsTheWorkflow(invoiceId: string, bookingId: string): Promise<void> {
  const facts = await acts.loadInvoiceFacts({ invoiceId });
  const line = (await orm.em.fork().execute<{ kind: 'payment' | 'collection' | 'reversal' | 'rejection'; amount_cents: number; reference: string | null; reason_code: string | null }[]>(
    'select kind, amount_cents, reference, reason_code from booking_lines where id = ?',
    [bookingId],
  ))[0]!;
  const state: InvoiceState = {
    status: facts.status as InvoiceState['status'],
    totalCents: facts.totalCents,
    paidCents: facts.paidCents,
    transferredCents: facts.transferredCents,
    costsCents: facts.costsCents ?? 0,
    ...(facts.ledger ? { ledger: facts.ledger } : {}),
  };
  const event =
    line.kind === 'rejection'
      ? ({ type: 'rejected', reason: line.reason_code ?? 'MS03' } as const)
      : eventOfMoneyFact(moneyFactOfBooking({ bookingId, kind: line.kind, amountCents: Number(line.amount_cents), reference: line.reference }, false), line.reason_code ?? 'MS03');
  const t = applyInvoiceEvent(state, event);
  if (!t.ok) throw new Error(t.reason);
  await acts.recordInvoiceStatus({
    invoiceId,
    status: t.state.status,
    paidCents: t.state.paidCents,
    creditCents: t.effects.overpaidCents ?? 0,
    applied: { bookingId, kind: line.kind },
  });
}

describe('the largest amount, end to end', () => {
  it('€ 999.999.999,99 walks API → DB → PDF → pain.008; one cent more is 400 problem+json at every door', async () => {
    const product = await newProduct();
    // One cent more than the maximum: refused by the schema (400), nothing stored.
    const tooMuch = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: contractBody(MAX_AMOUNT_CENTS + 1, 0) });
    expect(expectProblem(tooMuch, 400).detail).toMatch(/amountCents/);
    // The maximum with VAT on top would invoice more than the maximum: 400 naming the field.
    const withVat = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: contractBody(MAX_AMOUNT_CENTS, 21) });
    expect(expectProblem(withVat, 400).errors).toEqual([expect.objectContaining({ path: '/body/amountCents', message: expect.stringMatching(/99999999999/) })]);

    const created = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: contractBody(MAX_AMOUNT_CENTS, 0) });
    expect(created.statusCode).toBe(201);
    const contract = created.json() as { id: string; amountCents: number };
    expect(contract.amountCents).toBe(MAX_AMOUNT_CENTS);
    const stored = (await orm.em.fork().execute<{ amount_cents: unknown; type: string }[]>(
      "select amount_cents, pg_typeof(amount_cents)::text as type from contracts where id = ?",
      [contract.id],
    ))[0]!;
    expect(stored).toEqual({ amount_cents: MAX_AMOUNT_CENTS, type: 'bigint' });

    // The PATCH door: one cent more is 400 too.
    const patch = await app.inject({ method: 'PATCH', url: `/contracts/${contract.id}`, headers: adviser(), payload: { amountCents: MAX_AMOUNT_CENTS + 1 } });
    expect(patch.statusCode).toBeLessThan(500);
    expectProblem(patch, 400);

    // The invoice as the contract workflow makes it (the real activities), then its PDF.
    const invoiceDate = addDays(today, -20);
    const inv = await acts.createContractInvoice({
      key: `contract:${contract.id}:2026-01-01`,
      contractId: contract.id,
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      billedFrom: '2026-01-01',
      billedUntil: '2026-12-31',
      invoiceDate,
    });
    expect(inv.totalCents).toBe(MAX_AMOUNT_CENTS);
    await acts.issueInvoice({ invoiceId: inv.invoiceId });

    const view = (await app.inject({ method: 'GET', url: `/invoices/${inv.invoiceId}`, headers: adviser() })).json();
    expect(view).toMatchObject({ netCents: MAX_AMOUNT_CENTS, vatCents: 0, totalCents: MAX_AMOUNT_CENTS, paidCents: 0, openCents: MAX_AMOUNT_CENTS, creditCents: 0, status: 'sent' });
    expect(view.lines).toEqual([expect.objectContaining({ netCents: MAX_AMOUNT_CENTS, vatCents: 0 })]);

    const pdf = await app.inject({ method: 'GET', url: `/invoices/${inv.invoiceId}/pdf`, headers: adviser() });
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('999.999.999,99');
    expect(text).not.toMatch(/e\+|NaN|Infinity/);

    // The pain.008: the amount exactly, as InstdAmt and CtrlSum.
    const exported = await app.inject({ method: 'POST', url: '/billing/sepa-exports', headers: adviser(), payload: { collectionDate: nextTargetBusinessDay(addDays(today, 3)) } });
    expect(exported.statusCode).toBe(201);
    expect(exported.json()).toMatchObject({ transactions: 1, totalCents: MAX_AMOUNT_CENTS });
    expect(exported.json().invoices).toEqual([expect.objectContaining({ invoiceId: inv.invoiceId, amountCents: MAX_AMOUNT_CENTS })]);
    const xml = (await app.inject({ method: 'GET', url: exported.json().xmlUrl, headers: adviser() })).body;
    expect(xml).toContain('<InstdAmt Ccy="EUR">999999999.99</InstdAmt>');
    expect(xml).toMatch(/<CtrlSum>999999999\.99<\/CtrlSum>/);
    const pain = readPain008(xml);
    expect(pain.controlSumCents).toBe(MAX_AMOUNT_CENTS);
    expect(pain.paymentInfos[0]?.transactions[0]?.amountCents).toBe(MAX_AMOUNT_CENTS);
    const item = (await orm.em.fork().execute<{ amount_cents: unknown }[]>('select amount_cents from sepa_export_items where invoice_id = ?', [inv.invoiceId]))[0];
    expect(item?.amount_cents).toBe(MAX_AMOUNT_CENTS);

    // A manual booking of the maximum is accepted (within the plausibility limit of its invoice); one cent more is 400.
    const over = await app.inject({ method: 'POST', url: `/invoices/${inv.invoiceId}/bookings`, headers: adviser(), payload: { kind: 'payment', amountCents: MAX_AMOUNT_CENTS + 1 } });
    expectProblem(over, 400);
    const overConfirm = await app.inject({
      method: 'POST',
      url: `/invoices/${inv.invoiceId}/bookings`,
      headers: adviser(),
      payload: { kind: 'payment', amountCents: 1_000, confirmAmountCents: MAX_AMOUNT_CENTS + 1 },
    });
    expectProblem(overConfirm, 400);
    // The database holds the same limit: a value beyond it is refused there too.
    await expect(orm.em.fork().execute('update invoices set costs_cents = ? where id = ?', [MAX_AMOUNT_CENTS + 1, inv.invoiceId])).rejects.toThrow(/invoices_amounts_max/);
    await expect(orm.em.fork().execute('update contracts set amount_cents = ? where id = ?', [MAX_AMOUNT_CENTS + 1, contract.id])).rejects.toThrow(/contracts_amount_cents_max/);
  });

  it('every money field of the API schemas allows at most the maximum, and the database CHECKs say the same number', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { components: { schemas: Record<string, { properties?: Record<string, { maximum?: number }> }> } };
    const inputs = ['ContractCreate', 'ContractPatch', 'BookingCreate', 'ClientCreditRefund', 'ClientCreditOffset'];
    for (const name of inputs) expect(doc.components.schemas[name], name).toBeDefined();
    for (const name of inputs) {
      const props = doc.components.schemas[name]?.properties ?? {};
      for (const [field, s] of Object.entries(props)) if (/Cents$/.test(field)) expect({ name, field, maximum: s.maximum }).toEqual({ name, field, maximum: MAX_AMOUNT_CENTS });
    }
    const checks = await orm.em.fork().execute<{ def: string }[]>(
      "select pg_get_constraintdef(oid) as def from pg_constraint where contype = 'c' and conname like any (array['%cents%max%', '%amounts_max%', '%costs_cents_range%'])",
    );
    expect(checks.length).toBeGreaterThanOrEqual(6);
    for (const { def } of checks) {
      const numbers = [...def.matchAll(/\b(\d{6,})\b/g)].map((m) => Number(m[1]));
      expect(numbers.length).toBeGreaterThan(0);
      for (const n of numbers) expect(n).toBe(MAX_AMOUNT_CENTS);
    }
  });
});

describe("issue 15's probes: a manual payment of 2147483647 cents on a € 32,96 invoice", () => {
  let dossierId: string;
  let invoiceId: string;
  let otherInvoiceId: string;
  let thirdInvoiceId: string;

  it('needs the explicit confirmation: 422 naming confirmAmountCents, nothing stored', async () => {
    const product = await newProduct();
    dossierId = product.dossierId;
    const created = await app.inject({
      method: 'POST',
      url: `/products/${product.id}/contract`,
      headers: adviser(),
      payload: contractBody(2_724, 21, { period: 'month', paymentMethod: 'transfer', mandate: undefined }),
    });
    expect(created.statusCode).toBe(201);
    const contractId = created.json().id as string;
    const make = async (month: string) => {
      const inv = await acts.createContractInvoice({
        key: `contract:${contractId}:${month}`,
        contractId,
        periodStart: month,
        periodEnd: addDays(addDays(month, 31).slice(0, 8) + '01', -1),
        billedFrom: month,
        billedUntil: addDays(addDays(month, 31).slice(0, 8) + '01', -1),
        invoiceDate: addDays(today, -20),
      });
      await acts.issueInvoice({ invoiceId: inv.invoiceId });
      return inv;
    };
    const inv = await make('2026-01-01');
    expect(inv.totalCents).toBe(3_296);
    invoiceId = inv.invoiceId;
    otherInvoiceId = (await make('2026-02-01')).invoiceId;
    thirdInvoiceId = (await make('2026-03-01')).invoiceId;

    const settings = (await app.inject({ method: 'GET', url: '/billing/settings', headers: adviser() })).json();
    expect(settings.manualBookingLimitFactor).toBe(10);

    const refused = await app.inject({ method: 'POST', url: `/invoices/${invoiceId}/bookings`, headers: adviser(), payload: { kind: 'payment', amountCents: 2_147_483_647 } });
    const problem = expectProblem(refused, 422);
    expect(problem.errors).toEqual([expect.objectContaining({ path: '/body/confirmAmountCents' })]);
    expect(problem.limitCents).toBe(32_960);
    const mistyped = await app.inject({
      method: 'POST',
      url: `/invoices/${invoiceId}/bookings`,
      headers: adviser(),
      payload: { kind: 'payment', amountCents: 2_147_483_647, confirmAmountCents: 2_147_483_646 },
    });
    expect(expectProblem(mistyped, 422).errors).toEqual([expect.objectContaining({ path: '/body/confirmAmountCents', message: expect.stringMatching(/must equal amountCents/) })]);
    const lines = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from booking_lines where invoice_id = ?', [invoiceId]);
    expect(lines[0]?.n).toBe(0);
    // Within the limit no confirmation is asked.
    const plausible = await app.inject({ method: 'POST', url: `/invoices/${thirdInvoiceId}/bookings`, headers: adviser(), payload: { kind: 'payment', amountCents: 32_960 } });
    expect(plausible.statusCode).toBe(201);
  });

  it('amounts of 2^31 and more never answer 500', async () => {
    for (const amountCents of [2_147_483_648, 2 ** 32, 2 ** 36, MAX_AMOUNT_CENTS]) {
      const res = await app.inject({ method: 'POST', url: `/invoices/${invoiceId}/bookings`, headers: adviser(), payload: { kind: 'payment', amountCents } });
      expect(expectProblem(res, 422).errors).toEqual([expect.objectContaining({ path: '/body/confirmAmountCents' })]);
    }
    for (const amountCents of [MAX_AMOUNT_CENTS + 1, 2 ** 40, 2 ** 53, 1e20, 2.5]) {
      const res = await app.inject({ method: 'POST', url: `/invoices/${invoiceId}/bookings`, headers: adviser(), payload: { kind: 'payment', amountCents } });
      expectProblem(res, 400);
    }
    const product = await newProduct();
    const big = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: contractBody(2_147_483_648, 21) });
    expect(big.statusCode).toBe(201);
    expect(big.json().amountCents).toBe(2_147_483_648);
    const reminders = await app.inject({ method: 'POST', url: '/billing/reminder-runs', headers: adviser(), payload: { filter: { minOpenCents: 2 ** 40 } } });
    expect(reminders.statusCode).toBeLessThan(500);
  });

  it('confirmed, it is stored; applied, the invoice is paid, nothing is open, the rest is the client\'s credit with a task; offset and refund use it, never beyond it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/invoices/${invoiceId}/bookings`,
      headers: adviser(),
      payload: { kind: 'payment', amountCents: 2_147_483_647, confirmAmountCents: 2_147_483_647, note: 'bevestigd' },
    });
    expect(res.statusCode).toBe(201);
    const booking = res.json().booking as { id: string; amountCents: number; note: string };
    expect(booking.amountCents).toBe(2_147_483_647);
    expect(booking.note).toMatch(/bevestigd boven de plausibiliteitsgrens/);

    await applyAsTheWorkflow(invoiceId, booking.id);
    const view = (await app.inject({ method: 'GET', url: `/invoices/${invoiceId}`, headers: adviser() })).json();
    expect(view).toMatchObject({ status: 'paid', totalCents: 3_296, paidCents: 3_296, openCents: 0, creditCents: 2_147_483_647 - 3_296 });

    const credit = (await app.inject({ method: 'GET', url: `/billing/client-credits/${dossierId}`, headers: adviser() })).json();
    expect(credit).toMatchObject({ dossierId, balanceCents: 2_147_483_647 - 3_296 });
    expect(credit.entries).toEqual([expect.objectContaining({ kind: 'overpayment', amountCents: 2_147_483_647 - 3_296, invoiceId })]);
    const tasks = await orm.em.fork().execute<{ title: string }[]>('select title from tasks where key = ?', [`invoice:${invoiceId}/client-credit`]);
    expect(tasks).toEqual([{ title: expect.stringMatching(/^Tegoed van € 21\.474\.803,51 op factuur .*: terugbetalen of verrekenen$/) }]);

    // Applying the same line again changes nothing (no second credit, no second task).
    await acts.recordInvoiceStatus({ invoiceId, status: 'paid', paidCents: 3_296, creditCents: 2_147_483_647 - 3_296 });
    expect((await app.inject({ method: 'GET', url: `/billing/client-credits/${dossierId}`, headers: adviser() })).json().entries).toHaveLength(1);

    // Offset: at most the other invoice's open amount and the balance; the credit lowers by what was used.
    const tooMuch = await app.inject({ method: 'POST', url: `/billing/client-credits/${dossierId}/offsets`, headers: adviser(), payload: { invoiceId: otherInvoiceId, amountCents: 3_297 } });
    expect(expectProblem(tooMuch, 409).detail).toMatch(/open/);
    const offset = await app.inject({ method: 'POST', url: `/billing/client-credits/${dossierId}/offsets`, headers: adviser(), payload: { invoiceId: otherInvoiceId, amountCents: 3_296 } });
    expect(offset.statusCode).toBe(201);
    expect(offset.json()).toMatchObject({ delivered: true, booking: { kind: 'payment', amountCents: 3_296, invoiceId: otherInvoiceId }, credit: { balanceCents: 2_147_483_647 - 2 * 3_296 } });
    await applyAsTheWorkflow(otherInvoiceId, offset.json().booking.id);
    expect((await app.inject({ method: 'GET', url: `/invoices/${otherInvoiceId}`, headers: adviser() })).json()).toMatchObject({ status: 'paid', openCents: 0, creditCents: 0 });

    // Refund: never more than the balance; then the balance is what is left.
    const balance = 2_147_483_647 - 2 * 3_296;
    const refundTooMuch = await app.inject({ method: 'POST', url: `/billing/client-credits/${dossierId}/refunds`, headers: adviser(), payload: { amountCents: balance + 1 } });
    expect(expectProblem(refundTooMuch, 409).detail).toMatch(/credit/);
    const refund = await app.inject({ method: 'POST', url: `/billing/client-credits/${dossierId}/refunds`, headers: adviser(), payload: { amountCents: balance, note: 'teruggestort' } });
    expect(refund.statusCode).toBe(201);
    expect(refund.json()).toMatchObject({ balanceCents: 0 });
    expect(refund.json().entries.map((e: { kind: string; amountCents: number }) => [e.kind, e.amountCents])).toEqual([
      ['overpayment', 2_147_483_647 - 3_296],
      ['offset', -3_296],
      ['refund', -balance],
    ]);

    // The payment is reversed afterwards (storno by hand): only the total is open again, never
    // more, and the credit already paid out is now owed by the client: a negative balance and a task.
    const reversed = await app.inject({ method: 'PATCH', url: `/bookings/${booking.id}`, headers: adviser(), payload: { kind: 'reversal', reasonCode: 'MD06' } });
    expect(reversed.statusCode).toBe(200);
    await applyAsTheWorkflow(invoiceId, booking.id);
    expect((await app.inject({ method: 'GET', url: `/invoices/${invoiceId}`, headers: adviser() })).json()).toMatchObject({
      status: 'reversed',
      paidCents: 0,
      openCents: 3_296,
      creditCents: 0,
    });
    expect((await app.inject({ method: 'GET', url: `/billing/client-credits/${dossierId}`, headers: adviser() })).json().balanceCents).toBe(-(2_147_483_647 - 3_296));
    const owed = await orm.em.fork().execute<{ title: string }[]>('select title from tasks where key = ?', [`invoice:${invoiceId}/client-credit-owed`]);
    expect(owed).toEqual([{ title: expect.stringMatching(/de klant is € 21\.474\.803,51 verschuldigd/) }]);
  });
});

describe('bank files in every order: the open amount is what the money says (issue 15)', () => {
  const collectionDate = nextTargetBusinessDay(addDays(today, 3));

  /** Three SEPA invoices of € 30,25 (three contracts: one FRST each), exported in one pain.008. */
  async function exportThree(): Promise<{ invoices: { id: string; endToEndId: string }[]; messageId: string; paymentInfoId: string }> {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const product = await newProduct();
      const created = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: contractBody(2_500, 21, { period: 'month' }) });
      expect(created.statusCode).toBe(201);
      const inv = await acts.createContractInvoice({
        key: `contract:${created.json().id}:2026-01-01`,
        contractId: created.json().id,
        periodStart: '2026-01-01',
        periodEnd: '2026-01-31',
        billedFrom: '2026-01-01',
        billedUntil: '2026-01-31',
        invoiceDate: addDays(today, -20),
      });
      expect(inv.totalCents).toBe(3_025);
      await acts.issueInvoice({ invoiceId: inv.invoiceId });
      ids.push(inv.invoiceId);
    }
    const exported = await app.inject({ method: 'POST', url: '/billing/sepa-exports', headers: adviser(), payload: { collectionDate } });
    expect(exported.statusCode).toBe(201);
    const pain = readPain008((await app.inject({ method: 'GET', url: exported.json().xmlUrl, headers: adviser() })).body);
    const info = pain.paymentInfos[0]!;
    expect(info.transactions).toHaveLength(3);
    const byInvoice = new Map((exported.json().invoices as { invoiceId: string; endToEndId: string }[]).map((i) => [i.invoiceId, i.endToEndId]));
    return { invoices: ids.map((id) => ({ id, endToEndId: byInvoice.get(id)! })), messageId: pain.messageId, paymentInfoId: info.id };
  }

  const batchCredit = (paymentInfoId: string, messageId: string): BankEntry => ({
    bookingDate: collectionDate,
    amountCents: 9_075,
    currency: 'EUR',
    creditDebit: 'CRDT',
    reversal: false,
    status: 'BOOK',
    isReturn: false,
    bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'ESDD' },
    transactions: [],
    batches: [{ messageId, paymentInfoId, numberOfTransactions: 3, totalCents: 9_075, currency: 'EUR', creditDebit: 'CRDT', firstTransaction: 0, transactionCount: 0 }],
  });
  const returned = (endToEndId: string): BankEntry => ({
    bookingDate: collectionDate,
    amountCents: 3_025,
    currency: 'EUR',
    creditDebit: 'DBIT',
    reversal: false,
    status: 'BOOK',
    isReturn: true,
    bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'UPDD' },
    transactions: [{ endToEndId, amountCents: 3_025, returnReason: 'MD06' }],
  });
  const camt054 = (entries: BankEntry[]): string =>
    buildCamt054({ format: 'camt.054', messageId: `NTF-${tag()}`, createdAt: `${collectionDate}T18:00:00`, accountIban: CREDITOR_IBAN, entries } as BankStatement);
  const importFile = (xml: string) => app.inject({ method: 'POST', url: '/billing/bank-imports', headers: { ...adviser(), 'content-type': 'application/xml' }, payload: xml });

  /** Every booking line of the invoices not applied yet, applied in the order they were stored, as the invoice workflow would. */
  async function applyAll(invoiceIds: string[]): Promise<void> {
    const lines = await orm.em.fork().execute<{ id: string; invoice_id: string }[]>(
      'select id, invoice_id from booking_lines where invoice_id = any(?::uuid[]) and cardinality(applied) = 0 order by created_at, key',
      [`{${invoiceIds.join(',')}}`],
    );
    for (const l of lines) await applyAsTheWorkflow(l.invoice_id, l.id);
  }
  const money = async (id: string) => {
    const v = (await app.inject({ method: 'GET', url: `/invoices/${id}`, headers: adviser() })).json();
    return { status: v.status, paidCents: v.paidCents, openCents: v.openCents, creditCents: v.creditCents };
  };

  it("the issue's file: one batch credit (Btch only) and an MD06 return of the first collection in one camt.054 → 3025 open on 3025, never 6050", async () => {
    const { invoices, messageId, paymentInfoId } = await exportThree();
    const xml = camt054([batchCredit(paymentInfoId, messageId), returned(invoices[0]!.endToEndId)]);
    const res = await importFile(xml);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ booked: 4, unmatched: [] });
    const lines = await orm.em.fork().execute<{ kind: string; reference: string }[]>(
      'select kind, reference from booking_lines where invoice_id = ? order by created_at, key',
      [invoices[0]!.id],
    );
    expect(lines).toEqual([
      { kind: 'collection', reference: invoices[0]!.endToEndId },
      { kind: 'reversal', reference: invoices[0]!.endToEndId },
    ]);
    await applyAll(invoices.map((i) => i.id));
    expect(await money(invoices[0]!.id)).toEqual({ status: 'reversed', paidCents: 0, openCents: 3_025, creditCents: 0 });
    for (const i of invoices.slice(1)) expect(await money(i.id)).toEqual({ status: 'collected', paidCents: 3_025, openCents: 0, creditCents: 0 });
    // The same file again changes nothing.
    expect((await importFile(xml)).json()).toMatchObject({ duplicate: true });
    await applyAll(invoices.map((i) => i.id));
    expect(await money(invoices[0]!.id)).toEqual({ status: 'reversed', paidCents: 0, openCents: 3_025, creditCents: 0 });
  });

  it('the return in a file before the batch credit is known, the credit later, the return again in a third file: open stays the total', async () => {
    const { invoices, messageId, paymentInfoId } = await exportThree();
    const first = invoices[0]!;
    expect((await importFile(camt054([returned(first.endToEndId)]))).json()).toMatchObject({ booked: 1 });
    await applyAll([first.id]);
    expect(await money(first.id)).toEqual({ status: 'reversed', paidCents: 0, openCents: 3_025, creditCents: 0 });
    expect((await importFile(camt054([batchCredit(paymentInfoId, messageId)]))).json()).toMatchObject({ booked: 3 });
    await applyAll(invoices.map((i) => i.id));
    expect(await money(first.id)).toEqual({ status: 'reversed', paidCents: 0, openCents: 3_025, creditCents: 0 });
    // The same return reported again in another file is booked once (already booked) and counts once.
    const again = await importFile(camt054([returned(first.endToEndId)]));
    expect(again.json()).toMatchObject({ booked: 0 });
    await applyAll([first.id]);
    expect(await money(first.id)).toEqual({ status: 'reversed', paidCents: 0, openCents: 3_025, creditCents: 0 });
    // The client pays by transfer what is open: settled, nothing left, no credit.
    const paid = await app.inject({ method: 'POST', url: `/invoices/${first.id}/bookings`, headers: adviser(), payload: { kind: 'payment', amountCents: 3_025 } });
    expect(paid.statusCode).toBe(201);
    await applyAll([first.id]);
    expect(await money(first.id)).toEqual({ status: 'paid', paidCents: 3_025, openCents: 0, creditCents: 0 });
  });

  it('a pain.002 reject before settlement moves no money: open stays the total; a manual reversal of a never-collected invoice is refused', async () => {
    const { invoices, messageId, paymentInfoId } = await exportThree();
    const rejected = invoices[1]!;
    const report = buildPain002({
      format: 'pain.002',
      version: '001.03',
      messageId: `PSR-${tag()}`,
      createdAt: `${today}T17:45:12`,
      originalMessageId: messageId,
      originalMessageType: 'pain.008.001.02',
      groupStatus: 'PART',
      paymentInfos: [{ paymentInfoId, status: 'PART', transactions: [{ endToEndId: rejected.endToEndId, status: 'RJCT', reasonCode: 'AM04', amountCents: 3_025 }] }],
    });
    expect((await importFile(report)).json()).toMatchObject({ booked: 1 });
    await applyAll([rejected.id]);
    expect(await money(rejected.id)).toEqual({ status: 'reversed', paidCents: 0, openCents: 3_025, creditCents: 0 });
    const line = (await orm.em.fork().execute<{ kind: string; reference: string }[]>('select kind, reference from booking_lines where invoice_id = ?', [rejected.id]))[0];
    expect(line).toEqual({ kind: 'rejection', reference: rejected.endToEndId });

    // A reversal by hand takes back the invoice's collection (its EndToEndId): never credited, it takes back nothing.
    const byHand = await app.inject({ method: 'POST', url: `/invoices/${rejected.id}/bookings`, headers: adviser(), payload: { kind: 'reversal', amountCents: 3_025, reasonCode: 'MD06' } });
    expect(byHand.statusCode).toBe(201);
    expect(byHand.json().booking.reference).toBe(rejected.endToEndId);
    await applyAll([rejected.id]);
    expect(await money(rejected.id)).toEqual({ status: 'reversed', paidCents: 0, openCents: 3_025, creditCents: 0 });

    // An invoice by transfer that was never collected has no collection to reverse: 409.
    const product = await newProduct();
    const created = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: contractBody(2_500, 21, { period: 'month', paymentMethod: 'transfer', mandate: undefined }) });
    const inv = await acts.createContractInvoice({
      key: `contract:${created.json().id}:2026-01-01`,
      contractId: created.json().id,
      periodStart: '2026-01-01',
      periodEnd: '2026-01-31',
      billedFrom: '2026-01-01',
      billedUntil: '2026-01-31',
      invoiceDate: addDays(today, -20),
    });
    const nothing = await app.inject({ method: 'POST', url: `/invoices/${inv.invoiceId}/bookings`, headers: adviser(), payload: { kind: 'reversal', amountCents: 3_025, reasonCode: 'MD06' } });
    expect(expectProblem(nothing, 409).detail).toMatch(/never collected/);
  });
});
