import { Migration } from '@mikro-orm/migrations';

/**
 * The RC ledger of a central organisation and its participants (issue 21, seed 000).
 *
 * - `rc_organisations`: an office that is a central organisation (*centrale organisatie*), with
 *   the bank account pay-outs leave from and the category pay-outs are shown under.
 * - `rc_participants`: an office that is a participant (*deelnemer*) of one central
 *   organisation, whether it may see its own RC overview (*mag saldo-overzicht inzien*), the
 *   central organisation's share of its income and the account it is paid out to.
 * - `ledger_accounts`, `booking_categories`, `journal_entries`, `journal_lines`: double entry.
 *
 * The database, not only the code, keeps the ledger right:
 * - every entry balances (sum debit = sum credit, at least two lines): a deferred constraint
 *   trigger checks each entry touched when the transaction commits, so the lines of one entry
 *   can be inserted one by one but never committed unbalanced, and an entry without lines fails;
 * - posted entries and lines are immutable: a trigger refuses UPDATE, DELETE and TRUNCATE
 *   (a correction is a reversing entry, `reverses_entry_id`, at most one per entry);
 * - a line's account and category belong to its entry's central organisation, and the line's
 *   copies of the entry date, the central organisation and the participant (kept on the line so
 *   the overviews read one index) are filled in by a trigger, never by the caller.
 * Descriptions hold invoice numbers and codes, never personal data: an immutable row could not
 * be anonymised.
 */
