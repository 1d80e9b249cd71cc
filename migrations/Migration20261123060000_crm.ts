import { Migration } from '@mikro-orm/migrations';

/**
 * CRM, selections and privacy (issue #6; DOMAIN processes 8 and 9).
 *
 * - `persons.anonymised_at`: set once by the anonymisation; a second call finds it and changes
 *   nothing (idempotent). `persons.mail_opt_out`: the person wants no campaign mails.
 * - `privacy_audit`: every anonymisation and deletion: who, when, which person id, and what was
 *   changed as counts per table. It never holds a personal value, and has no foreign key to
 *   persons on purpose: the record must outlive a deleted person.
 * - `saved_selections`: query-manager selections, private to the credential that saved them.
 * - `campaigns` / `campaign_recipients`: a mail campaign over a selection. The recipients are
 *   frozen when the campaign is created (the workflow `campaign:<id>` only gets the campaign id
 *   and works through the pending rows by person id); each row keeps its own result.
 * - Indexes for the selection SQL: its EXISTS / NOT EXISTS probes go from a dossier to its
 *   products by type (and company / status), and its date filters read created_at per office.
 */
export class Migration20261123060000_crm extends Migration {
  override up(): void {
    this.addSql(`alter table persons add column anonymised_at timestamptz null`);
    this.addSql(`alter table persons add column mail_opt_out boolean not null default false`);

    this.addSql(`create table privacy_audit (
      id uuid primary key,
      office_id uuid not null references offices (id),
      person_id uuid not null,
      action text not null check (action in ('anonymise','delete')),
      actor text not null,
      at timestamptz not null default now(),
      changes jsonb not null
    )`);
    this.addSql(`create index privacy_audit_person_idx on privacy_audit (office_id, person_id, at)`);

    this.addSql(`create table saved_selections (
      id uuid primary key,
      office_id uuid not null references offices (id),
      credential_id uuid not null references api_credentials (id) on delete cascade,
      name text not null check (length(trim(name)) > 0),
      query jsonb not null,
      created_at timestamptz not null default now(),
      constraint saved_selections_owner_name_unique unique (credential_id, name)
    )`);

    this.addSql(`create table campaigns (
      id uuid primary key,
      office_id uuid not null references offices (id),
      name text not null,
      template text not null,
      selection jsonb not null,
      status text not null default 'running' check (status in ('running','paused','cancelled','completed')),
      total integer not null default 0 check (total >= 0),
      sent integer not null default 0 check (sent >= 0),
      skipped integer not null default 0 check (skipped >= 0),
      failed integer not null default 0 check (failed >= 0),
      workflow_id text not null unique,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index campaigns_office_idx on campaigns (office_id, created_at desc)`);

    this.addSql(`create table campaign_recipients (
      campaign_id uuid not null references campaigns (id) on delete cascade,
      person_id uuid not null references persons (id) on delete cascade,
      dossier_id uuid null references dossiers (id) on delete set null,
      position integer not null check (position >= 1),
      status text not null default 'pending' check (status in ('pending','sent','opted_out','no_email','failed')),
      mail_id uuid null references mails (id) on delete set null,
      reason text null,
      updated_at timestamptz not null default now(),
      primary key (campaign_id, person_id),
      constraint campaign_recipients_position_unique unique (campaign_id, position)
    )`);
    this.addSql(`create index campaign_recipients_pending_idx on campaign_recipients (campaign_id, position) where status = 'pending'`);

    this.addSql(`create index products_dossier_type_idx on products (dossier_id, type, company, status)`);
    this.addSql(`create index products_office_created_idx on products (office_id, created_at)`);
    this.addSql(`create index dossiers_office_created_idx on dossiers (office_id, created_at)`);
    this.addSql(`create index persons_office_name_idx on persons (office_id, last_name, first_name, id)`);
    this.addSql(`create index mails_to_address_idx on mails (lower(to_address))`);
    this.addSql(`create index contracts_dossier_idx on contracts (dossier_id)`);
    this.addSql(`create index invoices_dossier_idx on invoices (dossier_id)`);
  }

  override down(): void {
    for (const index of [
      'invoices_dossier_idx',
      'contracts_dossier_idx',
      'mails_to_address_idx',
      'persons_office_name_idx',
      'dossiers_office_created_idx',
      'products_office_created_idx',
      'products_dossier_type_idx',
    ]) {
      this.addSql(`drop index if exists ${index}`);
    }
    this.addSql(`drop table if exists campaign_recipients`);
    this.addSql(`drop table if exists campaigns`);
    this.addSql(`drop table if exists saved_selections`);
    this.addSql(`drop table if exists privacy_audit`);
    this.addSql(`alter table persons drop column if exists mail_opt_out`);
    this.addSql(`alter table persons drop column if exists anonymised_at`);
  }
}
