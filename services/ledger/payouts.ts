/**
 * Pay-outs (*uitbetalingen*) of a participant's positive RC balance (issue 21): requested by the
 * central organisation (the amount is the balance at the end of the chosen period), approved
 * through the workflow `payout:<id>`, paid by a pain.001 credit transfer, and booked when the
 * bank statement shows the transfer. The booking is the mirror booking (*spiegelboeking*) of
 * seed 000: RC → intermediate account on approval, intermediate account → bank on the
 * statement; no revenue is booked at the pay-out.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, refuse } from '../../domain/errors.js';
import { payoutEndToEndId, payoutMessageId, payoutPeriodText, payoutProblem, statementVerdict, type PayoutStatus } from '../../domain/ledger/payouts.js';
import { payoutEntry, payoutSettledEntry } from '../../domain/ledger/postings.js';
import { PayoutRefusal, type ApprovePayoutInput, type CreatePayoutFileInput, type SettlePayoutInput } from '../../domain/ledger/side-effects.js';
import type { OverviewPeriod } from '../../domain/ledger/periods.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { newId } from '../../db/ids.js';
import { one } from '../../db/sql.js';
import { buildPain001, type BankStatement } from '../../integrations/sepa/index.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { approvePayoutUpdate, cancelPayoutUpdate, payoutBookedSignal } from '../../workflows/ledger/payout.messages.js';
import type { payoutWorkflow } from '../../workflows/ledger/payout.workflow.js';
import { participantOverview } from './overview.js';
import { postEntry } from './posting.js';
import {
  advancePayout,
  deleteRequestedPayout,
  insertPayout,
  organisationOf,
  participantOf,
  payoutById,
  payoutsByEndToEnd,
  payoutsOfCentral,
  type PayoutRow,
} from './store.js';

const DEADLINE_MS = 10_000;

export interface PayoutView {
  id: string;
  participantOfficeId: string;
  amountCents: number;
  status: PayoutStatus;
  year: number;
  period: string;
  endToEndId: string;
  settledOn: string | null;
  hasFile: boolean;
  /** When it was requested (*aangevraagd op*). */
  requestedAt: string;
}

function view(r: PayoutRow): PayoutView {
  return {
    id: r.id,
    participantOfficeId: r.participant_office_id,
    amountCents: Number(r.amount_cents),
    status: r.status,
    year: Number(r.period_year),
    period: r.period,
    endToEndId: r.end_to_end_id,
    settledOn: r.settled_on,
    hasFile: r.pain001_xml !== null,
    requestedAt: new Date(r.created_at).toISOString(),
  };
}

async function requirePayout(em: EntityManager, centralOfficeId: string, id: string): Promise<PayoutRow> {
  const row = await payoutById(em, id);
  if (!row || row.central_office_id !== centralOfficeId) throw refuse.notFound('pay-out', id);
  return row;
}

/** Requests the pay-out of the participant's balance at the end of the period and starts its workflow. */
export async function requestPayout(
  em: EntityManager,
  temporal: TemporalDeps,
  centralOfficeId: string,
  participantOfficeId: string,
  p: { year: number; period: OverviewPeriod; requestedBy: string },
): Promise<PayoutView> {
  const overview = await participantOverview(em, centralOfficeId, participantOfficeId, { year: p.year, period: p.period });
  const participant = (await participantOf(em, participantOfficeId))!;
  const problem = payoutProblem({ balanceCents: overview.closingBalanceCents, participantIban: participant.iban });
  if (problem) throw refuse.conflict('payout-not-possible', problem);
  const id = newId();
  const workflowId = workflowIds.payout(id);
  try {
    await insertPayout(em, {
      id,
      centralOfficeId,
      participantOfficeId,
      amountCents: overview.closingBalanceCents,
      periodYear: p.year,
      period: p.period,
      endToEndId: payoutEndToEndId(id),
      workflowId,
      requestedBy: p.requestedBy,
    });
  } catch (err) {
    if (/rc_payouts_one_open/.test(String(err))) throw refuse.conflict('payout-open', 'this participant has a pay-out that is not settled yet');
    throw err;
  }
  try {
    const { client, taskQueue } = temporal;
    await client.withDeadline(Date.now() + DEADLINE_MS, () =>
      client.workflow.start<typeof payoutWorkflow>('payoutWorkflow', { workflowId, taskQueue, args: [{ payoutId: id }] }),
    );
  } catch (err) {
    await deleteRequestedPayout(em, id);
    throw new DomainError('unavailable', 'workflow-unavailable', `The pay-out was not requested (the process engine did not answer: ${err instanceof Error ? err.message : String(err)})`);
  }
  return view((await payoutById(em, id))!);
}

