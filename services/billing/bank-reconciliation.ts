/**
 * The reconciliation of bank imports (GET /billing/bank-imports, GET /billing/bank-imports/:id):
 * per import, every transaction, batch or reject of the file with what was done with it (booked,
 * already booked by an earlier file, or unmatched with the reason); and the adviser's match by
 * hand (POST /billing/bank-imports/:id/items/:itemId/match).
 *
 * A match by hand books exactly what an automatic match would: the same booking key the import
 * gave the item, source and import of the file, the bank's amount and date, then the same
 * delivery to the invoice's workflow. It is audited on the item (who, when, which invoice, the
 * adviser's note) and the booking line carries the adviser as its creator.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { manualMatchKind } from '../../domain/billing/bank-match.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { DomainError, refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { isoDate, looksLikeUuid, one, rows } from '../../db/sql.js';
import type { BankImportDetail, BankImportItemView, BankImportQuery, BankImportSummary, BankItemMatch, BankItemMatchResult } from './schemas.js';
import { deliverBookings } from './delivery.js';
import { bookingView, requireInvoiceRow } from './invoices.js';
import {
  bankImportItemColumns,
  bookingColumns,
  insertBankBooking,
  markBankImportItemMatched,
  setBankImportOutcome,
  setExportItemBooking,
  type BankImportItemRow,
  type BankImportRow,
  type BookingRow,
} from './store.js';
import { engineDown } from './workflows.js';

interface SummaryRow extends BankImportRow {
  unmatched: number;
  created_by: string;
  created_at: unknown;
}

const summaryColumns = 'id, format, message_id, entries, booked, unmatched, created_by, created_at';

const instant = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

function summaryOf(r: SummaryRow): BankImportSummary {
  return {
    id: r.id,
    format: r.format,
    messageId: r.message_id,
    entries: Number(r.entries),
    booked: Number(r.booked),
    unmatched: Number(r.unmatched),
    createdBy: r.created_by,
    createdAt: instant(r.created_at),
  };
}

export function itemView(r: BankImportItemRow): BankImportItemView {
  return {
    id: r.id,
    statement: r.statement_index,
    entry: r.entry_index,
    transaction: r.transaction_index,
    kind: r.kind,
    outcome: r.outcome,
    creditDebit: r.credit_debit,
    amountCents: Number(r.amount_cents),
    bookingDate: isoDate(r.booking_date) ?? null,
    endToEndId: r.end_to_end_id,
    paymentInfoId: r.payment_info_id,
    batchMessageId: r.batch_message_id,
    transactions: r.transactions,
    remittance: r.remittance,
    reasonCode: r.reason_code,
    reason: r.reason,
    matchable: r.matchable && r.outcome === 'unmatched',
    invoiceIds: r.invoice_ids,
    bookingIds: r.booking_ids,
    matchedBy: r.matched_by,
    matchedAt: r.matched_at ? instant(r.matched_at) : null,
    matchNote: r.match_note,
  };
}

export async function listBankImports(em: EntityManager, officeId: string, q: BankImportQuery): Promise<{ items: BankImportSummary[]; total: number }> {
  const where = `office_id = ?${q.unmatched ? ' and unmatched > 0' : ''}`;
  const found = await rows<SummaryRow>(em, `select ${summaryColumns} from bank_imports where ${where} order by created_at desc, id limit ? offset ?`, [
    officeId,
    q.limit ?? 50,
    q.offset ?? 0,
  ]);
  const total = await one<{ n: string }>(em, `select count(*) as n from bank_imports where ${where}`, [officeId]);
  return { items: found.map(summaryOf), total: Number(total?.n ?? 0) };
}

async function requireImport(em: EntityManager, officeId: string, id: string): Promise<SummaryRow> {
  const row = looksLikeUuid(id) ? await one<SummaryRow>(em, `select ${summaryColumns} from bank_imports where office_id = ? and id = ?`, [officeId, id]) : undefined;
  if (!row) throw refuse.notFound('Bank import', id);
  return row;
}

/** In file order: per entry its batches (transaction -1, -2, ...) first, then its TxDtls 0, 1, 2, ... */
async function itemsOf(em: EntityManager, importId: string): Promise<BankImportItemRow[]> {
  return rows<BankImportItemRow>(
    em,
    `select ${bankImportItemColumns} from bank_import_items where import_id = ? order by statement_index, entry_index, transaction_index < 0 desc, abs(transaction_index)`,
    [importId],
  );
}

export async function getBankImport(em: EntityManager, officeId: string, id: string): Promise<BankImportDetail> {
  const row = await requireImport(em, officeId, id);
  return { ...summaryOf(row), items: (await itemsOf(em, row.id)).map(itemView) };
}

/**
 * Matches an unmatched item to an invoice of the office. Refused (and nothing changes) when the
 * item is not unmatched any more, cannot be matched (a batch, a pending or foreign-currency
 * entry, another debit), or a return/reject has no reason code and none is given.
 */
