import { Migration } from '@mikro-orm/migrations';

/**
 * The foundation schema, hand-written: offices and credentials, persons and dossiers,
 * process definitions, products with parts and history, and what activities write
 * (tasks, mails, documents, checklists, contact moments, portal activations, templates).
 * Every idempotent write goes through a unique `key` column.
 */
export class Migration20261122000000_foundation extends Migration {
  override up(): void {
    this.addSql(`create table offices (
      id uuid primary key,
      name text not null check (length(trim(name)) > 0),
      created_at timestamptz not null default now()
    )`);

    this.addSql(`create table api_credentials (
      id uuid primary key,
      office_id uuid not null references offices (id) on delete cascade,
      name text not null,
      role text not null check (role in ('adviser','designer','admin','lender','advice_software','risk','ockto','bank')),
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null default now(),
      revoked_at timestamptz null
    )`);
    this.addSql(`create index api_credentials_office_idx on api_credentials (office_id)`);

    this.addSql(`create table persons (
      id uuid primary key,
      office_id uuid not null references offices (id),
      first_name text not null,
      infix text null,
      last_name text not null check (length(trim(last_name)) > 0),
      birth_date date null,
      email text null,
      phone text null,
      street text null,
      house_number integer null check (house_number is null or house_number > 0),
      house_number_suffix text null,
      postcode text null check (postcode is null or postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'),
      city text null,
      country text not null default 'NL',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index persons_office_birth_name_idx on persons (office_id, birth_date, lower(last_name))`);
    this.addSql(`create index persons_office_email_idx on persons (office_id, lower(email))`);
    this.addSql(`create index persons_office_address_idx on persons (office_id, postcode, house_number)`);
    this.addSql(`create index persons_last_name_prefix_idx on persons (lower(last_name) text_pattern_ops)`);

    this.addSql(`create table dossier_counters (
      office_id uuid not null references offices (id) on delete cascade,
      year integer not null check (year between 2000 and 9999),
      last integer not null default 0 check (last >= 0),
      primary key (office_id, year)
    )`);

    this.addSql(`create table dossiers (
      id uuid primary key,
      office_id uuid not null references offices (id),
      number text not null check (number ~ '^[0-9]{4}-[0-9]{6,}$'),
      status text not null default 'prospect' check (status in ('prospect','client')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint dossiers_office_number_unique unique (office_id, number)
    )`);
    this.addSql(`create index dossiers_office_status_idx on dossiers (office_id, status)`);

    this.addSql(`create table dossier_applicants (
      dossier_id uuid not null references dossiers (id) on delete cascade,
      person_id uuid not null references persons (id),
      position integer not null check (position in (1, 2)),
      primary key (dossier_id, position),
      constraint dossier_applicants_person_unique unique (dossier_id, person_id)
    )`);
    this.addSql(`create index dossier_applicants_person_idx on dossier_applicants (person_id)`);

    this.addSql(`create table dossier_events (
      id uuid primary key,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      key text null unique,
      at timestamptz not null,
      actor text not null,
      kind text not null,
      from_status text null,
      to_status text not null
    )`);
    this.addSql(`create index dossier_events_dossier_idx on dossier_events (dossier_id, at)`);

    this.addSql(`create table process_definitions (
      id uuid primary key,
      key text not null,
      version integer not null check (version >= 1),
      product_type text not null,
      name text not null,
      definition jsonb not null,
      published_at timestamptz not null default now(),
      constraint process_definitions_key_version_unique unique (key, version)
    )`);

    this.addSql(`create table products (
      id uuid primary key,
      office_id uuid not null references offices (id),
      dossier_id uuid not null references dossiers (id),
      type text not null,
      company text null,
      process_key text not null,
      process_version integer not null,
      status text not null,
      category text not null check (category in ('new','running','ended')),
      workflow_id text not null unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint products_process_fk foreign key (process_key, process_version)
        references process_definitions (key, version)
    )`);
    this.addSql(`create index products_dossier_idx on products (dossier_id)`);
    this.addSql(`create index products_office_type_category_idx on products (office_id, type, category)`);

    this.addSql(`create table product_parts (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      number integer not null check (number >= 1),
      description text not null,
      status text not null,
      category text not null check (category in ('new','running','ended')),
      follows_product boolean not null default true,
      constraint product_parts_product_number_unique unique (product_id, number)
    )`);

    this.addSql(`create table product_history (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      key text not null unique,
      seq integer not null check (seq >= 0),
      at timestamptz not null,
      actor text not null,
      kind text not null check (kind in ('started','step','reminder','escalation')),
      step_id text null,
      label text not null,
      from_status text not null,
      to_status text not null,
      constraint product_history_product_seq_unique unique (product_id, seq)
    )`);

    this.addSql(`create table step_payloads (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      step_id text not null,
      data jsonb not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index step_payloads_product_idx on step_payloads (product_id)`);

    this.addSql(`create table tasks (
      id uuid primary key,
      key text not null unique,
      office_id uuid not null references offices (id),
      dossier_id uuid not null references dossiers (id) on delete cascade,
      product_id uuid null references products (id) on delete cascade,
      title text not null,
      assignee text not null check (assignee in ('adviser','backoffice')),
      due_date date null,
      status text not null default 'open' check (status in ('open','done')),
      created_at timestamptz not null default now(),
      completed_at timestamptz null,
      constraint tasks_done_has_completed_at check ((status = 'done') = (completed_at is not null))
    )`);
    this.addSql(`create index tasks_queue_idx on tasks (office_id, assignee, status, due_date)`);
    this.addSql(`create index tasks_dossier_idx on tasks (dossier_id)`);

    this.addSql(`create table mails (
      id uuid primary key,
      key text not null unique,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      product_id uuid null references products (id) on delete cascade,
      template text not null,
      to_address text not null,
      subject text not null,
      body_text text not null,
      status text not null default 'pending' check (status in ('pending','sent','failed')),
      message_id text not null unique,
      attempts integer not null default 0 check (attempts >= 0),
      last_error text null,
      created_at timestamptz not null default now(),
      sent_at timestamptz null,
      constraint mails_sent_has_sent_at check ((status = 'sent') = (sent_at is not null))
    )`);
    this.addSql(`create index mails_dossier_idx on mails (dossier_id, created_at)`);
    this.addSql(`create index mails_pending_idx on mails (status) where status <> 'sent'`);

    this.addSql(`create table documents (
      id uuid primary key,
      key text not null unique,
      office_id uuid not null references offices (id),
      dossier_id uuid not null references dossiers (id) on delete cascade,
      product_id uuid null references products (id) on delete cascade,
      document_type text not null,
      filename text not null,
      content_type text not null,
      size_bytes integer not null check (size_bytes >= 0 and size_bytes <= 26214400),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      content bytea not null,
      created_at timestamptz not null default now(),
      constraint documents_size_matches check (octet_length(content) = size_bytes)
    )`);
    this.addSql(`create index documents_dossier_idx on documents (dossier_id, created_at)`);

    this.addSql(`create table checklists (
      id uuid primary key,
      key text not null unique,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      product_id uuid not null references products (id) on delete cascade,
      profile text not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index checklists_dossier_idx on checklists (dossier_id)`);

    this.addSql(`create table checklist_items (
      id uuid primary key,
      checklist_id uuid not null references checklists (id) on delete cascade,
      position integer not null check (position >= 1),
      code text not null,
      label text not null,
      status text not null default 'requested' check (status in ('requested','received','approved','rejected')),
      constraint checklist_items_checklist_code_unique unique (checklist_id, code)
    )`);

    this.addSql(`create table contact_moments (
      id uuid primary key,
      key text not null unique,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      product_id uuid not null references products (id) on delete cascade,
      at timestamptz not null,
      actor text not null,
      channel text not null,
      summary text null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index contact_moments_dossier_idx on contact_moments (dossier_id, at)`);

    this.addSql(`create table portal_activations (
      id uuid primary key,
      key text not null unique,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      person_id uuid not null references persons (id) on delete cascade,
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      expires_at timestamptz not null,
      activated_at timestamptz null,
      created_at timestamptz not null default now(),
      constraint portal_activations_expiry check (expires_at > created_at)
    )`);
    this.addSql(`create index portal_activations_person_idx on portal_activations (person_id)`);

    this.addSql(`create table templates (
      id uuid primary key,
      key text not null,
      version integer not null check (version >= 1),
      kind text not null check (kind in ('mail','document')),
      subject text null,
      body text not null,
      created_at timestamptz not null default now(),
      constraint templates_key_version_unique unique (key, version),
      constraint templates_mail_has_subject check (kind <> 'mail' or subject is not null)
    )`);
  }

  override down(): void {
    for (const table of [
      'templates',
      'portal_activations',
      'contact_moments',
      'checklist_items',
      'checklists',
      'documents',
      'mails',
      'tasks',
      'step_payloads',
      'product_history',
      'product_parts',
      'products',
      'process_definitions',
      'dossier_events',
      'dossier_applicants',
      'dossiers',
      'dossier_counters',
      'persons',
      'api_credentials',
      'offices',
    ]) {
      this.addSql(`drop table if exists ${table}`);
    }
  }
}
