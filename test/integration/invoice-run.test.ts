/**
 * The invoice run's services (services/billing/invoice-run.ts) against a real PostgreSQL, the
 * real PDF thread pool and a real SMTP peer: chunks numbered without gaps and idempotent across
 * a chunk killed before its commit and a chunk whose answer was lost; issuing twice mails once;
 * the product card's dates; contracts that changed between planning and the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { addDays } from '../../domain/dates.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { createMailer, messageIdFor, type Mailer } from '../../integrations/mail/transport.js';
import { createPdfPool, type PdfPool } from '../../integrations/pdf/pool.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { createRunInvoices, handContractToRun, issueRunInvoices, runDueDates, unissuedRunRanges, type RunDeps } from '../../services/billing/invoice-run.js';
import { adoptUnissuedInvoices, claimRunFollowers, markMandatesFirstCollected } from '../../services/billing/store.js';
import { createFixture, startSmtpPeer, testDatabase, type Fixture, type SmtpPeer, type TestDatabase } from './support.js';

let db: TestDatabase;
let smtp: SmtpPeer;
let orm: MikroORM;
let mailer: Mailer;
let pdf: PdfPool;
let deps: RunDeps;
const MAIL_FROM = 'Test Advies <noreply@test-advies.nl>';
const DATE = '2026-11-01';

beforeAll(async () => {
  db = await testDatabase();
  smtp = await startSmtpPeer();
  orm = await createOrm(db.url);
  mailer = createMailer(smtp.url);
  pdf = createPdfPool({ threads: 1 });
  deps = { mailer, mailFrom: MAIL_FROM, now: () => new Date(`${DATE}T06:00:00Z`), pdf };
}, 120_000);

afterAll(async () => {
  await pdf?.close();
  mailer?.close();
  await orm?.close(true);
  await smtp?.stop();
  await db?.stop();
});

interface ContractOpts {
  startDate: string;
  endDate?: string;
  amountCents?: number;
  paymentMethod?: 'sepa' | 'transfer';
  delivery?: 'email' | 'letter';
  nextInvoiceDate?: string | null;
  pending?: { amountCents: number; from: string };
}

/** A product with a monthly contract in the fixture's dossier, planned for `nextInvoiceDate` (default its start). */
async function addContract(f: Fixture, o: ContractOpts): Promise<string> {
  const em = orm.em.fork();
  const productId = newId();
  const contractId = newId();
  await em.execute(
    `insert into products (id, office_id, dossier_id, type, process_key, process_version, status, category, workflow_id)
     values (?, ?, ?, 'service', 'service', 1, 'new', 'new', ?)`,
    [productId, f.officeId, f.dossierId, `product:${productId}`],
  );
  const sepa = (o.paymentMethod ?? 'transfer') === 'sepa';
  await em.execute(
    `insert into contracts (id, office_id, product_id, dossier_id, description, amount_cents, vat_rate, period, start_date, end_date, payment_method,
       mandate_id, mandate_signed_on, debtor_iban, debtor_name, delivery, consumer, workflow_id, next_invoice_date, pending_amount_cents, pending_from)
     values (?, ?, ?, ?, 'Servicepakket', ?, 21, 'month', ?, ?, ?, ?, ?, ?, ?, ?, true, ?, ?, ?, ?)`,
    [
      contractId, f.officeId, productId, f.dossierId, o.amountCents ?? 2500, o.startDate, o.endDate ?? null, sepa ? 'sepa' : 'transfer',
      sepa ? `M-${contractId.slice(0, 8)}` : null, sepa ? '2026-01-01' : null, sepa ? 'NL91ABNA0417164300' : null, sepa ? 'A. van der Meer' : null,
      o.delivery ?? 'email', workflowIds.contract(contractId), o.nextInvoiceDate === undefined ? o.startDate : o.nextInvoiceDate,
      o.pending?.amountCents ?? null, o.pending?.from ?? null,
    ],
  );
  return contractId;
}

async function q<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().execute<T[]>(sql, params as never[]);
}

const run = (f: Fixture, date = DATE) => ({ officeId: f.officeId, date, runKey: workflowIds.invoiceRun(f.officeId, date) });

