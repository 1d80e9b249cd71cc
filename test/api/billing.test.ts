/**
 * Billing over HTTP against a real PostgreSQL and a real Temporal (TEMPORAL_ADDRESS from the
 * global setup). No worker runs on this file's task queue: starts and signal-with-start still
 * create executions whose history holds the start and the signals, which is what the API owes.
 * Invoices are inserted with SQL (the contract workflow's activities make them in production).
 */
import type { FastifyInstance } from 'fastify';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import type { TemporalDeps } from '../../api/types.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { effectiveFromNextPeriod } from '../../domain/billing/periods.js';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { buildCamt053 } from '../../integrations/sepa/camt.js';
import { nextTargetBusinessDay } from '../../integrations/sepa/calendar.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { readPain008 } from '../../integrations/sepa/pain008-read.js';
import type { BankStatement } from '../../integrations/sepa/types.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, uniquePerson, type TestOffice } from './support.js';

const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '';
if (!temporalAddress) throw new Error('billing.test: TEMPORAL_ADDRESS is not set (the vitest global setup provides it)');
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';

let orm: MikroORM;
let app: FastifyInstance;
let connection: Connection;
let client: Client;
let office: TestOffice;
const taskQueue = `billing-api-test-${newId().slice(0, 8)}`;

const today = todayInAmsterdam(new Date());
const tag = () => newId().replace(/-/g, '').slice(0, 6).toUpperCase();
/** A valid Dutch IBAN: bank code + 10-digit account with its check digits. */
const nlIban = (account = '0417164300', bank = 'ABNA') => `NL${ibanCheckDigits('NL', `${bank}${account}`)}${bank}${account}`;
const DEBTOR_IBAN = nlIban();
const CREDITOR_IBAN = nlIban('0123456789', 'INGB');
const CREDITOR_ID = `NL${creditorIdCheckDigits('NL', '123456780000')}ZZZ123456780000`;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Factuurkantoor');
  connection = await Connection.connect({ address: temporalAddress });
  client = new Client({ connection, namespace });
  app = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) } });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await orm?.close(true);
});

// ---- helpers -----------------------------------------------------------------------------

const adviser = () => bearer(office.tokens.adviser);
const admin = () => bearer(office.tokens.admin);

function expectProblem(res: { headers: Record<string, unknown>; json(): unknown; statusCode: number }, status: number) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
  return body as { detail: string; type: string; [k: string]: unknown };
}

async function newProduct(a: FastifyInstance = app, token = office.tokens.adviser): Promise<{ id: string; dossierId: string }> {
  const dossier = await a.inject({ method: 'POST', url: '/dossiers', headers: bearer(token), payload: { applicants: [{ person: uniquePerson() }] } });
  expect(dossier.statusCode).toBe(201);
  const product = await a.inject({
    method: 'POST',
    url: `/dossiers/${dossier.json().id}/products`,
    headers: bearer(token),
    payload: { type: 'service', parts: [{ description: 'Abonnement financieel advies' }] },
  });
  expect(product.statusCode).toBe(201);
  return { id: product.json().id, dossierId: dossier.json().id };
}

function sepaContract(overrides: Record<string, unknown> = {}) {
  return {
    description: 'Abonnement financieel advies',
    amountCents: 2500,
    vatRate: 21,
    period: 'month',
    startDate: '2026-01-01',
    paymentMethod: 'sepa',
    mandate: { id: `MNDT-${tag()}`, signedOn: '2025-12-15', iban: DEBTOR_IBAN.replace(/(.{4})/g, '$1 ').trim(), name: 'A. Jansen' },
    delivery: 'email',
    ...overrides,
  };
}

async function newContract(body: Record<string, unknown> = sepaContract()) {
  const product = await newProduct();
  const res = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: body });
  expect(res.statusCode).toBe(201);
  return { product, contract: res.json() as { id: string; dossierId: string; productId: string; workflowId: string } };
}

