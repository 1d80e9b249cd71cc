/**
 * What follows a storno (a returned direct debit), as the office's storno policy decided in
 * the invoice workflow: a re-collection (*herincasso*) in the next SEPA export, or a flagged
 * mandate (no more direct debits on it) with a task for the adviser. The storno reminder mail
 * is a reminder action (reminder-actions.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FlagMandateInput, ScheduleRecollectionInput } from '../../domain/billing/side-effects.js';
import { invoiceTask, loadInvoice, type BillingDeps } from './invoice-documents.js';
import { flagContractMandate, queueRecollection } from './store.js';

/** Out of the last export, with a fresh EndToEndId next time; only the first call per re-collection counts. */
export async function scheduleRecollection(em: EntityManager, input: ScheduleRecollectionInput): Promise<void> {
  await queueRecollection(em, input.invoiceId, input.recollection, input.sequenceType);
}

/** Flags the contract's mandate (the first reason stays) and gives the back office a task: no retry on this mandate. */
export async function flagMandate(em: EntityManager, deps: Pick<BillingDeps, 'now'>, input: FlagMandateInput): Promise<void> {
  const inv = await loadInvoice(em, input.invoiceId);
  if (inv.contract_id) await flagContractMandate(em, inv.contract_id, `storno ${input.reasonCode} op factuur ${inv.number}`);
  await invoiceTask(
    em,
    deps,
    inv,
    input.key,
    `Machtiging controleren: incasso van factuur ${inv.number} gestorneerd (${input.reasonCode}), niet opnieuw incasseren`,
    null,
  );
}
