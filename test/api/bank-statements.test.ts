/**
 * Bank statements as banks write them, against a real PostgreSQL, the real Temporal of the global
 * setup and an in-process worker (the invoice workflows decide status and paid amount), with the
 * simulated bank as the real HTTP peer that turns our pain.008 into camt / pain.002 files:
 *
 * - every shape (batch only, batch + TxDtls, per transaction; returns with the credit, in a
 *   later camt.054, before the credit; pain.002 rejects; .001.02 and .001.08) ends every invoice
 *   in the status and open amount the money says, and a second import of each file changes
 *   nothing;
 * - the statement of another account (and a pain.002 on a file that is not ours) is refused
 *   with the reason and books nothing;
 * - the reconciliation lists what matched and what did not, and why; an unmatched entry matched
 *   by hand is audited, follows the same path to the invoice, and cannot be matched twice.
 *
 * Invoices are inserted with SQL (the contract activities make them in production); their
 * contracts start in the future so the contract workflows invoice nothing during the test.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { buildCamtFile } from '../../integrations/sepa/camt.js';
import { buildPain002 } from '../../integrations/sepa/pain002-build.js';
import { nextTargetBusinessDay } from '../../integrations/sepa/calendar.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { readPain008 } from '../../integrations/sepa/pain008-read.js';
import type { BankEntry, BankStatement, PaymentStatusReport } from '../../integrations/sepa/types.js';
import { startBankSimulator, type BankReporting, type BankSimulator, type ReturnRule } from '../../simulators/bank/index.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, startAppWithWorker, uniquePerson, type AppWithWorker, type TestOffice } from './support.js';

let orm: MikroORM;
let running: AppWithWorker;
let app: FastifyInstance;
let office: TestOffice;
let bank: BankSimulator;
const bankToken = `bank-${newId()}`;
const taskQueue = `bank-statements-test-${newId().slice(0, 8)}`;

const today = todayInAmsterdam(new Date());
const tag = () => newId().replace(/-/g, '').slice(0, 6).toUpperCase();
const nlIban = (account: string, bankCode: string) => `NL${ibanCheckDigits('NL', `${bankCode}${account}`)}${bankCode}${account}`;
const CREDITOR_IBAN = nlIban('0417164300', 'ABNA');
const OTHER_IBAN = nlIban('0001234567', 'INGB');
const CREDITOR_ID = `NL${creditorIdCheckDigits('NL', '123456780000')}ZZZ123456780000`;
const collectionDate = nextTargetBusinessDay(addDays(today, 3));

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Afschriftkantoor');
  running = await startAppWithWorker(orm, taskQueue);
  app = running.app;
  bank = await startBankSimulator({ port: 0, token: bankToken, accountIban: CREDITOR_IBAN, log: () => undefined });
  const settings = await app.inject({
    method: 'PUT',
    url: '/billing/settings',
    headers: bearer(office.tokens.admin),
    payload: { reminderMode: 'workflow', paymentTermDays: 14, creditor: { name: 'Afschriftkantoor B.V.', iban: CREDITOR_IBAN, creditorId: CREDITOR_ID } },
  });
  expect(settings.statusCode, settings.body).toBe(200);
}, 180_000);

afterAll(async () => {
  await bank?.stop();
  await running?.stop();
  await orm?.close(true);
});

// ---- helpers -----------------------------------------------------------------------------

const adviser = () => bearer(office.tokens.adviser);

interface Contract {
  id: string;
  dossierId: string;
  productId: string;
}
interface Invoice {
  id: string;
  number: string;
  totalCents: number;
}

/** A SEPA contract of its own mandate, starting in two months: its workflow invoices nothing now. */
async function contract(): Promise<Contract> {
  const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }] } });
  expect(dossier.statusCode).toBe(201);
  const product = await app.inject({
    method: 'POST',
    url: `/dossiers/${dossier.json().id}/products`,
    headers: adviser(),
    payload: { type: 'service', parts: [{ description: 'Abonnement financieel advies' }] },
  });
  expect(product.statusCode).toBe(201);
  const res = await app.inject({
    method: 'POST',
    url: `/products/${product.json().id}/contract`,
    headers: adviser(),
    payload: {
      description: 'Abonnement financieel advies',
      amountCents: 2500,
      vatRate: 21,
      period: 'month',
      startDate: addDays(today, 60),
      paymentMethod: 'sepa',
      mandate: { id: `MNDT-${tag()}`, signedOn: addDays(today, -30), iban: nlIban(`03${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, 'RABO'), name: 'A. Jansen' },
      delivery: 'email',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Contract;
}

let invoiceSeq = 0;
/** An invoice as the contract activities make it: sent today, due in 14 days (no reminder falls due during the test). */
async function invoice(c: Contract, totalCents = 3025, paymentMethod: 'sepa' | 'transfer' = 'sepa'): Promise<Invoice> {
  invoiceSeq += 1;
  const id = newId();
  const number = `2026-${tag()}${String(invoiceSeq).padStart(3, '0')}`;
  const vat = Math.round((totalCents * 21) / 121);
  const em = orm.em.fork();
  await em.execute(
    `insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
       net_cents, vat_cents, total_cents, status, payment_method, delivery, workflow_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, 'email', ?)`,
    [id, `test:${id}`, office.officeId, c.id, c.dossierId, c.productId, number, today, addDays(today, 14), today, addDays(today, 30), totalCents - vat, vat, totalCents, paymentMethod, `invoice:${id}`],
  );
  await em.execute('insert into invoice_lines (id, invoice_id, position, description, net_cents, vat_rate, vat_cents) values (?, ?, 1, ?, ?, 21, ?)', [
    newId(),
    id,
    'Abonnement financieel advies',
    totalCents - vat,
    vat,
  ]);
  return { id, number, totalCents };
}

interface Exported {
  id: string;
  xml: string;
  messageId: string;
  endToEnd: Map<string, string>;
}

/** Exports every due SEPA invoice of the office (the earlier ones are in earlier files). */
async function exportInvoices(expected: readonly Invoice[]): Promise<Exported> {
  const res = await app.inject({ method: 'POST', url: '/billing/sepa-exports', headers: adviser(), payload: { collectionDate } });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { id: string; xmlUrl: string; invoices: { invoiceId: string; endToEndId: string }[] };
  expect(body.invoices.map((i) => i.invoiceId).sort()).toEqual(expected.map((i) => i.id).sort());
  const xml = (await app.inject({ method: 'GET', url: body.xmlUrl, headers: adviser() })).body;
  const endToEnd = new Map(body.invoices.map((i) => [i.invoiceId, i.endToEndId]));
  for (const inv of expected) await until(`${inv.number} collection_pending`, async () => ((await view(inv)).status === 'collection_pending' ? true : undefined));
  return { id: body.id, xml, messageId: readPain008(xml).messageId, endToEnd };
}

interface BankFile {
  kind: string;
  xml: string;
}

/** The pain.008 to the simulated bank with this reporting; the files it delivers, in its order. */
async function bankFiles(exported: Exported, reporting: Partial<BankReporting>, rules: ReturnRule[]): Promise<BankFile[]> {
  bank.setReturnRules(rules);
  const query = new URLSearchParams(reporting as Record<string, string>).toString();
  const res = await fetch(`${bank.collectionsUrl}?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bankToken}`, 'content-type': 'application/xml' },
    body: exported.xml,
  });
  expect(res.status).toBe(202);
  const { files } = (await res.json()) as { files: { kind: string; url: string }[] };
  return Promise.all(files.map(async (f) => ({ kind: f.kind, xml: await (await fetch(f.url, { headers: { authorization: `Bearer ${bankToken}` } })).text() })));
}

const importFile = (xml: string) =>
  app.inject({ method: 'POST', url: '/billing/bank-imports', headers: { ...adviser(), 'content-type': 'application/xml' }, payload: xml });

interface ImportResult {
  id: string;
  format: string;
  messageId: string;
  entries: number;
  booked: number;
  unmatched: { itemId: string; reason: string; kind: string; amountCents: number }[];
  duplicate: boolean;
}

async function imported(xml: string): Promise<ImportResult> {
  const res = await importFile(xml);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ImportResult;
}

interface InvoiceView {
  status: string;
  openCents: number;
  paidCents: number;
  bookingLines: { id: string; kind: string; amountCents: number; reasonCode: string | null; createdBy: string; importId: string | null; deliveredAt: string | null }[];
}

async function view(inv: Invoice): Promise<InvoiceView> {
  const res = await app.inject({ method: 'GET', url: `/invoices/${inv.id}`, headers: adviser() });
  expect(res.statusCode).toBe(200);
  return res.json() as InvoiceView;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Waits until the invoice's workflow applied every booking line it was told of, then expects its
 * status, open amount and booking lines (kind:reason:amount, in booking order).
 */
async function expectMoney(inv: Invoice, status: string, openCents: number, lines: string[]): Promise<void> {
  const seen = await until(
    `${inv.number} ${status} open ${openCents}`,
    async () => {
      const v = await view(inv);
      const applied = await orm.em.fork().execute<{ n: number }[]>("select count(*)::int as n from booking_lines where invoice_id = ? and cardinality(applied) = 0", [inv.id]);
      return v.status === status && v.openCents === openCents && applied[0]?.n === 0 ? v : undefined;
    },
  ).catch(async (err: unknown) => {
    const v = await view(inv);
    throw new Error(`${String(err)}: it is ${v.status}, open ${v.openCents}, lines ${v.bookingLines.map((b) => `${b.kind}:${b.reasonCode ?? ''}:${b.amountCents}`).join(', ')}`);
  });
  expect(seen.bookingLines.map((b) => `${b.kind}:${b.reasonCode ?? ''}:${b.amountCents}`)).toEqual(lines);
}

async function bookingCount(): Promise<number> {
  const found = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from booking_lines where office_id = ?', [office.officeId]);
  return found[0]?.n ?? -1;
}

/** Each file again: the same answer (duplicate), no booking line more, every invoice as it was. */
async function expectReimportChangesNothing(files: readonly string[], invoices: readonly Invoice[]): Promise<void> {
  const before = await bookingCount();
  const states = await Promise.all(invoices.map(async (i) => (await view(i)).status));
  for (const xml of files) {
    const again = await importFile(xml);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true });
  }
  expect(await bookingCount()).toBe(before);
  expect(await Promise.all(invoices.map(async (i) => (await view(i)).status))).toEqual(states);
}

interface ItemView {
  id: string;
  kind: string;
  outcome: string;
  amountCents: number;
  endToEndId: string | null;
  paymentInfoId: string | null;
  transactions: number | null;
  reasonCode: string | null;
  reason: string | null;
  matchable: boolean;
  invoiceIds: string[];
  bookingIds: string[];
  matchedBy: string | null;
  matchedAt: string | null;
  matchNote: string | null;
}

async function items(importId: string): Promise<ItemView[]> {
  const res = await app.inject({ method: 'GET', url: `/billing/bank-imports/${importId}`, headers: adviser() });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: ItemView[] }).items;
}

const collected = (inv: Invoice) => `collection::${inv.totalCents}`;

// ---- the shapes ------------------------------------------------------------------------------

describe('bank statements as banks write them, each shape booked as the money says', () => {
  // Contracts whose mandate was collected once: their next invoice goes out as RCUR (a second PmtInf).
  const collectedOnce: Contract[] = [];

  it('batch only (one Btch entry per PmtInf, no TxDtls), the return (MD06) in a later camt.054', async () => {
    const contracts = [await contract(), await contract(), await contract()];
    const invoices = await Promise.all(contracts.map((c) => invoice(c)));
    const [a, b, c] = invoices as [Invoice, Invoice, Invoice];
    const exported = await exportInvoices(invoices);
    const files = await bankFiles(exported, { credit: 'batch', returns: 'later', version: '001.02' }, [{ endToEndId: exported.endToEnd.get(b.id)!, reason: 'MD06' }]);
    expect(files.map((f) => f.kind)).toEqual(['statement', 'returns']);
    expect(files[0]!.xml).not.toContain('<TxDtls>');

    const statement = await imported(files[0]!.xml);
    expect(statement).toMatchObject({ format: 'camt.053', entries: 1, booked: 3, unmatched: [] });
    const [batchItem, ...rest] = await items(statement.id);
    expect(rest).toEqual([]);
    expect(batchItem).toMatchObject({
      kind: 'batch',
      outcome: 'booked',
      amountCents: 3 * 3025,
      paymentInfoId: `${exported.messageId}-FRST`,
      transactions: 3,
      reason: null,
      matchable: false,
    });
    expect([...batchItem!.invoiceIds].sort()).toEqual([a.id, b.id, c.id].sort());
    expect(batchItem!.bookingIds).toHaveLength(3);
    // Before the returns arrive, all three are collected.
    for (const inv of invoices) await expectMoney(inv, 'collected', 0, [collected(inv)]);

    const returns = await imported(files[1]!.xml);
    expect(returns).toMatchObject({ format: 'camt.054', entries: 1, booked: 1, unmatched: [] });
    expect(await items(returns.id)).toEqual([
      expect.objectContaining({ kind: 'return', outcome: 'booked', endToEndId: exported.endToEnd.get(b.id), reasonCode: 'MD06', amountCents: 3025, invoiceIds: [b.id] }),
    ]);
    await expectMoney(b, 'reversed', 3025, [collected(b), 'reversal:MD06:3025']);
    for (const inv of [a, c]) await expectMoney(inv, 'collected', 0, [collected(inv)]);

    await expectReimportChangesNothing(
      files.map((f) => f.xml),
      invoices,
    );
    collectedOnce.push(contracts[0]!, contracts[2]!);
  });

  it('batch + TxDtls in .001.08 with two PmtInfs (FRST, RCUR), the return (MS02) delivered BEFORE the credit', async () => {
    const fresh = await contract();
    const invoices = [await invoice(collectedOnce[0]!), await invoice(collectedOnce[1]!, 12100), await invoice(fresh, 4995)];
    const [a, b, c] = invoices as [Invoice, Invoice, Invoice];
    const exported = await exportInvoices(invoices);
    const files = await bankFiles(exported, { credit: 'batch-details', returns: 'before-credit', version: '001.08' }, [
      { endToEndId: exported.endToEnd.get(b.id)!, reason: 'MS02' },
    ]);
    expect(files.map((f) => f.kind)).toEqual(['returns', 'statement']);
    expect(files[1]!.xml).toContain('camt.053.001.08');

    // The return first: the collection it returns is not known yet.
    const returns = await imported(files[0]!.xml);
    expect(returns).toMatchObject({ booked: 1, unmatched: [] });
    await until(`${b.number} reversed`, async () => ((await view(b)).status === 'reversed' ? true : undefined));

    const statement = await imported(files[1]!.xml);
    expect(statement).toMatchObject({ entries: 2, booked: 3, unmatched: [] });
    const batchItems = await items(statement.id);
    expect(batchItems.map((i) => [i.kind, i.outcome, i.paymentInfoId, i.transactions, i.amountCents])).toEqual([
      ['batch', 'booked', `${exported.messageId}-FRST`, 1, 4995],
      ['batch', 'booked', `${exported.messageId}-RCUR`, 2, 3025 + 12100],
    ]);

    // The returned invoice: credited and returned, whatever the order: open again, in full.
    await expectMoney(b, 'reversed', 12100, ['reversal:MS02:12100', 'collection::12100']);
    await expectMoney(a, 'collected', 0, [collected(a)]);
    await expectMoney(c, 'collected', 0, [collected(c)]);

    await expectReimportChangesNothing(
      files.map((f) => f.xml),
      invoices,
    );
  });

  it('per transaction with the return in the same statement (.001.08), a reject (AC04) in a pain.002 left out of the credit', async () => {
    const invoices = [await invoice(await contract()), await invoice(await contract()), await invoice(await contract())];
    const [a, b, c] = invoices as [Invoice, Invoice, Invoice];
    const exported = await exportInvoices(invoices);
    const files = await bankFiles(exported, { credit: 'transactions', returns: 'with-credit', version: '001.08' }, [
      { endToEndId: exported.endToEnd.get(a.id)!, reason: 'AC04', stage: 'reject' },
      { endToEndId: exported.endToEnd.get(c.id)!, reason: 'MD06' },
    ]);
    expect(files.map((f) => f.kind)).toEqual(['status-report', 'statement']);

    const report = await imported(files[0]!.xml);
    expect(report).toMatchObject({ format: 'pain.002', booked: 1, unmatched: [] });
    expect(await items(report.id)).toEqual([
      expect.objectContaining({ kind: 'reject', outcome: 'booked', endToEndId: exported.endToEnd.get(a.id), reasonCode: 'AC04', amountCents: 3025, invoiceIds: [a.id] }),
    ]);

    const statement = await imported(files[1]!.xml);
    // Two collections credited, one returned; the rejected one is in none of them.
    expect(statement).toMatchObject({ format: 'camt.053', entries: 2, booked: 3, unmatched: [] });
    // (The credit's TxDtls are in the order of the pain.008, by invoice number.)
    const byKindAndId = (x: unknown[], y: unknown[]) => `${String(x[0])} ${String(x[2])}`.localeCompare(`${String(y[0])} ${String(y[2])}`);
    expect((await items(statement.id)).map((i) => [i.kind, i.outcome, i.endToEndId, i.reasonCode]).sort(byKindAndId)).toEqual(
      [
        ['credit', 'booked', exported.endToEnd.get(b.id), null],
        ['credit', 'booked', exported.endToEnd.get(c.id), null],
        ['return', 'booked', exported.endToEnd.get(c.id), 'MD06'],
      ].sort(byKindAndId),
    );

    // A reject moves no money: the invoice is open in full, never collected.
    await expectMoney(a, 'reversed', 3025, ['rejection:AC04:3025']);
    await expectMoney(b, 'collected', 0, [collected(b)]);
    await expectMoney(c, 'reversed', 3025, [collected(c), 'reversal:MD06:3025']);

    await expectReimportChangesNothing(
      files.map((f) => f.xml),
      invoices,
    );
  });

  it('the same facts in another file (the day\'s camt.053 after the camt.054, .001.02 after .001.08) book nothing twice', async () => {
    const invoices = [await invoice(await contract()), await invoice(await contract())];
    const [a, b] = invoices as [Invoice, Invoice];
    const exported = await exportInvoices(invoices);
    bank.setReturnRules([{ endToEndId: exported.endToEnd.get(b.id)!, reason: 'MD06' }]);
    const accepted = await fetch(`${bank.collectionsUrl}?credit=batch&returns=with-credit&version=001.08`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bankToken}`, 'content-type': 'application/xml' },
      body: exported.xml,
    });
    const { statementUrl } = (await accepted.json()) as { statementUrl: string };
    const get = async (query: string) => (await fetch(`${statementUrl}?${query}`, { headers: { authorization: `Bearer ${bankToken}` } })).text();
    const notification = await imported(await get('format=camt.054'));
    expect(notification).toMatchObject({ format: 'camt.054', booked: 3 });
    const statement = await imported(await get('format=camt.053&version=001.02'));
    expect(statement).toMatchObject({ format: 'camt.053', booked: 0, unmatched: [] });
    expect((await items(statement.id)).map((i) => [i.kind, i.outcome, i.reason])).toEqual([
      ['batch', 'already_booked', 'elke incasso van deze batch is al in een eerder bestand bijgeschreven'],
      ['return', 'already_booked', 'deze terugboeking is al uit een eerder bestand geboekt'],
    ]);
    // Per transaction this time: still the same collections, still nothing more.
    const perTransaction = await imported(await get('format=camt.053&credit=transactions'));
    expect(perTransaction).toMatchObject({ booked: 0, unmatched: [] });
    await expectMoney(a, 'collected', 0, [collected(a)]);
    await expectMoney(b, 'reversed', 3025, [collected(b), 'reversal:MD06:3025']);
  });
});