describe('invoice run: numbering', () => {
  it('chunks number gaplessly; a chunk killed before its commit takes no number; a repeat invoices nothing twice', async () => {
    const f = await createFixture(orm);
    const contracts: string[] = [];
    for (let i = 0; i < 7; i++) contracts.push(await addContract(f, { startDate: DATE }));
    await addContract(f, { startDate: addDays(DATE, 1) }); // due tomorrow: not in this run

    // Killed: the chunk's transaction never commits.
    await expect(
      orm.em.fork().transactional(async (outer) => {
        const chunk = await createRunInvoices(outer, { ...run(f), limit: 3 });
        expect(chunk.created).toBe(3);
        throw new Error('worker killed');
      }),
    ).rejects.toThrow('worker killed');
    expect(await q(`select id from invoices where office_id = ?`, [f.officeId])).toHaveLength(0);
    expect(await q(`select last from invoice_counters where office_id = ?`, [f.officeId])).toHaveLength(0);

    const first = await createRunInvoices(orm.em.fork(), { ...run(f), limit: 3 });
    expect(first).toMatchObject({ claimed: 3, created: 3, ranges: [{ year: 2026, from: 1, to: 3 }], more: true });
    expect(first.nextDates).toEqual(['2026-12-01']);
    // This chunk's answer is lost (the worker died after the commit): the next one goes on from 4.
    await createRunInvoices(orm.em.fork(), { ...run(f), limit: 3 });
    const last = await createRunInvoices(orm.em.fork(), { ...run(f), limit: 3 });
    expect(last).toMatchObject({ claimed: 1, created: 1, ranges: [{ year: 2026, from: 7, to: 7 }], more: false });
    const again = await createRunInvoices(orm.em.fork(), { ...run(f), limit: 3 });
    expect(again).toMatchObject({ claimed: 0, created: 0, more: false });

    const invoices = await q<{ number: string; contract_id: string; period_start: string; status: string; run_key: string; follower_started: boolean }>(
      `select number, contract_id, period_start::text, status, run_key, follower_started from invoices where office_id = ? order by number`,
      [f.officeId],
    );
    expect(invoices.map((i) => i.number)).toEqual(['2026-00001', '2026-00002', '2026-00003', '2026-00004', '2026-00005', '2026-00006', '2026-00007']);
    expect(new Set(invoices.map((i) => i.contract_id))).toEqual(new Set(contracts));
    expect(invoices.every((i) => i.period_start === DATE && i.status === 'open' && i.run_key === run(f).runKey && !i.follower_started)).toBe(true);
    expect(await q(`select last from invoice_counters where office_id = ?`, [f.officeId])).toEqual([{ last: 7 }]);
    const lines = await q<{ n: number }>(`select count(*)::int as n from invoice_lines l join invoices i on i.id = l.invoice_id where i.office_id = ?`, [f.officeId]);
    expect(lines[0]?.n).toBe(7);

    // What was made and not issued, by what PostgreSQL says (the lost answer included).
    expect(await unissuedRunRanges(orm.em.fork(), f.officeId, run(f).runKey)).toEqual([{ year: 2026, from: 1, to: 7 }]);
  });
});

