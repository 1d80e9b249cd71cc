/**
 * What goes out about an invoice: its PDF and the reminder letters (stored documents), the mails
 * to the client (through the outbox) and the back-office tasks for what goes by post. Each is
 * idempotent on a key derived from the invoice's workflow or the reminder execution, so a
 * retried activity never stores, mails or queues anything twice.
 *
 * Everything is rendered here from PostgreSQL (the dossier, the lines, the creditor, the
 * mandate) and never sent to Temporal.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isoDate as columnDate } from '../../db/column-values.js';
import { rows } from '../../db/sql.js';
import { formatEuro } from '../../domain/billing/money.js';
import { BillingRefusal } from '../../domain/billing/side-effects.js';
import { DomainError } from '../../domain/errors.js';
import type { Mailer } from '../../integrations/mail/transport.js';
import { renderDocumentPdf } from '../../integrations/pdf/render.js';
import { contextData, formatDateNl, loadDossierContext, personData, type DossierContext } from '../dossiers/context.js';
import { loadTemplate, renderOrFail } from '../templates/load.js';
import { paragraphsOf, renderTemplate } from '../templates/render.js';
import { sendMailOnce } from '../work/mail-outbox.js';
import { documentIdByKey, insertDocumentOnce, insertTaskOnce } from '../work/store.js';
import { openCentsOf } from './invoices.js';
import { billingSettingsRow, contractById, invoiceById, invoiceLineColumns, type InvoiceLineRow, type InvoiceRow } from './store.js';

/** What the billing side effects need besides the database. */
export interface BillingDeps {
  mailer: Mailer;
  mailFrom: string;
  now: () => Date;
}

/** An invoice row with its two calendar dates as 'YYYY-MM-DD'. */
export type LoadedInvoice = InvoiceRow & { invoice_date: string; due_date: string };

/** A date column that is never null here (due date, start date, a max() that was checked). */
export function isoDate(value: unknown): string {
  return columnDate(value) ?? '';
}

/** The invoice; refused `invoice-not-found` (BillingNotFound for the workflows) when it is gone. */
export async function loadInvoice(em: EntityManager, invoiceId: string): Promise<LoadedInvoice> {
  const row = await invoiceById(em, invoiceId);
  if (!row) throw new DomainError('not-found', BillingRefusal.InvoiceNotFound, `invoice ${invoiceId} not found`);
  return { ...row, invoice_date: isoDate(row.invoice_date), due_date: isoDate(row.due_date) };
}

export interface PaymentDetails {
  iban: string;
  name: string | null;
  termDays: number;
}

/** Who the client pays and in how many days (defaults when the office has no settings). */
export async function paymentDetailsOf(em: EntityManager, officeId: string): Promise<PaymentDetails> {
  const s = await billingSettingsRow(em, officeId);
  return { iban: s?.creditor_iban ?? '(rekeningnummer op aanvraag)', name: s?.creditor_name ?? null, termDays: s?.payment_term_days ?? 14 };
}

/** What an invoice's PDF and mails are rendered from. */
export interface InvoiceContext {
  inv: LoadedInvoice;
  dossier: DossierContext;
  lines: Pick<InvoiceLineRow, 'description' | 'net_cents' | 'vat_rate'>[];
  creditor: PaymentDetails;
  contract?: { mandate_id: string | null; debtor_iban: string | null; description: string };
}

/**
 * Everything an invoice's documents and mails are made of, loaded once per activity: the
 * dossier context, the lines, the creditor and the contract's mandate. (Loading it per
 * template cost the issue step about twenty extra queries per invoice.)
 */
export async function loadInvoiceContext(em: EntityManager, inv: LoadedInvoice): Promise<InvoiceContext> {
  const dossier = await loadDossierContext(em, inv.dossier_id, inv.product_id ?? undefined);
  const lines = await rows<InvoiceLineRow>(em, `select ${invoiceLineColumns} from invoice_lines where invoice_id = ? order by position`, [inv.id]);
  const creditor = await paymentDetailsOf(em, inv.office_id);
  const contract = inv.contract_id ? await contractById(em, inv.contract_id) : undefined;
  return {
    inv,
    dossier,
    lines,
    creditor,
    ...(contract ? { contract: { mandate_id: contract.mandate_id, debtor_iban: contract.debtor_iban, description: contract.description } } : {}),
  };
}

function maskIban(iban: string | null): string {
  if (!iban) return '';
  return `${iban.slice(0, 4)} **** ${iban.slice(-4)}`;
}

