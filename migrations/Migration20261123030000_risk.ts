import { Migration } from '@mikro-orm/migrations';

/**
 * RISK (insurance quotes and policies, DOMAIN process 6):
 * - `risk_messages`: the RISK inbox. Every message is stored before it is acknowledged, once per
 *   (office, RISK message id); webhook and polling feed the same table, so their overlap is harmless.
 * - `insurance_policies`: one row per insurance product (products.type 'insurance'), with RISK's
 *   quote/policy number unique per office (never a second product for one quote) and the
 *   last applied event (version, time, message) for the last-writer rule.
 * - `insurance_history`: one row per applied event (premium, start date, coverages as they became).
 * - `risk_relations`: RISK relation numbers learned per office (VP_RELNUM → person), for matching.
 * - `risk_poll_cursors`: how far the polling fallback has read RISK's event feed, per office.
 */
export class Migration20261123030000_risk extends Migration {
  override up(): void {
    this.addSql(`create table risk_messages (
      id uuid primary key,
      office_id uuid not null references offices (id),
      message_key text not null check (length(message_key) between 1 and 40),
      kind text not null check (kind in ('quote','final','mutation','cancellation')),
      policy_number text not null,
      version integer not null check (version >= 1),
      event_at timestamptz not null,
      summary text not null,
      raw_xml text not null,
      source text not null check (source in ('webhook','poll')),
      state text not null check (state in ('received','waiting','delivered','applied','ignored','recorded')),
      reason text null,
      product_id uuid null references products (id),
      credential_id uuid null references api_credentials (id),
      received_at timestamptz not null default now(),
      processed_at timestamptz null,
      constraint risk_messages_office_key_unique unique (office_id, message_key)
    )`);
    this.addSql(`create index risk_messages_office_state_idx on risk_messages (office_id, state, received_at desc)`);
    this.addSql(`create index risk_messages_policy_idx on risk_messages (office_id, policy_number, version)`);

    this.addSql(`create table insurance_policies (
      product_id uuid primary key references products (id) on delete cascade,
      office_id uuid not null references offices (id),
      dossier_id uuid not null references dossiers (id),
      person_id uuid null references persons (id),
      external_ref text null check (external_ref is null or length(external_ref) between 1 and 40),
      branch text not null,
      insurer_code text null,
      start_date date null,
      premium_cents bigint null,
      payment_term_months integer null,
      requested_coverages jsonb not null default '[]'::jsonb,
      last_version integer null,
      last_event_at timestamptz null,
      last_message_id uuid null references risk_messages (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint insurance_policies_office_ref_unique unique (office_id, external_ref)
    )`);

    this.addSql(`create table insurance_history (
      id uuid primary key,
      product_id uuid not null references insurance_policies (product_id) on delete cascade,
      message_id uuid not null unique references risk_messages (id),
      seq integer not null check (seq >= 1),
      kind text not null check (kind in ('quote','final','mutation','cancellation')),
      version integer not null,
      event_at timestamptz not null,
      premium_cents bigint not null,
      start_date date null,
      coverages jsonb not null,
      from_status text not null,
      to_status text not null,
      recorded_at timestamptz not null default now(),
      constraint insurance_history_product_seq_unique unique (product_id, seq)
    )`);

    this.addSql(`create table risk_relations (
      office_id uuid not null references offices (id),
      relation_number text not null,
      person_id uuid not null references persons (id) on delete cascade,
      primary key (office_id, relation_number)
    )`);

    this.addSql(`create table risk_poll_cursors (
      office_id uuid primary key references offices (id),
      cursor text not null,
      polled_at timestamptz not null default now()
    )`);
  }

  override down(): void {
    this.addSql(`drop table if exists risk_poll_cursors`);
    this.addSql(`drop table if exists risk_relations`);
    this.addSql(`drop table if exists insurance_history`);
    this.addSql(`drop table if exists insurance_policies`);
    this.addSql(`drop table if exists risk_messages`);
  }
}