// ---- files the simulated bank does not write: several statements, PmtInf and group rejects ----

describe('several statements in one file, and pain.002 rejects of a whole PmtInf or file', () => {
  const credit = (amountCents: number, over: Partial<BankEntry>): BankEntry => ({
    bookingDate: collectionDate,
    amountCents,
    currency: 'EUR',
    creditDebit: 'CRDT',
    reversal: false,
    status: 'BOOK',
    isReturn: false,
    bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'ESDD' },
    transactions: [],
    ...over,
  });
  const dayStatement = (format: 'camt.053' | 'camt.054', messageId: string, id: string, entries: BankEntry[]): BankStatement => ({
    format,
    messageId,
    createdAt: `${today}T06:00:00+01:00`,
    statementId: id,
    accountIban: CREDITOR_IBAN,
    entries,
  });

  it('a camt.053 with two Stmt (a batch credit without MsgId, then a return batch with TxDtls) books both days', async () => {
    const invoices = [await invoice(await contract()), await invoice(await contract()), await invoice(await contract())];
    const [a, b, c] = invoices as [Invoice, Invoice, Invoice];
    const exported = await exportInvoices(invoices);
    const messageId = `RABO-${tag()}`;
    const returnTx = (inv: Invoice, reason: string) => ({ endToEndId: exported.endToEnd.get(inv.id)!, amountCents: 3025, returnReason: reason });
    const xml = buildCamtFile('camt.053', [
      dayStatement('camt.053', messageId, 'DAY-1', [
        credit(9075, {
          batches: [{ paymentInfoId: `${exported.messageId}-FRST`, numberOfTransactions: 3, totalCents: 9075, currency: 'EUR', creditDebit: 'CRDT', firstTransaction: 0, transactionCount: 0 }],
        }),
      ]),
      dayStatement('camt.053', messageId, 'DAY-2', [
        credit(6050, {
          creditDebit: 'DBIT',
          isReturn: true,
          bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'UPDD' },
          transactions: [returnTx(a, 'AC04'), returnTx(c, 'MS02')],
          batches: [{ numberOfTransactions: 2, totalCents: 6050, currency: 'EUR', creditDebit: 'DBIT', firstTransaction: 0, transactionCount: 2 }],
        }),
      ]),
    ]);
    const result = await imported(xml);
    expect(result).toMatchObject({ entries: 2, booked: 5, unmatched: [] });
    // In file order: the TxDtls of the return batch as the bank listed them.
    expect((await items(result.id)).map((i) => [i.kind, i.outcome, i.endToEndId, i.reasonCode])).toEqual([
      ['batch', 'booked', null, null],
      ['return', 'booked', exported.endToEnd.get(a.id), 'AC04'],
      ['return', 'booked', exported.endToEnd.get(c.id), 'MS02'],
    ]);
    await expectMoney(a, 'reversed', 3025, ['collection::3025', 'reversal:AC04:3025']);
    await expectMoney(b, 'collected', 0, ['collection::3025']);
    await expectMoney(c, 'reversed', 3025, ['collection::3025', 'reversal:MS02:3025']);
    await expectReimportChangesNothing([xml], invoices);
  });

  it('a camt.054 with two Ntfctn, the return before the batch credit it returns', async () => {
    const invoices = [await invoice(await contract()), await invoice(await contract())];
    const [a, b] = invoices as [Invoice, Invoice];
    const exported = await exportInvoices(invoices);
    const messageId = `INGB-${tag()}`;
    const xml = buildCamtFile(
      'camt.054',
      [
        dayStatement('camt.054', messageId, 'NTFC-1', [
          credit(3025, {
            creditDebit: 'DBIT',
            reversal: true,
            isReturn: true,
            bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'UPDD' },
            transactions: [{ endToEndId: exported.endToEnd.get(a.id)!, amountCents: 3025, returnReason: 'MD06' }],
          }),
        ]),
        dayStatement('camt.054', messageId, 'NTFC-2', [
          credit(6050, {
            batches: [
              { messageId: exported.messageId, paymentInfoId: `${exported.messageId}-FRST`, numberOfTransactions: 2, totalCents: 6050, currency: 'EUR', creditDebit: 'CRDT', firstTransaction: 0, transactionCount: 0 },
            ],
          }),
        ]),
      ],
      { version: '001.08' },
    );
    const result = await imported(xml);
    expect(result).toMatchObject({ format: 'camt.054', entries: 2, booked: 3, unmatched: [] });
    await expectMoney(a, 'reversed', 3025, ['reversal:MD06:3025', 'collection::3025']);
    await expectMoney(b, 'collected', 0, ['collection::3025']);
    await expectReimportChangesNothing([xml], invoices);
  });

  it('pain.002 rejecting a whole PmtInf, then the whole file: each collection rejected once, with the most specific reason; a credit after a reject is not booked', async () => {
    const invoices = [await invoice(await contract()), await invoice(await contract())];
    const [a, b] = invoices as [Invoice, Invoice];
    const exported = await exportInvoices(invoices);
    const report = (messageId: string, over: Partial<PaymentStatusReport>): string =>
      buildPain002({
        format: 'pain.002',
        version: '001.03',
        messageId,
        createdAt: `${today}T17:45:00`,
        originalMessageId: exported.messageId,
        originalMessageType: 'pain.008.001.02',
        paymentInfos: [],
        ...over,
      });
    const infoReject = await imported(
      report(`PSR-${tag()}`, { groupStatus: 'PART', paymentInfos: [{ paymentInfoId: `${exported.messageId}-FRST`, status: 'RJCT', reasonCode: 'AG01', transactions: [] }] }),
    );
    expect(infoReject).toMatchObject({ format: 'pain.002', booked: 2, unmatched: [] });
    expect((await items(infoReject.id)).map((i) => [i.kind, i.outcome, i.reasonCode, i.amountCents])).toEqual([
      ['reject', 'booked', 'AG01', 3025],
      ['reject', 'booked', 'AG01', 3025],
    ]);
    // The whole file rejected later (another report): already rejected, nothing twice.
    const groupReject = await imported(report(`PSR-${tag()}`, { groupStatus: 'RJCT', groupReasonCode: 'DU01' }));
    expect(groupReject).toMatchObject({ booked: 0, unmatched: [] });
    expect((await items(groupReject.id)).map((i) => [i.outcome, i.reason])).toEqual([
      ['already_booked', 'deze weigering is al uit een eerder rapport geboekt'],
      ['already_booked', 'deze weigering is al uit een eerder rapport geboekt'],
    ]);
    for (const inv of invoices) await expectMoney(inv, 'reversed', 3025, ['rejection:AG01:3025']);

    // A bank that credits the rejected collections anyway: nothing booked, the reason says why.
    const credited = await imported(
      buildCamtFile('camt.053', [
        dayStatement('camt.053', `STMT-${tag()}`, 'S-1', [
          credit(6050, {
            batches: [{ paymentInfoId: `${exported.messageId}-FRST`, numberOfTransactions: 2, totalCents: 6050, currency: 'EUR', creditDebit: 'CRDT', firstTransaction: 0, transactionCount: 0 }],
          }),
          credit(3025, { transactions: [{ endToEndId: exported.endToEnd.get(a.id)!, amountCents: 3025 }] }),
        ]),
      ]),
    );
    expect(credited).toMatchObject({ booked: 0 });
    expect(credited.unmatched.map((u) => u.reason)).toEqual([
      `elke incasso van batch ${exported.messageId}-FRST is vóór verrekening geweigerd (pain.002): er werd geen bijschrijving verwacht; vraag het de bank`,
      `een bijschrijving van EndToEndId ${exported.endToEnd.get(a.id)}, die de bank vóór verrekening weigerde (pain.002): niets geboekt; vraag het de bank`,
    ]);
    for (const inv of [a, b]) await expectMoney(inv, 'reversed', 3025, ['rejection:AG01:3025']);
  });
});