/** Template data of an invoice: rendered here, never sent to Temporal. */
export function invoiceData(ic: InvoiceContext, now: Date): Record<string, unknown> {
  const { inv, contract, creditor, lines } = ic;
  const data = contextData(ic.dossier, now);
  const paymentText =
    inv.payment_method === 'sepa'
      ? `Het bedrag wordt op of rond ${formatDateNl(inv.due_date)} automatisch afgeschreven van rekening ${maskIban(contract?.debtor_iban ?? null)} (machtiging ${contract?.mandate_id ?? ''}).`
      : `Graag uiterlijk ${formatDateNl(inv.due_date)} overmaken naar ${creditor.iban} ten name van ${ic.dossier.office.name}, onder vermelding van ${inv.number}.`;
  data.creditor = { iban: creditor.iban };
  data.invoice = {
    number: inv.number,
    date: formatDateNl(inv.invoice_date),
    dueDate: formatDateNl(inv.due_date),
    period: inv.period_start && inv.period_end ? `${formatDateNl(isoDate(inv.period_start))} t/m ${formatDateNl(isoDate(inv.period_end))}` : '-',
    description: contract?.description ?? lines[0]?.description ?? 'onze dienstverlening',
    lines: lines.map((l) => `- ${l.description}: ${formatEuro(l.net_cents)} (btw ${l.vat_rate}%)`).join('\n'),
    net: formatEuro(inv.net_cents),
    vat: formatEuro(inv.vat_cents),
    total: formatEuro(inv.total_cents),
    open: formatEuro(openCentsOf(inv)),
    paymentText,
  };
  return data;
}

/** Sends a templated mail to the first applicant with an e-mail address; idempotent on `key`. Null when nobody has one. */
export async function mailInvoiceTemplate(
  em: EntityManager,
  deps: BillingDeps,
  ic: InvoiceContext,
  template: string,
  key: string,
  extra: Record<string, unknown>,
): Promise<string | null> {
  const { inv } = ic;
  const recipient = ic.dossier.applicants.find((a) => a.person.email && a.person.email.includes('@'));
  if (!recipient) return null;
  const t = await loadTemplate(em, template, 'mail');
  const data = { ...invoiceData(ic, deps.now()), ...extra, recipient: personData(recipient.person) };
  const subject = renderOrFail(() => renderTemplate(t.subject ?? template, data, { context: 'text', name: template }));
  const body = renderOrFail(() => renderTemplate(t.body, data, { context: 'text', name: template }));
  return sendMailOnce(
    em,
    deps.mailer,
    { key, dossierId: inv.dossier_id, productId: inv.product_id, template, toAddress: recipient.person.email!, subject, bodyText: body },
    deps.mailFrom,
  );
}

/** Renders a document template to a stored PDF; idempotent on `key`. */
export async function storeInvoicePdf(
  em: EntityManager,
  deps: Pick<BillingDeps, 'now'>,
  ic: InvoiceContext,
  doc: { template: string; key: string; documentType: string; filename: string },
  extra: Record<string, unknown>,
): Promise<string> {
  const { inv } = ic;
  const { template, key } = doc;
  const existing = await documentIdByKey(em, key);
  if (existing) return existing;
  const office = ic.dossier.office.name;
  const t = await loadTemplate(em, template, 'document');
  const data = { ...invoiceData(ic, deps.now()), ...extra };
  const title = renderOrFail(() => renderTemplate(t.subject ?? template, data, { context: 'text', name: template }));
  const body = renderOrFail(() => renderTemplate(t.body, data, { context: 'text', name: template }));
  const pdf = Buffer.from(
    await renderDocumentPdf({ title, paragraphs: paragraphsOf(body), author: office, subject: title, footer: `${office} - ${inv.number}`, createdAt: deps.now() }),
  );
  return insertDocumentOnce(em, {
    key,
    officeId: inv.office_id,
    dossierId: inv.dossier_id,
    productId: inv.product_id,
    documentType: doc.documentType,
    filename: doc.filename,
    contentType: 'application/pdf',
    content: pdf,
    createdAt: deps.now(),
  });
}

/** A back-office task about the invoice (post to send, a mandate to check, a claim to hand over); idempotent on `key`. */
export async function invoiceTask(
  em: EntityManager,
  deps: Pick<BillingDeps, 'now'>,
  inv: Pick<InvoiceRow, 'office_id' | 'dossier_id' | 'product_id'>,
  key: string,
  title: string,
  dueDate: string | null,
): Promise<string> {
  return insertTaskOnce(em, {
    key,
    officeId: inv.office_id,
    dossierId: inv.dossier_id,
    productId: inv.product_id,
    title,
    assignee: 'backoffice',
    dueDate,
    createdAt: deps.now(),
  });
}