let invoiceSeq = 0;
/** An invoice as the contract activities would make it. */
async function insertInvoice(
  c: { id: string; dossierId: string; productId: string },
  opts: { totalCents?: number; paymentMethod?: 'sepa' | 'transfer'; status?: string; officeId?: string; invoiceDate?: string } = {},
): Promise<{ id: string; number: string; totalCents: number }> {
  invoiceSeq += 1;
  const id = newId();
  const number = `2026-${tag()}${String(invoiceSeq).padStart(3, '0')}`;
  const total = opts.totalCents ?? 3025;
  const vat = Math.round((total * 21) / 121);
  const invoiceDate = opts.invoiceDate ?? addDays(today, -20);
  await orm.em.fork().execute(
    `insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
       net_cents, vat_cents, total_cents, status, payment_method, delivery, workflow_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'email', ?)`,
    [
      id,
      `test:${id}`,
      opts.officeId ?? office.officeId,
      c.id,
      c.dossierId,
      c.productId,
      number,
      invoiceDate,
      addDays(invoiceDate, 14),
      invoiceDate,
      addDays(invoiceDate, 30),
      total - vat,
      vat,
      total,
      opts.status ?? 'sent',
      opts.paymentMethod ?? 'sepa',
      `invoice:${id}`,
    ],
  );
  await orm.em.fork().execute(
    'insert into invoice_lines (id, invoice_id, position, description, net_cents, vat_rate, vat_cents) values (?, ?, 1, ?, ?, 21, ?)',
    [newId(), id, 'Abonnement financieel advies', total - vat, vat],
  );
  return { id, number, totalCents: total };
}

interface SignalSeen {
  name: string;
  args: unknown[];
}

/** The signals in a workflow's history, decoded (the default JSON payload converter). */
async function signalsOf(workflowId: string, name?: string): Promise<SignalSeen[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const seen: SignalSeen[] = [];
  for (const e of history.events ?? []) {
    const attrs = e.workflowExecutionSignaledEventAttributes;
    if (!attrs?.signalName) continue;
    const args = (attrs.input?.payloads ?? []).map((p) => JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString('utf8')) as unknown);
    seen.push({ name: attrs.signalName, args });
  }
  return name === undefined ? seen : seen.filter((s) => s.name === name);
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const found = await orm.em.fork().execute<{ n: number }[]>(sql, params);
  return found[0]?.n ?? -1;
}

async function setCreditor(token = office.tokens.admin) {
  const res = await app.inject({
    method: 'PUT',
    url: '/billing/settings',
    headers: bearer(token),
    payload: {
      reminderMode: 'workflow',
      creditor: { name: 'Factuurkantoor B.V.', iban: CREDITOR_IBAN, bic: 'INGBNL2A', creditorId: CREDITOR_ID },
      paymentTermDays: 14,
    },
  });
  expect(res.statusCode).toBe(200);
}

const collectionDate = nextTargetBusinessDay(addDays(today, 3));

// ---- settings ------------------------------------------------------------------------------

describe('billing settings', () => {
  it('defaults before anything is set; advisers read, only admins write', async () => {
    const fresh = await createTestOffice(orm, 'Leeg kantoor');
    const res = await app.inject({ method: 'GET', url: '/billing/settings', headers: bearer(fresh.tokens.adviser) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ reminderMode: 'workflow', creditor: null, paymentTermDays: 14, stornoPolicyIsDefault: true, updatedAt: null });
    expect(res.json().stornoPolicy.AM04).toEqual({ action: 'recollect', maxRecollections: 1, then: 'remind' });
    const put = await app.inject({
      method: 'PUT',
      url: '/billing/settings',
      headers: bearer(fresh.tokens.adviser),
      payload: { reminderMode: 'module', creditor: null, paymentTermDays: 14 },
    });
    expectProblem(put, 403);
  });

  it('400 naming every problem: creditor IBAN check digits, creditor id, storno policy; nothing stored', async () => {
    const fresh = await createTestOffice(orm, 'Fout kantoor');
    const badIban = CREDITOR_IBAN.slice(0, 2) + (CREDITOR_IBAN.slice(2, 4) === '00' ? '01' : '00') + CREDITOR_IBAN.slice(4);
    const res = await app.inject({
      method: 'PUT',
      url: '/billing/settings',
      headers: bearer(fresh.tokens.admin),
      payload: {
        reminderMode: 'module',
        creditor: { name: 'Kantoor', iban: badIban, creditorId: 'NL00ZZZ123456780000' },
        paymentTermDays: 14,
        stornoPolicy: { default: { action: 'remind' }, AC04: { action: 'recollect' } },
      },
    });
    const body = expectProblem(res, 400);
    expect(body.detail).toMatch(/IBAN .*check digits do not match/);
    expect(body.detail).toMatch(/creditor id .*check digits do not match/);
    expect(body.detail).toMatch(/"AC04".*must never be re-collected/);
    const after = await app.inject({ method: 'GET', url: '/billing/settings', headers: bearer(fresh.tokens.admin) });
    expect(after.json()).toMatchObject({ reminderMode: 'workflow', creditor: null, updatedAt: null });
  });

  it('upserts a valid setting (IBAN normalised, own policy kept)', async () => {
    const fresh = await createTestOffice(orm, 'Goed kantoor');
    const policy = { default: { action: 'remind' }, AM04: { action: 'recollect', maxRecollections: 2, then: 'flag-mandate' } };
    for (const mode of ['module', 'workflow'] as const) {
      const res = await app.inject({
        method: 'PUT',
        url: '/billing/settings',
        headers: bearer(fresh.tokens.admin),
        payload: {
          reminderMode: mode,
          creditor: { name: 'Goed kantoor B.V.', iban: CREDITOR_IBAN.toLowerCase().replace(/(.{4})/g, '$1 '), creditorId: CREDITOR_ID },
          paymentTermDays: 30,
          stornoPolicy: policy,
        },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        reminderMode: mode,
        creditor: { name: 'Goed kantoor B.V.', iban: CREDITOR_IBAN, bic: null, creditorId: CREDITOR_ID },
        paymentTermDays: 30,
        stornoPolicy: policy,
        stornoPolicyIsDefault: false,
      });
    }
  });
});

