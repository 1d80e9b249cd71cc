/**
 * POST /billing/bank-imports: a camt.053 statement or camt.054 notification from the bank.
 *
 * docs/ARCHITECTURE.md rule 4: parsed all-or-nothing (a bad file → 400, nothing stored), stored with
 * its booking lines in ONE transaction (unique per office on the file's sha256), then the
 * invoice workflows are told. Booking keys are `camt:<MsgId>:<entry>:<tx>`, so another file
 * carrying the same statement (different bytes) books nothing twice.
 *
 * Temporal down after the commit: 503, the import and its bookings stay. Sending the same file
 * again is a duplicate (200, the first result, nothing booked) that delivers the bookings still
 * owed; POST /billing/deliveries does the same for everything of the office.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { readCamtFileOffThread, type CamtFile } from '../../integrations/sepa/camt.js';
import type { XmlParsePool } from '../../integrations/xml/index.js';
import { readXmlOffThread, xmlText } from '../shared/xml-reader.js';
import { SepaError, SepaErrorType, type BankStatement } from '../../integrations/sepa/types.js';
import type { BankImportResult, UnmatchedItem } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError } from '../../domain/errors.js';
import { one } from '../../db/sql.js';
import { matchTransaction, unmatchedItem } from './bank-match.js';
import { deliverBookings, owedBookingsOfImport, type OwedBooking } from './delivery.js';
import { bankImportColumns, insertBankImportOnce, insertCamtBooking, setBankImportOutcome, type BankImportRow } from './store.js';
import { engineDown } from './workflows.js';


/** The camt file and its SHA-256, read in a thread of the XML pool (off the event loop). */
async function parseOrProblem(pool: XmlParsePool, body: string | Uint8Array): Promise<CamtFile> {
  try {
    return await readXmlOffThread(() => readCamtFileOffThread(pool, body));
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

/** Books the statement: one transaction for the import row and every booking line. */
async function book(em: EntityManager, principal: Principal, sha256: string, xml: string, statement: BankStatement): Promise<BankImportRow | undefined> {
  return em.transactional(async (tem) => {
    const importId = newId();
    const inserted = await insertBankImportOnce(tem, {
      id: importId,
      officeId: principal.officeId,
      sha256,
      format: statement.format,
      messageId: statement.messageId,
      entries: statement.entries.length,
      rawXml: xml,
      createdBy: principal.credentialId,
    });
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
        const isNew = await insertCamtBooking(tem, {
          key: `camt:${statement.messageId}:${e}:${t}`,
          officeId: principal.officeId,
          invoiceId: m.invoiceId,
          kind: m.kind,
          amountCents: m.amountCents,
          reasonCode: m.reasonCode,
          bookedOn: entry.bookingDate,
          importId,
          createdBy: principal.credentialId,
        });
        // Not inserted: an earlier file carried the same statement; that import booked it.
        if (isNew) booked += 1;
      }
    }
    return setBankImportOutcome(tem, importId, booked, unmatched);
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
  const { sha256, statement } = await parseOrProblem(xmlPool, body);
  const earlier = await findImport(em, principal.officeId, sha256);
  if (earlier) {
    await deliverOrExplain(em, temporal, earlier.id);
    return { result: resultOf(earlier, true), created: false };
  }
  const xml = xmlText(body);
  const stored = await book(em, principal, sha256, xml, statement);
  if (!stored) {
    const concurrent = await findImport(em, principal.officeId, sha256);
    if (!concurrent) throw new Error(`bank_imports: sha ${sha256} conflicted but no row was found`);
    return { result: resultOf(concurrent, true), created: false };
  }
  await deliverOrExplain(em, temporal, stored.id);
  return { result: resultOf(stored, false), created: true };
}
