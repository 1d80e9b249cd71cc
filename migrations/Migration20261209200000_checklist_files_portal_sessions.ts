import { Migration } from '@mikro-orm/migrations';

/**
 * The client's checklist (*stukkenlijst*) becomes workable (issue 18): a line's status is now
 * requested / uploaded / approved / rejected (the old 'received' meant "a file is in": it becomes
 * 'uploaded'); every file attached to a line is kept (`checklist_item_files`, the current one
 * linked from the line), with who attached it and, once reviewed, who approved or rejected it
 * and why. `portal_sessions`: the client's short-lived portal credential, opened with the
 * activation link, only the sha256 of its token stored.
 */
export class Migration20261209200000_checklist_files_portal_sessions extends Migration {
  override up(): void {
    this.addSql(`alter table checklist_items drop constraint if exists checklist_items_status_check`);
    this.addSql(`update checklist_items set status = 'uploaded' where status = 'received'`);
    this.addSql(`alter table checklist_items add constraint checklist_items_status_check
      check (status in ('requested','uploaded','approved','rejected'))`);

    this.addSql(`create table checklist_item_files (
      id uuid primary key,
      item_id uuid not null references checklist_items (id) on delete cascade,
      upload_id uuid not null,
      filename text not null,
      content_type text not null,
      size_bytes integer not null check (size_bytes >= 0 and size_bytes <= 26214400),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      uploaded_by text not null check (uploaded_by in ('adviser','client')),
      credential_id uuid not null,
      attached_at timestamptz not null,
      review text null check (review in ('approved','rejected')),
      reviewed_by uuid null,
      reviewed_at timestamptz null,
      rejection_reason text null,
      constraint checklist_item_files_item_upload_unique unique (item_id, upload_id),
      constraint checklist_item_files_review_complete check ((review is null) = (reviewed_at is null) and (review is null) = (reviewed_by is null)),
      constraint checklist_item_files_reason check ((review = 'rejected') = (rejection_reason is not null))
    )`);
    this.addSql(`create index checklist_item_files_item_idx on checklist_item_files (item_id, attached_at)`);
    this.addSql(`alter table checklist_items add column current_file_id uuid null references checklist_item_files (id) on delete set null`);

    this.addSql(`create table portal_sessions (
      id uuid primary key,
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      activation_id uuid not null references portal_activations (id) on delete cascade,
      office_id uuid not null references offices (id) on delete cascade,
      dossier_id uuid not null references dossiers (id) on delete cascade,
      person_id uuid not null references persons (id) on delete cascade,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      constraint portal_sessions_expiry check (expires_at > created_at)
    )`);
    this.addSql(`create index portal_sessions_person_idx on portal_sessions (person_id)`);
  }

  override down(): void {
    this.addSql(`drop table if exists portal_sessions`);
    this.addSql(`alter table checklist_items drop column if exists current_file_id`);
    this.addSql(`drop table if exists checklist_item_files`);
    this.addSql(`alter table checklist_items drop constraint if exists checklist_items_status_check`);
    this.addSql(`update checklist_items set status = 'received' where status = 'uploaded'`);
    this.addSql(`alter table checklist_items add constraint checklist_items_status_check
      check (status in ('requested','received','approved','rejected'))`);
  }
}
