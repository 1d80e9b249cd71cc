/**
 * The invoice run (`invoice-run:<officeId>:<date>`, workflows/billing/invoice-run.workflow.ts):
 * every contract period of an office that is due on or before the run's date is invoiced in
 * chunks, each chunk one transaction, then issued (PDF, mail or post) in ranges of numbers.
 *
 * - **Planning**: `contracts.next_invoice_date` is the contract's plan (the product card shows
 *   it). The contract workflow hands its contract to the runs (handContractToRun: the next date
 *   computed from the contract and its invoices, and the run of that date started); a chunk sets
 *   the next date of every contract it invoices, and the run makes sure the run of that date
 *   exists. A contract change (PATCH) restarts the contract workflow, which plans again.
 * - **Numbering** (createRunInvoices): the chunk locks up to `limit` due contracts, works out
 *   each one's first period not invoiced (from its invoices, read under the lock), and inserts
 *   the invoices with consecutive numbers and their lines in one multi-row statement; the
 *   contracts' dates in another. The counter moves in the same transaction, so a chunk that is
 *   retried or killed before its commit took no number; after its commit its contracts are no
 *   longer due, so a retry invoices the next ones, never the same period again (the key
 *   `contract:<id>:<billedFrom>` is unique as well).
 * - **Issuing** (issueRunInvoices): for a range of numbers, the invoices not issued yet are
 *   rendered (context loaded in bulk, PDFs in the thread pool of integrations/pdf), stored in one
 *   statement, mailed through the outbox in batches (sendMailsOnce: one Message-ID per invoice,
 *   never sent twice at once, each marked sent as soon as SMTP accepted it) or given a task for the post, then linked to their PDFs and marked
 *   sent in one statement (one write of each invoice row). Every key is the
 *   one the one-at-a-time path uses (`invoice:<id>/pdf`, `/mail`, `/post`).
 * - **Followers**: a run's invoice gets its workflow (`invoice:<id>`) only when it needs one: a
 *   booking or a reminder action signals it with start (marking `follower_started` first); a SEPA
 *   export settles the status of unfollowed invoices itself (collection pending) and tells only
 *   the followed ones; on the due date the run starts the workflows of its invoices that are
 *   still open or sent (a transfer not paid, a direct debit never exported): the reminder ladder
 *   counts from the due date and its first step comes at least a day later.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier, DossierApplicant, Office, Person, Product, ProductPart } from '../../db/entities/index.js';
import { newId } from '../../db/ids.js';
import { isoDate, pgArray, rows } from '../../db/sql.js';
import { nextInvoiceDate, nextUninvoicedPeriod } from '../../domain/billing/periods.js';
import type {
  HandedContract,
  InvoiceNumberRange,
  IssueRunInvoicesInput,
  IssueRunInvoicesResult,
  RunChunkInput,
  RunChunkResult,
} from '../../domain/billing/side-effects.js';
import { maxDate } from '../../domain/billing/calendar.js';
import { invoiceNumberOf, rangesOf } from '../../domain/billing/number-ranges.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { MailSendError, MailFailure } from '../../integrations/mail/errors.js';
import type { PdfPool } from '../../integrations/pdf/pool.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { personData, type Applicant, type DossierContext } from '../dossiers/context.js';
import { loadTemplate, renderOrFail } from '../templates/load.js';
import { paragraphsOf, renderTemplate } from '../templates/render.js';
import { sendMailsOnce } from '../work/mail-outbox.js';
import { insertDocumentsOnce, type NewDocument, type OutboxMail } from '../work/store.js';
import { invoiceData, invoiceTask, paymentDetailsOf, type BillingDeps, type InvoiceContext, type LoadedInvoice } from './invoice-documents.js';
import { periodInvoice } from './invoicing.js';
import {
  adoptUnissuedInvoices,
  claimRunFollowers,
  contractById,
  insertRunInvoices,
  invoiceColumns,
  lockDueContracts,
  markInvoicesFollowed,
  markInvoicesIssued,
  setContractNextInvoiceDate,
  setPlannedContracts,
  type InvoiceLineRow,
  type InvoiceRow,
  type NewRunInvoice,
  type PlannedContract,
} from './store.js';
import { ensureInvoiceRun, startInvoiceWorkflows } from './workflows.js';
import { postInvoicesOfBilling } from '../ledger/posting.js';

/** What issuing needs besides the database: the mail transport and the PDF threads. */

