/**
 * The one writer of the RC ledger (issue 21): the organisation structure (`rc_organisations`,
 * `rc_participants`), the chart of accounts (`ledger_accounts`), the booking categories
 * (`booking_categories`), the journal (`journal_entries`, `journal_lines`), the month totals of
 * the participants' RCs (`ledger_month_totals`) and the pay-outs (`rc_payouts`). Journal rows are
 * only ever inserted: the database refuses UPDATE and DELETE, and refuses at commit an entry
 * that does not balance (Migration20261213120000_rc_ledger). The month totals are written by no
 * module at all: a trigger on the insert of journal lines keeps them, in the posting's own
 * transaction, and refuses any other write (Migration20261213120200_ledger_month_totals).
 *
 * Every function runs on the EntityManager it is given, so callers decide the transaction; a
 * posting must run in one (the balance check is deferred to its commit).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../../db/ids.js';
import { one, pgArray, rows, type Row } from '../../db/sql.js';
import type { AccountKind, CategoryKind, EntryKind } from '../../domain/ledger/closed-lists.js';
import type { PayoutStatus } from '../../domain/ledger/payouts.js';

export const ownedTables = ['rc_organisations', 'rc_participants', 'ledger_accounts', 'booking_categories', 'journal_entries', 'journal_lines', 'ledger_month_totals', 'rc_payouts'] as const;

export type OrganisationRow = Row & { office_id: string; iban: string; bic: string | null; payout_category_code: string };
export type ParticipantRow = Row & {
  office_id: string;
  central_office_id: string;
  may_view_overview: boolean;
  central_share_bp: number;
  iban: string | null;
};
export type AccountRow = Row & { id: string; central_office_id: string; kind: AccountKind; participant_office_id: string | null };
export type CategoryRow = Row & { id: string; central_office_id: string; code: string; name: string; kind: CategoryKind };
export type EntryRow = Row & {
  id: string;
  central_office_id: string;
  key: string;
  kind: EntryKind;
  entry_date: string;
  description: string;
  reverses_entry_id: string | null;
};

/** The accounts every central organisation has once (the participants' RCs come with them). */
const organisationAccountKinds: readonly Exclude<AccountKind, 'participant_rc'>[] = ['bank', 'receivable', 'vat', 'revenue', 'intermediate'];

export async function organisationOf(em: EntityManager, officeId: string): Promise<OrganisationRow | undefined> {
  return one<OrganisationRow>(em, 'select office_id, iban, bic, payout_category_code from rc_organisations where office_id = ?', [officeId]);
}

export async function participantOf(em: EntityManager, officeId: string): Promise<ParticipantRow | undefined> {
  return one<ParticipantRow>(
    em,
    'select office_id, central_office_id, may_view_overview, central_share_bp, iban from rc_participants where office_id = ?',
    [officeId],
  );
}

/** Makes the office a central organisation with its fixed accounts (once; a second call changes its bank details). */
export async function upsertOrganisation(em: EntityManager, o: { officeId: string; iban: string; bic: string | null }): Promise<void> {
  await em.execute(
    `insert into rc_organisations (office_id, iban, bic) values (?, ?, ?)
     on conflict (office_id) do update set iban = excluded.iban, bic = excluded.bic, updated_at = now()`,
    [o.officeId, o.iban, o.bic],
  );
  for (const kind of organisationAccountKinds) {
    await em.execute(
      `insert into ledger_accounts (id, central_office_id, kind) values (?, ?, ?)
       on conflict (central_office_id, kind) where kind <> 'participant_rc' do nothing`,
      [newId(), o.officeId, kind],
    );
  }
}

/** Adds (or updates) a participant of a central organisation, with its RC account. */
export async function upsertParticipant(
  em: EntityManager,
  p: { officeId: string; centralOfficeId: string; mayViewOverview: boolean; centralShareBp: number; iban: string | null },
): Promise<void> {
  await em.execute(
    `insert into rc_participants (office_id, central_office_id, may_view_overview, central_share_bp, iban) values (?, ?, ?, ?, ?)
     on conflict (office_id) do update set may_view_overview = excluded.may_view_overview,
       central_share_bp = excluded.central_share_bp, iban = excluded.iban, updated_at = now()
       where rc_participants.central_office_id = excluded.central_office_id`,
    [p.officeId, p.centralOfficeId, p.mayViewOverview, p.centralShareBp, p.iban],
  );
  await em.execute(
    `insert into ledger_accounts (id, central_office_id, kind, participant_office_id) values (?, ?, 'participant_rc', ?)
     on conflict (participant_office_id) where participant_office_id is not null do nothing`,
    [newId(), p.centralOfficeId, p.officeId],
  );
}

