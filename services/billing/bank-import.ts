/**
 * POST /billing/bank-imports: a camt.053 statement or camt.054 notification from the bank.
 *
 * ARCHITECTURE rule 4: parsed all-or-nothing (a bad file → 400, nothing stored), stored with
 * its booking lines in ONE transaction (unique per office on the file's sha256), then the
 * invoice workflows are told. Booking keys are `camt:<MsgId>:<entry>:<tx>`, so another file
 * carrying the same statement (different bytes) books nothing twice.
 *
 * Temporal down after the commit: 503, the import and its bookings stay. Sending the same file
 * again is a duplicate (200, the first result, nothing booked) that delivers the bookings still
 * owed; POST /billing/deliveries does the same for everything of the office.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { parseCamt } from '../../integrations/sepa/camt.js';
import { SepaError, SepaErrorType, type BankStatement } from '../../integrations/sepa/types.js';
import type { BankImportResult, UnmatchedItem } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError } from '../../domain/errors.js';
import { one, type Row } from '../../db/sql.js';
import { matchTransaction, unmatchedItem } from './bank-match.js';
import { deliverBookings, owedBookingsOfImport, type OwedBooking } from './delivery.js';
import { engineDown } from './workflows.js';

interface ImportRow extends Row {
  id: string;
  format: string;
  message_id: string;
  entries: number;
  booked: number;
  unmatched_items: UnmatchedItem[];
}

function parseOrProblem(xml: string): BankStatement {
  try {
    return parseCamt(xml);
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

function resultOf(r: ImportRow, duplicate: boolean): BankImportResult {
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

async function findImport(em: EntityManager, officeId: string, sha256: string): Promise<ImportRow | undefined> {
  return one<ImportRow>(
    em,
    'select id, format, message_id, entries, booked, unmatched_items from bank_imports where office_id = ? and sha256 = ?',
    [officeId, sha256],
  );
}

/** Books the statement: one transaction for the import row and every booking line. */
async function book(em: EntityManager, principal: Principal, sha256: string, xml: string, statement: BankStatement): Promise<ImportRow | undefined> {
  return em.transactional(async (tem) => {
    const importId = newId();
    const inserted = await one<{ id: string }>(
      tem,
      `insert into bank_imports (id, office_id, sha256, format, message_id, entries, booked, unmatched, unmatched_items, raw_xml, created_by)
       values (?, ?, ?, ?, ?, ?, 0, 0, '[]'::jsonb, ?, ?) on conflict (office_id, sha256) do nothing returning id`,
      [importId, principal.officeId, sha256, statement.format, statement.messageId, statement.entries.length, xml, principal.credentialId],
    );
    // The same file at the same moment from another request: that one books it.
    if (!inserted) return undefined;

    let booked = 0;
    const unmatched: UnmatchedItem[] = [];
    for (const [e, entry] of statement.entries.entries()) {
      if (entry.transactions.length === 0) {
        unmatched.push(unmatchedItem(entry, e, undefined, 0, 'an entry without transaction details'));
        continue;
      }
      for (const [t, tx] of entry.transactions.entries()) {
        const outcome = await matchTransaction(tem, principal.officeId, entry, tx);
        if ('unmatched' in outcome) {
          unmatched.push(unmatchedItem(entry, e, tx, t, outcome.unmatched));
          continue;
        }
        const m = outcome.matched;
        if (m.amountCents <= 0) {
          unmatched.push(unmatchedItem(entry, e, tx, t, 'no amount for this transaction'));
          continue;
        }
        const row = await one<{ id: string }>(
          tem,
          `insert into booking_lines (id, key, office_id, invoice_id, kind, amount_cents, reason_code, booked_on, source, import_id, created_by)
           values (?, ?, ?, ?, ?, ?, ?, ?, 'camt', ?, ?) on conflict (key) do nothing returning id`,
          [newId(), `camt:${statement.messageId}:${e}:${t}`, principal.officeId, m.invoiceId, m.kind, m.amountCents, m.reasonCode, entry.bookingDate, importId, principal.credentialId],
        );
        // No row: an earlier file carried the same statement; that import booked it.
        if (row) booked += 1;
      }
    }
    return one<ImportRow>(
      tem,
      `update bank_imports set booked = ?, unmatched = ?, unmatched_items = ?::jsonb where id = ?
       returning id, format, message_id, entries, booked, unmatched_items`,
      [booked, unmatched.length, JSON.stringify(unmatched), importId],
    );
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
  xml: string,
): Promise<{ result: BankImportResult; created: boolean }> {
  const sha256 = createHash('sha256').update(xml, 'utf8').digest('hex');
  const earlier = await findImport(em, principal.officeId, sha256);
  if (earlier) {
    await deliverOrExplain(em, temporal, earlier.id);
    return { result: resultOf(earlier, true), created: false };
  }
  const statement = parseOrProblem(xml);
  const stored = await book(em, principal, sha256, xml, statement);
  if (!stored) {
    const concurrent = await findImport(em, principal.officeId, sha256);
    if (!concurrent) throw new Error(`bank_imports: sha ${sha256} conflicted but no row was found`);
    return { result: resultOf(concurrent, true), created: false };
  }
  await deliverOrExplain(em, temporal, stored.id);
  return { result: resultOf(stored, false), created: true };
}