async function tell(temporal: TemporalDeps, row: PayoutRow, run: (h: ReturnType<TemporalDeps['client']['workflow']['getHandle']>) => Promise<unknown>): Promise<void> {
  const { client } = temporal;
  try {
    await client.withDeadline(Date.now() + DEADLINE_MS, () => run(client.workflow.getHandle(row.workflow_id)));
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw refuse.conflict('payout-refused', `The pay-out cannot be changed: ${err.cause?.message ?? err.message}`);
    if (err instanceof WorkflowNotFoundError) throw refuse.conflict('payout-ended', 'The pay-out has ended');
    throw new DomainError('unavailable', 'workflow-unavailable', `Nothing was changed (the process engine did not answer: ${err instanceof Error ? err.message : String(err)})`);
  }
}

export async function approvePayoutRequest(em: EntityManager, temporal: TemporalDeps, centralOfficeId: string, id: string, approvedBy: string): Promise<PayoutView> {
  const row = await requirePayout(em, centralOfficeId, id);
  if (row.status !== 'requested') throw refuse.conflict('payout-not-requested', `the pay-out is ${row.status}`);
  await tell(temporal, row, (h) => h.executeUpdate(approvePayoutUpdate, { args: [{ approvedBy }] }));
  return view((await payoutById(em, id))!);
}

export async function cancelPayoutRequest(em: EntityManager, temporal: TemporalDeps, centralOfficeId: string, id: string): Promise<PayoutView> {
  const row = await requirePayout(em, centralOfficeId, id);
  if (row.status !== 'requested') throw refuse.conflict('payout-not-requested', `the pay-out is ${row.status}`);
  await tell(temporal, row, (h) => h.executeUpdate(cancelPayoutUpdate, { args: [] }));
  return view((await payoutById(em, id))!);
}

/** The central organisation's pay-outs, newest first: all, one participant's, or those in one status (e.g. waiting for approval). */
export async function listPayouts(em: EntityManager, centralOfficeId: string, filter: { participantOfficeId?: string; status?: PayoutStatus } = {}): Promise<{ items: PayoutView[] }> {
  return { items: (await payoutsOfCentral(em, centralOfficeId, filter)).map(view) };
}

export async function getPayout(em: EntityManager, centralOfficeId: string, id: string): Promise<PayoutView> {
  return view(await requirePayout(em, centralOfficeId, id));
}

/** The pain.001 file of the pay-out, to hand to the bank. */
export async function payoutFile(em: EntityManager, centralOfficeId: string, id: string): Promise<{ filename: string; xml: string }> {
  const row = await requirePayout(em, centralOfficeId, id);
  if (!row.pain001_xml) throw refuse.conflict('payout-no-file', 'the pay-out has no file yet: it is made after approval');
  return { filename: `${payoutMessageId(row.id)}.xml`, xml: row.pain001_xml };
}

// --- the activities' side (PayoutActivities) --------------------------------------------------

/** Approval: the RC balance must still cover the amount; then RC → intermediate account, once. */
export async function approvePayout(em: EntityManager, input: ApprovePayoutInput): Promise<{ entryId: string }> {
  return em.transactional(async (tem) => {
    const row = await payoutById(tem, input.payoutId);
    if (!row) throw refuse.notFoundAs(PayoutRefusal.NotFound, `pay-out ${input.payoutId} not found`);
    if (row.payout_entry_id) return { entryId: row.payout_entry_id };
    const org = (await organisationOf(tem, row.central_office_id))!;
    // Lock the participant so two approvals of different pay-outs cannot both spend one balance.
    await tem.execute('select 1 from rc_participants where office_id = ? for update', [row.participant_office_id]);
    const balance = await one<{ b: string }>(tem, 'select coalesce(sum(credit_cents - debit_cents), 0) as b from journal_lines where participant_office_id = ?', [row.participant_office_id]);
    const amount = Number(row.amount_cents);
    if (Number(balance?.b ?? 0) < amount) throw refuse.conflict(PayoutRefusal.BalanceTooLow, `the RC balance is below the pay-out of ${amount} cents`);
    const posted = await postEntry(tem, row.central_office_id, {
      key: `payout:${row.id}`,
      entryDate: new Date().toISOString().slice(0, 10),
      description: `Uitbetaling ${payoutPeriodText(Number(row.period_year), row.period)}`,
      createdBy: input.approvedBy,
      entry: payoutEntry({ participantId: row.participant_office_id, category: org.payout_category_code, amountCents: amount }),
    });
    await advancePayout(tem, row.id, 'requested', 'approved', { approvedBy: input.approvedBy, payoutEntryId: posted.entryId });
    return { entryId: posted.entryId };
  });
}

