/**
 * Which invoice a bank fact is about, and as what booking; every fact becomes one reconciliation
 * item (bank_import_items) that says what was booked, or why not.
 *
 * camt (statements and notifications, every Stmt/Ntfctn of the file):
 * - a batch credit (NtryDtls/Btch with PmtInfId or MsgId) is matched against the collections of
 *   that PmtInf as exported (sepa_export_items), count and total checked (domain/billing/
 *   bank-match.ts); its TxDtls, when present, are matched one by one on EndToEndId. Each
 *   collection of the batch is booked as a `collection` of its own amount; a mismatch parks the
 *   whole batch with the reason and books nothing;
 * - a credit with the EndToEndId of one of our collections → 'collection';
 * - a credit whose remittance text (or structured reference) names exactly one invoice number
 *   of the office → 'payment';
 * - a returned collection (a debit the camt reader flags as a return, alone or in a return
 *   batch with TxDtls) with the original EndToEndId → 'reversal' with the return reason;
 * - everything else is unmatched, with the reason, and booked by nobody; an adviser may match
 *   it by hand (bank-reconciliation.ts), which books exactly what an automatic match would.
 * Only booked entries (status BOOK) in EUR count: PDNG/INFO may still change at the bank.
 *
 * pain.002: a collection rejected before settlement → 'rejection' with its reason code (no
 * money moved; the invoice follows the same storno policy as after a return).
 *
 * Each collection is credited, returned and rejected at most once, whichever file says so
 * (a camt.054 and the day's camt.053 may carry the same entry): sepa_export_items keeps the
 * booking of each fact, and a second report of it is `already_booked`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { one, rows } from '../../db/sql.js';
import {
  checkBatchCredit,
  matchBatchDetails,
  rejectionsOf,
  type ExportedCollection,
  type Rejection,
} from '../../domain/billing/bank-match.js';
import type { BankItemKind, BookingKind } from '../../domain/billing/closed-lists.js';
import { MAX_AMOUNT_CENTS } from '../../domain/billing/money.js';
import type { BankBatch, BankEntry, BankStatement, BankTransaction, PaymentStatusReport } from '../../integrations/sepa/types.js';
import {
  insertBankBooking,
  sepaExportItemColumns,
  setExportItemBooking,
  type InvoiceRow,
  type NewBankImportItem,
  type SepaExportItemRow,
} from './store.js';

export interface MatchContext {
  officeId: string;
  importId: string;
  /** The file's GrpHdr/MsgId: booking keys are made from it. */
  messageId: string;
  createdBy: string;
}

export interface Reconciled {
  items: NewBankImportItem[];
  booked: number;
}

type InvoiceRef = Pick<InvoiceRow, 'id' | 'number' | 'total_cents' | 'paid_cents'>;

/** Booking key prefix of an entry: `camt:<MsgId>:<entry>` in the first statement (as before several statements were read), `camt:<MsgId>:<stmt>:<entry>` after. */
function entryKey(ctx: MatchContext, s: number, e: number): string {
  return s === 0 ? `camt:${ctx.messageId}:${e}` : `camt:${ctx.messageId}:${s}:${e}`;
}

async function exportItem(em: EntityManager, officeId: string, endToEndId: string): Promise<SepaExportItemRow | undefined> {
  return one<SepaExportItemRow>(em, `select ${sepaExportItemColumns} from sepa_export_items where office_id = ? and end_to_end_id = ? for update`, [
    officeId,
    endToEndId,
  ]);
}

