/**
 * POST /billing/sepa-exports: the office's due direct-debit invoices into one pain.008.
 *
 * Everything happens in one transaction with the selected invoices locked (two exports at once
 * never collect an invoice twice): build the XML (a SEPA rule violation → 422, nothing stored),
 * store the export, mark the invoices (export, EndToEndId, sequence type) and the mandates whose
 * first collection this is. After the commit each invoice workflow gets `exported`; an invoice
 * that has none (an invoice run starts one only when needed) gets `collection_pending` in the
 * transaction, as its workflow would, and its workflow starts with the bank's booking.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import type { SequenceType } from '../../domain/billing/closed-lists.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { buildPain008, paymentInfoIdOf } from '../../integrations/sepa/pain008.js';
import { SepaError, type DirectDebitTransactionInput } from '../../integrations/sepa/types.js';
import type { SepaExportResult } from './schemas.js';
import type { Principal } from '../../domain/roles.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { isoDate, looksLikeUuid, one, rows } from '../../db/sql.js';
import { deliverExport } from './delivery.js';
import { requireCreditor } from './settings.js';
import { insertSepaExport, insertSepaExportItems, markInvoicesExported, markMandatesFirstCollected, markUnfollowedExported, type ContractRow, type InvoiceRow } from './store.js';
import { reasonOf } from './workflows.js';

/** A due invoice (i.*) with its contract's mandate (c.*); the query guarantees the mandate and IBAN. */
type DueRow = Pick<InvoiceRow, 'id' | 'number' | 'total_cents' | 'paid_cents' | 'recollections' | 'sequence_type'> &
  Pick<ContractRow, 'mandate_signed_on' | 'debtor_name' | 'mandate_first_collected'> & { contract_id: string; mandate_id: string; debtor_iban: string };