/** The pain.001 of the pay-out (one transfer), kept with it. */
export async function createPayoutFile(em: EntityManager, input: CreatePayoutFileInput): Promise<{ endToEndId: string }> {
  const row = await payoutById(em, input.payoutId);
  if (!row) throw refuse.notFoundAs(PayoutRefusal.NotFound, `pay-out ${input.payoutId} not found`);
  if (row.pain001_xml) return { endToEndId: row.end_to_end_id };
  const org = (await organisationOf(em, row.central_office_id))!;
  const participant = (await participantOf(em, row.participant_office_id))!;
  const names = await em.execute<{ id: string; name: string }[]>('select id, name from offices where id in (?, ?)', [row.central_office_id, row.participant_office_id]);
  const nameOf = (id: string) => sepaText(names.find((n) => n.id === id)?.name ?? 'Onbekend').slice(0, 70);
  const xml = buildPain001({
    messageId: payoutMessageId(row.id),
    createdAt: input.createdAt,
    executionDate: input.createdAt.slice(0, 10),
    debtor: { name: nameOf(row.central_office_id), iban: org.iban, ...(org.bic ? { bic: org.bic } : {}) },
    transfers: [
      {
        endToEndId: row.end_to_end_id,
        amountCents: Number(row.amount_cents),
        creditor: { name: nameOf(row.participant_office_id), iban: participant.iban! },
        remittance: `Uitbetaling RC ${payoutPeriodText(Number(row.period_year), row.period)}`,
      },
    ],
  });
  await advancePayout(em, row.id, 'approved', 'file_created', { pain001Xml: xml });
  return { endToEndId: row.end_to_end_id };
}

/** Office names in the SEPA character set (no diacritics or other signs the banks refuse). */
function sepaText(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9/?:().,'+ -]/g, ' ').trim() || 'Onbekend';
}

/** The statement showed the transfer: intermediate account → bank, once. */
export async function settlePayout(em: EntityManager, input: SettlePayoutInput): Promise<{ entryId: string }> {
  return em.transactional(async (tem) => {
    const row = await payoutById(tem, input.payoutId);
    if (!row) throw refuse.notFoundAs(PayoutRefusal.NotFound, `pay-out ${input.payoutId} not found`);
    if (row.settled_entry_id) return { entryId: row.settled_entry_id };
    const org = (await organisationOf(tem, row.central_office_id))!;
    const posted = await postEntry(tem, row.central_office_id, {
      key: `payout-settled:${row.id}`,
      entryDate: input.bookedOn,
      description: `Uitbetaling ${payoutPeriodText(Number(row.period_year), row.period)} afgeschreven`,
      createdBy: 'bank',
      entry: payoutSettledEntry({ category: org.payout_category_code, amountCents: Number(row.amount_cents) }),
    });
    await advancePayout(tem, row.id, 'file_created', 'settled', { settledOn: input.bookedOn, settledEntryId: posted.entryId });
    return { entryId: posted.entryId };
  });
}

export async function cancelPayout(em: EntityManager, input: { payoutId: string }): Promise<void> {
  await advancePayout(em, input.payoutId, 'requested', 'cancelled');
}

/**
 * A bank statement of the central organisation's account: every booked debit that carries the
 * EndToEndId and amount of one of its pay-outs waiting for the bank tells that pay-out's
 * workflow (a signal: a second statement with the same entry changes nothing).
 */
export async function confirmPayoutsFromStatements(
  em: EntityManager,
  temporal: TemporalDeps,
  centralOfficeId: string,
  statements: readonly BankStatement[],
): Promise<{ confirmed: string[]; mismatched: { payoutId: string; reason: string }[] }> {
  const entries = statements.flatMap((s) => s.entries);
  const ids = [...new Set(entries.flatMap((e) => e.transactions.map((t) => t.endToEndId).filter((x): x is string => !!x)))];
  const payouts = (await payoutsByEndToEnd(em, centralOfficeId, ids)).filter((p) => p.status === 'file_created');
  const confirmed: string[] = [];
  const mismatched: { payoutId: string; reason: string }[] = [];
  for (const p of payouts) {
    for (const e of entries) {
      const verdict = statementVerdict({ endToEndId: p.end_to_end_id, amountCents: Number(p.amount_cents) }, e);
      if (verdict.kind === 'mismatch') mismatched.push({ payoutId: p.id, reason: verdict.reason });
      if (verdict.kind !== 'confirmed') continue;
      try {
        await temporal.client.withDeadline(Date.now() + DEADLINE_MS, () => temporal.client.workflow.getHandle(p.workflow_id).signal(payoutBookedSignal, { bookedOn: e.bookingDate }));
      } catch (err) {
        throw new DomainError('unavailable', 'workflow-unavailable', `Pay-out ${p.id} was not told of the statement (send the same file again): ${err instanceof Error ? err.message : String(err)}`);
      }
      confirmed.push(p.id);
      break;
    }
  }
  return { confirmed, mismatched };
}