async function invoiceByEndToEnd(em: EntityManager, officeId: string, endToEndId: string): Promise<InvoiceRef | undefined> {
  return one<InvoiceRef>(em, 'select id, number, total_cents, paid_cents from invoices where office_id = ? and end_to_end_id = ?', [officeId, endToEndId]);
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
async function amountOf(em: EntityManager, tx: BankTransaction, invoice: InvoiceRef, kind: BookingKind): Promise<number> {
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

function baseItem(s: number, e: number, t: number, entry: BankEntry, kind: BankItemKind): NewBankImportItem {
  return {
    id: newId(),
    statementIndex: s,
    entryIndex: e,
    transactionIndex: t,
    kind,
    outcome: 'unmatched',
    creditDebit: entry.creditDebit,
    amountCents: entry.amountCents,
    bookingDate: entry.bookingDate,
    endToEndId: null,
    paymentInfoId: null,
    batchMessageId: null,
    transactions: null,
    remittance: null,
    reasonCode: null,
    reason: null,
    matchable: false,
    bookingKey: null,
    invoiceIds: [],
    bookingIds: [],
  };
}

function transactionItem(s: number, e: number, t: number, entry: BankEntry, tx: BankTransaction | undefined, ctx: MatchContext): NewBankImportItem {
  const kind: BankItemKind = entry.creditDebit === 'CRDT' ? 'credit' : entry.isReturn ? 'return' : 'debit';
  const item = baseItem(s, e, t, entry, kind);
  item.amountCents = tx?.amountCents ?? entry.amountCents;
  item.endToEndId = tx?.endToEndId ?? null;
  item.paymentInfoId = tx?.paymentInfoId ?? null;
  item.remittance = tx?.remittance ?? tx?.creditorReference ?? null;
  item.reasonCode = tx?.returnReason?.toUpperCase() ?? null;
  item.bookingKey = `${entryKey(ctx, s, e)}:${t}`;
  return item;
}

/** Books one line and notes it on the item; false when the key was booked by an earlier file. */
async function book(
  tem: EntityManager,
  ctx: MatchContext,
  item: NewBankImportItem,
  b: {
    key: string;
    invoiceId: string;
    kind: BookingKind;
    amountCents: number;
    reasonCode: string | null;
    bookedOn: string;
    source?: 'camt' | 'pain002';
    /** The EndToEndId of the collection credited, returned or rejected: the money the line is about (the invoice's ledger counts it once). */
    reference?: string;
  },
): Promise<string | undefined> {
  const id = await insertBankBooking(tem, {
    key: b.key,
    officeId: ctx.officeId,
    invoiceId: b.invoiceId,
    kind: b.kind,
    amountCents: b.amountCents,
    reasonCode: b.reasonCode,
    bookedOn: b.bookedOn,
    importId: ctx.importId,
    createdBy: ctx.createdBy,
    source: b.source ?? 'camt',
    reference: b.reference ?? null,
  });
  if (!item.invoiceIds.includes(b.invoiceId)) item.invoiceIds.push(b.invoiceId);
  if (id !== undefined) item.bookingIds.push(id);
  return id;
}

/** Why an entry is not booked at all, whatever it holds. */
function entryRefusal(entry: BankEntry): string | undefined {
  if (entry.status !== 'BOOK') return `boekingsstatus ${entry.status}: nog niet door de bank geboekt`;
  if (entry.currency !== 'EUR') return `valuta ${entry.currency}: alleen EUR wordt geboekt`;
  return undefined;
}

// ------------------------------------------------------------------ camt

export async function reconcileStatements(tem: EntityManager, ctx: MatchContext, statements: readonly BankStatement[]): Promise<Reconciled> {
  const out: Reconciled = { items: [], booked: 0 };
  for (const [s, statement] of statements.entries()) {
    for (const [e, entry] of statement.entries.entries()) {
      const refusal = entryRefusal(entry);
      const batches = (entry.batches ?? []).filter((b) => b.paymentInfoId !== undefined || b.messageId !== undefined);
      if (refusal === undefined && entry.creditDebit === 'CRDT' && !entry.reversal && batches.length > 0) {
        for (const batch of batches) await reconcileBatch(tem, ctx, out, s, e, entry, batch);
        // TxDtls outside the batches (rare) are matched one by one below.
        const inBatch = new Set(batches.flatMap((b) => Array.from({ length: b.transactionCount }, (_, i) => b.firstTransaction + i)));
        for (const [t, tx] of entry.transactions.entries()) if (!inBatch.has(t)) await reconcileTransaction(tem, ctx, out, s, e, t, entry, tx);
        continue;
      }
      if (entry.transactions.length === 0) {
        const item = transactionItem(s, e, 0, entry, undefined, ctx);
        if (entry.creditDebit === 'DBIT' && entry.isReturn) {
          item.reason = refusal ?? (entry.batches?.length ? 'een terugboekingsbatch zonder transactiedetails: welke incasso\'s terugkwamen staat er niet in' : 'een terugboeking zonder transactiedetails');
        } else {
          item.reason = refusal ?? 'een post zonder transactiedetails';
          item.matchable = refusal === undefined && entry.creditDebit === 'CRDT' && !entry.reversal;
        }
        out.items.push(item);
        continue;
      }
      for (const [t, tx] of entry.transactions.entries()) await reconcileTransaction(tem, ctx, out, s, e, t, entry, tx);
    }
  }
  return out;
}

async function reconcileTransaction(
  tem: EntityManager,
  ctx: MatchContext,
  out: Reconciled,
  s: number,
  e: number,
  t: number,
  entry: BankEntry,
  tx: BankTransaction,
): Promise<void> {
  const item = transactionItem(s, e, t, entry, tx, ctx);
  out.items.push(item);
  const refusal = entryRefusal(entry);
  if (refusal !== undefined) {
    item.reason = refusal;
    return;
  }
  if (item.amountCents > MAX_AMOUNT_CENTS) {
    // No invoice can owe it (the SEPA maximum of one transaction, the database's range of a booking).
    item.reason = `€ ${(item.amountCents / 100).toFixed(2)} is meer dan één transactie kan zijn (ten hoogste € 999999999.99): niets geboekt; vraag het de bank`;
    return;
  }
  const key = item.bookingKey!;
  if (entry.creditDebit === 'DBIT') {
    if (!entry.isReturn) {
      item.reason = 'een afschrijving die geen terugboeking van een van onze incasso\'s is';
      return;
    }
    item.matchable = true;
    if (tx.endToEndId === undefined) {
      item.reason = 'een terugboeking zonder de oorspronkelijke EndToEndId';
      return;
    }
    const reasonCode = tx.returnReason?.toUpperCase() ?? null;
    const exported = await exportItem(tem, ctx.officeId, tx.endToEndId);
    if (exported) {
      if (exported.returned_booking_id !== null) return alreadyBooked(item, exported.invoice_id, 'deze terugboeking is al uit een eerder bestand geboekt');
      if (exported.rejected_booking_id !== null) {
        item.reason = `een terugboeking van EndToEndId ${tx.endToEndId}, die de bank vóór verrekening weigerde (pain.002): niets geboekt; vraag het de bank`;
        return;
      }
      const amountCents = tx.amountCents ?? Number(exported.amount_cents);
      const id = await book(tem, ctx, item, { key, invoiceId: exported.invoice_id, kind: 'reversal', amountCents, reasonCode, bookedOn: entry.bookingDate, reference: tx.endToEndId });
      settle(out, item, id);
      if (id !== undefined) await setExportItemBooking(tem, tx.endToEndId, 'returned', id);
      return;
    }
    const invoice = await invoiceByEndToEnd(tem, ctx.officeId, tx.endToEndId);
    if (!invoice) {
      item.reason = `een terugboeking van EndToEndId ${tx.endToEndId}, die geen incasso van dit kantoor is`;
      return;
    }
    const amountCents = await amountOf(tem, tx, invoice, 'reversal');
    settle(out, item, await book(tem, ctx, item, { key, invoiceId: invoice.id, kind: 'reversal', amountCents, reasonCode, bookedOn: entry.bookingDate, reference: tx.endToEndId }));
    return;
  }

  if (entry.reversal) {
    item.reason = 'een bijschrijving die een eerdere afschrijving van de bank terugdraait; boek haar met de hand als zij een factuur betreft';
    item.matchable = true;
    return;
  }
  item.matchable = true;
  if (tx.endToEndId !== undefined) {
    const exported = await exportItem(tem, ctx.officeId, tx.endToEndId);
    if (exported) {
      if (exported.credited_booking_id !== null) return alreadyBooked(item, exported.invoice_id, 'deze incasso is al in een eerder bestand bijgeschreven');
      if (exported.rejected_booking_id !== null) {
        item.reason = `een bijschrijving van EndToEndId ${tx.endToEndId}, die de bank vóór verrekening weigerde (pain.002): niets geboekt; vraag het de bank`;
        return;
      }
      const amountCents = tx.amountCents ?? Number(exported.amount_cents);
      const id = await book(tem, ctx, item, { key, invoiceId: exported.invoice_id, kind: 'collection', amountCents, reasonCode: null, bookedOn: entry.bookingDate, reference: tx.endToEndId });
      settle(out, item, id);
      if (id !== undefined) await setExportItemBooking(tem, tx.endToEndId, 'credited', id);
      return;
    }
    const invoice = await invoiceByEndToEnd(tem, ctx.officeId, tx.endToEndId);
    if (invoice) {
      const amountCents = await amountOf(tem, tx, invoice, 'collection');
      if (amountCents <= 0) {
        item.reason = 'geen bedrag bij deze transactie';
        return;
      }
      settle(out, item, await book(tem, ctx, item, { key, invoiceId: invoice.id, kind: 'collection', amountCents, reasonCode: null, bookedOn: entry.bookingDate, reference: tx.endToEndId }));
      return;
    }
  }
  const text = [tx.remittance, tx.creditorReference].filter((x): x is string => x !== undefined).join(' ');
  if (text.trim() === '') {
    item.reason = tx.endToEndId ? `geen factuur met EndToEndId ${tx.endToEndId}, en geen omschrijving` : 'geen EndToEndId en geen omschrijving';
    return;
  }
  const named = await invoicesNamedIn(tem, ctx.officeId, text);
  if (named.length > 1) {
    item.reason = `de omschrijving noemt meer facturen (${named.map((n) => n.number).join(', ')}); boek met de hand`;
    return;
  }
  const invoice = named[0];
  if (!invoice) {
    item.reason = 'geen factuurnummer van dit kantoor in de omschrijving';
    return;
  }
  const amountCents = await amountOf(tem, tx, invoice, 'payment');
  if (amountCents <= 0) {
    item.reason = 'geen bedrag bij deze transactie';
    return;
  }
  settle(out, item, await book(tem, ctx, item, { key, invoiceId: invoice.id, kind: 'payment', amountCents, reasonCode: null, bookedOn: entry.bookingDate }));
}

function alreadyBooked(item: NewBankImportItem, invoiceId: string, reason: string): void {
  item.outcome = 'already_booked';
  item.matchable = false;
  item.reason = reason;
  if (!item.invoiceIds.includes(invoiceId)) item.invoiceIds.push(invoiceId);
}

/** The item's outcome after its booking: booked, or booked already under the same key (the same statement in another file). */
function settle(out: Reconciled, item: NewBankImportItem, bookingId: string | undefined): void {
  item.matchable = false;
  if (bookingId !== undefined) {
    item.outcome = 'booked';
    out.booked += 1;
  } else {
    item.outcome = 'already_booked';
    item.reason = 'dit afschrift is al uit een eerder bestand geboekt';
  }
}

/** The collections of the batch as exported: by PmtInfId, else (MsgId only) the whole pain.008. */
async function batchMembers(tem: EntityManager, officeId: string, batch: BankBatch): Promise<SepaExportItemRow[]> {
  if (batch.paymentInfoId !== undefined) {
    return rows<SepaExportItemRow>(
      tem,
      `select ${sepaExportItemColumns} from sepa_export_items where office_id = ? and payment_info_id = ? order by end_to_end_id for update`,
      [officeId, batch.paymentInfoId],
    );
  }
  return rows<SepaExportItemRow>(
    tem,
    `select ${sepaExportItemColumns} from sepa_export_items
      where office_id = ? and export_id = (select id from sepa_exports where office_id = ? and message_id = ?) order by end_to_end_id for update`,
    [officeId, officeId, batch.messageId],
  );
}

async function reconcileBatch(tem: EntityManager, ctx: MatchContext, out: Reconciled, s: number, e: number, entry: BankEntry, batch: BankBatch): Promise<void> {
  // Transaction index -1 for the (usual) one batch of an entry, -2, -3 ... for further ones.
  const item = baseItem(s, e, -1 - (entry.batches ?? []).indexOf(batch), entry, 'batch');
  item.paymentInfoId = batch.paymentInfoId ?? null;
  item.batchMessageId = batch.messageId ?? null;
  item.transactions = batch.numberOfTransactions ?? (batch.transactionCount > 0 ? batch.transactionCount : null);
  const totalCents = batch.totalCents ?? ((entry.batches ?? []).length === 1 ? entry.amountCents : undefined);
  item.amountCents = totalCents ?? entry.amountCents;
  out.items.push(item);
  const name = batch.paymentInfoId ?? `MsgId ${batch.messageId}`;
  if (totalCents === undefined) {
    item.reason = `batch ${name} heeft geen TtlAmt en deelt de post met andere batches: het bedrag is onbekend`;
    return;
  }
  const rowsOf = await batchMembers(tem, ctx.officeId, batch);
  const members: ExportedCollection[] = rowsOf.map((r) => ({ endToEndId: r.end_to_end_id, amountCents: Number(r.amount_cents), rejected: r.rejected_booking_id !== null }));
  const reported = { name, totalCents, ...(batch.numberOfTransactions !== undefined ? { numberOfTransactions: batch.numberOfTransactions } : {}) };
  const byId = new Map(rowsOf.map((r) => [r.end_to_end_id, r]));
  const keyOf = (endToEndId: string) => `${entryKey(ctx, s, e)}:${endToEndId}`;

  let toBook: { row: SepaExportItemRow; amountCents: number }[];
  const listed = entry.transactions.slice(batch.firstTransaction, batch.firstTransaction + batch.transactionCount);
  const details = members.length > 0 && listed.length > 0 ? matchBatchDetails(members, listed, reported) : ({ ok: 'batch' } as const);
  if (details.ok === false) {
    item.reason = details.reason;
    return;
  }
  if (details.ok === true) {
    const listedTotal = details.booked.reduce((sum, b) => sum + b.amountCents, 0);
    if (listedTotal !== totalCents) {
      item.reason = `batch ${name}: de TxDtls tellen op tot € ${(listedTotal / 100).toFixed(2)}, het totaal is € ${(totalCents / 100).toFixed(2)}: niets geboekt`;
      return;
    }
    toBook = details.booked.map((b) => ({ row: byId.get(b.collection.endToEndId)!, amountCents: b.amountCents }));
  } else {
    const check = checkBatchCredit(members, reported);
    if (!check.ok) {
      item.reason = check.reason;
      return;
    }
    toBook = check.credited.map((c) => ({ row: byId.get(c.endToEndId)!, amountCents: c.amountCents }));
  }

  let booked = 0;
  for (const { row, amountCents } of toBook) {
    if (row.credited_booking_id !== null) {
      if (!item.invoiceIds.includes(row.invoice_id)) item.invoiceIds.push(row.invoice_id);
      continue;
    }
    const id = await book(tem, ctx, item, {
      key: keyOf(row.end_to_end_id),
      invoiceId: row.invoice_id,
      kind: 'collection',
      amountCents,
      reasonCode: null,
      bookedOn: entry.bookingDate,
      reference: row.end_to_end_id,
    });
    if (id !== undefined) {
      await setExportItemBooking(tem, row.end_to_end_id, 'credited', id);
      booked += 1;
    }
  }
  out.booked += booked;
  item.outcome = booked > 0 ? 'booked' : 'already_booked';
  if (booked === 0) item.reason = 'elke incasso van deze batch is al in een eerder bestand bijgeschreven';
  else if (booked < toBook.length) item.reason = `${toBook.length - booked} van de ${toBook.length} incasso's zijn al in een eerder bestand bijgeschreven`;
}

// ------------------------------------------------------------------ pain.002

/**
 * The rejects of a status report: each collection rejected once, with the most specific reason
 * (domain rejectionsOf). `entries` of the import count the collections the report names as rejected.
 */
export async function reconcileStatusReport(tem: EntityManager, ctx: MatchContext, report: PaymentStatusReport, exportId: string): Promise<Reconciled> {
  const out: Reconciled = { items: [], booked: 0 };
  const all = await rows<SepaExportItemRow>(tem, `select ${sepaExportItemColumns} from sepa_export_items where export_id = ? order by end_to_end_id for update`, [exportId]);
  const byId = new Map(all.map((r) => [r.end_to_end_id, r]));
  const done = new Set<string>();
  const reportedDate = report.createdAt.slice(0, 10);
  let position = 0;
  const affected = (r: Rejection): { endToEndId: string; row: SepaExportItemRow | undefined; paymentInfoId: string | null }[] => {
    if (r.scope === 'transaction') return [{ endToEndId: r.endToEndId, row: byId.get(r.endToEndId), paymentInfoId: r.paymentInfoId }];
    const rowsOf = r.scope === 'payment-info' ? all.filter((x) => x.payment_info_id === r.paymentInfoId) : all;
    if (rowsOf.length === 0 && r.scope === 'payment-info') return [{ endToEndId: '', row: undefined, paymentInfoId: r.paymentInfoId }];
    return rowsOf.map((x) => ({ endToEndId: x.end_to_end_id, row: x, paymentInfoId: x.payment_info_id }));
  };
  for (const rejection of rejectionsOf(report)) {
    for (const { endToEndId, row, paymentInfoId } of affected(rejection)) {
      if (endToEndId !== '' && done.has(endToEndId)) continue;
      done.add(endToEndId);
      const item: NewBankImportItem = {
        ...baseItem(0, position++, -1, { creditDebit: 'DBIT', amountCents: 0, bookingDate: reportedDate } as BankEntry, 'reject'),
        endToEndId: endToEndId === '' ? null : endToEndId,
        paymentInfoId,
        batchMessageId: report.originalMessageId,
        reasonCode: rejection.reasonCode,
        bookingKey: `pain002:${ctx.messageId}:${endToEndId || paymentInfoId}`,
      };
      out.items.push(item);
      if (!row) {
        item.reason =
          endToEndId === ''
            ? `PmtInf ${paymentInfoId} is not in direct-debit file ${report.originalMessageId}`
            : `a reject of EndToEndId ${endToEndId}, which is not in direct-debit file ${report.originalMessageId}`;
        item.matchable = endToEndId !== '';
        continue;
      }
      item.amountCents = Number(row.amount_cents);
      if (row.rejected_booking_id !== null) {
        alreadyBooked(item, row.invoice_id, 'deze weigering is al uit een eerder rapport geboekt');
        continue;
      }
      if (row.credited_booking_id !== null || row.returned_booking_id !== null) {
        item.reason = `vóór verrekening geweigerd, maar de bank heeft deze incasso al ${row.credited_booking_id !== null ? 'bijgeschreven' : 'teruggeboekt'}: niets geboekt; vraag het de bank`;
        continue;
      }
      const id = await book(tem, ctx, item, {
        key: item.bookingKey!,
        invoiceId: row.invoice_id,
        kind: 'rejection',
        amountCents: Number(row.amount_cents),
        reasonCode: rejection.reasonCode,
        bookedOn: reportedDate,
        source: 'pain002',
        reference: endToEndId,
      });
      settle(out, item, id);
      if (id !== undefined) await setExportItemBooking(tem, endToEndId, 'rejected', id);
    }
  }
  return out;
}
