import { Migration } from '@mikro-orm/migrations';

/**
 * The CRM card (*relatiekaart*) of a person (issue #6 part 4; DOMAIN "Core objects").
 *
 * - `crm_property_definitions` / `crm_property_values`: free properties the admin defines per
 *   office; a value is jsonb so a number stays a number and a boolean a boolean (the type is
 *   checked by the API against the definition, not by the database).
 * - `crm_indicators` / `crm_person_indicators`: admin-defined labels (*Lead*, *Oud-medewerker*);
 *   `show_in_dossier` lets the dossier view show them behind the person's name.
 * - `crm_relations`: "related_person_id is the <type> of person_id". Symmetric types are stored
 *   as two rows (partner↔partner, ouder↔kind, collega↔collega) so each card reads its own rows
 *   with one index; both rows go together (the API writes and deletes them in one statement).
 * - `crm_notes`, `crm_signals` (manual reminders with a date and optional time; due ones are
 *   merged into the work queue), `crm_identifications` (one record per person: how, with which
 *   document and by whom the identity was checked; the document number is personal data and is
 *   only ever answered masked).
 *
 * Everything cascades with the person: deleting a person is only allowed when nothing is linked
 * (api/lib/privacy/delete.ts counts the identification record as linked: Wwft retention).
 */
export class Migration20261123080000_crm_card extends Migration {
  override up(): void {
    this.addSql(`create table crm_property_definitions (
      id uuid primary key,
      office_id uuid not null references offices (id) on delete cascade,
      key text not null check (key ~ '^[a-z][a-z0-9_-]{0,59}$'),
      label text not null check (length(trim(label)) > 0),
      type text not null check (type in ('text','number','date','boolean','choice')),
      choices jsonb null,
      created_at timestamptz not null default now(),
      constraint crm_property_definitions_office_key_unique unique (office_id, key),
      constraint crm_property_definitions_choices check ((type = 'choice') = (choices is not null))
    )`);

    this.addSql(`create table crm_property_values (
      person_id uuid not null references persons (id) on delete cascade,
      property_id uuid not null references crm_property_definitions (id) on delete cascade,
      value jsonb not null,
      updated_by text not null,
      updated_at timestamptz not null default now(),
      primary key (person_id, property_id)
    )`);

    this.addSql(`create table crm_indicators (
      id uuid primary key,
      office_id uuid not null references offices (id) on delete cascade,
      label text not null check (length(trim(label)) > 0),
      show_in_dossier boolean not null default false,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index crm_indicators_office_label_unique on crm_indicators (office_id, lower(label))`);

    this.addSql(`create table crm_person_indicators (
      person_id uuid not null references persons (id) on delete cascade,
      indicator_id uuid not null references crm_indicators (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (person_id, indicator_id)
    )`);

    this.addSql(`create table crm_relations (
      id uuid primary key,
      office_id uuid not null references offices (id),
      person_id uuid not null references persons (id) on delete cascade,
      related_person_id uuid not null references persons (id) on delete cascade,
      type text not null check (type in ('partner','ouder','kind','collega','other')),
      pair_id uuid not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      constraint crm_relations_not_self check (person_id <> related_person_id),
      constraint crm_relations_unique unique (person_id, related_person_id, type)
    )`);
    this.addSql(`create index crm_relations_related_idx on crm_relations (related_person_id)`);
    this.addSql(`create index crm_relations_pair_idx on crm_relations (pair_id)`);

    this.addSql(`create table crm_notes (
      id uuid primary key,
      office_id uuid not null references offices (id),
      person_id uuid not null references persons (id) on delete cascade,
      title text not null check (length(trim(title)) > 0),
      text text not null default '',
      priority text not null default 'normal' check (priority in ('low','normal','high')),
      show_in_dossier boolean not null default false,
      always_first boolean not null default false,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index crm_notes_person_idx on crm_notes (person_id, created_at)`);

    this.addSql(`create table crm_signals (
      id uuid primary key,
      office_id uuid not null references offices (id),
      person_id uuid not null references persons (id) on delete cascade,
      title text not null check (length(trim(title)) > 0),
      due_date date not null,
      due_time time null,
      done boolean not null default false,
      done_at timestamptz null,
      created_by text not null,
      created_at timestamptz not null default now(),
      constraint crm_signals_done_has_done_at check (done = (done_at is not null))
    )`);
    this.addSql(`create index crm_signals_person_idx on crm_signals (person_id, due_date)`);
    // The work queue reads the open signals of an office by due moment.
    this.addSql(`create index crm_signals_queue_idx on crm_signals (office_id, due_date, due_time) where not done`);

    this.addSql(`create table crm_identifications (
      person_id uuid primary key references persons (id) on delete cascade,
      office_id uuid not null references offices (id),
      method text not null check (method in ('in_person','video','idin','copy','other')),
      document_type text not null check (document_type in ('paspoort','id-kaart','rijbewijs','verblijfsdocument')),
      document_number text null,
      valid_until date null,
      checked_by uuid not null references api_credentials (id),
      checked_at timestamptz not null,
      updated_at timestamptz not null default now()
    )`);
  }

  override down(): void {
    for (const table of [
      'crm_identifications',
      'crm_signals',
      'crm_notes',
      'crm_relations',
      'crm_person_indicators',
      'crm_indicators',
      'crm_property_values',
      'crm_property_definitions',
    ]) {
      this.addSql(`drop table if exists ${table}`);
    }
  }
}
