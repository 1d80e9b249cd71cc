import { Migration } from '@mikro-orm/migrations';

/**
 * Family data (issue 19 deliverable 6) and the audit of the export for advice software
 * (deliverable 7); the closed lists come from domain/crm/family.ts and domain/privacy/audit.ts.
 *
 * - `persons.gender`, `persons.marital_status` (*burgerlijke staat*), `persons.date_of_death`:
 *   edited like every other person field (PATCH /persons/:id, with field history).
 * - `crm_partnerships`: one row per partnership between two persons of the office (not mirrored:
 *   a card reads `person_id = ? or partner_id = ?`), with its kind, period and end reason; a
 *   partnership ended by death names the deceased, whose `persons.date_of_death` is its end date.
 *   The one-partner-at-a-time rule needs other rows and is checked by the service under a lock of
 *   both persons; the row-local rules are CHECKs as well.
 * - `crm_children`: lightweight child records on a parent (name, birth date, gender, date of death).
 * - `privacy_audit`: the action `advice_export` (who exported which dossier's personal data), with
 *   the dossier's id.
 *
 * All of it is personal data: anonymising a person deletes their partnerships and children
 * (services/crm/store.ts anonymiseCrmCard) and clears the new person columns.
 */
export class Migration20261211130000_family_data extends Migration {
  override up(): void {
    this.addSql(`alter table persons add column gender text null check (gender in ('male','female','other','unknown'))`);
    this.addSql(`alter table persons add column marital_status text null check (marital_status in (
      'unmarried','married_community','married_limited_community','married_prenuptial','registered_partnership',
      'cohabiting_contract','cohabiting','divorced','widowed','unknown'))`);
    this.addSql(`alter table persons add column date_of_death date null`);

    this.addSql(`create table crm_partnerships (
      id uuid primary key,
      office_id uuid not null references offices (id),
      person_id uuid not null references persons (id) on delete cascade,
      partner_id uuid not null references persons (id) on delete cascade,
      kind text not null check (kind in ('marriage','registered_partnership','cohabitation')),
      start_date date null,
      end_date date null,
      end_reason text null check (end_reason in ('divorce','separation','death')),
      deceased_person_id uuid null references persons (id) on delete cascade,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint crm_partnerships_not_self check (person_id <> partner_id),
      constraint crm_partnerships_end_after_start check (end_date is null or start_date is null or end_date >= start_date),
      constraint crm_partnerships_end_has_reason check ((end_date is null) = (end_reason is null)),
      constraint crm_partnerships_deceased check ((end_reason = 'death') = (deceased_person_id is not null)
        and (deceased_person_id is null or deceased_person_id in (person_id, partner_id)))
    )`);
    this.addSql(`create index crm_partnerships_person_idx on crm_partnerships (person_id)`);
    this.addSql(`create index crm_partnerships_partner_idx on crm_partnerships (partner_id)`);

    this.addSql(`create table crm_children (
      id uuid primary key,
      office_id uuid not null references offices (id),
      person_id uuid not null references persons (id) on delete cascade,
      first_name text not null check (length(trim(first_name)) > 0),
      infix text null,
      last_name text not null check (length(trim(last_name)) > 0),
      birth_date date not null,
      gender text null check (gender in ('male','female','other','unknown')),
      date_of_death date null,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint crm_children_death_after_birth check (date_of_death is null or date_of_death >= birth_date)
    )`);
    this.addSql(`create index crm_children_person_idx on crm_children (person_id, birth_date)`);

    this.addSql(`alter table privacy_audit drop constraint privacy_audit_action_check`);
    this.addSql(`alter table privacy_audit add constraint privacy_audit_action_check check (action in ('anonymise','delete','advice_export'))`);
    this.addSql(`alter table privacy_audit add column dossier_id uuid null`);
  }

  override down(): void {
    this.addSql(`alter table privacy_audit drop column if exists dossier_id`);
    this.addSql(`delete from privacy_audit where action = 'advice_export'`);
    this.addSql(`alter table privacy_audit drop constraint privacy_audit_action_check`);
    this.addSql(`alter table privacy_audit add constraint privacy_audit_action_check check (action in ('anonymise','delete'))`);
    this.addSql(`drop table if exists crm_children`);
    this.addSql(`drop table if exists crm_partnerships`);
    this.addSql(`alter table persons drop column if exists date_of_death`);
    this.addSql(`alter table persons drop column if exists marital_status`);
    this.addSql(`alter table persons drop column if exists gender`);
  }
}
