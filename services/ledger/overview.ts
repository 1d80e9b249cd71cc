/**
 * The RC overviews (*saldo-overzicht RC deelnemers*, seed 000): per participant its balance
 * with income and costs per category (*product*), by year or period, with the lines; and the
 * central organisation's overview of all its participants with what to pay out or claim.
 *
 * Office scoping lives in the queries themselves: every query filters on the central
 * organisation *and* the participant it was given, and those come from the caller's own office
 * (a participant reads only its own RC, and only when its central organisation allows it; a
 * central organisation only its own participants). A wrong id finds nothing, never another
 * office's bookings.
 *
 * The balances and totals per category come from the month totals the database keeps with
 * every posting (`ledger_month_totals`, Migration20261213120200_ledger_month_totals): every
 * overview period is whole months. A participant's lines themselves are read from the journal.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import { rcPosition } from '../../domain/ledger/postings.js';
import { UNCATEGORISED_LABEL } from '../../domain/ledger/closed-lists.js';
import { coversWholeMonths, periodBounds, type OverviewPeriod } from '../../domain/ledger/periods.js';
import { rows } from '../../db/sql.js';
import { organisationOf, participantOf, type ParticipantRow } from './store.js';
import { MAX_OVERVIEW_LINES, type CentralOverview, type OverviewQuery, type ParticipantOverview, type RcRole } from './schemas.js';

type Position = Pick<ParticipantOverview, 'openingBalanceCents' | 'incomeCents' | 'costsCents' | 'paidOutCents' | 'closingBalanceCents' | 'toPayOutCents' | 'toClaimCents'>;

/** What the caller's office is in the RC ledger (the UI shows the pages by it). */
export async function rcRoleOf(em: EntityManager, officeId: string): Promise<RcRole> {
  if (await organisationOf(em, officeId)) return { role: 'central', centralOfficeId: officeId, mayViewOverview: true };
  const p = await participantOf(em, officeId);
  if (p) return { role: 'participant', centralOfficeId: p.central_office_id, mayViewOverview: p.may_view_overview };
  return { role: 'none', centralOfficeId: null, mayViewOverview: false };
}

/**
 * Sums of the RC lines per participant and category up to the end of the period: before it
 * (the opening balance) and in it (debit, credit).
 */
type SumRow = { participant_office_id: string; category_id: string | null; opening: string; debit: string; credit: string };

/**
 * The sums from the month totals (`ledger_month_totals`, kept by the database in the
 * transaction of every posting): about 12 rows per participant and category a year instead of
 * every line. Only for bounds of whole months (`coversWholeMonths`): `from` is the first of a
 * month, so "before the period" is "months before `from`", and a month is in the period when it
 * starts on or before `to`. Parameters: from, from, from, central organisation, [participant,] to.
 */
export function monthTotalsSumsSql(oneParticipant: boolean): string {
  return `select t.participant_office_id, t.category_id,
            coalesce(sum(t.credit_cents - t.debit_cents) filter (where t.month < ?::date), 0) as opening,
            coalesce(sum(t.debit_cents) filter (where t.month >= ?::date), 0) as debit,
            coalesce(sum(t.credit_cents) filter (where t.month >= ?::date), 0) as credit
       from ledger_month_totals t
      where t.central_office_id = ? and t.participant_office_id ${oneParticipant ? '= ?' : 'is not null'} and t.month <= ?::date
      group by t.participant_office_id, t.category_id`;
}

/** The same sums over the journal lines themselves, for any bounds (one scan of the participants' index). Same parameters. */
export function lineSumsSql(oneParticipant: boolean): string {
  return `select l.participant_office_id, l.category_id,
            coalesce(sum(l.credit_cents - l.debit_cents) filter (where l.entry_date < ?::date), 0) as opening,
            coalesce(sum(l.debit_cents) filter (where l.entry_date >= ?::date), 0) as debit,
            coalesce(sum(l.credit_cents) filter (where l.entry_date >= ?::date), 0) as credit
       from journal_lines l
      where l.central_office_id = ? and l.participant_office_id ${oneParticipant ? '= ?' : 'is not null'} and l.entry_date <= ?::date
      group by l.participant_office_id, l.category_id`;
}

