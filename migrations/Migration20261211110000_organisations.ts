import { Migration } from '@mikro-orm/migrations';

/**
 * Organisations in the CRM (issue 19 deliverable 3; written by services/crm/store.ts):
 * - `organisations`: lenders, notaries, employers, ... of an office; the KvK number (8 digits)
 *   and *vestigingsnummer* (12) stored without separators; `version` for optimistic concurrency
 *   like persons; `archived_at` hides one that still has links (delete is only for unlinked ones);
 *   `lender_code` ties a lender to its HDN code, so a mortgage's lender is derived, not stored.
 * - `crm_organisation_contacts`: a CRM person as contact person of an organisation (role, free
 *   function title, start/end). Personal: anonymising the person deletes these rows.
 * - `crm_organisation_links`: an organisation as party of a dossier or a product (the notary of a
 *   purchase, the employer of an applicant). A product's lender/insurer is its company and never
 *   stored here (services/crm/organisations.ts).
 * The CHECKed lists follow domain/crm/organisations.ts.
 */
export class Migration20261211110000_organisations extends Migration {
  override up(): void {
    this.addSql(`create table organisations (
      id uuid primary key,
      office_id uuid not null references offices (id),
      kind text not null check (kind in ('lender', 'notary', 'employer', 'insurer', 'accountant', 'appraiser', 'estate_agent', 'other')),
      name text not null,
      kvk_number text null check (kvk_number ~ '^[0-9]{8}$'),
      establishment_number text null check (establishment_number ~ '^[0-9]{12}$'),
      lender_code text null,
      street text null,
      house_number integer null,
      house_number_suffix text null,
      postcode text null,
      city text null,
      phone text null,
      email text null,
      website text null,
      archived_at timestamptz null,
      version integer not null default 1 check (version >= 1),
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index organisations_office_kvk_idx on organisations (office_id, kvk_number) where kvk_number is not null`);
    this.addSql(`create index organisations_office_name_idx on organisations (office_id, lower(name))`);
    this.addSql(`create table crm_organisation_contacts (
      id uuid primary key,
      office_id uuid not null references offices (id),
      organisation_id uuid not null references organisations (id) on delete cascade,
      person_id uuid not null references persons (id) on delete cascade,
      role text not null check (role in ('contact', 'director', 'notary', 'account_manager', 'employee', 'other')),
      function_title text null,
      start_date date null,
      end_date date null,
      created_by text not null,
      created_at timestamptz not null default now(),
      check (start_date is null or end_date is null or start_date <= end_date),
      unique (organisation_id, person_id, role)
    )`);
    this.addSql(`create index crm_organisation_contacts_person_idx on crm_organisation_contacts (person_id)`);
    this.addSql(`create table crm_organisation_links (
      id uuid primary key,
      office_id uuid not null references offices (id),
      organisation_id uuid not null references organisations (id) on delete cascade,
      dossier_id uuid null references dossiers (id) on delete cascade,
      product_id uuid null references products (id) on delete cascade,
      role text not null check (role in ('lender', 'insurer', 'notary', 'employer', 'accountant', 'appraiser', 'estate_agent', 'other')),
      created_by text not null,
      created_at timestamptz not null default now(),
      check ((dossier_id is null) <> (product_id is null))
    )`);
    this.addSql(`create unique index crm_organisation_links_dossier_uq on crm_organisation_links (organisation_id, dossier_id, role) where dossier_id is not null`);
    this.addSql(`create unique index crm_organisation_links_product_uq on crm_organisation_links (organisation_id, product_id, role) where product_id is not null`);
    this.addSql(`create index crm_organisation_links_dossier_idx on crm_organisation_links (dossier_id) where dossier_id is not null`);
    this.addSql(`create index crm_organisation_links_product_idx on crm_organisation_links (product_id) where product_id is not null`);
  }

  override down(): void {
    this.addSql(`drop table if exists crm_organisation_links`);
    this.addSql(`drop table if exists crm_organisation_contacts`);
    this.addSql(`drop table if exists organisations`);
  }
}