export async function matchBankImportItem(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  importId: string,
  itemId: string,
  body: BankItemMatch,
): Promise<BankItemMatchResult> {
  const imported = await requireImport(em, principal.officeId, importId);
  const invoice = await requireInvoiceRow(em, principal.officeId, body.invoiceId);
  const { item, booking } = await em.transactional(async (tem) => {
    const row = looksLikeUuid(itemId)
      ? await one<BankImportItemRow>(tem, `select ${bankImportItemColumns} from bank_import_items where import_id = ? and id = ? for update`, [imported.id, itemId])
      : undefined;
    if (!row) throw refuse.notFound('Item of bank import', itemId);
    if (row.outcome !== 'unmatched') {
      throw new DomainError('conflict', 'bank-item-not-unmatched', `Item ${itemId} is ${row.outcome.replace(/_/g, ' ')}: only an unmatched item can be matched by hand`, {
        outcome: row.outcome,
      });
    }
    const decided = manualMatchKind({ kind: row.kind, reasonCode: row.reason_code });
    if ('refused' in decided) throw new DomainError('conflict', 'bank-item-not-matchable', `Post ${itemId} kan niet aan een factuur worden gekoppeld: ${decided.refused}`);
    if (!row.matchable || row.booking_key === null) {
      throw new DomainError('conflict', 'bank-item-not-matchable', `Post ${itemId} kan niet aan een factuur worden gekoppeld: ${row.reason ?? 'de bank heeft haar niet geboekt'}`);
    }
    const reasonCode = body.reasonCode ?? row.reason_code;
    if (decided.needsReasonCode && !body.reasonCode) {
      throw new DomainError('invalid', 'reason-code-required', `Item ${itemId} is a ${row.kind} without a reason code: give the SEPA reasonCode (e.g. MD06)`, {
        errors: [{ path: '/body/reasonCode', message: `is required for a ${row.kind} without a reason code` }],
      });
    }
    if (decided.kind === 'payment' && body.reasonCode) {
      throw new DomainError('invalid', 'reason-code-not-allowed', 'A credit becomes a payment, which has no reasonCode', {
        errors: [{ path: '/body/reasonCode', message: 'only for returns and rejects' }],
      });
    }
    // The collection of ours the bank named, when the invoice is the one it was exported for:
    // the line is about that collection's money. Otherwise (no EndToEndId, or the adviser chose
    // another invoice) the store takes the invoice's current collection; a payment is its own.
    const exported =
      row.end_to_end_id !== null && decided.kind !== 'payment'
        ? await one<{ invoice_id: string }>(tem, 'select invoice_id from sepa_export_items where end_to_end_id = ? and office_id = ?', [
            row.end_to_end_id,
            principal.officeId,
          ])
        : undefined;
    const ours = exported?.invoice_id === invoice.id ? row.end_to_end_id : null;
    const bookingId = await insertBankBooking(tem, {
      key: row.booking_key,
      officeId: principal.officeId,
      invoiceId: invoice.id,
      kind: decided.kind,
      amountCents: Number(row.amount_cents),
      reasonCode: decided.kind === 'payment' ? null : (reasonCode ?? null),
      bookedOn: isoDate(row.booking_date) ?? todayInAmsterdam(new Date()),
      importId: imported.id,
      createdBy: principal.credentialId,
      source: row.kind === 'reject' ? 'pain002' : 'camt',
      reference: ours,
    });
    if (bookingId === undefined) throw new DomainError('conflict', 'bank-item-booked', `Item ${itemId} was booked meanwhile (booking key ${row.booking_key})`);
    if (ours !== null) await setExportItemBooking(tem, ours, decided.kind === 'reversal' ? 'returned' : 'rejected', bookingId);
    const matched = await markBankImportItemMatched(tem, { itemId: row.id, invoiceId: invoice.id, bookingId, matchedBy: principal.credentialId, note: body.note ?? null });
    if (!matched) throw new Error(`bank_import_items ${row.id} vanished while locked`);
    await refreshImportCounts(tem, imported.id);
    const b = await one<BookingRow>(tem, `select ${bookingColumns} from booking_lines where id = ?`, [bookingId]);
    return { item: matched, booking: b! };
  });
  const outcome = await deliverBookings(em, temporal, [booking]);
  if (outcome.failure !== undefined) {
    throw engineDown(
      `Item ${itemId} is matched and booking line ${booking.id} is stored, but the invoice's process was not told yet; POST /billing/deliveries delivers it later`,
      outcome.failure,
      { bookingId: booking.id },
    );
  }
  const after = await one<BookingRow>(em, `select ${bookingColumns} from booking_lines where id = ?`, [booking.id]);
  return { item: itemView(item), booking: bookingView(after ?? booking), delivered: true };
}

/** booked / unmatched counters and the unmatched list of the import, from its items. */
async function refreshImportCounts(tem: EntityManager, importId: string): Promise<void> {
  const items = await itemsOf(tem, importId);
  const booked = await one<{ n: string }>(tem, 'select count(*) as n from booking_lines where import_id = ?', [importId]);
  const unmatched = items
    .filter((i) => i.outcome === 'unmatched')
    .map((i) => ({
      itemId: i.id,
      statement: i.statement_index,
      entry: i.entry_index,
      transaction: i.transaction_index,
      kind: i.kind,
      creditDebit: i.credit_debit,
      amountCents: Number(i.amount_cents),
      bookingDate: isoDate(i.booking_date) ?? '',
      endToEndId: i.end_to_end_id,
      remittance: i.remittance,
      reason: i.reason ?? 'niet gematcht',
    }));
  await setBankImportOutcome(tem, importId, Number(booked?.n ?? 0), unmatched);
}
