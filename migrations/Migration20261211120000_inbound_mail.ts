import { Migration } from '@mikro-orm/migrations';

/**
 * Inbound mail (*inkomende mail*, issue 19): each office's IMAP mailbox is polled by the workflow
 * `mailbox:<officeId>`; every mail is stored once per office by its normalised Message-ID (or a
 * synthetic one, `synthetic:<sha256>`, for a mail without one), linked to the persons whose
 * address sent it, or left unlinked in the office's inbox until an adviser links it by hand.
 *
 * `mailbox_cursors`: where the poll is (the mailbox's UIDVALIDITY and the last UID stored); it
 * moves only after the mail of that UID is stored. Attachments are kept in the database (the
 * content is null when the attachment was over the size limit: its name and size still show).
 */
export class Migration20261211120000_inbound_mail extends Migration {
  override up(): void {
    this.addSql(`create table mailbox_cursors (
      office_id uuid primary key references offices (id) on delete cascade,
      uid_validity bigint not null check (uid_validity >= 0),
      last_uid bigint not null default 0 check (last_uid >= 0),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create table inbound_mails (
      id uuid primary key,
      office_id uuid not null references offices (id) on delete cascade,
      message_id text not null check (length(message_id) between 1 and 1000),
      synthetic_id boolean not null default false,
      from_address text null,
      from_name text null,
      to_addresses text[] not null default '{}',
      subject text not null default '',
      sent_at timestamptz null,
      received_at timestamptz not null default now(),
      body_text text null,
      body_html text null,
      constraint inbound_mails_once unique (office_id, message_id)
    )`);
    this.addSql(`create index inbound_mails_office_idx on inbound_mails (office_id, received_at desc)`);
    this.addSql(`create table inbound_mail_links (
      mail_id uuid not null references inbound_mails (id) on delete cascade,
      person_id uuid not null references persons (id) on delete cascade,
      dossier_id uuid null references dossiers (id) on delete set null,
      kind text not null check (kind in ('address','hand')),
      linked_by uuid null,
      linked_at timestamptz not null default now(),
      primary key (mail_id, person_id)
    )`);
    this.addSql(`create index inbound_mail_links_person_idx on inbound_mail_links (person_id)`);
    this.addSql(`create index inbound_mail_links_dossier_idx on inbound_mail_links (dossier_id) where dossier_id is not null`);
    this.addSql(`create table inbound_mail_attachments (
      id uuid primary key,
      mail_id uuid not null references inbound_mails (id) on delete cascade,
      position integer not null check (position >= 0),
      filename text not null check (length(filename) between 1 and 300),
      content_type text not null,
      size_bytes integer not null check (size_bytes >= 0),
      content bytea null,
      sha256 text null,
      constraint inbound_mail_attachments_position unique (mail_id, position)
    )`);
  }

  override down(): void {
    this.addSql('drop table if exists inbound_mail_attachments');
    this.addSql('drop table if exists inbound_mail_links');
    this.addSql('drop table if exists inbound_mails');
    this.addSql('drop table if exists mailbox_cursors');
  }
}
