import { Migration } from '@mikro-orm/migrations';

/**
 * Uploads (issue 18, deliverable 3): files up to 25 MB that arrive in parts over tus and are
 * stored in PostgreSQL as they stream in (docs/ARCHITECTURE.md rule 3: personal data stays
 * here). `uploads` is one file; `upload_chunks` its bytes, one row per flushed part, keyed by the
 * offset the part starts at. The size limit and "received never beyond the declared length" are
 * CHECKs, so no code path can store more; the store keeps `received` equal to the sum of the
 * chunks by moving both in one transaction, conditional on the offset the client sent.
 * Sizes fit in `integer` (25 MB < 2^31). `credential_id` has no foreign key: it is the creating
 * principal's credential, which may be a portal session rather than an api credential.
 */
export class Migration20261209100000_uploads extends Migration {
  override up(): void {
    this.addSql(`create table uploads (
      id uuid primary key,
      office_id uuid not null references offices(id),
      credential_id uuid not null,
      filename text not null check (length(filename) between 1 and 255),
      length integer not null check (length between 0 and 26214400),
      received integer not null default 0 check (received >= 0 and received <= length),
      content_type text null check (content_type in ('application/pdf','image/jpeg','image/png','image/heic','application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
      sha256 text null check (sha256 ~ '^[0-9a-f]{64}$'),
      status text not null default 'receiving' check (status in ('receiving','complete','infected')),
      scan_result text null,
      created_at timestamptz not null default now(),
      completed_at timestamptz null,
      expires_at timestamptz not null,
      check (status <> 'complete' or (received = length and sha256 is not null and content_type is not null and completed_at is not null))
    )`);
    this.addSql(`create index uploads_office_credential_idx on uploads (office_id, credential_id)`);
    this.addSql(`create index uploads_expiry_idx on uploads (expires_at) where status = 'receiving'`);
    this.addSql(`create table upload_chunks (
      upload_id uuid not null references uploads(id) on delete cascade,
      "offset" integer not null check ("offset" >= 0 and "offset" < 26214400),
      data bytea not null check (octet_length(data) > 0),
      primary key (upload_id, "offset")
    )`);
  }

  override down(): void {
    this.addSql(`drop table if exists upload_chunks`);
    this.addSql(`drop table if exists uploads`);
  }
}