/**
 * The sums per participant (all of the central organisation's, or one) and category for the
 * inclusive bounds: from the month totals when the bounds are whole months (every overview
 * period), else from the lines. Both give the same numbers (test/integration/ledger-month-totals.test.ts).
 */
export async function rcSums(em: EntityManager, scope: { centralOfficeId: string; participantOfficeId?: string }, from: string, to: string): Promise<SumRow[]> {
  const one = scope.participantOfficeId !== undefined;
  const sql = coversWholeMonths(from, to) ? monthTotalsSumsSql(one) : lineSumsSql(one);
  return rows<SumRow>(em, sql, one ? [from, from, from, scope.centralOfficeId, scope.participantOfficeId, to] : [from, from, from, scope.centralOfficeId, to]);
}

type CategoryInfo = { id: string; code: string; name: string; kind: 'income' | 'cost' | 'payout' };

async function categoryMap(em: EntityManager, centralOfficeId: string): Promise<Map<string, CategoryInfo>> {
  const found = await rows<CategoryInfo>(em, 'select id, code, name, kind from booking_categories where central_office_id = ?', [centralOfficeId]);
  return new Map(found.map((c) => [c.id, c]));
}

function emptyPosition(): Position {
  return { openingBalanceCents: 0, incomeCents: 0, costsCents: 0, paidOutCents: 0, closingBalanceCents: 0, toPayOutCents: 0, toClaimCents: 0 };
}

function addSum(pos: Position, s: SumRow, category: CategoryInfo | undefined): void {
  const debit = Number(s.debit);
  pos.openingBalanceCents += Number(s.opening);
  pos.incomeCents += Number(s.credit);
  if (category?.kind === 'payout') pos.paidOutCents += debit;
  else pos.costsCents += debit;
}

function close(pos: Position): Position {
  const closing = pos.openingBalanceCents + pos.incomeCents - pos.costsCents - pos.paidOutCents;
  const { toPayOutCents, toClaimCents } = rcPosition(Math.max(closing, 0), Math.max(-closing, 0));
  return { ...pos, closingBalanceCents: closing, toPayOutCents, toClaimCents };
}

/** One participant's overview; the scope is the pair (central organisation, participant) the caller is entitled to. */
async function overviewOf(em: EntityManager, scope: { centralOfficeId: string; participantOfficeId: string }, q: OverviewQuery): Promise<ParticipantOverview> {
  const period: OverviewPeriod = q.period ?? 'year';
  const { from, to } = periodBounds(q.year, period);
  const [sums, categories, named] = await Promise.all([
    rcSums(em, scope, from, to),
    categoryMap(em, scope.centralOfficeId),
    rows<{ name: string }>(em, 'select name from offices where id = ?', [scope.participantOfficeId]),
  ]);
  const pos = emptyPosition();
  const byCategory: ParticipantOverview['categories'] = [];
  for (const s of sums) {
    const c = s.category_id ? categories.get(s.category_id) : undefined;
    addSum(pos, s, c);
    if (Number(s.debit) + Number(s.credit) > 0) {
      byCategory.push({ code: c?.code ?? null, name: c?.name ?? UNCATEGORISED_LABEL, kind: c?.kind ?? null, debitCents: Number(s.debit), creditCents: Number(s.credit) });
    }
  }
  byCategory.sort((a, b) => a.name.localeCompare(b.name, 'nl'));
  const lineRows = await rows<{ entry_id: string; date: string; kind: ParticipantOverview['lines'][number]['kind']; description: string; category_id: string | null; debit_cents: string; credit_cents: string }>(
    em,
    `select l.entry_id, to_char(l.entry_date, 'YYYY-MM-DD') as date, e.kind, e.description, l.category_id, l.debit_cents, l.credit_cents
       from journal_lines l join journal_entries e on e.id = l.entry_id
      where l.central_office_id = ? and l.participant_office_id = ? and l.entry_date between ?::date and ?::date
      order by l.entry_date, l.id limit ?`,
    [scope.centralOfficeId, scope.participantOfficeId, from, to, MAX_OVERVIEW_LINES + 1],
  );
  return {
    officeId: scope.participantOfficeId,
    name: named[0]?.name ?? '',
    year: q.year,
    period,
    from,
    to,
    ...close(pos),
    categories: byCategory,
    lines: lineRows.slice(0, MAX_OVERVIEW_LINES).map((l) => ({
      entryId: l.entry_id,
      date: l.date,
      kind: l.kind,
      description: l.description,
      categoryName: (l.category_id ? categories.get(l.category_id)?.name : undefined) ?? UNCATEGORISED_LABEL,
      debitCents: Number(l.debit_cents),
      creditCents: Number(l.credit_cents),
    })),
    linesTruncated: lineRows.length > MAX_OVERVIEW_LINES,
  };
}

