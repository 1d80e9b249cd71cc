import { Migration } from '@mikro-orm/migrations';

/**
 * `dossiers.product_types`: the distinct types of the dossier's products (sorted; empty when it
 * has none), so the query manager answers "has a mortgage" / "has no insurance" from the dossier
 * row itself instead of probing 100,000 dossiers against every product of a type (issue 22
 * item 4: the probes were two thirds of "mortgage without insurance" over 100,000 persons).
 * Only a product filter that names nothing but the type reads it; a filter on company, status,
 * category or branch still probes the products.
 *
 * A derived column that only the database writes: triggers on products recompute the set of
 * every dossier a statement touched (products inserted or deleted: once per statement, through
 * the transition table; a product whose type or dossier changes: its old and new dossier).
 * The recompute first locks the dossier rows (FOR NO KEY UPDATE, in id order: compatible with
 * the foreign-key checks of products, which take KEY SHARE) and then reads the products in a
 * fresh statement, so two transactions that add or remove products of one dossier at once are
 * serialised and the second one sees the first's committed rows: a type is never lost or left
 * behind. A dossier's set is written only when it changes (most new products are of a type the
 * dossier has already).
 */
export class Migration20261215100000_dossier_product_types extends Migration {
  override up(): void {
    this.addSql(`alter table dossiers add column product_types text[] not null default '{}'`);
    this.addSql(`create function dossiers_recount_product_types(dossier_ids uuid[]) returns void language plpgsql as $$
      begin
        if coalesce(cardinality(dossier_ids), 0) = 0 then
          return;
        end if;
        perform 1 from dossiers where id = any (dossier_ids) order by id for no key update;
        update dossiers d set product_types = x.types
          from (select d2.id, array(select distinct p.type from products p where p.dossier_id = d2.id order by p.type) as types
                  from dossiers d2 where d2.id = any (dossier_ids)) x
         where d.id = x.id and d.product_types is distinct from x.types;
      end $$`);
    this.addSql(`create function products_types_inserted() returns trigger language plpgsql as $$
      begin
        perform dossiers_recount_product_types(array(select distinct dossier_id from inserted_rows));
        return null;
      end $$`);
    this.addSql(`create function products_types_deleted() returns trigger language plpgsql as $$
      begin
        perform dossiers_recount_product_types(array(select distinct dossier_id from deleted_rows));
        return null;
      end $$`);
    this.addSql(`create function products_types_changed() returns trigger language plpgsql as $$
      begin
        perform dossiers_recount_product_types(array[old.dossier_id, new.dossier_id]);
        return null;
      end $$`);
    this.addSql(`create trigger products_types_insert after insert on products
      referencing new table as inserted_rows for each statement execute function products_types_inserted()`);
    this.addSql(`create trigger products_types_delete after delete on products
      referencing old table as deleted_rows for each statement execute function products_types_deleted()`);
    this.addSql(`create trigger products_types_update after update of type, dossier_id on products for each row
      when (old.type is distinct from new.type or old.dossier_id is distinct from new.dossier_id)
      execute function products_types_changed()`);
    this.addSql(`update dossiers d set product_types = x.types
      from (select p.dossier_id, array_agg(distinct p.type order by p.type) as types from products p group by p.dossier_id) x
     where d.id = x.dossier_id and d.product_types is distinct from x.types`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists products_types_update on products`);
    this.addSql(`drop trigger if exists products_types_delete on products`);
    this.addSql(`drop trigger if exists products_types_insert on products`);
    this.addSql(`drop function if exists products_types_changed()`);
    this.addSql(`drop function if exists products_types_deleted()`);
    this.addSql(`drop function if exists products_types_inserted()`);
    this.addSql(`drop function if exists dossiers_recount_product_types(uuid[])`);
    this.addSql(`alter table dossiers drop column if exists product_types`);
  }
}
