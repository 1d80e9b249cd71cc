/**
 * The invoice run in the chaos run: a second office with N monthly SEPA contracts due today
 * (inserted with SQL, planned for today as the contract workflow's hand-over leaves them), whose
 * run (`invoice-run:<office>:<today>`) is started while the driver kills worker, API and
 * Temporal. Afterwards every contract must have exactly one invoice, the numbers 1..N without
 * gaps, every invoice its PDF and exactly one mail (one outbox row, one distinct Message-ID at the
 * SMTP peer), and status `sent`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { newId } from '../../db/ids.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { RUN_MAIL_CONCURRENCY } from '../../services/billing/invoice-run.js';
import { ensureInvoiceRun } from '../../services/billing/workflows.js';
import { ISSUE_PARALLEL } from '../../workflows/billing/invoice-run.workflow.js';
import type { StoredMail } from '../../simulators/smtp/smtp-peer.js';
import type { ChaosPlatform } from './chaos-platform.js';

const iban = (bankCode: string, account: string): string => `NL${ibanCheckDigits('NL', `${bankCode}${account}`)}${bankCode}${account}`;

export interface RunCase {
  officeId: string;
  date: string;
  contracts: number;
  /** The recipients' addresses: `run<i>.<runId>@chaos.example.nl`. */
  emailOf: (i: number) => string;
  startedAtMs?: number;
  /** When every invoice of the run had its PDF and was sent (or the wait gave up). */
  issuedAtMs?: number;
  error?: string;
}

/** The office, its creditor settings and N persons, dossiers, service products and due contracts. */
export async function prepareRunOffice(databaseUrl: string, contracts: number, runId: string): Promise<RunCase> {
  const officeId = newId();
  const date = todayInAmsterdam(new Date());
  const emailOf = (i: number): string => `run${i}.${runId}@chaos.example.nl`;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const nationalId = '123456780000';
    const service = (
      await db.query<{ key: string; version: number }>(`select key, version from process_definitions where product_type = 'service' order by version desc limit 1`)
    ).rows[0];
    if (!service) throw new Error('no service process definition (the seed makes one)');
    await db.query(`insert into offices (id, name) values ($1, $2)`, [officeId, `Chaos Incasso ${runId}`]);
    await db.query(
      `insert into office_billing_settings (office_id, reminder_mode, creditor_name, creditor_iban, creditor_id, payment_term_days)
       values ($1, 'workflow', 'Chaos Incasso B.V.', $2, $3, 14)`,
      [officeId, iban('ABNA', '0417164300'), `NL${creditorIdCheckDigits('NL', nationalId)}ZZZ${nationalId}`],
    );
    const rows = Array.from({ length: contracts }, (_, k) => ({ i: k + 1, email: emailOf(k + 1), iban: iban('RABO', String(400_000_000 + k).padStart(10, '0')) }));
    await db.query(
      `create temp table g as
         select r.i, gen_random_uuid() as person, gen_random_uuid() as dossier, gen_random_uuid() as product, gen_random_uuid() as contract, r.email, r.iban
           from jsonb_to_recordset($1::jsonb) as r(i int, email text, iban text)`,
      [JSON.stringify(rows)],
    );
    await db.query(
      `insert into persons (id, office_id, first_name, last_name, birth_date, email, street, house_number, postcode, city, created_at, updated_at)
       select person, $1, 'Klant', 'Run' || lpad(i::text, 5, '0'), date '1970-01-01' + i, email, 'Chaosstraat', 1 + (i % 200), '1234AB', 'Chaosstad', now(), now() from g`,
      [officeId],
    );
    await db.query(
      `insert into dossiers (id, office_id, number, status, created_at, updated_at) select dossier, $1, $2 || '-' || lpad(i::text, 6, '0'), 'client', now(), now() from g`,
      [officeId, date.slice(0, 4)],
    );
    await db.query(`insert into dossier_applicants (dossier_id, person_id, position) select dossier, person, 1 from g`);
    await db.query(
      `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
       select product, $1, dossier, 'service', null, $2, $3, 'agreed', 'running', 'chaos-run:' || product, now(), now() from g`,
      [officeId, service.key, service.version],
    );
    await db.query(
      `insert into contracts (id, office_id, product_id, dossier_id, description, amount_cents, vat_rate, period, start_date, payment_method,
         mandate_id, mandate_signed_on, debtor_iban, debtor_name, delivery, consumer, workflow_id, next_invoice_date)
       select contract, $1, product, dossier, 'Servicepakket', 2500, 21, 'month', $2::date, 'sepa',
              'RUN-' || $3 || '-' || i, $2::date - 10, iban, 'Klant Run' || i, 'email', true, 'contract:' || contract, $2::date from g`,
      [officeId, date, runId],
    );
  } finally {
    await db.end();
  }
  return { officeId, date, contracts, emailOf };
}

