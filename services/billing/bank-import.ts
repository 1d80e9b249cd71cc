/**
 * POST /billing/bank-imports: a camt.053 statement or camt.054 notification (one or several
 * Stmt/Ntfctn; .001.02 or .001.08), or a pain.002 status report with rejects before settlement.
 *
 * docs/ARCHITECTURE.md rule 4: parsed all-or-nothing (a bad file → 400, nothing stored); the
 * statements' account must be the office's creditor account (Acct/Id/IBAN), and a pain.002 must
 * report on one of the office's own direct-debit files: otherwise the whole file is refused
 * (422) with the reason and nothing is stored. Then it is stored with its booking lines and its
 * reconciliation (bank_import_items: what matched, what not and why) in ONE transaction (unique
 * per office on the file's sha256), then the invoice workflows are told. Booking keys are
 * `camt:<MsgId>:<entry>:<tx>` (and `pain002:<MsgId>:<EndToEndId>`), and each collection is
 * credited, returned and rejected once (sepa_export_items), so another file carrying the same
 * facts (different bytes, or the camt.053 after the camt.054) books nothing twice.
 *
 * Temporal down after the commit: 503, the import and its bookings stay. Sending the same file
 * again is a duplicate (200, the first result, nothing booked) that delivers the bookings still
 * owed; POST /billing/deliveries does the same for everything of the office.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { normalizeIban } from '../../domain/iban.js';
import { readBankFileOffThread, type BankFile, type ReadBankFile } from '../../integrations/sepa/bank-file.js';
import { SepaError, SepaErrorType, type PaymentStatusReport } from '../../integrations/sepa/types.js';
import type { XmlParsePool } from '../../integrations/xml/index.js';
import { readXmlOffThread, xmlText } from '../shared/xml-reader.js';
import type { BankImportResult, UnmatchedItem } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError } from '../../domain/errors.js';
import { one } from '../../db/sql.js';
import { reconcileStatements, reconcileStatusReport, type MatchContext, type Reconciled } from './bank-match.js';
import { deliverBookings, owedBookingsOfImport, type OwedBooking } from './delivery.js';
import { requireCreditor } from './settings.js';
import {
  bankImportColumns,
  insertBankImportItems,
  insertBankImportOnce,
  setBankImportOutcome,
  type BankImportRow,
  type NewBankImportItem,
} from './store.js';
import { engineDown } from './workflows.js';
import { confirmPayoutsFromStatements } from '../ledger/payouts.js';

/** The bank file and its SHA-256, read in a thread of the XML pool (off the event loop). */
async function parseOrProblem(pool: XmlParsePool, body: string | Uint8Array): Promise<ReadBankFile> {
  try {
    return await readXmlOffThread(() => readBankFileOffThread(pool, body));
  } catch (err) {
    if (err instanceof SepaError) {
      const kind = err.type === SepaErrorType.TooLarge ? 'too-large' : 'invalid';
      throw new DomainError(kind, 'camt-invalid', `The bank file was not imported: ${err.message}`, {
        sepaErrorType: err.type,
        ...(err.path !== undefined ? { element: err.path } : {}),
      });
    }
    throw err;
  }
}

/** Every statement must be of the office's creditor account; else nothing of the file is ours to book. */
async function checkAccount(em: EntityManager, officeId: string, file: BankFile): Promise<void> {
  const creditor = await requireCreditor(em, officeId);
  const own = normalizeIban(creditor.iban);
  const refuse = (detail: string, extra: Record<string, unknown>) =>
    new DomainError('unprocessable', 'bank-file-wrong-account', `The bank file was not imported: ${detail}; nothing was booked`, { creditorIban: own, ...extra });
  if (file.kind === 'camt') {
    for (const [s, statement] of file.statements.entries()) {
      const where = file.statements.length > 1 ? `statement ${s + 1} (${statement.statementId ?? 'no Id'})` : 'the statement';
      if (statement.accountIban === undefined) {
        throw refuse(`${where} names its account by Othr/Id ${JSON.stringify(statement.accountOtherId ?? '')}, not by IBAN; only statements of the office's creditor account ${own} are imported`, { statement: s });
      }
      if (statement.accountIban !== own) {
        throw refuse(`${where} is of account ${statement.accountIban}, not of the office's creditor account ${own}`, { statement: s, accountIban: statement.accountIban });
      }
    }
    return;
  }
  const foreign = file.report.paymentInfos.flatMap((pi) => pi.transactions).find((t) => t.creditorIban !== undefined && t.creditorIban !== own);
  if (foreign) throw refuse(`the status report names creditor account ${foreign.creditorIban}, not the office's creditor account ${own}`, { accountIban: foreign.creditorIban });
}

/** The office's direct-debit file a pain.002 reports on; refused when it is not one of them. */
async function exportOf(em: EntityManager, officeId: string, report: PaymentStatusReport): Promise<string> {
  const found = await one<{ id: string }>(em, 'select id from sepa_exports where office_id = ? and message_id = ?', [officeId, report.originalMessageId]);
  if (!found) {
    throw new DomainError(
      'unprocessable',
      'bank-file-unknown-original',
      `The status report was not imported: it reports on direct-debit file ${report.originalMessageId}, which is not one of this office's SEPA exports; nothing was booked`,
      { originalMessageId: report.originalMessageId },
    );
  }
  return found.id;
}

