import { Migration } from '@mikro-orm/migrations';

/**
 * HDN: every message in or out (stored before it is acknowledged, unique on its key), the
 * lenders we address, the link between a mortgage product and its HDN application, and the
 * lender's document checklist (DA lines). Credentials of HDN parties carry their node number.
 */
export class Migration20261123000000_hdn extends Migration {
  override up(): void {
    this.addSql(`alter table api_credentials add column hdn_node text null check (hdn_node is null or length(hdn_node) = 6)`);

    this.addSql(`alter table product_history drop constraint product_history_kind_check`);
    this.addSql(`alter table product_history add constraint product_history_kind_check
      check (kind in ('started','step','reminder','escalation','lender','watchdog'))`);

    this.addSql(`create table hdn_lenders (
      code text primary key check (length(code) between 1 and 40),
      name text not null,
      node_number text not null check (length(node_number) = 6),
      created_at timestamptz not null default now()
    )`);

    this.addSql(`create table hdn_messages (
      id uuid primary key,
      office_id uuid not null references offices (id),
      direction text not null check (direction in ('in','out')),
      type text not null check (type in ('AX','SX','OX','DA','DX')),
      message_key text not null unique,
      sender_node text not null,
      receiver_node text not null,
      application_number text not null,
      application_version integer not null check (application_version >= 1),
      status_code text null,
      summary text not null,
      raw_xml text not null,
      state text not null check (state in ('received','delivered','applied','recorded','ignored','parked','converted','pending','sent','failed')),
      reason text null,
      product_id uuid null references products (id),
      credential_id uuid null references api_credentials (id),
      received_at timestamptz not null default now(),
      processed_at timestamptz null
    )`);
    this.addSql(`create index hdn_messages_office_state_idx on hdn_messages (office_id, state, received_at desc)`);
    this.addSql(`create index hdn_messages_product_idx on hdn_messages (product_id, received_at)`);
    this.addSql(`create index hdn_messages_application_idx on hdn_messages (office_id, application_number)`);

    this.addSql(`create table hdn_applications (
      product_id uuid primary key references products (id) on delete cascade,
      office_id uuid not null references offices (id),
      application_number text not null,
      application_version integer not null check (application_version >= 1),
      lender_code text not null references hdn_lenders (code),
      source_message_id uuid not null references hdn_messages (id),
      constraint hdn_applications_office_number_unique unique (office_id, application_number)
    )`);

    this.addSql(`create table hdn_document_lines (
      id uuid primary key,
      product_id uuid not null references products (id) on delete cascade,
      line_id text not null,
      document_kind text not null,
      description text null,
      status text not null,
      applicant_position integer null,
      fetched_by_lender boolean not null default false,
      remark text null,
      message_id uuid not null references hdn_messages (id),
      updated_at timestamptz not null default now(),
      constraint hdn_document_lines_product_line_unique unique (product_id, line_id)
    )`);
  }

  override down(): void {
    this.addSql(`drop table if exists hdn_document_lines`);
    this.addSql(`drop table if exists hdn_applications`);
    this.addSql(`drop table if exists hdn_messages`);
    this.addSql(`drop table if exists hdn_lenders`);
    this.addSql(`delete from product_history where kind in ('lender','watchdog')`);
    this.addSql(`alter table product_history drop constraint product_history_kind_check`);
    this.addSql(`alter table product_history add constraint product_history_kind_check
      check (kind in ('started','step','reminder','escalation'))`);
    this.addSql(`alter table api_credentials drop column hdn_node`);
  }
}