/**
 * Starts the office's run (as a hand-over starts it: signal-with-start, repeated while Temporal
 * is down) and waits until every invoice has its PDF and is sent, or `settleMs` passed.
 */
export async function driveRun(platform: ChaosPlatform, databaseUrl: string, run: RunCase, settleMs: number, log: (line: string) => void): Promise<void> {
  run.startedAtMs = Date.now();
  try {
    // Run hour 0: the run starts at once, whatever the hour the test runs (INVOICE_RUN_HOUR).
    await platform.withTemporal((client) => ensureInvoiceRun({ client, taskQueue: platform.taskQueue, checkHealth: async () => undefined, invoiceRunHour: 0 }, run.officeId, run.date));
    log(`invoice run: ${workflowIds.invoiceRun(run.officeId, run.date)} started for ${run.contracts} contracts`);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const deadline = Date.now() + settleMs;
      for (;;) {
        const [r] = (
          await db.query<{ issued: number }>(`select count(*)::int as issued from invoices where office_id = $1 and pdf_document_id is not null and status <> 'open'`, [run.officeId])
        ).rows;
        if ((r?.issued ?? 0) >= run.contracts) break;
        if (Date.now() > deadline) throw new Error(`timed out: ${r?.issued ?? 0} of ${run.contracts} invoices issued`);
        await sleep(300);
      }
    } finally {
      await db.end();
    }
  } catch (err) {
    run.error = err instanceof Error ? err.message : String(err);
    log(`invoice run: ${run.error}`);
  } finally {
    run.issuedAtMs = Date.now();
  }
}

