import { Migration } from '@mikro-orm/migrations';

/**
 * Pay-outs of a participant's RC balance (issue 21): one row per pay-out, driven by its workflow
 * `payout:<id>` (requested → approved → file_created → settled, or cancelled before approval).
 * The amount is fixed when it is requested; the pain.001 file is kept with it (no personal data
 * of clients: the participant is an office). At most one open pay-out per participant, so the
 * same balance is never paid out twice.
 */
export class Migration20261213120100_rc_payouts extends Migration {
  override up(): void {
    this.addSql(`create table rc_payouts (
      id uuid primary key,
      central_office_id uuid not null references rc_organisations (office_id),
      participant_office_id uuid not null references rc_participants (office_id),
      amount_cents bigint not null check (amount_cents > 0),
      status text not null check (status in ('requested','approved','file_created','settled','cancelled')),
      period_year integer not null check (period_year between 1900 and 2200),
      period text not null,
      end_to_end_id text not null unique,
      workflow_id text not null unique,
      requested_by text not null,
      approved_by text null,
      approved_at timestamptz null,
      payout_entry_id uuid null references journal_entries (id),
      pain001_xml text null,
      file_created_at timestamptz null,
      settled_on date null,
      settled_entry_id uuid null references journal_entries (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index rc_payouts_one_open on rc_payouts (participant_office_id) where status not in ('settled','cancelled')`);
    this.addSql(`create index rc_payouts_central_idx on rc_payouts (central_office_id, created_at)`);
  }

  override down(): void {
    this.addSql(`drop table if exists rc_payouts`);
  }
}
