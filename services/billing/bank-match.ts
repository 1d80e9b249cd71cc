/**
 * Which invoice a bank transaction is about, and as what booking:
 * - a credit with the EndToEndId of one of our exported collections → 'collection';
 * - a credit whose remittance text (or structured reference) names exactly one invoice number
 *   of the office → 'payment';
 * - a returned collection (debit flagged as a return by the camt reader) with the original
 *   EndToEndId → 'reversal' with the return reason (RtrInf/Rsn/Cd);
 * - everything else is unmatched, with the reason, and booked by nobody.
 * Only booked entries (status BOOK) count: PDNG/INFO may still change at the bank.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BankEntry, BankTransaction } from '../../integrations/sepa/types.js';
import type { UnmatchedItem } from './schemas.js';
import { one, rows } from '../../db/sql.js';
import type { BookingKind } from '../../domain/billing/closed-lists.js';
import type { InvoiceRow } from './store.js';

export interface MatchedBooking {
  invoiceId: string;
  kind: BookingKind;
  amountCents: number;
  reasonCode: string | null;
}

export type MatchOutcome = { matched: MatchedBooking } | { unmatched: string };

type InvoiceRef = Pick<InvoiceRow, 'id' | 'number' | 'total_cents' | 'paid_cents'>;

async function invoiceByEndToEnd(em: EntityManager, officeId: string, endToEndId: string): Promise<InvoiceRef | undefined> {
  return one<InvoiceRef>(
    em,
    'select id, number, total_cents, paid_cents from invoices where office_id = ? and end_to_end_id = ?',
    [officeId, endToEndId],
  );
}

/** Characters that may surround an invoice number in free text without being part of it. */
function mentions(text: string, number: string): boolean {
  const escaped = number.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`, 'i').test(text);
}

/** The invoices of the office whose number the text names (substring in SQL, word boundaries here). */
async function invoicesNamedIn(em: EntityManager, officeId: string, text: string): Promise<InvoiceRef[]> {
  const candidates = await rows<InvoiceRef>(
    em,
    `select id, number, total_cents, paid_cents from invoices
     where office_id = ? and length(number) >= 3 and position(upper(number) in upper(?)) > 0 limit 20`,
    [officeId, text],
  );
  return candidates.filter((c) => mentions(text, c.number));
}

/** The amount of a transaction: its own, else (batch entry without per-transaction amounts) what we asked for. */
async function amountOf(em: EntityManager, tx: BankTransaction, invoice: InvoiceRef, kind: MatchedBooking['kind']): Promise<number> {
  if (tx.amountCents !== undefined) return tx.amountCents;
  if (kind === 'reversal') {
    const collected = await one<{ amount_cents: number }>(
      em,
      "select amount_cents from booking_lines where invoice_id = ? and kind = 'collection' order by created_at desc limit 1",
      [invoice.id],
    );
    if (collected) return Number(collected.amount_cents);
  }
  return Math.max(0, Number(invoice.total_cents) - Number(invoice.paid_cents));
}

export async function matchTransaction(em: EntityManager, officeId: string, entry: BankEntry, tx: BankTransaction): Promise<MatchOutcome> {
  if (entry.status !== 'BOOK') return { unmatched: `entry status ${entry.status}: not booked by the bank yet` };
  if (entry.currency !== 'EUR') return { unmatched: `currency ${entry.currency}: only EUR is booked` };

  if (entry.creditDebit === 'DBIT') {
    if (!entry.isReturn) return { unmatched: 'a debit that is not a return of one of our collections' };
    if (tx.endToEndId === undefined) return { unmatched: 'a return without the original EndToEndId' };
    const invoice = await invoiceByEndToEnd(em, officeId, tx.endToEndId);
    if (!invoice) return { unmatched: `a return of EndToEndId ${tx.endToEndId}, which is not one of this office's collections` };
    const amountCents = await amountOf(em, tx, invoice, 'reversal');
    return { matched: { invoiceId: invoice.id, kind: 'reversal', amountCents, reasonCode: tx.returnReason?.toUpperCase() ?? null } };
  }

  if (entry.reversal) return { unmatched: 'a credit that reverses an earlier debit of the bank; book it by hand if it concerns an invoice' };
  if (tx.endToEndId !== undefined) {
    const invoice = await invoiceByEndToEnd(em, officeId, tx.endToEndId);
    if (invoice) {
      return { matched: { invoiceId: invoice.id, kind: 'collection', amountCents: await amountOf(em, tx, invoice, 'collection'), reasonCode: null } };
    }
  }
  const text = [tx.remittance, tx.creditorReference].filter((t): t is string => t !== undefined).join(' ');
  if (text.trim() === '') {
    return { unmatched: tx.endToEndId ? `no invoice with EndToEndId ${tx.endToEndId}, and no remittance text` : 'no EndToEndId and no remittance text' };
  }
  const named = await invoicesNamedIn(em, officeId, text);
  if (named.length === 1 && named[0]) {
    const invoice = named[0];
    return { matched: { invoiceId: invoice.id, kind: 'payment', amountCents: await amountOf(em, tx, invoice, 'payment'), reasonCode: null } };
  }
  if (named.length > 1) return { unmatched: `the remittance names several invoices (${named.map((n) => n.number).join(', ')}); book it by hand` };
  return { unmatched: 'no invoice number of this office in the remittance text' };
}

export function unmatchedItem(entry: BankEntry, entryIndex: number, tx: BankTransaction | undefined, txIndex: number, reason: string): UnmatchedItem {
  return {
    entry: entryIndex,
    transaction: txIndex,
    creditDebit: entry.creditDebit,
    amountCents: tx?.amountCents ?? entry.amountCents,
    bookingDate: entry.bookingDate,
    endToEndId: tx?.endToEndId ?? null,
    remittance: tx?.remittance ?? null,
    reason,
  };
}
