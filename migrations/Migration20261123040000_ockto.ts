import { Migration } from '@mikro-orm/migrations';

/**
 * Ockto retrievals and the Wwft risk classification.
 *
 * - `ockto_retrievals`: one data retrieval for a person, driven by the workflow `ockto:<id>`;
 *   the status, the session reference, the answers to the four questions (enum values), the
 *   class derived from them and the current class (after an adviser's deviation).
 * - `ockto_source_data`: the raw data as Ockto delivered it, one row per retrieval, written in
 *   one transaction with the retrieval's status; `data` is wiped (set null) and `deleted_at`
 *   set when the retention ends, while the answers and the classification stay.
 * - `ockto_callbacks`: every callback as received (without the data, which goes to
 *   ockto_source_data), unique on Ockto's event id: a duplicate is answered the same, once.
 * - `risk_class_history`: every change of a person's risk class: who, when, from, to,
 *   motivation, source (data | manual). Insert-only; `key` makes the data-derived record
 *   idempotent for a retried activity.
 */
export class Migration20261123040000_ockto extends Migration {
  override up(): void {
    this.addSql(`create table ockto_retrievals (
      id uuid primary key,
      office_id uuid not null references offices (id),
      person_id uuid not null references persons (id) on delete cascade,
      dossier_id uuid null references dossiers (id) on delete set null,
      status text not null default 'starting'
        check (status in ('starting','waiting','classified','declined','expired','failed')),
      status_reason text null,
      scenario text null,
      session_id text null unique,
      session_url text null,
      session_qr text null,
      reminder_after_seconds integer null check (reminder_after_seconds > 0),
      expire_after_seconds integer null check (expire_after_seconds > 0),
      poll_interval_seconds integer null check (poll_interval_seconds > 0),
      retention_seconds integer null check (retention_seconds > 0),
      answers jsonb null,
      derived_class text null check (derived_class in ('Laag','Hoog','Onacceptabel')),
      derived_reasons jsonb null,
      current_class text null check (current_class in ('Laag','Hoog','Onacceptabel')),
      requested_by uuid not null,
      reminder_sent_at timestamptz null,
      reminder_note text null,
      shared_at timestamptz null,
      ended_at timestamptz null,
      source_deleted_at timestamptz null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index ockto_retrievals_person_idx on ockto_retrievals (office_id, person_id, created_at)`);

    this.addSql(`create table ockto_source_data (
      retrieval_id uuid primary key references ockto_retrievals (id) on delete cascade,
      data jsonb null,
      missing jsonb not null default '[]'::jsonb,
      received_via text not null check (received_via in ('callback','poll')),
      received_at timestamptz not null default now(),
      deleted_at timestamptz null,
      check ((data is null) = (deleted_at is not null))
    )`);

    this.addSql(`create table ockto_callbacks (
      id uuid primary key,
      event_id text not null unique,
      office_id uuid null references offices (id),
      retrieval_id uuid null references ockto_retrievals (id) on delete cascade,
      session_id text not null,
      status text not null,
      outcome text not null,
      received_at timestamptz not null default now()
    )`);

    this.addSql(`create table risk_class_history (
      id uuid primary key,
      key text null unique,
      office_id uuid not null references offices (id),
      person_id uuid not null references persons (id) on delete cascade,
      retrieval_id uuid null references ockto_retrievals (id) on delete set null,
      from_class text null check (from_class in ('Laag','Hoog','Onacceptabel')),
      to_class text not null check (to_class in ('Laag','Hoog','Onacceptabel')),
      motivation text null,
      source text not null check (source in ('data','manual')),
      actor text not null,
      created_at timestamptz not null default now(),
      check (source = 'data' or length(trim(coalesce(motivation, ''))) >= 10)
    )`);
    this.addSql(`create index risk_class_history_person_idx on risk_class_history (person_id, created_at)`);
  }

  override down(): void {
    this.addSql(`drop table if exists risk_class_history`);
    this.addSql(`drop table if exists ockto_callbacks`);
    this.addSql(`drop table if exists ockto_source_data`);
    this.addSql(`drop table if exists ockto_retrievals`);
  }
}