// ---- contracts -----------------------------------------------------------------------------

describe('contracts', () => {
  it('a SEPA contract: 201, its workflow started, on the product card; a second one is 409', async () => {
    const product = await newProduct();
    const res = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: sepaContract() });
    expect(res.statusCode).toBe(201);
    const contract = res.json();
    expect(contract).toMatchObject({
      productId: product.id,
      dossierId: product.dossierId,
      amountCents: 2500,
      vatRate: 21,
      period: 'month',
      startDate: '2026-01-01',
      endDate: null,
      paymentMethod: 'sepa',
      delivery: 'email',
      consumer: true,
      mandate: { signedOn: '2025-12-15', ibanMasked: `${'*'.repeat(DEBTOR_IBAN.length - 4)}${DEBTOR_IBAN.slice(-4)}`, name: 'A. Jansen', firstCollected: false },
      mandateFlaggedReason: null,
      pendingAmountCents: null,
      workflowId: `contract:${contract.id}`,
    });
    expect(JSON.stringify(contract)).not.toContain(DEBTOR_IBAN);
    const description = await client.workflow.getHandle(contract.workflowId).describe();
    expect(description.type).toBe('contractWorkflow');
    expect(description.taskQueue).toBe(taskQueue);

    const card = (await app.inject({ method: 'GET', url: `/products/${product.id}`, headers: adviser() })).json();
    expect(card.contract).toEqual({ id: contract.id, lastInvoiceDate: null, nextInvoiceDate: null, amountCents: 2500, period: 'month', status: 'active' });

    const again = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: sepaContract() });
    expect(expectProblem(again, 409).detail).toMatch(/already has contract/);

    const list = await app.inject({ method: 'GET', url: `/contracts?productId=${product.id}`, headers: adviser() });
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([contract.id]);
    expectProblem(await app.inject({ method: 'GET', url: `/contracts/${contract.id}`, headers: bearer((await createTestOffice(orm)).tokens.adviser) }), 404);
  });

  it('400 for a wrong IBAN, a negative amount, a SEPA contract without mandate; nothing stored', async () => {
    const product = await newProduct();
    const post = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload });
    const wrongIban = DEBTOR_IBAN.slice(0, 2) + (DEBTOR_IBAN.slice(2, 4) === '00' ? '01' : '00') + DEBTOR_IBAN.slice(4);
    const iban = expectProblem(await post(sepaContract({ mandate: { id: 'M-1', signedOn: '2025-12-01', iban: wrongIban, name: 'A. Jansen' } })), 400);
    expect(iban.detail).toMatch(/IBAN NL\d{2}ABNA\d{10}: check digits do not match/);
    const negative = expectProblem(await post(sepaContract({ amountCents: -500 })), 400);
    expect(negative.detail).toMatch(/amountCents must be >= 1/);
    expect(expectProblem(await post(sepaContract({ amountCents: 0 })), 400).detail).toMatch(/amountCents/);
    const { mandate: _m, ...withoutMandate } = sepaContract();
    expect(expectProblem(await post(withoutMandate), 400).detail).toMatch(/needs the mandate/);
    expect(expectProblem(await post(sepaContract({ endDate: '2025-12-31' })), 400).detail).toMatch(/before startDate/);
    // More monthly periods to catch up than one run can invoice (from 1900): refused at the field,
    // not left to an invoice run that would fail on it for ever.
    const ancient = expectProblem(await post(sepaContract({ startDate: '1900-01-01', period: 'month' })), 400);
    expect(ancient.errors).toEqual([expect.objectContaining({ path: '/body/startDate', message: expect.stringMatching(/periods to invoice up to now; at most 1199/) })]);
    expect(await count('select count(*)::int as n from contracts where product_id = ?', [product.id])).toBe(0);
  });

  it('Temporal down: 503 and the row stays; the same call again starts it and answers the stored contract', async () => {
    const product = await newProduct();
    const down: TemporalDeps = {
      client: {
        withDeadline: <R>(_deadline: number | Date, fn: () => Promise<R>) => fn(),
        workflow: {
          start: async () => {
            throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');
          },
        },
      } as unknown as Client,
      taskQueue,
      checkHealth: async () => undefined,
    };
    const downApp = buildApp({ orm, temporal: down });
    await downApp.ready();
    try {
      const res = await downApp.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: sepaContract() });
      expect(expectProblem(res, 503).detail).toMatch(/is stored.*repeat the same request/);
    } finally {
      await downApp.close();
    }
    const stored = await orm.em.fork().execute<{ id: string }[]>('select id from contracts where product_id = ?', [product.id]);
    expect(stored).toHaveLength(1);
    const again = await app.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: adviser(), payload: sepaContract() });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(stored[0]?.id);
    expect((await client.workflow.getHandle(`contract:${stored[0]?.id}`).describe()).type).toBe('contractWorkflow');
  });

  it('PATCH amount: pending from the next period start, and contractChanged is signalled', async () => {
    const { contract } = await newContract(sepaContract({ startDate: '2026-01-15' }));
    const res = await app.inject({ method: 'PATCH', url: `/contracts/${contract.id}`, headers: adviser(), payload: { amountCents: 3000, delivery: 'letter' } });
    expect(res.statusCode).toBe(200);
    const expectedFrom = effectiveFromNextPeriod({ startDate: '2026-01-15', period: 'month' }, today);
    expect(res.json()).toMatchObject({ amountCents: 2500, pendingAmountCents: 3000, pendingFrom: expectedFrom, delivery: 'letter' });
    expect(expectedFrom?.slice(8)).toBe('15');
    expect((await signalsOf(contract.workflowId, 'contractChanged')).length).toBe(1);

    const bad = await app.inject({ method: 'PATCH', url: `/contracts/${contract.id}`, headers: adviser(), payload: { endDate: '2025-06-30' } });
    expect(expectProblem(bad, 400).detail).toMatch(/before the contract's startDate 2026-01-15/);
    expect((await signalsOf(contract.workflowId, 'contractChanged')).length).toBe(1);
    expectProblem(await app.inject({ method: 'PATCH', url: `/contracts/${contract.id}`, headers: adviser(), payload: { amountCents: -1 } }), 400);
  });
});

