import { Migration } from '@mikro-orm/migrations';

/**
 * Appointments (*afspraken*, issue 18): planned with a dossier (and optionally one of its
 * products), an adviser (the credential), a start and end instant (entered as Europe/Amsterdam
 * wall time), a place or a video link, notes, a status of domain/appointments and the iCalendar
 * SEQUENCE that every change raises. `reminder_at` is the moment the workflow
 * `appointment:<id>` sends the reminder (null: none), `reminder_sent_at` when it did.
 *
 * `mails.attachments`: the outbox keeps a mail's attachments with it (a JSON array of
 * {filename, contentType, content} with the content as text), so a retried send is the same
 * message with the same .ics.
 */
export class Migration20261209200000_appointments extends Migration {
  override up(): void {
    this.addSql(`create table appointments (
      id uuid primary key,
      office_id uuid not null references offices (id) on delete cascade,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      product_id uuid null references products (id) on delete set null,
      adviser_credential_id uuid not null references api_credentials (id),
      title text not null check (length(title) between 1 and 200),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      location text null,
      video_url text null check (video_url is null or video_url ~ '^https://'),
      notes text null,
      status text not null default 'planned' check (status in ('planned','rescheduled','cancelled')),
      sequence integer not null default 0 check (sequence >= 0),
      reminder_at timestamptz null,
      reminder_sent_at timestamptz null,
      workflow_id text not null unique,
      created_by uuid not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint appointments_ends_after_start check (ends_at > starts_at),
      constraint appointments_place_or_link check (location is not null or video_url is not null)
    )`);
    this.addSql(`create index appointments_dossier_idx on appointments (dossier_id, starts_at)`);
    this.addSql(`create index appointments_upcoming_idx on appointments (office_id, starts_at) where status <> 'cancelled'`);
    this.addSql(`alter table mails add column attachments jsonb null
      check (attachments is null or (jsonb_typeof(attachments) = 'array' and jsonb_array_length(attachments) > 0))`);
  }

  override down(): void {
    this.addSql(`alter table mails drop column if exists attachments`);
    this.addSql(`drop table if exists appointments`);
  }
}