/** Mails of one issuing part in flight at once: also the most a worker killed mid-part sends twice (same Message-ID). */
export const RUN_MAIL_CONCURRENCY = 10;
export interface RunDeps extends BillingDeps {
  pdf: PdfPool;
  /** Progress for the caller (the activity heartbeats). */
  progress?: () => void;
}

function numbersOf(range: InvoiceNumberRange): string[] {
  const out: string[] = [];
  for (let seq = range.from; seq <= range.to; seq++) out.push(invoiceNumberOf(range.year, seq));
  return out;
}

function seqOf(number: string): { year: number; seq: number } {
  const [year, seq] = number.split('-');
  return { year: Number(year), seq: Number(seq) };
}

/** The last billed day of each contract's invoices (all of them: made is billed, the run issues what it made). */
async function billedUntilOf(em: EntityManager, contractIds: readonly string[]): Promise<Map<string, string>> {
  const found = await rows<{ contract_id: string; period_end: unknown }>(
    em,
    `select contract_id, max(period_end) as period_end from invoices where contract_id = any(?::uuid[]) group by contract_id`,
    [pgArray(contractIds)],
  );
  return new Map(found.filter((r) => r.period_end).map((r) => [r.contract_id, isoDate(r.period_end) ?? '']));
}

/**
 * One chunk of the run: the due contracts locked, each one's next period invoiced (dated on the
 * run's date) or only its next date corrected, numbered gaplessly, all in one transaction.
 */
export async function createRunInvoices(em: EntityManager, input: RunChunkInput): Promise<RunChunkResult> {
  const { officeId, date, runKey, limit } = input;
  return em.transactional(async (tem) => {
    const due = await lockDueContracts(tem, officeId, date, limit);
    if (due.length === 0) return { claimed: 0, created: 0, ranges: [], nextDates: [], more: false };
    const billed = await billedUntilOf(tem, due.map((c) => c.id));
    const { termDays } = await paymentDetailsOf(tem, officeId);
    const planned: PlannedContract[] = [];
    const invoices: NewRunInvoice[] = [];
    const nextDates = new Set<string>();
    let stillDue = false;
    for (const c of due) {
      const endDate = isoDate(c.end_date) ?? undefined;
      const terms = { startDate: isoDate(c.start_date) ?? '', period: c.period, ...(endDate ? { endDate } : {}) };
      const period = nextUninvoicedPeriod(terms, billed.get(c.id));
      if (!period || period.invoiceDate > date) {
        // Nothing due after all (changed meanwhile, or invoiced by its own workflow): the plan is corrected.
        planned.push({ id: c.id, lastInvoiceDate: null, nextInvoiceDate: period ? period.invoiceDate : null, promotedAmountCents: null });
        if (period) nextDates.add(period.invoiceDate);
        continue;
      }
      const invoiceDate = maxDate(period.invoiceDate, date);
      const p = periodInvoice(c, period, invoiceDate, termDays);
      const id = newId();
      invoices.push({
        id,
        key: `contract:${c.id}:${period.billedFrom}`,
        contractId: c.id,
        dossierId: c.dossier_id,
        productId: c.product_id,
        invoiceDate,
        dueDate: p.dueDate,
        periodStart: period.billedFrom,
        periodEnd: p.chargedUntil,
        netCents: p.netCents,
        vatCents: p.vatCents,
        paymentMethod: c.payment_method,
        delivery: c.delivery,
        consumer: c.consumer,
        workflowId: workflowIds.invoice(id),
        line: { description: p.description, netCents: p.netCents, vatRate: c.vat_rate, vatCents: p.vatCents },
      });
      const next = p.nextInvoiceDate ?? null;
      planned.push({ id: c.id, lastInvoiceDate: invoiceDate, nextInvoiceDate: next, promotedAmountCents: p.promotedAmountCents });
      if (next !== null && next <= date) stillDue = true; // a contract catching up: its next period is due too
      else if (next !== null) nextDates.add(next);
    }
    await setPlannedContracts(tem, planned);
    const ranges: InvoiceNumberRange[] = [];
    if (invoices.length > 0) {
      // The counter is taken last: it is held from here to the commit.
      const year = Number(date.slice(0, 4));
      const range = await insertRunInvoices(tem, { officeId, year, runKey, invoices });
      ranges.push({ year, ...range });
    }
    return {
      claimed: due.length,
      created: invoices.length,
      ranges,
      nextDates: [...nextDates].filter((d) => d > date).sort(),
      more: due.length === limit || stillDue,
    };
  });
}