// ---- invoices and bookings -----------------------------------------------------------------

describe('invoices and booking lines', () => {
  it('a manual payment is stored and signalled; turning it into a reversal signals the same bookingId', async () => {
    const { contract } = await newContract();
    const invoice = await insertInvoice(contract, { totalCents: 3025 });

    const detail = await app.inject({ method: 'GET', url: `/invoices/${invoice.id}`, headers: adviser() });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      number: invoice.number,
      status: 'sent',
      totalCents: 3025,
      paidCents: 0,
      openCents: 3025,
      lines: [{ position: 1, netCents: 2500, vatRate: 21, vatCents: 525 }],
      bookingLines: [],
      reminderExecutions: [],
      pdfDocumentId: null,
    });
    expect(expectProblem(await app.inject({ method: 'GET', url: `/invoices/${invoice.id}/pdf`, headers: adviser() }), 404).detail).toMatch(/no PDF yet/);

    const noReason = await app.inject({ method: 'POST', url: `/invoices/${invoice.id}/bookings`, headers: adviser(), payload: { kind: 'reversal', amountCents: 3025 } });
    expect(expectProblem(noReason, 400).detail).toMatch(/reasonCode/);
    expectProblem(
      await app.inject({ method: 'POST', url: `/invoices/${invoice.id}/bookings`, headers: adviser(), payload: { kind: 'reversal', amountCents: 3025, reasonCode: 'md06' } }),
      400,
    );

    const paid = await app.inject({ method: 'POST', url: `/invoices/${invoice.id}/bookings`, headers: adviser(), payload: { kind: 'payment', amountCents: 3025, bookedOn: today } });
    expect(paid.statusCode).toBe(201);
    const booking = paid.json().booking;
    expect(paid.json()).toMatchObject({ delivered: true, booking: { kind: 'payment', amountCents: 3025, source: 'manual', bookedOn: today, reasonCode: null } });
    expect(booking.deliveredAt).not.toBeNull();
    expect(await count("select count(*)::int as n from booking_lines where key = ?", [`manual:${booking.id}`])).toBe(1);
    const workflowId = `invoice:${invoice.id}`;
    expect((await client.workflow.getHandle(workflowId).describe()).type).toBe('invoiceWorkflow');
    expect(await signalsOf(workflowId, 'booking')).toEqual([{ name: 'booking', args: [{ bookingId: booking.id, kind: 'payment', amountCents: 3025 }] }]);

    const reversed = await app.inject({ method: 'PATCH', url: `/bookings/${booking.id}`, headers: adviser(), payload: { kind: 'reversal', reasonCode: 'MD06' } });
    expect(reversed.statusCode).toBe(200);
    expect(reversed.json().booking).toMatchObject({ id: booking.id, kind: 'reversal', reasonCode: 'MD06' });
    const signals = await signalsOf(workflowId, 'booking');
    expect(signals).toHaveLength(2);
    // The reversal names the money it takes back: the payment line's own (booking:<id>).
    expect(signals[1]?.args).toEqual([{ bookingId: booking.id, kind: 'reversal', amountCents: 3025, reasonCode: 'MD06', reference: `booking:${booking.id}` }]);
    expect(expectProblem(await app.inject({ method: 'PATCH', url: `/bookings/${booking.id}`, headers: adviser(), payload: { kind: 'reversal', reasonCode: 'MD06' } }), 409).detail).toMatch(/reversal already/);

    const after = (await app.inject({ method: 'GET', url: `/invoices/${invoice.id}`, headers: adviser() })).json();
    expect(after.bookingLines).toHaveLength(1);
    const list = await app.inject({ method: 'GET', url: `/invoices?contractId=${contract.id}&status=sent`, headers: adviser() });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: invoice.id, openCents: 3025 }] });
  });

  it('Temporal down: the booking stays stored (503), POST /billing/deliveries delivers it later', async () => {
    const { contract } = await newContract();
    const invoice = await insertInvoice(contract);
    const down: TemporalDeps = {
      client: {
        withDeadline: <R>(_deadline: number | Date, fn: () => Promise<R>) => fn(),
        workflow: {
          signalWithStart: async () => {
            throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');
          },
        },
      } as unknown as Client,
      taskQueue,
      checkHealth: async () => undefined,
    };
    const downApp = buildApp({ orm, temporal: down });
    await downApp.ready();
    try {
      const res = await downApp.inject({ method: 'POST', url: `/invoices/${invoice.id}/bookings`, headers: adviser(), payload: { kind: 'payment', amountCents: 1000 } });
      expect(expectProblem(res, 503).detail).toMatch(/is stored.*POST \/billing\/deliveries/);
    } finally {
      await downApp.close();
    }
    expect(await count('select count(*)::int as n from booking_lines where invoice_id = ? and delivered_at is null', [invoice.id])).toBe(1);
    const redeliver = await app.inject({ method: 'POST', url: '/billing/deliveries', headers: adviser() });
    expect(redeliver.statusCode).toBe(200);
    expect(redeliver.json().bookings).toBeGreaterThanOrEqual(1);
    expect(await signalsOf(`invoice:${invoice.id}`, 'booking')).toHaveLength(1);
    expect(await count('select count(*)::int as n from booking_lines where invoice_id = ? and delivered_at is null', [invoice.id])).toBe(0);
  });
});

