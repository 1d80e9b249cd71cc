import { Migration } from '@mikro-orm/migrations';

/**
 * Editing persons (issue 18): `persons.version` counts every change of the row, so two advisers
 * editing the same person cannot overwrite each other unseen (the edit names the version it
 * started from); `person_field_history` holds one line per changed field (old → new, who,
 * when), written by services/crm/store.ts with the change itself. The values are personal
 * data: anonymising the person clears them (the lines stay: that a field changed, by whom and
 * when, is not theirs).
 */
export class Migration20261210010000_person_edit extends Migration {
  override up(): void {
    this.addSql(`alter table persons add column version integer not null default 1 check (version >= 1)`);
    this.addSql(`create table person_field_history (
      id uuid primary key,
      office_id uuid not null references offices (id),
      person_id uuid not null references persons (id) on delete cascade,
      field text not null,
      old_value text null,
      new_value text null,
      actor text not null,
      dossier_id uuid null references dossiers (id) on delete set null,
      at timestamptz not null default now()
    )`);
    this.addSql(`create index person_field_history_person_idx on person_field_history (person_id, at desc, id)`);
  }

  override down(): void {
    this.addSql(`drop table if exists person_field_history`);
    this.addSql(`alter table persons drop column if exists version`);
  }
}