/** Characters allowed in SEPA identifiers; anything else in an invoice number becomes "-". */
const NOT_SEPA_ID = /[^A-Za-z0-9/\-?:().,'+]/g;

/**
 * `INV-<number>-<recollections>-<8 hex of the invoice id>`, at most 35. The invoice number is
 * unique per office only and `invoices.end_to_end_id` is unique over all offices: the id suffix
 * keeps two offices' "INV-2026-000001-0" apart. A re-collection gets a new id (the bank refuses
 * a reused one, and the return of the first must not match the second).
 */
export function endToEndIdOf(invoiceId: string, number: string, recollections: number): string {
  const suffix = `-${Number(recollections)}-${invoiceId.replace(/-/g, '').slice(0, 8)}`;
  const room = 35 - 'INV-'.length - suffix.length;
  return `INV-${number.replace(NOT_SEPA_ID, '-').slice(0, room)}${suffix}`;
}

/** GrpHdr/MsgId, at most 30 (rules.ts): `DF<yyyymmddhhmmss><6 hex>`. */
function messageIdOf(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `DF${stamp}${newId().replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}

interface Planned {
  tx: DirectDebitTransactionInput;
  invoiceId: string;
  number: string;
  contractId: string;
}

interface Plan {
  planned: Planned[];
  deferred: SepaExportResult['deferred'];
}

/**
 * FRST for a mandate never collected, else RCUR; a sequence type set by a re-collection wins.
 * Only ONE first collection per mandate per file: a second invoice of the same new mandate
 * waits for the next export (as RCUR), because Dutch banks return an RCUR that travels with or
 * before its FRST (AG02).
 */
function plan(due: DueRow[]): Plan {
  const planned: Planned[] = [];
  const deferred: SepaExportResult['deferred'] = [];
  const firstInFile = new Set<string>();
  for (const r of due) {
    const amountCents = Number(r.total_cents) - Number(r.paid_cents);
    if (amountCents <= 0) {
      deferred.push({ invoiceId: r.id, number: r.number, reason: 'niets meer te incasseren (al betaald)' });
      continue;
    }
    const sequenceType: SequenceType = r.sequence_type ?? (r.mandate_first_collected ? 'RCUR' : 'FRST');
    if (!r.mandate_first_collected && firstInFile.has(r.contract_id)) {
      deferred.push({ invoiceId: r.id, number: r.number, reason: `machtiging ${r.mandate_id} krijgt haar eerste incasso in dit bestand; deze factuur volgt in de volgende export` });
      continue;
    }
    if (sequenceType === 'FRST') firstInFile.add(r.contract_id);
    planned.push({
      invoiceId: r.id,
      number: r.number,
      contractId: r.contract_id,
      tx: {
        endToEndId: endToEndIdOf(r.id, r.number, r.recollections),
        amountCents,
        mandateId: r.mandate_id,
        mandateSignedOn: isoDate(r.mandate_signed_on) ?? '',
        sequenceType,
        debtor: { name: r.debtor_name ?? '', iban: r.debtor_iban },
        remittance: `Factuur ${r.number}`,
      },
    });
  }
  return { planned, deferred };
}

export async function createSepaExport(
  em: EntityManager,
  temporal: TemporalDeps,
  principal: Principal,
  collectionDate: string,
): Promise<SepaExportResult> {
  checkCollectionDate(collectionDate);
  const { officeId } = principal;
  const creditor = await requireCreditor(em, officeId);
  const exportId = newId();
  const now = new Date();

  const result = await em.transactional(async (tem): Promise<SepaExportResult> => {
    const due = await rows<DueRow>(
      tem,
      `select i.id, i.number, i.total_cents, i.paid_cents, i.recollections, i.sequence_type, i.contract_id,
              c.mandate_id, c.mandate_signed_on, c.debtor_iban, c.debtor_name, c.mandate_first_collected
       from invoices i join contracts c on c.id = i.contract_id
       where i.office_id = ? and i.payment_method = 'sepa' and i.export_id is null and i.status in ('open', 'sent')
         and c.mandate_flagged_reason is null and c.mandate_id is not null and c.debtor_iban is not null
         and i.invoice_date <= ?
       order by i.invoice_date, i.number
       for update of i`,
      [officeId, collectionDate],
    );
    const { planned, deferred } = plan(due);
    if (planned.length === 0) {
      throw new DomainError('conflict', 'nothing-to-collect', `No invoices to collect on ${collectionDate}: no open direct-debit invoice dated on or before it is waiting for an export`, {
        deferred,
      });
    }
    const messageId = messageIdOf(now);
    let xml: string;
    try {
      xml = buildPain008(
        {
          messageId,
          createdAt: now.toISOString(),
          creditor: { name: creditor.name, iban: creditor.iban, ...(creditor.bic ? { bic: creditor.bic } : {}), creditorId: creditor.creditorId },
          collectionDate,
          localInstrument: 'CORE',
          transactions: planned.map((p) => p.tx),
        },
        { version: '001.02' },
      );
    } catch (err) {
      if (err instanceof SepaError) {
        throw new DomainError('unprocessable', 'sepa-invalid', `The direct-debit file was not made: ${err.message}`, {
          sepaErrorType: err.type,
          problems: err.problems,
        });
      }
      throw err;
    }
    const totalCents = planned.reduce((sum, p) => sum + p.tx.amountCents, 0);
    await insertSepaExport(tem, {
      id: exportId,
      officeId,
      messageId,
      collectionDate,
      transactions: planned.length,
      totalCents,
      xml,
      createdBy: principal.credentialId,
    });
    // One statement per table instead of two per invoice (the row locks are held already).
    await markInvoicesExported(
      tem,
      exportId,
      planned.map((p) => ({ invoiceId: p.invoiceId, endToEndId: p.tx.endToEndId, sequenceType: p.tx.sequenceType })),
    );
    await markMandatesFirstCollected(tem, planned.filter((p) => p.tx.sequenceType === 'FRST').map((p) => p.contractId));
    // What the bank is asked, per collection: a batch credit (Btch/PmtInfId) is checked against it.
    await insertSepaExportItems(
      tem,
      officeId,
      exportId,
      planned.map((p) => ({
        endToEndId: p.tx.endToEndId,
        paymentInfoId: paymentInfoIdOf(messageId, p.tx.sequenceType),
        invoiceId: p.invoiceId,
        amountCents: p.tx.amountCents,
        sequenceType: p.tx.sequenceType,
      })),
    );
    // Invoices without a workflow (an invoice run's) get `collection_pending` here; the others from their workflow.
    await markUnfollowedExported(tem, exportId);
    return {
      id: exportId,
      messageId,
      collectionDate,
      transactions: planned.length,
      totalCents,
      xmlUrl: `/billing/sepa-exports/${exportId}/xml`,
      invoices: planned.map((p) => ({
        invoiceId: p.invoiceId,
        number: p.number,
        endToEndId: p.tx.endToEndId,
        sequenceType: p.tx.sequenceType,
        amountCents: p.tx.amountCents,
      })),
      deferred,
    };
  });

  const delivery = await deliverExport(em, temporal, exportId);
  if (delivery.failure !== undefined) {
    throw new DomainError('unavailable', 'workflow-unavailable',
      `SEPA export ${exportId} is stored (${result.xmlUrl}), but ${result.transactions - delivery.delivered} invoice process(es) were not told ` +
        `yet; POST /billing/deliveries tells them later (the process engine did not answer: ${reasonOf(delivery.failure)})`,
      { exportId, xmlUrl: result.xmlUrl },
    );
  }
  return result;
}

/** Must be a date from today on: a collection in the past is refused by the bank. */
function checkCollectionDate(collectionDate: string): void {
  const today = todayInAmsterdam(new Date());
  if (collectionDate < today) {
    throw new DomainError('invalid', 'invalid-collection-date', `collectionDate ${collectionDate} lies in the past (today is ${today})`, {
      errors: [{ path: '/body/collectionDate', message: `must be ${today} or later` }],
    });
  }
}

export async function getSepaExportXml(em: EntityManager, officeId: string, id: string): Promise<{ xml: string; messageId: string }> {
  const row = looksLikeUuid(id)
    ? await one<{ xml: string; message_id: string }>(em, 'select xml, message_id from sepa_exports where office_id = ? and id = ?', [officeId, id])
    : undefined;
  if (!row) throw refuse.notFound('SEPA export', id);
  return { xml: row.xml, messageId: row.message_id };
}