describe('invoice run: issuing', () => {
  it('issues a range once: one PDF and one mail per invoice however often it runs; post and refused addresses get a task', async () => {
    const f = await createFixture(orm);
    await addContract(f, { startDate: DATE });
    await addContract(f, { startDate: DATE });
    await addContract(f, { startDate: DATE, delivery: 'letter' });
    const chunk = await createRunInvoices(orm.em.fork(), { ...run(f), limit: 10 });
    expect(chunk.created).toBe(3);
    const range = chunk.ranges[0]!;

    const first = await issueRunInvoices(orm.em.fork(), deps, { officeId: f.officeId, runKey: run(f).runKey, range });
    expect(first).toEqual({ issued: 3, pdfs: 3, mailed: 2, posted: 1 });
    const second = await issueRunInvoices(orm.em.fork(), deps, { officeId: f.officeId, runKey: run(f).runKey, range });
    expect(second).toEqual({ issued: 3, pdfs: 0, mailed: 0, posted: 0 });

    const invoices = await q<{ id: string; number: string; status: string; pdf_document_id: string | null; workflow_id: string; delivery: string }>(
      `select id, number, status, pdf_document_id, workflow_id, delivery from invoices where office_id = ? order by number`,
      [f.officeId],
    );
    expect(invoices.every((i) => i.status === 'sent' && i.pdf_document_id !== null)).toBe(true);
    const docs = await q<{ key: string; size_bytes: number }>(`select key, size_bytes from documents where office_id = ? and document_type = 'factuur'`, [f.officeId]);
    expect(docs.map((d) => d.key).sort()).toEqual(invoices.map((i) => `${i.workflow_id}/pdf`).sort());
    expect(docs.every((d) => d.size_bytes > 500)).toBe(true);
    const mine = smtp.received.filter((m) => m.envelopeTo.includes(f.emails[0]));
    expect(mine).toHaveLength(2);
    const ids = mine.map((m) => m.parsed.messageId);
    expect(new Set(ids).size).toBe(2);
    const byMail = invoices.filter((i) => i.delivery === 'email');
    const byPost = invoices.find((i) => i.delivery === 'letter')!;
    const expectedIds = byMail.map((i) => messageIdFor(`${i.workflow_id}/mail`, 'test-advies.nl'));
    expect(ids.sort()).toEqual(expectedIds.sort());
    expect(mine.map((m) => m.parsed.subject).sort()).toEqual(byMail.map((i) => `Factuur ${i.number} van Test Advies ${f.officeId.slice(0, 8)}`).sort());
    const tasks = await q<{ key: string; title: string }>(`select key, title from tasks where office_id = ?`, [f.officeId]);
    expect(tasks).toEqual([{ key: `${byPost.workflow_id}/post`, title: `Factuur ${byPost.number} per post versturen` }]);
    expect(await unissuedRunRanges(orm.em.fork(), f.officeId, run(f).runKey)).toEqual([]);
  });

  it('an address the SMTP peer refuses: the invoice goes by post (a task), the rest of the range is mailed', async () => {
    const f = await createFixture(orm, { firstEmail: `reject.${newId().slice(0, 6)}@example.nl` });
    await addContract(f, { startDate: DATE });
    const chunk = await createRunInvoices(orm.em.fork(), { ...run(f), limit: 10 });
    const r = await issueRunInvoices(orm.em.fork(), deps, { officeId: f.officeId, runKey: run(f).runKey, range: chunk.ranges[0]! });
    expect(r).toMatchObject({ issued: 1, mailed: 0, posted: 1 });
    const tasks = await q<{ title: string }>(`select title from tasks where office_id = ?`, [f.officeId]);
    expect(tasks[0]?.title).toMatch(/per post versturen \(e-mail geweigerd/);
    expect(await q(`select m.status from mails m join dossiers d on d.id = m.dossier_id where d.office_id = ?`, [f.officeId])).toEqual([{ status: 'failed' }]);
  });
});

describe('invoice run: the product card and contracts changed meanwhile', () => {
  it('sets last and next invoice date; a contract behind catches up in the same run, one invoice per period', async () => {
    const f = await createFixture(orm);
    const current = await addContract(f, { startDate: DATE });
    const behind = await addContract(f, { startDate: '2026-08-15' });
    let chunk;
    do chunk = await createRunInvoices(orm.em.fork(), { ...run(f), limit: 10 });
    while (chunk.more);
    const card = await q<{ id: string; last_invoice_date: string; next_invoice_date: string }>(
      `select id, last_invoice_date::text, next_invoice_date::text from contracts where office_id = ? order by id`,
      [f.officeId],
    );
    expect(card.find((c) => c.id === current)).toMatchObject({ last_invoice_date: DATE, next_invoice_date: '2026-12-01' });
    expect(card.find((c) => c.id === behind)).toMatchObject({ last_invoice_date: DATE, next_invoice_date: '2026-11-15' });
    const periods = await q<{ period_start: string; period_end: string; invoice_date: string; number: string }>(
      `select period_start::text, period_end::text, invoice_date::text, number from invoices where contract_id = ? order by period_start`,
      [behind],
    );
    expect(periods.map((p) => [p.period_start, p.period_end])).toEqual([
      ['2026-08-15', '2026-09-14'],
      ['2026-09-15', '2026-10-14'],
      ['2026-10-15', '2026-11-14'],
    ]);
    expect(periods.every((p) => p.invoice_date === DATE)).toBe(true);
    const numbers = (await q<{ number: string }>(`select number from invoices where office_id = ? order by number`, [f.officeId])).map((r) => r.number);
    expect(numbers).toEqual(['2026-00001', '2026-00002', '2026-00003', '2026-00004']);
    expect(await runDueDates(orm.em.fork(), run(f).runKey)).toEqual(['2026-11-15']);
  });

  it('a pending amount is charged from its period and promoted; an end date moved forward bills pro rata; a period already invoiced is not invoiced again', async () => {
    const f = await createFixture(orm);
    const repriced = await addContract(f, { startDate: '2026-10-01', nextInvoiceDate: DATE, pending: { amountCents: 4000, from: DATE } });
    const ending = await addContract(f, { startDate: '2026-10-01', nextInvoiceDate: DATE, endDate: '2026-11-10' });
    const invoiced = await addContract(f, { startDate: '2026-10-01', nextInvoiceDate: DATE });
    const ended = await addContract(f, { startDate: '2026-10-01', nextInvoiceDate: DATE, endDate: '2026-10-31' });
    // October was invoiced one at a time for all four; November for `invoiced` too (its own workflow, before the hand-over).
    const em = orm.em.fork();
    for (const [c, from, until] of [[repriced, '2026-10-01', '2026-10-31'], [ending, '2026-10-01', '2026-10-31'], [invoiced, '2026-10-01', '2026-10-31'], [invoiced, '2026-11-01', '2026-11-30'], [ended, '2026-10-01', '2026-10-31']] as const) {
      const id = newId();
      await em.execute(
        `insert into invoices (id, key, office_id, contract_id, dossier_id, number, invoice_date, due_date, period_start, period_end, net_cents, vat_cents, total_cents,
           status, payment_method, delivery, workflow_id, pdf_document_id)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2500, 525, 3025, 'sent', 'transfer', 'email', ?, null)`,
        [id, `contract:${c}:${from}`, f.officeId, c, f.dossierId, `OLD-${id.slice(0, 8)}`, from, addDays(from, 14), from, until, `invoice:${id}`],
      );
    }
    const chunk = await createRunInvoices(orm.em.fork(), { ...run(f), limit: 10 });
    expect(chunk).toMatchObject({ claimed: 4, created: 2, more: false });
    const made = await q<{ contract_id: string; net_cents: number; period_start: string; period_end: string }>(
      `select contract_id, net_cents::int as net_cents, period_start::text, period_end::text from invoices where run_key = ?`,
      [run(f).runKey],
    );
    expect(made.find((i) => i.contract_id === repriced)).toMatchObject({ net_cents: 4000, period_start: DATE, period_end: '2026-11-30' });
    expect(made.find((i) => i.contract_id === ending)).toMatchObject({ net_cents: Math.round((2500 * 10) / 30), period_start: DATE, period_end: '2026-11-10' });
    const card = await q<{ id: string; amount_cents: number; pending_amount_cents: number | null; next_invoice_date: string | null; last_invoice_date: string | null }>(
      `select id, amount_cents::int as amount_cents, pending_amount_cents, next_invoice_date::text, last_invoice_date::text from contracts where office_id = ?`,
      [f.officeId],
    );
    expect(card.find((c) => c.id === repriced)).toMatchObject({ amount_cents: 4000, pending_amount_cents: null, next_invoice_date: '2026-12-01', last_invoice_date: DATE });
    expect(card.find((c) => c.id === ending)).toMatchObject({ next_invoice_date: null, last_invoice_date: DATE });
    expect(card.find((c) => c.id === invoiced)).toMatchObject({ next_invoice_date: '2026-12-01' });
    expect(card.find((c) => c.id === ended)).toMatchObject({ next_invoice_date: null });
  });
});

describe('invoice run: followers on the due date', () => {
  it('only invoices still open or sent get their workflow; marked once, found again on a repeat', async () => {
    const f = await createFixture(orm);
    await addContract(f, { startDate: DATE });
    await addContract(f, { startDate: DATE });
    await createRunInvoices(orm.em.fork(), { ...run(f), limit: 10 });
    const [paid] = await q<{ id: string; due_date: string }>(`select id, due_date::text from invoices where run_key = ? order by number limit 1`, [run(f).runKey]);
    await orm.em.fork().execute(`update invoices set status = 'paid', paid_cents = total_cents where id = ?`, [paid!.id]);
    const due = paid!.due_date;
    expect(await runDueDates(orm.em.fork(), run(f).runKey)).toEqual([due]);
    expect(await claimRunFollowers(orm.em.fork(), run(f).runKey, addDays(due, -1))).toEqual([]);
    const followers = await claimRunFollowers(orm.em.fork(), run(f).runKey, due);
    expect(followers).toHaveLength(1);
    expect(followers).not.toContain(paid!.id);
    expect(await claimRunFollowers(orm.em.fork(), run(f).runKey, due)).toEqual(followers);
    expect(await runDueDates(orm.em.fork(), run(f).runKey)).toEqual([]);
  });
});

describe('invoice run: the hand-over and a SEPA export at once', () => {
  /**
   * The export locks its invoices (`for update of i`), then marks the mandates' first collection
   * on their contracts; the hand-over used to lock the contract, then adopt the contract's
   * unissued invoices: each waited for the other (PostgreSQL: deadlock detected, the export
   * answered 500). Both now take invoices before their contract. Temporal is the real server of
   * the global setup; the runs are started on a task queue no worker polls and terminated.
   */
  it('the hand-over waits for the export and adopts the invoice afterwards, neither fails', async () => {
    const address = process.env.TEMPORAL_ADDRESS;
    if (!address) throw new Error('TEMPORAL_ADDRESS is not set (the vitest global setup provides it)');
    const connection = await Connection.connect({ address });
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    const temporal: TemporalDeps = { client, taskQueue: `hand-over-test-${newId().slice(0, 8)}`, checkHealth: temporalHealthCheck(connection) };
    const f = await createFixture(orm);
    const contractId = await addContract(f, { startDate: DATE, paymentMethod: 'sepa', nextInvoiceDate: null });
    // The contract's own invoice, made one at a time and never issued (its workflow replaced before issuing).
    const invoiceId = newId();
    await orm.em.fork().execute(
      `insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
         net_cents, vat_cents, total_cents, status, payment_method, delivery, workflow_id)
       select ?, ?, office_id, id, dossier_id, product_id, ?, ?, ?, ?, ?, 2500, 525, 3025, 'open', 'sepa', 'email', ? from contracts where id = ?`,
      [invoiceId, `contract:${contractId}:${DATE}`, `2026-H${invoiceId.slice(0, 6)}`, DATE, addDays(DATE, 14), DATE, '2026-11-30', `invoice:${invoiceId}`, contractId],
    );
    type Outcome = { handed: Awaited<ReturnType<typeof handContractToRun>> } | { error: unknown };
    let handing: Promise<Outcome> | undefined;
    try {
      await orm.em.fork().transactional(async (tem) => {
        await tem.execute('select id from invoices where id = ? for update', [invoiceId]);
        handing = handContractToRun(orm.em.fork(), temporal, contractId, DATE).then(
          (handed) => ({ handed }),
          (error: unknown) => ({ error }),
        );
        // Until the hand-over waits for a row lock (a state of the database, no timing).
        for (let i = 0; ; i++) {
          const waiting = await q<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%invoices%'`,
          );
          if (waiting[0]!.n > 0) break;
          if (i > 600) throw new Error('the hand-over never waited for the locked invoice');
          await new Promise((r) => setTimeout(r, 50));
        }
        await markMandatesFirstCollected(tem, [contractId]);
      });
      const outcome = await handing!;
      if ('error' in outcome) throw outcome.error;
      expect(outcome.handed).toEqual({ contractId, nextInvoiceDate: '2026-12-01' });
      const [row] = await q<{ run_key: string | null }>('select run_key from invoices where id = ?', [invoiceId]);
      expect(row!.run_key).toBe(run(f).runKey);
      const [c] = await q<{ mandate_first_collected: boolean; next_invoice_date: string }>(
        'select mandate_first_collected, next_invoice_date::text from contracts where id = ?',
        [contractId],
      );
      expect(c).toEqual({ mandate_first_collected: true, next_invoice_date: '2026-12-01' });
    } finally {
      await handing;
      for (const date of [DATE, '2026-12-01']) {
        await client.workflow.getHandle(workflowIds.invoiceRun(f.officeId, date)).terminate('test over').catch(() => undefined);
      }
      await connection.close();
    }
  });

  it('adopts only the contract\'s own unissued invoices: one made by other means stays out of the runs', async () => {
    const f = await createFixture(orm);
    const contractId = await addContract(f, { startDate: DATE, paymentMethod: 'sepa', nextInvoiceDate: null });
    const em = orm.em.fork();
    const ids = [newId(), newId()];
    const keys = [`contract:${contractId}:${DATE}`, `other:${ids[1]}`];
    for (const [i, id] of ids.entries()) {
      await em.execute(
        `insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
           net_cents, vat_cents, total_cents, status, payment_method, delivery, workflow_id)
         select ?, ?, office_id, id, dossier_id, product_id, ?, ?, ?, ?, ?, 2500, 525, 3025, 'open', 'sepa', 'email', ? from contracts where id = ?`,
        [id, keys[i], `2026-A${id.slice(0, 6)}`, DATE, addDays(DATE, 14), DATE, '2026-11-30', `invoice:${id}`, contractId],
      );
    }
    expect(await em.transactional((tem) => adoptUnissuedInvoices(tem, contractId, run(f).runKey))).toBe(1);
    const found = await q<{ id: string; run_key: string | null }>('select id, run_key from invoices where id = any(?::uuid[]) order by key', [`{${ids.join(',')}}`]);
    expect(new Map(found.map((r) => [r.id, r.run_key]))).toEqual(new Map([[ids[0], run(f).runKey], [ids[1], null]]));
  });
});