export class Migration20261213120000_rc_ledger extends Migration {
  override up(): void {
    this.addSql(`create table rc_organisations (
      office_id uuid primary key references offices (id),
      iban text not null check (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
      bic text null check (bic is null or bic ~ '^[A-Z0-9]{8}([A-Z0-9]{3})?$'),
      payout_category_code text not null default 'uitbetaling',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);

    this.addSql(`create table rc_participants (
      office_id uuid primary key references offices (id),
      central_office_id uuid not null references rc_organisations (office_id),
      may_view_overview boolean not null default false,
      central_share_bp integer not null default 0 check (central_share_bp between 0 and 10000),
      iban text null check (iban is null or iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint rc_participants_not_own_central check (office_id <> central_office_id)
    )`);
    this.addSql(`create index rc_participants_central_idx on rc_participants (central_office_id)`);
    // A central organisation is not itself a participant, and back: one level, no cycles.
    this.addSql(`create function rc_one_level() returns trigger language plpgsql as $$
      begin
        if tg_table_name = 'rc_participants' and exists (select 1 from rc_organisations where office_id = new.office_id) then
          raise exception 'office % is a central organisation and cannot be a participant', new.office_id using errcode = '23514';
        end if;
        if tg_table_name = 'rc_organisations' and exists (select 1 from rc_participants where office_id = new.office_id) then
          raise exception 'office % is a participant and cannot be a central organisation', new.office_id using errcode = '23514';
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger rc_participants_one_level before insert or update of office_id on rc_participants for each row execute function rc_one_level()`);
    this.addSql(`create trigger rc_organisations_one_level before insert or update of office_id on rc_organisations for each row execute function rc_one_level()`);

    this.addSql(`create table ledger_accounts (
      id uuid primary key,
      central_office_id uuid not null references rc_organisations (office_id),
      kind text not null check (kind in ('bank','receivable','vat','revenue','participant_rc','intermediate')),
      participant_office_id uuid null references rc_participants (office_id),
      created_at timestamptz not null default now(),
      constraint ledger_accounts_rc_has_participant check ((kind = 'participant_rc') = (participant_office_id is not null))
    )`);
    this.addSql(`create unique index ledger_accounts_kind_unique on ledger_accounts (central_office_id, kind) where kind <> 'participant_rc'`);
    this.addSql(`create unique index ledger_accounts_participant_unique on ledger_accounts (participant_office_id) where participant_office_id is not null`);

    this.addSql(`create table booking_categories (
      id uuid primary key,
      central_office_id uuid not null references rc_organisations (office_id),
      code text not null check (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
      name text not null check (length(trim(name)) between 1 and 80),
      kind text not null check (kind in ('income','cost','payout')),
      created_at timestamptz not null default now(),
      constraint booking_categories_code_unique unique (central_office_id, code)
    )`);

    this.addSql(`create table journal_entries (
      id uuid primary key,
      central_office_id uuid not null references rc_organisations (office_id),
      key text not null unique check (length(key) between 1 and 200),
      kind text not null check (kind in ('commission','invoice','charge','payout','payout_settled','reversal')),
      entry_date date not null,
      description text not null check (length(description) <= 200),
      reverses_entry_id uuid null unique references journal_entries (id),
      created_by text not null,
      created_at timestamptz not null default now(),
      constraint journal_entries_reversal_kind check ((kind = 'reversal') = (reverses_entry_id is not null))
    )`);
    this.addSql(`create index journal_entries_central_date_idx on journal_entries (central_office_id, entry_date)`);

    this.addSql(`create table journal_lines (
      id bigint generated always as identity primary key,
      entry_id uuid not null references journal_entries (id),
      account_id uuid not null references ledger_accounts (id),
      category_id uuid null references booking_categories (id),
      debit_cents bigint not null default 0 check (debit_cents >= 0),
      credit_cents bigint not null default 0 check (credit_cents >= 0),
      central_office_id uuid not null,
      participant_office_id uuid null,
      entry_date date not null,
      constraint journal_lines_one_side check ((debit_cents > 0) <> (credit_cents > 0))
    )`);
    this.addSql(`create index journal_lines_entry_idx on journal_lines (entry_id)`);
    // The overviews: a participant's RC lines by date, covering what they sum.
    this.addSql(`create index journal_lines_participant_idx on journal_lines (participant_office_id, entry_date)
      include (category_id, debit_cents, credit_cents) where participant_office_id is not null`);
    this.addSql(`create index journal_lines_central_idx on journal_lines (central_office_id, entry_date)`);

    // The line's copies come from its entry and account; foreign rows are refused.
    this.addSql(`create function journal_line_fill() returns trigger language plpgsql as $$
      declare
        e record;
        a record;
      begin
        select central_office_id, entry_date into e from journal_entries where id = new.entry_id;
        select central_office_id, participant_office_id into a from ledger_accounts where id = new.account_id;
        if e.central_office_id is null or a.central_office_id is null then
          return new; -- the foreign keys refuse it
        end if;
        if a.central_office_id <> e.central_office_id then
          raise exception 'account % belongs to another central organisation than entry %', new.account_id, new.entry_id using errcode = '23514';
        end if;
        if new.category_id is not null and not exists (
          select 1 from booking_categories where id = new.category_id and central_office_id = e.central_office_id) then
          raise exception 'category % belongs to another central organisation than entry %', new.category_id, new.entry_id using errcode = '23514';
        end if;
        new.central_office_id := e.central_office_id;
        new.participant_office_id := a.participant_office_id;
        new.entry_date := e.entry_date;
        return new;
      end $$`);
    this.addSql(`create trigger journal_lines_fill before insert on journal_lines for each row execute function journal_line_fill()`);

    this.addSql(`create function journal_entry_balanced() returns trigger language plpgsql as $$
      declare
        entry uuid;
        d numeric;
        c numeric;
        n integer;
      begin
        -- NEW has the columns of the table the trigger fired on: read the entry id by that.
        if tg_table_name = 'journal_entries' then
          entry := new.id;
        else
          entry := new.entry_id;
        end if;
        select coalesce(sum(debit_cents), 0), coalesce(sum(credit_cents), 0), count(*) into d, c, n
          from journal_lines where entry_id = entry;
        if n < 2 or d <> c then
          raise exception 'journal entry % does not balance: debit % credit % over % lines', entry, d, c, n
            using errcode = '23514', constraint = 'journal_entry_balanced';
        end if;
        return null;
      end $$`);
    this.addSql(`create constraint trigger journal_entries_balanced after insert on journal_entries
      deferrable initially deferred for each row execute function journal_entry_balanced()`);
    this.addSql(`create constraint trigger journal_lines_balanced after insert on journal_lines
      deferrable initially deferred for each row execute function journal_entry_balanced()`);

    this.addSql(`create function journal_immutable() returns trigger language plpgsql as $$
      begin
        raise exception '% is immutable once posted: post a reversing entry instead', tg_table_name using errcode = '55000';
      end $$`);
    for (const t of ['journal_entries', 'journal_lines']) {
      this.addSql(`create trigger ${t}_immutable before update or delete on ${t} for each row execute function journal_immutable()`);
      this.addSql(`create trigger ${t}_no_truncate before truncate on ${t} for each statement execute function journal_immutable()`);
    }
  }

  override down(): void {
    this.addSql(`drop table if exists journal_lines`);
    this.addSql(`drop table if exists journal_entries`);
    this.addSql(`drop table if exists booking_categories`);
    this.addSql(`drop table if exists ledger_accounts`);
    this.addSql(`drop table if exists rc_participants`);
    this.addSql(`drop table if exists rc_organisations`);
    this.addSql(`drop function if exists journal_immutable()`);
    this.addSql(`drop function if exists journal_entry_balanced()`);
    this.addSql(`drop function if exists journal_line_fill()`);
    this.addSql(`drop function if exists rc_one_level()`);
  }
}
