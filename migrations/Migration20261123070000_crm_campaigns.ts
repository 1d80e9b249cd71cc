import { Migration } from '@mikro-orm/migrations';

/**
 * Mail campaigns as workflows and the person import (issue #6 parts 3 and 4).
 *
 * - `campaign_recipients.status` gains 'cancelled': a cancelled campaign marks the recipients it
 *   never reached, so every frozen recipient ends with a result of its own.
 * - `campaigns.batch_size` / `batch_interval_ms`: the throttle of the campaign, read by the
 *   workflow through an activity (its input stays the campaign id only).
 * - `person_imports`: one row per uploaded file; `processed` / `total` is the progress a client
 *   polls while a large file is imported, `report` the final answer (row numbers and reasons,
 *   never the rows' personal data beyond what the adviser sees on screen anyway).
 */
export class Migration20261123070000_crm_campaigns extends Migration {
  override up(): void {
    this.addSql(`alter table campaign_recipients drop constraint if exists campaign_recipients_status_check`);
    this.addSql(`alter table campaign_recipients add constraint campaign_recipients_status_check
      check (status in ('pending','sent','opted_out','no_email','failed','cancelled'))`);
    this.addSql(`alter table campaigns add column batch_size integer not null default 50 check (batch_size between 1 and 500)`);
    this.addSql(`alter table campaigns add column batch_interval_ms integer not null default 0 check (batch_interval_ms between 0 and 3600000)`);
    this.addSql(`alter table campaigns add column cancelled integer not null default 0 check (cancelled >= 0)`);

    this.addSql(`create table person_imports (
      id uuid primary key,
      office_id uuid not null references offices (id),
      created_by text not null,
      dry_run boolean not null,
      format text not null check (format in ('csv','xlsx')),
      status text not null default 'running' check (status in ('running','done','failed')),
      total integer not null default 0 check (total >= 0),
      processed integer not null default 0 check (processed >= 0),
      imported integer not null default 0 check (imported >= 0),
      report jsonb null,
      error text null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index person_imports_office_idx on person_imports (office_id, created_at desc)`);
  }

  override down(): void {
    this.addSql(`drop table if exists person_imports`);
    this.addSql(`alter table campaigns drop column if exists cancelled`);
    this.addSql(`alter table campaigns drop column if exists batch_interval_ms`);
    this.addSql(`alter table campaigns drop column if exists batch_size`);
    this.addSql(`update campaign_recipients set status = 'failed', reason = coalesce(reason, 'cancelled') where status = 'cancelled'`);
    this.addSql(`alter table campaign_recipients drop constraint if exists campaign_recipients_status_check`);
    this.addSql(`alter table campaign_recipients add constraint campaign_recipients_status_check
      check (status in ('pending','sent','opted_out','no_email','failed'))`);
  }
}