/** The run's invoices made and not issued yet (no PDF, or still open), as ranges of numbers. */
export async function unissuedRunRanges(em: EntityManager, officeId: string, runKey: string): Promise<InvoiceNumberRange[]> {
  const found = await rows<{ number: string }>(
    em,
    `select number from invoices where office_id = ? and run_key = ? and (pdf_document_id is null or (status = 'open' and recollections = 0))`,
    [officeId, runKey],
  );
  return rangesOf(found.map((r) => seqOf(r.number)));
}

type Loaded = InvoiceRow & { invoice_date: string; due_date: string };

/**
 * The render context of many invoices at once (loadInvoiceContext per invoice costs about ten
 * statements): the office, dossiers, applicants and persons, products and parts, lines and
 * contracts in one statement each.
 */
async function loadInvoiceContexts(em: EntityManager, officeId: string, invoices: readonly Loaded[]): Promise<Map<string, InvoiceContext>> {
  const out = new Map<string, InvoiceContext>();
  if (invoices.length === 0) return out;
  const dossierIds = [...new Set(invoices.map((i) => i.dossier_id))];
  const productIds = [...new Set(invoices.map((i) => i.product_id).filter((p): p is string => p !== null))];
  const contractIds = [...new Set(invoices.map((i) => i.contract_id).filter((c): c is string => c !== null))];
  // Read only, never written back: outside the identity map, so the range's later transactions
  // do not compute change sets over hundreds of loaded entities at every commit.
  const ro = { disableIdentityMap: true } as const;
  const office = await em.findOneOrFail(Office, { id: officeId }, ro);
  const dossiers = await em.find(Dossier, { id: { $in: dossierIds } }, ro);
  const links = await em.find(DossierApplicant, { dossierId: { $in: dossierIds } }, { ...ro, orderBy: { position: 'asc' } });
  const persons = links.length ? await em.find(Person, { id: { $in: [...new Set(links.map((l) => l.personId))] } }, ro) : [];
  const products = productIds.length ? await em.find(Product, { id: { $in: productIds } }, ro) : [];
  const parts = productIds.length ? await em.find(ProductPart, { productId: { $in: productIds } }, { ...ro, orderBy: { number: 'asc' } }) : [];
  const lines = await rows<InvoiceLineRow & { invoice_id: string }>(
    em,
    `select invoice_id, position, description, net_cents, vat_rate, vat_cents from invoice_lines where invoice_id = any(?::uuid[]) order by invoice_id, position`,
    [pgArray(invoices.map((i) => i.id))],
  );
  const contracts = contractIds.length
    ? await rows<{ id: string; mandate_id: string | null; debtor_iban: string | null; description: string }>(
        em,
        'select id, mandate_id, debtor_iban, description from contracts where id = any(?::uuid[])',
        [pgArray(contractIds)],
      )
    : [];
  const creditor = await paymentDetailsOf(em, officeId);
  const personById = new Map(persons.map((p) => [p.id, p]));
  const dossierById = new Map(dossiers.map((d) => [d.id, d]));
  const productById = new Map(products.map((p) => [p.id, p]));
  const contractById = new Map(contracts.map((c) => [c.id, c]));
  const applicantsOf = new Map<string, Applicant[]>();
  for (const l of links) {
    const person = personById.get(l.personId);
    if (!person) continue;
    const list = applicantsOf.get(l.dossierId) ?? [];
    list.push({ position: l.position, person });
    applicantsOf.set(l.dossierId, list);
  }
  const partsOf = new Map<string, ProductPart[]>();
  for (const p of parts) partsOf.set(p.productId, [...(partsOf.get(p.productId) ?? []), p]);
  const linesOf = new Map<string, InvoiceLineRow[]>();
  for (const l of lines) linesOf.set(l.invoice_id, [...(linesOf.get(l.invoice_id) ?? []), l]);
  for (const inv of invoices) {
    const dossier = dossierById.get(inv.dossier_id);
    if (!dossier) continue; // gone: left unissued, the sweep reports it
    const product = inv.product_id ? (productById.get(inv.product_id) ?? null) : null;
    const ctx: DossierContext = {
      office,
      dossier,
      applicants: applicantsOf.get(inv.dossier_id) ?? [],
      product,
      parts: product ? (partsOf.get(product.id) ?? []) : [],
    };
    const contract = inv.contract_id ? contractById.get(inv.contract_id) : undefined;
    out.set(inv.id, {
      inv,
      dossier: ctx,
      lines: linesOf.get(inv.id) ?? [],
      creditor,
      ...(contract ? { contract: { mandate_id: contract.mandate_id, debtor_iban: contract.debtor_iban, description: contract.description } } : {}),
    });
  }
  return out;
}