/**
 * The participant's own overview. An office that is no participant finds none; a participant
 * whose central organisation did not allow it sees nothing (403), not even its balance.
 */
export async function ownOverview(em: EntityManager, officeId: string, q: OverviewQuery): Promise<ParticipantOverview> {
  const p = await participantOf(em, officeId);
  if (!p) throw refuse.notFoundAs('rc-not-participant', 'this office is not a participant of a central organisation');
  if (!p.may_view_overview) throw refuse.forbidden('rc-overview-hidden', 'your central organisation has not made the RC overview visible to this office');
  return overviewOf(em, { centralOfficeId: p.central_office_id, participantOfficeId: officeId }, q);
}

async function requireOwnParticipant(em: EntityManager, centralOfficeId: string, participantOfficeId: string): Promise<ParticipantRow> {
  const p = await participantOf(em, participantOfficeId);
  if (!p || p.central_office_id !== centralOfficeId) throw refuse.notFound('participant', participantOfficeId);
  return p;
}

/** The central organisation's view of one of its participants. */
export async function participantOverview(em: EntityManager, centralOfficeId: string, participantOfficeId: string, q: OverviewQuery): Promise<ParticipantOverview> {
  await requireOwnParticipant(em, centralOfficeId, participantOfficeId);
  return overviewOf(em, { centralOfficeId, participantOfficeId }, q);
}

/** The central organisation's overview of all its participants: what to pay out or claim, and how it is made up. */
export async function centralOverview(em: EntityManager, centralOfficeId: string, q: OverviewQuery): Promise<CentralOverview> {
  if (!(await organisationOf(em, centralOfficeId))) throw refuse.notFoundAs('rc-not-central', 'this office is not a central organisation');
  const period: OverviewPeriod = q.period ?? 'year';
  const { from, to } = periodBounds(q.year, period);
  const [participants, sums, categories] = await Promise.all([
    rows<ParticipantRow & { name: string }>(
      em,
      `select p.office_id, p.may_view_overview, p.central_share_bp, o.name
         from rc_participants p join offices o on o.id = p.office_id where p.central_office_id = ? order by o.name, p.office_id`,
      [centralOfficeId],
    ),
    rcSums(em, { centralOfficeId }, from, to),
    categoryMap(em, centralOfficeId),
  ]);
  const positions = new Map(participants.map((p) => [p.office_id, emptyPosition()]));
  for (const s of sums) {
    const pos = positions.get(s.participant_office_id);
    if (pos) addSum(pos, s, s.category_id ? categories.get(s.category_id) : undefined);
  }
  const totals = emptyPosition();
  const rowsOut = participants.map((p) => {
    const pos = close(positions.get(p.office_id)!);
    for (const k of Object.keys(totals) as (keyof Position)[]) totals[k] += pos[k];
    return { officeId: p.office_id, name: p.name, mayViewOverview: p.may_view_overview, centralShareBp: Number(p.central_share_bp), ...pos };
  });
  return { year: q.year, period, from, to, participants: rowsOut, totals };
}
