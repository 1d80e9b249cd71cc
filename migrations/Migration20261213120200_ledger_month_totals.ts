import { Migration } from '@mikro-orm/migrations';

/**
 * Month totals of the participants' RC accounts (*maandtotalen RC*, issue 21 deliverable 6): per
 * account, booking category (null = *Overig*) and month the debit, credit and number of journal
 * lines, so the RC overviews sum about 12 rows per participant and category a year instead of
 * every line.
 *
 * - Kept by PostgreSQL itself, in the same transaction as every posting: an AFTER INSERT
 *   statement trigger on `journal_lines` adds the statement's new lines (its transition table),
 *   grouped per account, category and month, with INSERT ... ON CONFLICT DO UPDATE. Concurrent
 *   postings to the same account and month queue on that row's lock and add up; none is lost. A
 *   posting that does not commit (an unbalanced entry refused at commit) takes its totals with it.
 * - Journal lines are only ever inserted (Migration20261213120000_rc_ledger refuses UPDATE,
 *   DELETE and TRUNCATE; corrections are reversing entries, inserts too), so adding on insert
 *   keeps the totals equal to the sums over the lines.
 * - Only lines of participant RC accounts (`participant_office_id` set): those are what the
 *   overviews read. The central organisation's own accounts (bank, receivable, VAT, revenue,
 *   intermediate) are on nearly every posting; a total of theirs would be one row that every
 *   posting of the month locks until it commits.
 * - The copies of the central organisation and the participant (from the line, which has them
 *   from its account) let the overviews read one index.
 * - Nothing but the trigger writes the table: a direct INSERT, UPDATE or DELETE (not from within
 *   a trigger) or a TRUNCATE is refused. Its owner is services/ledger (docs/ARCHITECTURE.md).
 */
export class Migration20261213120200_ledger_month_totals extends Migration {
  override up(): void {
    this.addSql(`create table ledger_month_totals (
      account_id uuid not null references ledger_accounts (id),
      category_id uuid null references booking_categories (id),
      month date not null check (extract(day from month) = 1),
      central_office_id uuid not null,
      participant_office_id uuid not null,
      debit_cents bigint not null check (debit_cents >= 0),
      credit_cents bigint not null check (credit_cents >= 0),
      line_count bigint not null check (line_count > 0),
      constraint ledger_month_totals_key unique nulls not distinct (account_id, category_id, month)
    )`);
    // The overviews: all participants of a central organisation, or one, up to the period's end.
    this.addSql(`create index ledger_month_totals_overview_idx on ledger_month_totals (central_office_id, participant_office_id, month)
      include (category_id, debit_cents, credit_cents)`);

    this.addSql(`create function ledger_month_totals_add() returns trigger language plpgsql as $$
      begin
        -- One row per key (ON CONFLICT may touch a row once per statement), in key order so two
        -- statements lock shared rows in the same order.
        insert into ledger_month_totals as t
               (account_id, category_id, month, central_office_id, participant_office_id, debit_cents, credit_cents, line_count)
        select l.account_id, l.category_id, date_trunc('month', l.entry_date)::date, l.central_office_id, l.participant_office_id,
               sum(l.debit_cents)::bigint, sum(l.credit_cents)::bigint, count(*)
          from new_lines l
         where l.participant_office_id is not null
         group by l.account_id, l.category_id, date_trunc('month', l.entry_date)::date, l.central_office_id, l.participant_office_id
         order by l.account_id, l.category_id nulls first, 3
        on conflict (account_id, category_id, month) do update
           set debit_cents = t.debit_cents + excluded.debit_cents,
               credit_cents = t.credit_cents + excluded.credit_cents,
               line_count = t.line_count + excluded.line_count;
        return null;
      end $$`);
    this.addSql(`create trigger journal_lines_month_totals after insert on journal_lines
      referencing new table as new_lines for each statement execute function ledger_month_totals_add()`);

    // The lines posted before this migration.
    this.addSql(`insert into ledger_month_totals
           (account_id, category_id, month, central_office_id, participant_office_id, debit_cents, credit_cents, line_count)
      select account_id, category_id, date_trunc('month', entry_date)::date, central_office_id, participant_office_id,
             sum(debit_cents)::bigint, sum(credit_cents)::bigint, count(*)
        from journal_lines
       where participant_office_id is not null
       group by account_id, category_id, date_trunc('month', entry_date)::date, central_office_id, participant_office_id`);

    // Only the trigger above writes the totals (pg_trigger_depth() is 1 for a statement of a client).
    this.addSql(`create function ledger_month_totals_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'TRUNCATE' or pg_trigger_depth() <= 1 then
          raise exception 'ledger_month_totals is kept by the journal_lines trigger only: post a journal entry instead' using errcode = '55000';
        end if;
        return coalesce(new, old);
      end $$`);
    this.addSql(`create trigger ledger_month_totals_guard before insert or update or delete on ledger_month_totals
      for each row execute function ledger_month_totals_guard()`);
    this.addSql(`create trigger ledger_month_totals_no_truncate before truncate on ledger_month_totals
      for each statement execute function ledger_month_totals_guard()`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists journal_lines_month_totals on journal_lines`);
    this.addSql(`drop table if exists ledger_month_totals`);
    this.addSql(`drop function if exists ledger_month_totals_add()`);
    this.addSql(`drop function if exists ledger_month_totals_guard()`);
  }
}
