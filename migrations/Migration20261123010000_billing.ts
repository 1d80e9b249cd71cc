import { Migration } from '@mikro-orm/migrations';

/**
 * Billing: office billing settings (creditor, reminder mode), contracts that invoice
 * themselves, gapless invoice numbers per office per year, invoices with lines and booking
 * lines (payments, collections, reversals), SEPA exports, bank statement imports, reminder
 * action groups and every execution of an action (the history).
 */
export class Migration20261123010000_billing extends Migration {
  override up(): void {
    this.addSql(`create table office_billing_settings (
      office_id uuid primary key references offices (id) on delete cascade,
      reminder_mode text not null default 'workflow' check (reminder_mode in ('workflow','module')),
      creditor_name text null,
      creditor_iban text null,
      creditor_bic text null,
      creditor_id text null,
      payment_term_days integer not null default 14 check (payment_term_days between 1 and 90),
      storno_policy jsonb null,
      updated_at timestamptz not null default now()
    )`);

    this.addSql(`create table contracts (
      id uuid primary key,
      office_id uuid not null references offices (id),
      product_id uuid not null references products (id),
      dossier_id uuid not null references dossiers (id),
      description text not null,
      amount_cents integer not null check (amount_cents > 0),
      vat_rate integer not null check (vat_rate between 0 and 100),
      period text not null check (period in ('month','quarter','year')),
      start_date date not null,
      end_date date null,
      payment_method text not null check (payment_method in ('sepa','transfer')),
      mandate_id text null,
      mandate_signed_on date null,
      debtor_iban text null,
      debtor_name text null,
      mandate_first_collected boolean not null default false,
      mandate_flagged_reason text null,
      delivery text not null default 'email' check (delivery in ('email','letter')),
      consumer boolean not null default true,
      pending_amount_cents integer null check (pending_amount_cents is null or pending_amount_cents > 0),
      pending_from date null,
      last_invoice_date date null,
      next_invoice_date date null,
      workflow_id text not null unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint contracts_end_after_start check (end_date is null or end_date >= start_date),
      constraint contracts_sepa_mandate check (payment_method <> 'sepa' or (mandate_id is not null and mandate_signed_on is not null and debtor_iban is not null))
    )`);
    this.addSql(`create index contracts_product_idx on contracts (product_id)`);
    this.addSql(`create index contracts_office_idx on contracts (office_id, next_invoice_date)`);

    this.addSql(`create table invoice_counters (
      office_id uuid not null references offices (id) on delete cascade,
      year integer not null check (year between 2000 and 9999),
      last integer not null default 0 check (last >= 0),
      primary key (office_id, year)
    )`);

    this.addSql(`create table sepa_exports (
      id uuid primary key,
      office_id uuid not null references offices (id),
      message_id text not null unique,
      collection_date date not null,
      transactions integer not null check (transactions > 0),
      total_cents bigint not null check (total_cents > 0),
      xml text not null,
      created_by text not null,
      created_at timestamptz not null default now()
    )`);

    this.addSql(`create table invoices (
      id uuid primary key,
      key text not null unique,
      office_id uuid not null references offices (id),
      contract_id uuid null references contracts (id),
      dossier_id uuid not null references dossiers (id),
      product_id uuid null references products (id),
      number text not null,
      invoice_date date not null,
      due_date date not null,
      period_start date null,
      period_end date null,
      net_cents integer not null check (net_cents >= 0),
      vat_cents integer not null check (vat_cents >= 0),
      total_cents integer not null check (total_cents >= 0),
      paid_cents integer not null default 0,
      costs_cents integer not null default 0 check (costs_cents >= 0),
      status text not null check (status in ('open','sent','collection_pending','paid','collected','reversed','reminded','final_notice','handed_over','credited')),
      payment_method text not null check (payment_method in ('sepa','transfer')),
      delivery text not null check (delivery in ('email','letter')),
      consumer boolean not null default true,
      sequence_type text null check (sequence_type is null or sequence_type in ('FRST','RCUR','FNAL','OOFF')),
      end_to_end_id text null unique,
      recollections integer not null default 0,
      export_id uuid null references sepa_exports (id),
      pdf_document_id uuid null references documents (id),
      workflow_id text not null unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint invoices_office_number_unique unique (office_id, number)
    )`);
    this.addSql(`create index invoices_office_status_idx on invoices (office_id, status, due_date)`);
    this.addSql(`create index invoices_contract_idx on invoices (contract_id, invoice_date)`);

    this.addSql(`create table invoice_lines (
      id uuid primary key,
      invoice_id uuid not null references invoices (id) on delete cascade,
      position integer not null check (position >= 1),
      description text not null,
      net_cents integer not null,
      vat_rate integer not null check (vat_rate between 0 and 100),
      vat_cents integer not null,
      constraint invoice_lines_position_unique unique (invoice_id, position)
    )`);

    this.addSql(`create table bank_imports (
      id uuid primary key,
      office_id uuid not null references offices (id),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      format text not null,
      message_id text not null,
      entries integer not null,
      booked integer not null,
      unmatched integer not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      constraint bank_imports_office_sha_unique unique (office_id, sha256)
    )`);

    this.addSql(`create table booking_lines (
      id uuid primary key,
      key text not null unique,
      office_id uuid not null references offices (id),
      invoice_id uuid not null references invoices (id),
      kind text not null check (kind in ('payment','collection','reversal')),
      amount_cents integer not null check (amount_cents > 0),
      reason_code text null,
      booked_on date not null,
      source text not null check (source in ('camt','manual')),
      import_id uuid null references bank_imports (id),
      note text null,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index booking_lines_invoice_idx on booking_lines (invoice_id, created_at)`);

    this.addSql(`create table action_groups (
      id uuid primary key,
      office_id uuid not null references offices (id),
      name text not null,
      actions jsonb not null,
      is_default boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint action_groups_office_name_unique unique (office_id, name)
    )`);

    this.addSql(`create table reminder_runs (
      id uuid primary key,
      office_id uuid not null references offices (id),
      action_group_id uuid not null references action_groups (id),
      action_index integer not null check (action_index >= 0),
      filter jsonb not null,
      invoices integer not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      processed_at timestamptz null
    )`);

    this.addSql(`create table reminder_executions (
      id uuid primary key,
      key text not null unique,
      office_id uuid not null references offices (id),
      invoice_id uuid not null references invoices (id),
      run_id uuid null references reminder_runs (id),
      action_group_id uuid null references action_groups (id),
      action_name text not null,
      action_type text not null check (action_type in ('mail','letter','task','handover')),
      status_after text not null,
      costs_cents integer not null default 0,
      pay_by date null,
      document_id uuid null references documents (id),
      mail_id uuid null references mails (id),
      task_id uuid null references tasks (id),
      created_by text not null,
      created_at timestamptz not null default now(),
      processed_at timestamptz null
    )`);
    this.addSql(`create index reminder_executions_invoice_idx on reminder_executions (invoice_id, created_at)`);
  }

  override down(): void {
    for (const t of ['reminder_executions', 'reminder_runs', 'action_groups', 'booking_lines', 'bank_imports', 'invoice_lines', 'invoices', 'sepa_exports', 'invoice_counters', 'contracts', 'office_billing_settings']) {
      this.addSql(`drop table if exists ${t}`);
    }
  }
}