/** The rows of the run's checks (see the file comment): [check, expected, found, failures, note]. */
export async function checkRun(
  q: <T extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<T[]>,
  run: RunCase,
  byRecipient: ReadonlyMap<string, StoredMail[]>,
  /** Times the worker died during the chaos run (killed by the driver or on its own). */
  workerDeaths: number,
): Promise<{ rows: [string, number, number, string[], string?][]; notes: string[] }> {
  const rows: [string, number, number, string[], string?][] = [];
  const notes: string[] = [];
  const invoices = await q<{ id: string; number: string; status: string; contract_id: string; period_start: string; pdf_document_id: string | null; workflow_id: string }>(
    `select id, number, status, contract_id, period_start::text, pdf_document_id, workflow_id from invoices where office_id = $1 order by number`,
    [run.officeId],
  );
  const bad: string[] = run.error ? [`the run: ${run.error}`] : [];
  const perContract = new Map<string, number>();
  for (const i of invoices) perContract.set(i.contract_id, (perContract.get(i.contract_id) ?? 0) + 1);
  for (const [c, n] of perContract) if (n > 1) bad.push(`contract ${c}: ${n} invoices`);
  const numbers = invoices.map((i) => i.number);
  const year = run.date.slice(0, 4);
  const expected = Array.from({ length: invoices.length }, (_, k) => `${year}-${String(k + 1).padStart(5, '0')}`);
  if (JSON.stringify(numbers) !== JSON.stringify(expected)) bad.push(`numbers are not ${expected[0] ?? '-'}..${expected.at(-1) ?? '-'} without gaps: ${numbers.slice(0, 20).join(', ')}…`);
  rows.push(['invoice run: one invoice per contract, numbers 1..n', run.contracts, invoices.length, bad]);

  const unissued = invoices.filter((i) => i.pdf_document_id === null || i.status !== 'sent');
  const docs = await q<{ key: string; n: string }>(
    `select key, count(*) as n from documents where office_id = $1 and document_type = 'factuur' group by key`,
    [run.officeId],
  );
  const docBad = [
    ...unissued.slice(0, 10).map((i) => `invoice ${i.number} is ${i.status}${i.pdf_document_id ? '' : ', no PDF'}`),
    ...docs.filter((d) => Number(d.n) > 1).map((d) => `${d.key}: ${d.n} documents`),
  ];
  rows.push(['invoice run: PDF stored once, invoice sent', invoices.length, invoices.length - unissued.length, docBad]);

  const outbox = await q<{ key: string; status: string }>(
    `select m.key, m.status from mails m join dossiers d on d.id = m.dossier_id where d.office_id = $1`,
    [run.officeId],
  );
  const outboxBad = outbox.filter((m) => m.status !== 'sent').map((m) => `${m.key}: ${m.status}`);
  const wantKeys = new Set(invoices.map((i) => `${i.workflow_id}/mail`));
  for (const m of outbox) if (!wantKeys.has(m.key)) outboxBad.push(`unexpected outbox row ${m.key}`);
  rows.push(['invoice run: outbox rows (one per invoice) sent', invoices.length, outbox.filter((m) => m.status === 'sent').length, outboxBad]);

  const mailBad: string[] = [];
  const repeated: { recipient: string; messageId: string; times: number }[] = [];
  let distinct = 0;
  let deliveries = 0;
  for (let i = 1; i <= run.contracts; i++) {
    const received = byRecipient.get(run.emailOf(i)) ?? [];
    deliveries += received.length;
    const ids = new Map<string, number>();
    for (const m of received) ids.set(m.messageId ?? `no-id:${m.id}`, (ids.get(m.messageId ?? `no-id:${m.id}`) ?? 0) + 1);
    distinct += ids.size;
    if (ids.size !== 1) mailBad.push(`${run.emailOf(i)}: ${ids.size} distinct mails`);
    for (const [messageId, times] of ids) if (times > 1) repeated.push({ recipient: run.emailOf(i), messageId, times });
  }
  rows.push(['invoice run: mails at the SMTP peer (distinct Message-IDs)', run.contracts, distinct, mailBad, `${deliveries} deliveries`]);
  // A worker killed while issuing sends again only the mails in flight: per part, its senders'
  // mails accepted by SMTP and not yet marked sent (services/work/mail-outbox.ts).
  const window = workerDeaths * ISSUE_PARALLEL * RUN_MAIL_CONCURRENCY;
  const repeats = repeated.reduce((n, r) => n + r.times - 1, 0);
  rows.push([
    `invoice run: mails delivered twice beyond the crash window (${ISSUE_PARALLEL}×${RUN_MAIL_CONCURRENCY} per worker death)`,
    0,
    Math.max(0, repeats - window),
    [],
    `${repeats} repeated deliveries, ${workerDeaths} worker death(s)`,
  ]);
  if (repeated.length > 0) {
    notes.push(
      `invoice run: ${repeated.length} mail(s) arrived more than once with the same Message-ID (sent when the worker died, ` +
        `not yet marked sent): ${repeated
          .slice(0, 10)
          .map((r) => `${r.recipient} ${r.times}× ${r.messageId}`)
          .join('; ')}`,
    );
  }
  return { rows, notes };
}