// ---- SEPA export and bank import -----------------------------------------------------------

describe('SEPA export and bank import', () => {
  let sepaOffice: TestOffice;
  let sepaApp: FastifyInstance;
  const as = (role: 'adviser' | 'admin') => bearer(sepaOffice.tokens[role]);

  beforeAll(async () => {
    // An office of its own: exports take every due invoice of the office.
    sepaOffice = await createTestOffice(orm, 'Incassokantoor');
    sepaApp = app;
  });

  async function sepaProduct() {
    const product = await newProduct(sepaApp, sepaOffice.tokens.adviser);
    const res = await sepaApp.inject({ method: 'POST', url: `/products/${product.id}/contract`, headers: as('adviser'), payload: sepaContract() });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; dossierId: string; productId: string };
  }

  const exportNow = () => sepaApp.inject({ method: 'POST', url: '/billing/sepa-exports', headers: as('adviser'), payload: { collectionDate } });

  let first: { id: string; number: string; totalCents: number };
  let second: { id: string; number: string; totalCents: number };
  let transfer: { id: string; number: string; totalCents: number };
  const endToEnd: Record<string, string> = {};

  it('409 without a creditor; then FRST with the right CtrlSum, and RCUR for the next invoice of the mandate', async () => {
    const contract = await sepaProduct();
    first = await insertInvoice(contract, { totalCents: 3025, officeId: sepaOffice.officeId });
    expect(expectProblem(await exportNow(), 409).detail).toMatch(/set the creditor in \/billing\/settings/);

    await setCreditor(sepaOffice.tokens.admin);
    const res = await exportNow();
    expect(res.statusCode).toBe(201);
    const result = res.json();
    expect(result).toMatchObject({ transactions: 1, totalCents: 3025, collectionDate, deferred: [] });
    expect(result.invoices).toEqual([
      { invoiceId: first.id, number: first.number, endToEndId: expect.stringMatching(/^INV-/), sequenceType: 'FRST', amountCents: 3025 },
    ]);
    endToEnd[first.id] = result.invoices[0].endToEndId;
    expect(endToEnd[first.id]!.length).toBeLessThanOrEqual(35);

    const xmlRes = await sepaApp.inject({ method: 'GET', url: result.xmlUrl, headers: as('adviser') });
    expect(xmlRes.statusCode).toBe(200);
    expect(String(xmlRes.headers['content-type'])).toMatch(/^application\/xml/);
    const xml = xmlRes.body;
    expect(xml).toContain('<SeqTp>FRST</SeqTp>');
    expect(xml).toMatch(/<CtrlSum>30\.25<\/CtrlSum>/);
    const pain = readPain008(xml);
    expect(pain.controlSumCents).toBe(3025);
    expect(pain.paymentInfos.map((p) => p.sequenceType)).toEqual(['FRST']);
    expect(pain.paymentInfos[0]?.transactions[0]?.endToEndId).toBe(endToEnd[first.id]);

    const contractAfter = (await sepaApp.inject({ method: 'GET', url: `/contracts/${contract.id}`, headers: as('adviser') })).json();
    expect(contractAfter.mandate.firstCollected).toBe(true);
    expect(await signalsOf(`invoice:${first.id}`, 'exported')).toEqual([{ name: 'exported', args: [{ exportId: result.id, sequenceType: 'FRST' }] }]);

    expect(expectProblem(await exportNow(), 409).detail).toMatch(/no invoices to collect/i);

    second = await insertInvoice(contract, { totalCents: 3025, officeId: sepaOffice.officeId });
    const next = await exportNow();
    expect(next.statusCode).toBe(201);
    expect(next.json().invoices).toEqual([expect.objectContaining({ invoiceId: second.id, sequenceType: 'RCUR' })]);
    endToEnd[second.id] = next.json().invoices[0].endToEndId;
    const nextXml = (await sepaApp.inject({ method: 'GET', url: next.json().xmlUrl, headers: as('adviser') })).body;
    expect(nextXml).toContain('<SeqTp>RCUR</SeqTp>');
    expect(nextXml).not.toContain('<SeqTp>FRST</SeqTp>');
  });

  it('a mandate that was never collected gets one FRST per file; the other invoice waits', async () => {
    const contract = await sepaProduct();
    const a = await insertInvoice(contract, { officeId: sepaOffice.officeId, invoiceDate: addDays(today, -40) });
    const b = await insertInvoice(contract, { officeId: sepaOffice.officeId, invoiceDate: addDays(today, -10) });
    const res = await exportNow();
    expect(res.statusCode).toBe(201);
    expect(res.json().invoices.map((i: { invoiceId: string; sequenceType: string }) => [i.invoiceId, i.sequenceType])).toEqual([[a.id, 'FRST']]);
    expect(res.json().deferred).toEqual([expect.objectContaining({ invoiceId: b.id, reason: expect.stringMatching(/eerste incasso/) })]);
    const later = await exportNow();
    expect(later.json().invoices.map((i: { invoiceId: string; sequenceType: string }) => [i.invoiceId, i.sequenceType])).toEqual([[b.id, 'RCUR']]);
  });

  function statement(messageId: string): BankStatement {
    return {
      format: 'camt.053',
      messageId,
      createdAt: `${today}T18:00:00+01:00`,
      accountIban: CREDITOR_IBAN,
      entries: [
        {
          bookingDate: collectionDate,
          amountCents: first.totalCents + second.totalCents,
          currency: 'EUR',
          creditDebit: 'CRDT',
          reversal: false,
          status: 'BOOK',
          isReturn: false,
          bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'ESDD' },
          transactions: [
            { endToEndId: endToEnd[first.id], amountCents: first.totalCents },
            { endToEndId: endToEnd[second.id], amountCents: second.totalCents },
          ],
        },
        {
          bookingDate: collectionDate,
          amountCents: second.totalCents,
          currency: 'EUR',
          creditDebit: 'DBIT',
          reversal: false,
          status: 'BOOK',
          isReturn: true,
          bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'UPDD' },
          transactions: [{ endToEndId: endToEnd[second.id], amountCents: second.totalCents, returnReason: 'MD06' }],
        },
        {
          bookingDate: collectionDate,
          amountCents: transfer.totalCents,
          currency: 'EUR',
          creditDebit: 'CRDT',
          reversal: false,
          status: 'BOOK',
          isReturn: false,
          transactions: [{ amountCents: transfer.totalCents, remittance: `Betaling factuur ${transfer.number} dank u` }],
        },
        {
          bookingDate: collectionDate,
          amountCents: 777,
          currency: 'EUR',
          creditDebit: 'CRDT',
          reversal: false,
          status: 'BOOK',
          isReturn: false,
          transactions: [{ amountCents: 777, remittance: 'Cadeautje' }],
        },
      ],
    } as BankStatement;
  }

  const importFile = (xml: string, contentType = 'application/xml') =>
    sepaApp.inject({ method: 'POST', url: '/billing/bank-imports', headers: { ...as('adviser'), 'content-type': contentType }, payload: xml });

  it('books two collections, a return with MD06 and a transfer; signals them; the same file again books nothing', async () => {
    const contract = await sepaProduct();
    transfer = await insertInvoice(contract, { officeId: sepaOffice.officeId, paymentMethod: 'transfer', totalCents: 12100 });
    const messageId = `STMT-${tag()}`;
    const xml = buildCamt053(statement(messageId));

    const res = await importFile(xml);
    expect(res.statusCode).toBe(201);
    const result = res.json();
    expect(result).toMatchObject({ format: 'camt.053', messageId, entries: 4, booked: 4, duplicate: false });
    expect(result.unmatched).toEqual([
      expect.objectContaining({ entry: 3, transaction: 0, creditDebit: 'CRDT', amountCents: 777, reason: 'geen factuurnummer van dit kantoor in de omschrijving' }),
    ]);

    const lines = await orm.em.fork().execute<{ invoice_id: string; kind: string; amount_cents: number; reason_code: string | null; key: string }[]>(
      'select invoice_id, kind, amount_cents, reason_code, key from booking_lines where import_id = ? order by key',
      [result.id],
    );
    expect(lines.map((l) => [l.invoice_id, l.kind, l.amount_cents, l.reason_code, l.key])).toEqual([
      [first.id, 'collection', 3025, null, `camt:${messageId}:0:0`],
      [second.id, 'collection', 3025, null, `camt:${messageId}:0:1`],
      [second.id, 'reversal', 3025, 'MD06', `camt:${messageId}:1:0`],
      [transfer.id, 'payment', 12100, null, `camt:${messageId}:2:0`],
    ]);
    const kindsOf = async (invoiceId: string) =>
      (await signalsOf(`invoice:${invoiceId}`, 'booking')).map((s) => (s.args[0] as { kind: string; reasonCode?: string }));
    expect(await kindsOf(first.id)).toEqual([expect.objectContaining({ kind: 'collection', amountCents: 3025 })]);
    expect(await kindsOf(second.id)).toEqual([
      expect.objectContaining({ kind: 'collection' }),
      expect.objectContaining({ kind: 'reversal', reasonCode: 'MD06' }),
    ]);
    expect(await kindsOf(transfer.id)).toEqual([expect.objectContaining({ kind: 'payment', amountCents: 12100 })]);

    const again = await importFile(xml, 'text/xml; charset=utf-8');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...result, duplicate: true });
    expect(await count('select count(*)::int as n from booking_lines where office_id = ?', [sepaOffice.officeId])).toBe(4);
    expect(await kindsOf(second.id)).toHaveLength(2);

    // The same statement in other bytes (another export of it by the bank): imported, nothing booked twice.
    const otherBytes = await importFile(xml.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="utf-8"?>'));
    expect(otherBytes.statusCode).toBe(201);
    expect(otherBytes.json()).toMatchObject({ booked: 0, duplicate: false });
    expect(await count('select count(*)::int as n from booking_lines where office_id = ?', [sepaOffice.officeId])).toBe(4);
  });

  it('400 for a malformed camt and 415 for JSON; no bank_imports row', async () => {
    const before = await count('select count(*)::int as n from bank_imports where office_id = ?', [sepaOffice.officeId]);
    const malformed = expectProblem(await importFile('<Document><BkToCstmrStmt></Document>'), 400);
    expect(malformed.detail).toMatch(/not imported/);
    const wrongKind = expectProblem(await importFile('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>'), 400);
    expect(wrongKind.detail).toMatch(/camt\.053/);
    const json = await sepaApp.inject({ method: 'POST', url: '/billing/bank-imports', headers: as('adviser'), payload: { hello: 'bank' } });
    expectProblem(json, 415);
    expect(await count('select count(*)::int as n from bank_imports where office_id = ?', [sepaOffice.officeId])).toBe(before);
  });
});