/**
 * Issues the run's invoices of one range of numbers that are not issued yet: PDFs rendered in
 * the pool and stored in one statement, mails through the outbox in batches, a task for what
 * goes by post (by letter, nobody with an e-mail address, or an address the SMTP peer refused),
 * then linked to their PDFs and marked sent in one statement. Idempotent on the same keys as issueInvoice; a retryable mail failure is
 * thrown after the rest of the range was done (the retry sends what is still pending).
 */
export async function issueRunInvoices(em: EntityManager, deps: RunDeps, input: IssueRunInvoicesInput): Promise<IssueRunInvoicesResult> {
  const { officeId, runKey, range } = input;
  const all = await rows<InvoiceRow>(
    em,
    `select ${invoiceColumns} from invoices where office_id = ? and number = any(?::text[]) and run_key = ? order by number`,
    [officeId, pgArray(numbersOf(range)), runKey],
  );
  const todo: Loaded[] = all
    .filter((i) => i.pdf_document_id === null || (i.status === 'open' && Number(i.recollections) === 0))
    .map((i) => ({ ...i, invoice_date: isoDate(i.invoice_date) ?? '', due_date: isoDate(i.due_date) ?? '' }));
  const result: IssueRunInvoicesResult = { issued: all.length - todo.length, pdfs: 0, mailed: 0, posted: 0 };
  if (todo.length === 0) return result;
  const now = deps.now();
  const contexts = await loadInvoiceContexts(em, officeId, todo);
  const docTemplate = await loadTemplate(em, 'invoice-document', 'document');
  const mailTemplate = await loadTemplate(em, 'invoice', 'mail');

  // PDFs: rendered in the pool, stored in one statement.
  const needPdf = todo.filter((i) => i.pdf_document_id === null && contexts.has(i.id));
  const docs: NewDocument[] = await Promise.all(
    needPdf.map(async (inv): Promise<NewDocument> => {
      const ic = contexts.get(inv.id)!;
      const office = ic.dossier.office.name;
      const data = invoiceData(ic, now);
      const title = renderOrFail(() => renderTemplate(docTemplate.subject ?? 'invoice-document', data, { context: 'text', name: 'invoice-document' }));
      const body = renderOrFail(() => renderTemplate(docTemplate.body, data, { context: 'text', name: 'invoice-document' }));
      const content = await deps.pdf.render({ title, paragraphs: paragraphsOf(body), author: office, subject: title, footer: `${office} - ${inv.number}`, createdAt: now });
      return {
        key: `${inv.workflow_id}/pdf`,
        officeId: inv.office_id,
        dossierId: inv.dossier_id,
        productId: inv.product_id,
        documentType: 'factuur',
        filename: `factuur-${inv.number}.pdf`,
        contentType: 'application/pdf',
        content,
        createdAt: now,
      };
    }),
  );
  // Linked to their invoices at the end, with the status (markInvoicesIssued): a retry after a
  // crash in between finds the stored documents by key.
  await insertDocumentsOnce(em, docs);
  result.pdfs = needPdf.length;
  deps.progress?.();

  // Mails (or the post).
  const mails: (OutboxMail & { invoiceId: string })[] = [];
  const post: { inv: Loaded; title: string }[] = [];
  for (const inv of todo) {
    const ic = contexts.get(inv.id);
    if (!ic) continue;
    if (inv.delivery === 'letter') {
      post.push({ inv, title: `Factuur ${inv.number} per post versturen` });
      continue;
    }
    const recipient = ic.dossier.applicants.find((a) => a.person.email && a.person.email.includes('@'));
    if (!recipient) {
      post.push({ inv, title: `Factuur ${inv.number} per post versturen (geen e-mailadres)` });
      continue;
    }
    const full = { ...invoiceData(ic, now), recipient: personData(recipient.person) };
    const subject = renderOrFail(() => renderTemplate(mailTemplate.subject ?? 'invoice', full, { context: 'text', name: 'invoice' }));
    const bodyText = renderOrFail(() => renderTemplate(mailTemplate.body, full, { context: 'text', name: 'invoice' }));
    mails.push({
      invoiceId: inv.id,
      key: `${inv.workflow_id}/mail`,
      dossierId: inv.dossier_id,
      productId: inv.product_id,
      template: 'invoice',
      toAddress: recipient.person.email!,
      subject,
      bodyText,
    });
  }
  const outcome = await sendMailsOnce(em, deps.mailer, mails, deps.mailFrom, { batchSize: 50, concurrency: RUN_MAIL_CONCURRENCY });
  deps.progress?.();
  const invoiceOfKey = new Map(mails.map((m) => [m.key, m.invoiceId]));
  const byId = new Map(todo.map((i) => [i.id, i]));
  for (const r of outcome.rejected) {
    const inv = byId.get(invoiceOfKey.get(r.key) ?? '');
    if (inv) post.push({ inv, title: `Factuur ${inv.number} per post versturen (e-mail geweigerd: ${r.reason.slice(0, 200)})` });
  }
  for (const p of post) await invoiceTask(em, deps, p.inv, `${p.inv.workflow_id}/post`, p.title, p.inv.invoice_date);
  const sent = outcome.sent.map((k) => invoiceOfKey.get(k)!).filter(Boolean);
  // Booked in the RC ledger before they count as issued (a retry of the range posts each once: its key).
  await postInvoicesOfBilling(em, officeId, [...sent, ...post.map((p) => p.inv.id)]);
  await markInvoicesIssued(em, { withPdf: needPdf.map((i) => i.id), sent: [...sent, ...post.map((p) => p.inv.id)] });
  result.mailed = sent.length;
  result.posted = post.length;
  result.issued += sent.length + post.length;
  if (outcome.unavailable) throw outcome.unavailable;
  if (outcome.busy.length > 0) {
    throw new MailSendError(`${outcome.busy.length} mail(s) of this range are being sent by another attempt`, MailFailure.Unavailable, true);
  }
  return result;
}

