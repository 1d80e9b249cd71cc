import { Migration } from '@mikro-orm/migrations';

/**
 * Person files (issue 19, deliverable 4; seed 002 *Bestanden*): a file the adviser keeps with a
 * person on the CRM card before there is a dossier, movable later to one of the person's
 * dossiers. The bytes stay in the upload engine (`uploads`, tus, sniffed and scanned): a person
 * file names its upload and keeps a copy of its name, type, size and hash, like
 * `checklist_item_files`. `dossier_id` is where the file is now (null: on the card only).
 * Deleting a file deletes its upload (the bytes) and keeps the row as a tombstone with who and
 * when, so its history stays. `person_file_events` is that history: attached, moved (from, to),
 * deleted, each with the acting credential and the time (the audit of every move).
 */
export class Migration20261211140000_person_files extends Migration {
  override up(): void {
    this.addSql(`create table person_files (
      id uuid primary key,
      office_id uuid not null references offices (id),
      person_id uuid not null references persons (id) on delete cascade,
      upload_id uuid null unique references uploads (id) on delete set null,
      dossier_id uuid null references dossiers (id) on delete set null,
      filename text not null check (length(filename) between 1 and 255),
      content_type text not null,
      size_bytes integer not null check (size_bytes between 0 and 26214400),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      created_by uuid not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz null,
      deleted_by uuid null,
      constraint person_files_deleted_by check ((deleted_at is null) = (deleted_by is null))
    )`);
    this.addSql(`create index person_files_person_idx on person_files (person_id, created_at desc)`);
    this.addSql(`create index person_files_dossier_idx on person_files (dossier_id) where dossier_id is not null`);
    this.addSql(`create index person_files_office_idx on person_files (office_id, created_at desc)`);
    this.addSql(`create table person_file_events (
      id uuid primary key,
      file_id uuid not null references person_files (id) on delete cascade,
      kind text not null check (kind in ('attached','moved','deleted')),
      from_dossier_id uuid null references dossiers (id) on delete set null,
      to_dossier_id uuid null references dossiers (id) on delete set null,
      actor uuid not null,
      at timestamptz not null default now()
    )`);
    this.addSql(`create index person_file_events_file_idx on person_file_events (file_id, at, id)`);
  }

  override down(): void {
    this.addSql(`drop table if exists person_file_events`);
    this.addSql(`drop table if exists person_files`);
  }
}