// ---- reminder module -----------------------------------------------------------------------

describe('reminder module', () => {
  const ladder = [
    { name: 'Herinnering', type: 'mail', daysAfterDue: 7, statusAfter: 'reminded' },
    { name: '14-dagenbrief', type: 'letter', daysAfterDue: 21, statusAfter: 'final_notice', fourteenDayLetter: true },
    { name: 'Incasso', type: 'handover', daysAfterDue: 42, statusAfter: 'handed_over' },
  ];

  it('action groups: designers only, every problem of the actions listed', async () => {
    const denied = await app.inject({ method: 'POST', url: '/billing/action-groups', headers: adviser(), payload: { name: 'X', actions: ladder } });
    expectProblem(denied, 403);
    const bad = await app.inject({
      method: 'POST',
      url: '/billing/action-groups',
      headers: bearer(office.tokens.designer),
      payload: { name: 'Fout', actions: [{ name: 'Incasso', type: 'handover', daysAfterDue: 0, statusAfter: 'reminded' }] },
    });
    const body = expectProblem(bad, 400);
    expect(body.detail).toMatch(/daysAfterDue must be a whole number ≥ 1/);
    expect(body.detail).toMatch(/hand-over sets the status handed_over/);

    const created = await app.inject({ method: 'POST', url: '/billing/action-groups', headers: bearer(office.tokens.designer), payload: { name: `Standaard ${tag()}`, actions: ladder, isDefault: true } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ isDefault: true, actions: ladder });
    const dup = await app.inject({ method: 'POST', url: '/billing/action-groups', headers: admin(), payload: { name: created.json().name, actions: ladder } });
    expectProblem(dup, 409);
    const put = await app.inject({ method: 'PUT', url: `/billing/action-groups/${created.json().id}`, headers: admin(), payload: { name: created.json().name, actions: ladder.slice(0, 1) } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ isDefault: false, actions: ladder.slice(0, 1) });
    const list = await app.inject({ method: 'GET', url: '/billing/action-groups', headers: adviser() });
    expect(list.json().items.map((g: { id: string }) => g.id)).toContain(created.json().id);
  });

  it('a run is refused (409) while the office runs reminders in the workflow; in module mode it records the run', async () => {
    const reminderOffice = await createTestOffice(orm, 'Aanmaankantoor');
    const group = await app.inject({ method: 'POST', url: '/billing/action-groups', headers: bearer(reminderOffice.tokens.designer), payload: { name: 'Module', actions: ladder } });
    expect(group.statusCode).toBe(201);
    const run = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/billing/reminder-runs', headers: bearer(reminderOffice.tokens.adviser), payload });

    const refused = expectProblem(await run({ actionGroupId: group.json().id, actionIndex: 0 }), 409);
    expect(refused.detail).toBe(
      'This office runs reminders in the invoice workflow (reminderMode workflow); switch to the reminder module first (PUT /billing/settings)',
    );
    expect(await count('select count(*)::int as n from reminder_runs where office_id = ?', [reminderOffice.officeId])).toBe(0);

    const settings = await app.inject({
      method: 'PUT',
      url: '/billing/settings',
      headers: bearer(reminderOffice.tokens.admin),
      payload: { reminderMode: 'module', creditor: null, paymentTermDays: 14 },
    });
    expect(settings.statusCode).toBe(200);
    expect(expectProblem(await run({ actionGroupId: group.json().id, actionIndex: 3 }), 400).detail).toMatch(/actionIndex 3 does not exist/);
    expectProblem(await run({ actionGroupId: group.json().id, actionIndex: 0, filter: { status: ['bogus'] } }), 400);

    // No overdue invoice in this office: the run is recorded with nothing to do (no worker needed).
    const ok = await run({ actionGroupId: group.json().id, actionIndex: 0, filter: { minOpenCents: 100 } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ actionIndex: 0, invoices: 0, results: [], executions: [], filter: { minOpenCents: 100 } });
    expect(ok.json().processedAt).not.toBeNull();
    const read = await app.inject({ method: 'GET', url: `/billing/reminder-runs/${ok.json().id}`, headers: bearer(reminderOffice.tokens.adviser) });
    expect(read.json()).toEqual(ok.json());
    const list = await app.inject({ method: 'GET', url: '/billing/reminder-runs', headers: bearer(reminderOffice.tokens.adviser) });
    expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([ok.json().id]);
  });
});

describe('OpenAPI', () => {
  it('lists the billing routes under the billing tag; the bank import takes XML', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('billing');
    expect(doc.paths['/products/{id}/contract'].post.tags).toEqual(['billing']);
    expect(Object.keys(doc.paths['/billing/bank-imports'].post.requestBody.content)).toEqual(['application/xml', 'text/xml']);
    expect(doc.paths['/billing/sepa-exports'].post.tags).toEqual(['billing']);
  });
});