export async function setParticipantVisibility(em: EntityManager, centralOfficeId: string, officeId: string, mayView: boolean): Promise<boolean> {
  const res = await rows(
    em,
    `update rc_participants set may_view_overview = ?, updated_at = now() where office_id = ? and central_office_id = ? returning office_id`,
    [mayView, officeId, centralOfficeId],
  );
  return res.length > 0;
}

export async function participantsOf(em: EntityManager, centralOfficeId: string): Promise<(ParticipantRow & { name: string })[]> {
  return rows(
    em,
    `select p.office_id, p.central_office_id, p.may_view_overview, p.central_share_bp, p.iban, o.name
       from rc_participants p join offices o on o.id = p.office_id
      where p.central_office_id = ? order by o.name, p.office_id`,
    [centralOfficeId],
  );
}

export async function accountsOf(em: EntityManager, centralOfficeId: string): Promise<AccountRow[]> {
  return rows<AccountRow>(em, 'select id, central_office_id, kind, participant_office_id from ledger_accounts where central_office_id = ?', [centralOfficeId]);
}

/** The category with this code, created with the name and kind when missing. */
export async function ensureCategory(em: EntityManager, c: { centralOfficeId: string; code: string; name: string; kind: CategoryKind }): Promise<CategoryRow> {
  await em.execute(
    `insert into booking_categories (id, central_office_id, code, name, kind) values (?, ?, ?, ?, ?)
     on conflict (central_office_id, code) do nothing`,
    [newId(), c.centralOfficeId, c.code, c.name, c.kind],
  );
  return (await one<CategoryRow>(em, 'select id, central_office_id, code, name, kind from booking_categories where central_office_id = ? and code = ?', [
    c.centralOfficeId,
    c.code,
  ]))!;
}

export async function categoriesOf(em: EntityManager, centralOfficeId: string): Promise<CategoryRow[]> {
  return rows<CategoryRow>(em, 'select id, central_office_id, code, name, kind from booking_categories where central_office_id = ? order by name', [centralOfficeId]);
}

const entryColumns = `id, central_office_id, key, kind, to_char(entry_date, 'YYYY-MM-DD') as entry_date, description, reverses_entry_id`;

export async function entryByKey(em: EntityManager, key: string): Promise<EntryRow | undefined> {
  return one<EntryRow>(em, `select ${entryColumns} from journal_entries where key = ?`, [key]);
}

export async function entryById(em: EntityManager, centralOfficeId: string, id: string): Promise<EntryRow | undefined> {
  return one<EntryRow>(em, `select ${entryColumns} from journal_entries where id = ? and central_office_id = ?`, [id, centralOfficeId]);
}

export async function reversalOfEntry(em: EntityManager, entryId: string): Promise<EntryRow | undefined> {
  return one<EntryRow>(em, `select ${entryColumns} from journal_entries where reverses_entry_id = ?`, [entryId]);
}

export type LineRow = Row & { account_id: string; category_id: string | null; debit_cents: string; credit_cents: string };

export async function linesOfEntry(em: EntityManager, entryId: string): Promise<LineRow[]> {
  return rows<LineRow>(em, 'select account_id, category_id, debit_cents, credit_cents from journal_lines where entry_id = ? order by id', [entryId]);
}

export interface NewLine {
  accountId: string;
  categoryId: string | null;
  debitCents: number;
  creditCents: number;
}

/**
 * Posts an entry once per key: a retry (the same key) posts nothing and answers the first
 * entry's id (`created: false`). Runs inside the caller's transaction; PostgreSQL checks the
 * balance when it commits.
 */
export async function insertEntry(
  em: EntityManager,
  e: {
    centralOfficeId: string;
    key: string;
    kind: EntryKind;
    entryDate: string;
    description: string;
    reversesEntryId: string | null;
    createdBy: string;
    lines: readonly NewLine[];
  },
): Promise<{ entryId: string; created: boolean }> {
  const id = newId();
  const inserted = await rows<{ id: string }>(
    em,
    `insert into journal_entries (id, central_office_id, key, kind, entry_date, description, reverses_entry_id, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (key) do nothing returning id`,
    [id, e.centralOfficeId, e.key, e.kind, e.entryDate, e.description, e.reversesEntryId, e.createdBy],
  );
  if (inserted.length === 0) {
    const existing = await entryByKey(em, e.key);
    return { entryId: existing!.id, created: false };
  }
  const values = e.lines.map(() => '(?, ?, ?, ?, ?)').join(', ');
  await em.execute(
    `insert into journal_lines (entry_id, account_id, category_id, debit_cents, credit_cents) values ${values}`,
    e.lines.flatMap((l) => [id, l.accountId, l.categoryId, l.debitCents, l.creditCents]),
  );
  return { entryId: id, created: true };
}