export function unmatchedOf(items: readonly NewBankImportItem[]): UnmatchedItem[] {
  return items
    .filter((i) => i.outcome === 'unmatched')
    .map((i) => ({
      itemId: i.id,
      statement: i.statementIndex,
      entry: i.entryIndex,
      transaction: i.transactionIndex,
      kind: i.kind,
      creditDebit: i.creditDebit,
      amountCents: i.amountCents,
      bookingDate: i.bookingDate ?? '',
      endToEndId: i.endToEndId,
      remittance: i.remittance,
      reason: i.reason ?? 'niet gematcht',
    }));
}

function resultOf(r: BankImportRow, duplicate: boolean): BankImportResult {
  return {
    id: r.id,
    format: r.format,
    messageId: r.message_id,
    entries: Number(r.entries),
    booked: Number(r.booked),
    unmatched: r.unmatched_items,
    duplicate,
  };
}

async function findImport(em: EntityManager, officeId: string, sha256: string): Promise<BankImportRow | undefined> {
  return one<BankImportRow>(
    em,
    `select ${bankImportColumns} from bank_imports where office_id = ? and sha256 = ?`,
    [officeId, sha256],
  );
}

/** Books the file: one transaction for the import row, every booking line and the reconciliation. */
async function book(em: EntityManager, principal: Principal, sha256: string, xml: string, file: BankFile): Promise<BankImportRow | undefined> {
  const exportId = file.kind === 'pain.002' ? await exportOf(em, principal.officeId, file.report) : undefined;
  return em.transactional(async (tem) => {
    const importId = newId();
    const format = file.kind === 'camt' ? (file.statements[0]?.format ?? 'camt.053') : 'pain.002';
    const messageId = file.kind === 'camt' ? (file.statements[0]?.messageId ?? '') : file.report.messageId;
    const entries =
      file.kind === 'camt'
        ? file.statements.reduce((n, st) => n + st.entries.length, 0)
        : file.report.paymentInfos.reduce((n, pi) => n + Math.max(pi.transactions.length, 1), 0) || 1;
    const inserted = await insertBankImportOnce(tem, {
      id: importId,
      officeId: principal.officeId,
      sha256,
      format,
      messageId,
      entries,
      rawXml: xml,
      createdBy: principal.credentialId,
    });
    // The same file at the same moment from another request: that one books it.
    if (!inserted) return undefined;
    const ctx: MatchContext = { officeId: principal.officeId, importId, messageId, createdBy: principal.credentialId };
    const done: Reconciled =
      file.kind === 'camt' ? await reconcileStatements(tem, ctx, file.statements) : await reconcileStatusReport(tem, ctx, file.report, exportId!);
    await insertBankImportItems(tem, importId, principal.officeId, done.items);
    return setBankImportOutcome(tem, importId, done.booked, unmatchedOf(done.items));
  });
}

async function deliverOrExplain(em: EntityManager, temporal: TemporalDeps, importId: string): Promise<void> {
  const owed: OwedBooking[] = await owedBookingsOfImport(em, importId);
  const outcome = await deliverBookings(em, temporal, owed);
  if (outcome.failure !== undefined) {
    throw engineDown(
      `Bank import ${importId} is stored with its bookings, but ${owed.length - outcome.delivered} invoice process(es) were not told yet; ` +
        'send the same file again (or POST /billing/deliveries) to tell them',
      outcome.failure,
      { importId },
    );
  }
}

export async function importBankFile(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  body: string | Uint8Array,
  xmlPool: XmlParsePool,
): Promise<{ result: BankImportResult; created: boolean }> {
  // Read (and hashed) first, in the pool: a body is only looked at on the event loop once it
  // is a bank file. The same file again is read again and answers the first result.
  const { sha256, file } = await parseOrProblem(xmlPool, body);
  const earlier = await findImport(em, principal.officeId, sha256);
  if (earlier) {
    // Told again: a signal the pay-out already had changes nothing.
    if (file.kind === 'camt') await confirmPayoutsFromStatements(em, temporal, principal.officeId, file.statements);
    await deliverOrExplain(em, temporal, earlier.id);
    return { result: resultOf(earlier, true), created: false };
  }
  const xml = xmlText(body);
  await checkAccount(em, principal.officeId, file);
  const stored = await book(em, principal, sha256, xml, file);
  if (!stored) {
    const concurrent = await findImport(em, principal.officeId, sha256);
    if (!concurrent) throw new Error(`bank_imports: sha ${sha256} conflicted but no row was found`);
    return { result: resultOf(concurrent, true), created: false };
  }
  // A central organisation's own transfers (RC pay-outs, issue 21) are confirmed by the same statement.
  if (file.kind === 'camt') await confirmPayoutsFromStatements(em, temporal, principal.officeId, file.statements);
  await deliverOrExplain(em, temporal, stored.id);
  return { result: resultOf(stored, false), created: true };
}
