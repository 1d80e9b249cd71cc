import { Migration } from '@mikro-orm/migrations';

/**
 * Process designer: drafts of process definitions and of templates (one per key, replaced on
 * save; published versions stay immutable in process_definitions and templates), and the
 * 'migration' kind of product history (a product moved to another version of its process).
 *
 * The history kind check is extended in place (whatever kinds other features added stay).
 */
export class Migration20261123050000_process_designer extends Migration {
  override up(): void {
    this.addSql(`create table process_drafts (
      key text primary key check (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      base_version integer null check (base_version is null or base_version >= 1),
      definition jsonb not null,
      valid boolean not null,
      updated_by text not null,
      updated_at timestamptz not null default now()
    )`);

    this.addSql(`create table template_drafts (
      key text primary key check (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      base_version integer null check (base_version is null or base_version >= 1),
      kind text not null check (kind in ('mail','document')),
      subject text null,
      body text not null,
      updated_by text not null,
      updated_at timestamptz not null default now(),
      constraint template_drafts_mail_has_subject check (kind <> 'mail' or subject is not null)
    )`);

    this.addSql(`create index products_process_idx on products (process_key, process_version, status)`);
    this.addSql(extendKindCheck('add'));
  }

  override down(): void {
    this.addSql(`delete from product_history where kind = 'migration'`);
    this.addSql(extendKindCheck('remove'));
    this.addSql(`drop index if exists products_process_idx`);
    this.addSql(`drop table if exists template_drafts`);
    this.addSql(`drop table if exists process_drafts`);
  }
}

/** Adds 'migration' to (or removes it from) the allowed kinds of product_history, keeping the others. */
function extendKindCheck(op: 'add' | 'remove'): string {
  return `do $$
declare
  kinds text[];
begin
  select array_agg(m[1] order by ord) into kinds
    from pg_constraint c,
         regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') with ordinality as r(m, ord)
   where c.conname = 'product_history_kind_check' and c.conrelid = 'product_history'::regclass;
  ${op === 'add' ? `if not 'migration' = any(kinds) then kinds := kinds || 'migration'::text; end if;` : `kinds := array_remove(kinds, 'migration');`}
  execute 'alter table product_history drop constraint product_history_kind_check';
  execute format('alter table product_history add constraint product_history_kind_check check (kind = any (%L::text[]))', kinds);
end $$`;
}