/**
 * The contract workflow's last act: the contract's next invoice date from its terms and all its
 * invoices (the product card), an invoice it made and never issued joins today's run, and the
 * run of the next date is started (it waits for its date). Idempotent.
 */
export async function handContractToRun(em: EntityManager, temporal: TemporalDeps, contractId: string, today: string): Promise<HandedContract> {
  const planned = await em.transactional(async (tem) => {
    const office = await rows<{ office_id: string }>(tem, 'select office_id from contracts where id = ?', [contractId]);
    const officeId = office[0]?.office_id;
    if (!officeId) return undefined;
    // Invoices first, then the contract: the lock order of the SEPA export (docs/ARCHITECTURE.md, "Row locks").
    const adopted = await adoptUnissuedInvoices(tem, contractId, workflowIds.invoiceRun(officeId, today));
    const c = await contractById(tem, contractId, { forUpdate: true });
    if (!c) return undefined;
    const billed = await billedUntilOf(tem, [contractId]);
    const endDate = isoDate(c.end_date) ?? undefined;
    const next = nextInvoiceDate({ startDate: isoDate(c.start_date) ?? '', period: c.period, ...(endDate ? { endDate } : {}) }, billed.get(contractId), today);
    await setContractNextInvoiceDate(tem, contractId, next ?? null);
    return { officeId: c.office_id, next, adopted };
  });
  if (!planned) return { contractId };
  const dates = new Set<string>();
  if (planned.next) dates.add(planned.next);
  if (planned.adopted > 0) dates.add(today);
  for (const date of dates) await ensureInvoiceRun(temporal, planned.officeId, date);
  return { contractId, ...(planned.next ? { nextInvoiceDate: planned.next } : {}) };
}

/** The distinct due dates of the run's invoices still waiting for their workflow (open or sent, none started), sorted. */
export async function runDueDates(em: EntityManager, runKey: string): Promise<string[]> {
  const found = await rows<{ due_date: unknown }>(
    em,
    `select distinct due_date from invoices where run_key = ? and not follower_started and status in ('open', 'sent') order by due_date`,
    [runKey],
  );
  return found.map((r) => isoDate(r.due_date) ?? '').filter(Boolean);
}

/** On a due date: the run's invoices still open or sent get their invoice workflow (marked first). */
export async function startRunFollowers(em: EntityManager, temporal: TemporalDeps, runKey: string, dueDate: string): Promise<{ started: number }> {
  const ids = await claimRunFollowers(em, runKey, dueDate);
  await startInvoiceWorkflows(temporal, ids);
  return { started: ids.length };
}

/** Marks the invoices as followed before their workflows are signalled with start (bookings, reminder actions). */
export async function beforeFollowing(em: EntityManager, invoiceIds: readonly string[]): Promise<void> {
  await markInvoicesFollowed(em, invoiceIds);
}

export type { LoadedInvoice };