// ---- refusals --------------------------------------------------------------------------------

describe('files that are not ours are refused with the reason, nothing booked', () => {
  const entry = (over: Partial<BankEntry> = {}): BankEntry => ({
    bookingDate: collectionDate,
    amountCents: 3025,
    currency: 'EUR',
    creditDebit: 'CRDT',
    reversal: false,
    status: 'BOOK',
    isReturn: false,
    transactions: [{ amountCents: 3025, remittance: 'Factuur 2026-000001' }],
    ...over,
  });
  const statementOf = (accountIban: string, entries: BankEntry[] = [entry()]): BankStatement => ({
    format: 'camt.053',
    messageId: `STMT-${tag()}`,
    createdAt: `${today}T18:00:00+01:00`,
    statementId: `S-${tag()}`,
    accountIban,
    entries,
  });
  const importsAndLines = async () => {
    const em = orm.em.fork();
    const [i] = await em.execute<{ n: number }[]>('select count(*)::int as n from bank_imports where office_id = ?', [office.officeId]);
    return [i?.n, await bookingCount()];
  };

  it('a statement of another account (also as the second Stmt of a file): 422 naming both accounts', async () => {
    const before = await importsAndLines();
    const foreign = await importFile(buildCamtFile('camt.053', [statementOf(OTHER_IBAN)]));
    expect(foreign.statusCode).toBe(422);
    expect(String(foreign.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(foreign.json()).toMatchObject({ accountIban: OTHER_IBAN, creditorIban: CREDITOR_IBAN });
    expect(foreign.json().detail).toBe(
      `The bank file was not imported: the statement is of account ${OTHER_IBAN}, not of the office's creditor account ${CREDITOR_IBAN}; nothing was booked`,
    );

    const second = statementOf(OTHER_IBAN);
    const mixed = await importFile(buildCamtFile('camt.053', [statementOf(CREDITOR_IBAN), { ...second, statementId: 'DAY-2' }]));
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().detail).toMatch(/^The bank file was not imported: statement 2 \(DAY-2\) is of account NL\w+, not of the office's creditor account/);

    const byOtherId = statementOf(CREDITOR_IBAN);
    delete byOtherId.accountIban;
    byOtherId.accountOtherId = '0417164300';
    const other = await importFile(buildCamtFile('camt.054', [{ ...byOtherId, format: 'camt.054' }]));
    expect(other.statusCode).toBe(422);
    expect(other.json().detail).toMatch(/names its account by Othr\/Id "0417164300", not by IBAN/);
    expect(await importsAndLines()).toEqual(before);
  });

  it('a pain.002 on a direct-debit file that is not one of the office\'s: 422, nothing booked', async () => {
    const before = await importsAndLines();
    const xml = (await import('node:fs')).readFileSync(new URL('../../integrations/sepa/fixtures/pain002-rejects.xml', import.meta.url), 'utf8');
    const res = await importFile(xml);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/reports on direct-debit file DF20260303090000CCCCCC, which is not one of this office's SEPA exports; nothing was booked/);
    expect(await importsAndLines()).toEqual(before);
  });
});

// ---- reconciliation --------------------------------------------------------------------------

describe('reconciliation: what matched, what not and why; matching by hand', () => {
  it('lists a batch whose total is wrong and a transfer naming no invoice as unmatched with the reason; matched by hand they follow the same path, once', async () => {
    const invoices = [await invoice(await contract()), await invoice(await contract())];
    const [a, b] = invoices as [Invoice, Invoice];
    const transfer = await invoice(await contract(), 12100, 'transfer');
    const exported = await exportInvoices(invoices);
    const statement: BankStatement = {
      format: 'camt.053',
      messageId: `STMT-${tag()}`,
      createdAt: `${today}T18:00:00+01:00`,
      statementId: `S-${tag()}`,
      accountIban: CREDITOR_IBAN,
      entries: [
        {
          // One cent short: which collection is short is not said, so nothing of it is booked.
          bookingDate: collectionDate,
          amountCents: 6049,
          currency: 'EUR',
          creditDebit: 'CRDT',
          reversal: false,
          status: 'BOOK',
          isReturn: false,
          bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'ESDD' },
          transactions: [],
          batches: [
            { messageId: exported.messageId, paymentInfoId: `${exported.messageId}-FRST`, numberOfTransactions: 2, totalCents: 6049, currency: 'EUR', creditDebit: 'CRDT', firstTransaction: 0, transactionCount: 0 },
          ],
        },
        {
          bookingDate: collectionDate,
          amountCents: 12100,
          currency: 'EUR',
          creditDebit: 'CRDT',
          reversal: false,
          status: 'BOOK',
          isReturn: false,
          transactions: [{ amountCents: 12100, remittance: 'Betaling advieskosten', counterpartyName: 'A. Jansen' }],
        },
        {
          bookingDate: collectionDate,
          amountCents: 5000,
          currency: 'EUR',
          creditDebit: 'CRDT',
          reversal: false,
          status: 'PDNG',
          isReturn: false,
          transactions: [{ amountCents: 5000, remittance: `Factuur ${transfer.number}` }],
        },
      ],
    };
    const result = await imported(buildCamtFile('camt.053', [statement]));
    expect(result).toMatchObject({ entries: 3, booked: 0 });
    expect(result.unmatched.map((u) => [u.kind, u.amountCents, u.reason])).toEqual([
      [
        'batch',
        6049,
        `de bank schreef 2 incasso's voor € 60.49 bij, maar batch ${exported.messageId}-FRST bevat 2 incasso's voor € 60.50: niets geboekt; boek met de hand zodra het verschil bekend is`,
      ],
      ['credit', 12100, 'geen factuurnummer van dit kantoor in de omschrijving'],
      ['credit', 5000, 'boekingsstatus PDNG: nog niet door de bank geboekt'],
    ]);
    expect(await bookingCount()).toBeGreaterThan(0);
    const lines = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from booking_lines where import_id = ?', [result.id]);
    expect(lines[0]?.n).toBe(0);

    // The list: this import has unmatched items; ?unmatched=true finds it.
    const list = await app.inject({ method: 'GET', url: '/billing/bank-imports?unmatched=true', headers: adviser() });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: { id: string; unmatched: number; booked: number }[] }).items).toContainEqual(expect.objectContaining({ id: result.id, unmatched: 3, booked: 0 }));

    const [batchItem, transferItem, pending] = await items(result.id);
    expect(batchItem).toMatchObject({ outcome: 'unmatched', matchable: false });
    expect(transferItem).toMatchObject({ outcome: 'unmatched', matchable: true });
    expect(pending).toMatchObject({ outcome: 'unmatched', matchable: false });
    const match = (itemId: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/billing/bank-imports/${result.id}/items/${itemId}/match`, headers: adviser(), payload });

    // A batch pays several invoices: not to one by hand; a pending entry is not booked by the bank.
    const batchRefused = await match(batchItem!.id, { invoiceId: a.id });
    expect(batchRefused.statusCode).toBe(409);
    expect(batchRefused.json().detail).toMatch(/betaalt meer facturen tegelijk/);
    expect((await match(pending!.id, { invoiceId: transfer.id })).statusCode).toBe(409);
    // A credit becomes a payment, which has no reason code.
    expect((await match(transferItem!.id, { invoiceId: transfer.id, reasonCode: 'MD06' })).statusCode).toBe(400);

    const matched = await match(transferItem!.id, { invoiceId: transfer.id, note: 'Klant belde: betaling voor de adviesnota' });
    expect(matched.statusCode, matched.body).toBe(200);
    const body = matched.json() as { item: ItemView; booking: { id: string; kind: string; amountCents: number; createdBy: string; importId: string; source: string }; delivered: boolean };
    expect(body.delivered).toBe(true);
    expect(body.item).toMatchObject({
      outcome: 'matched_by_hand',
      matchable: false,
      invoiceIds: [transfer.id],
      bookingIds: [body.booking.id],
      matchedBy: office.credentialIds.adviser,
      matchNote: 'Klant belde: betaling voor de adviesnota',
    });
    expect(body.item.matchedAt).toEqual(expect.any(String));
    expect(body.booking).toMatchObject({ kind: 'payment', amountCents: 12100, createdBy: office.credentialIds.adviser, importId: result.id, source: 'camt' });
    // The same path as an automatic match: the invoice's workflow applies it.
    await expectMoney(transfer, 'paid', 0, ['payment::12100']);

    // Not twice: the item is matched now, also to another invoice.
    const twice = await match(transferItem!.id, { invoiceId: a.id });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toMatch(/is matched by hand: only an unmatched item can be matched by hand/);
    const after = await app.inject({ method: 'GET', url: `/billing/bank-imports/${result.id}`, headers: adviser() });
    expect(after.json()).toMatchObject({ booked: 1, unmatched: 2 });
    await expectMoney(transfer, 'paid', 0, ['payment::12100']);
    for (const inv of [a, b]) expect((await view(inv)).status).toBe('collection_pending');
  });

  it('a return without the original EndToEndId is unmatched; matched by hand to the invoice it returns it is a reversal with its reason', async () => {
    const inv = await invoice(await contract());
    const exported = await exportInvoices([inv]);
    const e2e = exported.endToEnd.get(inv.id)!;
    const credit = await imported(
      buildCamtFile('camt.053', [
        {
          format: 'camt.053',
          messageId: `STMT-${tag()}`,
          createdAt: `${today}T18:00:00+01:00`,
          accountIban: CREDITOR_IBAN,
          entries: [
            {
              bookingDate: collectionDate,
              amountCents: 3025,
              currency: 'EUR',
              creditDebit: 'CRDT',
              reversal: false,
              status: 'BOOK',
              isReturn: false,
              bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'ESDD' },
              transactions: [{ endToEndId: e2e, amountCents: 3025 }],
            },
            {
              // The bank lost our EndToEndId (a return without it).
              bookingDate: collectionDate,
              amountCents: 3025,
              currency: 'EUR',
              creditDebit: 'DBIT',
              reversal: false,
              status: 'BOOK',
              isReturn: true,
              bankTransactionCode: { domain: 'PMNT', family: 'IDDT', subFamily: 'UPDD' },
              transactions: [{ amountCents: 3025, returnReason: 'MD06' }],
            },
          ],
        },
      ]),
    );
    expect(credit).toMatchObject({ booked: 1 });
    expect(credit.unmatched.map((u) => [u.kind, u.reason])).toEqual([['return', 'een terugboeking zonder de oorspronkelijke EndToEndId']]);
    await expectMoney(inv, 'collected', 0, ['collection::3025']);
    const [, returnItem] = await items(credit.id);
    const res = await app.inject({
      method: 'POST',
      url: `/billing/bank-imports/${credit.id}/items/${returnItem!.id}/match`,
      headers: adviser(),
      payload: { invoiceId: inv.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().booking).toMatchObject({ kind: 'reversal', reasonCode: 'MD06', amountCents: 3025 });
    await expectMoney(inv, 'reversed', 3025, ['collection::3025', 'reversal:MD06:3025']);
  });
});