export type PayoutRow = Row & {
  id: string;
  central_office_id: string;
  participant_office_id: string;
  amount_cents: string;
  status: PayoutStatus;
  period_year: number;
  period: string;
  end_to_end_id: string;
  workflow_id: string;
  approved_by: string | null;
  payout_entry_id: string | null;
  pain001_xml: string | null;
  settled_on: string | null;
  settled_entry_id: string | null;
  created_at: Date;
};

const payoutColumns = `id, central_office_id, participant_office_id, amount_cents, status, period_year, period, end_to_end_id, workflow_id,
  approved_by, payout_entry_id, pain001_xml, to_char(settled_on, 'YYYY-MM-DD') as settled_on, settled_entry_id, created_at`;

export async function insertPayout(
  em: EntityManager,
  p: { id: string; centralOfficeId: string; participantOfficeId: string; amountCents: number; periodYear: number; period: string; endToEndId: string; workflowId: string; requestedBy: string },
): Promise<void> {
  await em.execute(
    `insert into rc_payouts (id, central_office_id, participant_office_id, amount_cents, status, period_year, period, end_to_end_id, workflow_id, requested_by)
     values (?, ?, ?, ?, 'requested', ?, ?, ?, ?, ?)`,
    [p.id, p.centralOfficeId, p.participantOfficeId, p.amountCents, p.periodYear, p.period, p.endToEndId, p.workflowId, p.requestedBy],
  );
}

/** A request whose workflow could not be started: removed again (nothing was booked yet). */
export async function deleteRequestedPayout(em: EntityManager, id: string): Promise<void> {
  await em.execute(`delete from rc_payouts where id = ? and status = 'requested' and payout_entry_id is null`, [id]);
}

export async function payoutById(em: EntityManager, id: string): Promise<PayoutRow | undefined> {
  return one<PayoutRow>(em, `select ${payoutColumns} from rc_payouts where id = ?`, [id]);
}

/** The central organisation's pay-outs, newest first (at most 200), of one participant and/or in one status when asked. */
export async function payoutsOfCentral(em: EntityManager, centralOfficeId: string, filter: { participantOfficeId?: string; status?: PayoutStatus } = {}): Promise<PayoutRow[]> {
  const where = ['central_office_id = ?'];
  const params: unknown[] = [centralOfficeId];
  if (filter.participantOfficeId) {
    where.push('participant_office_id = ?');
    params.push(filter.participantOfficeId);
  }
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  return rows<PayoutRow>(em, `select ${payoutColumns} from rc_payouts where ${where.join(' and ')} order by created_at desc limit 200`, params);
}

export async function payoutsByEndToEnd(em: EntityManager, centralOfficeId: string, endToEndIds: readonly string[]): Promise<PayoutRow[]> {
  if (endToEndIds.length === 0) return [];
  return rows<PayoutRow>(em, `select ${payoutColumns} from rc_payouts where central_office_id = ? and end_to_end_id = any(?::text[])`, [
    centralOfficeId,
    pgArray(endToEndIds),
  ]);
}

/** Moves the pay-out on from the status it must have; false when it was not in that status (a retry). */
export async function advancePayout(
  em: EntityManager,
  id: string,
  from: PayoutStatus,
  to: PayoutStatus,
  set: { approvedBy?: string; payoutEntryId?: string; pain001Xml?: string; settledOn?: string; settledEntryId?: string } = {},
): Promise<boolean> {
  const res = await rows(
    em,
    `update rc_payouts set status = ?, updated_at = now(),
       approved_by = coalesce(?, approved_by), approved_at = case when ? = 'approved' then now() else approved_at end,
       payout_entry_id = coalesce(?::uuid, payout_entry_id),
       pain001_xml = coalesce(?, pain001_xml), file_created_at = case when ? = 'file_created' then now() else file_created_at end,
       settled_on = coalesce(?::date, settled_on), settled_entry_id = coalesce(?::uuid, settled_entry_id)
     where id = ? and status = ? returning id`,
    [to, set.approvedBy ?? null, to, set.payoutEntryId ?? null, set.pain001Xml ?? null, to, set.settledOn ?? null, set.settledEntryId ?? null, id, from],
  );
  return res.length > 0;
}
