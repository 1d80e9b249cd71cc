import { Migration } from '@mikro-orm/migrations';

/**
 * The query manager's selection over a large office (issue 22: 100,000 persons, 300,000
 * products) in well under the time it took, by reading less:
 *
 * - `dossier_applicants.newest`: whether the dossier is the applicant's newest (*nieuwste
 *   dossier*) among their dossiers of the same office (latest `created_at`, then the highest id).
 *   The selection shows each person with their newest dossier; before, it probed every
 *   candidate's other dossiers, which cost half the statement. Triggers keep the flag right
 *   whoever writes: after applicant rows are inserted or deleted (per statement, through the
 *   transition table, so a bulk insert recomputes once) or get another person or dossier, and
 *   after a dossier's `created_at` or office changes. The recompute locks the persons' rows
 *   (FOR NO KEY UPDATE: compatible with foreign-key checks, serialises two transactions that
 *   add a dossier for the same person, so never two rows are marked newest) and then reads
 *   committed data in a fresh statement. The flag is not personal data.
 * - `products.office_id` always equals the office of the product's dossier (a composite
 *   foreign key, on a new (id, office_id) key of dossiers), so the product probes can start
 *   from one office's products of one type, in dossier order, from the index alone
 *   (`products_office_type_dossier_idx`, with company, status and category included).
 * - `product_parts.office_id` and `.dossier_id`: copies of their product's, filled in by a
 *   trigger (never by the caller; the ledger lines keep their entry's facts the same way) and
 *   kept equal when a product's dossier or office changes. A loan-part or coverage probe then
 *   reads one office's parts of one repayment type or code in dossier order from an index that
 *   includes the category and amount, instead of joining every product of the office to find
 *   the dossier of each part (the join was most of "interest-only loan part, no home
 *   insurance"). These replace the (code, product_id) and (repayment_type, product_id) indexes
 *   of migration 20261211100000, which only the selection read.
 */
export class Migration20261214100000_selection_speed extends Migration {
  override up(): void {
    // A new applicant row is nearly always for the newest dossier (made now): it starts as
    // newest, so the trigger usually rewrites only the person's previous newest row.
    this.addSql(`alter table dossier_applicants add column newest boolean not null default true`);

    this.addSql(`create function dossier_applicants_mark_newest(person_ids uuid[]) returns void language plpgsql as $$
      begin
        if coalesce(cardinality(person_ids), 0) = 0 then
          return;
        end if;
        perform 1 from persons where id = any (person_ids) order by id for no key update;
        update dossier_applicants a set newest = x.newest
          from (select a2.dossier_id, a2.person_id,
                       row_number() over (partition by a2.person_id, d.office_id order by d.created_at desc, d.id desc) = 1 as newest
                  from dossier_applicants a2 join dossiers d on d.id = a2.dossier_id
                 where a2.person_id = any (person_ids)) x
         where a.dossier_id = x.dossier_id and a.person_id = x.person_id and a.newest is distinct from x.newest;
      end $$`);
    this.addSql(`create function dossier_applicants_newest_inserted() returns trigger language plpgsql as $$
      begin
        perform dossier_applicants_mark_newest(array(select distinct person_id from inserted_rows));
        return null;
      end $$`);
    this.addSql(`create function dossier_applicants_newest_deleted() returns trigger language plpgsql as $$
      begin
        perform dossier_applicants_mark_newest(array(select distinct person_id from deleted_rows));
        return null;
      end $$`);
    this.addSql(`create function dossier_applicants_newest_moved() returns trigger language plpgsql as $$
      begin
        perform dossier_applicants_mark_newest(array[old.person_id, new.person_id]);
        return null;
      end $$`);
    this.addSql(`create function dossiers_newest_of_applicants() returns trigger language plpgsql as $$
      begin
        perform dossier_applicants_mark_newest(array(select distinct person_id from dossier_applicants where dossier_id = new.id));
        return null;
      end $$`);
    this.addSql(`create trigger dossier_applicants_newest_insert after insert on dossier_applicants
      referencing new table as inserted_rows for each statement execute function dossier_applicants_newest_inserted()`);
    this.addSql(`create trigger dossier_applicants_newest_delete after delete on dossier_applicants
      referencing old table as deleted_rows for each statement execute function dossier_applicants_newest_deleted()`);
    this.addSql(`create trigger dossier_applicants_newest_update after update of person_id, dossier_id on dossier_applicants for each row
      when (old.person_id is distinct from new.person_id or old.dossier_id is distinct from new.dossier_id)
      execute function dossier_applicants_newest_moved()`);
    this.addSql(`create trigger dossiers_newest_update after update of created_at, office_id on dossiers for each row
      when (old.created_at is distinct from new.created_at or old.office_id is distinct from new.office_id)
      execute function dossiers_newest_of_applicants()`);
    this.addSql(`update dossier_applicants a set newest = x.newest
      from (select a2.dossier_id, a2.person_id,
                   row_number() over (partition by a2.person_id, d.office_id order by d.created_at desc, d.id desc) = 1 as newest
              from dossier_applicants a2 join dossiers d on d.id = a2.dossier_id) x
     where a.dossier_id = x.dossier_id and a.person_id = x.person_id and a.newest is distinct from x.newest`);
    this.addSql(`create index dossier_applicants_newest_idx on dossier_applicants (dossier_id, person_id) where newest`);

    this.addSql(`alter table dossiers add constraint dossiers_id_office_unique unique (id, office_id)`);
    this.addSql(`alter table products add constraint products_dossier_office_fk foreign key (dossier_id, office_id) references dossiers (id, office_id)`);
    this.addSql(`create index products_office_type_dossier_idx on products (office_id, type, dossier_id) include (company, status, category)`);

    this.addSql(`alter table product_parts add column office_id uuid null, add column dossier_id uuid null`);
    this.addSql(`update product_parts pp set office_id = p.office_id, dossier_id = p.dossier_id from products p where p.id = pp.product_id`);
    this.addSql(`alter table product_parts alter column office_id set not null, alter column dossier_id set not null`);
    this.addSql(`create function product_parts_copy_product() returns trigger language plpgsql as $$
      begin
        select p.office_id, p.dossier_id into new.office_id, new.dossier_id from products p where p.id = new.product_id;
        return new;
      end $$`);
    this.addSql(`create trigger product_parts_copy_product before insert or update of product_id, office_id, dossier_id on product_parts
      for each row execute function product_parts_copy_product()`);
    this.addSql(`create function products_moved_parts() returns trigger language plpgsql as $$
      begin
        update product_parts set office_id = new.office_id, dossier_id = new.dossier_id where product_id = new.id;
        return null;
      end $$`);
    this.addSql(`create trigger products_moved_parts after update of office_id, dossier_id on products for each row
      when (old.office_id is distinct from new.office_id or old.dossier_id is distinct from new.dossier_id)
      execute function products_moved_parts()`);
    this.addSql(`drop index if exists product_parts_repayment_idx`);
    this.addSql(`drop index if exists product_parts_code_idx`);
    this.addSql(`create index product_parts_office_repayment_idx on product_parts (office_id, repayment_type, dossier_id) include (category, amount_cents)
      where repayment_type is not null`);
    this.addSql(`create index product_parts_office_code_idx on product_parts (office_id, code, dossier_id) include (category) where code is not null`);
  }

  override down(): void {
    this.addSql(`drop index if exists product_parts_office_code_idx`);
    this.addSql(`drop index if exists product_parts_office_repayment_idx`);
    this.addSql(`create index product_parts_code_idx on product_parts (code, product_id) where code is not null`);
    this.addSql(`create index product_parts_repayment_idx on product_parts (repayment_type, product_id) where repayment_type is not null`);
    this.addSql(`drop trigger if exists products_moved_parts on products`);
    this.addSql(`drop trigger if exists product_parts_copy_product on product_parts`);
    this.addSql(`drop function if exists products_moved_parts()`);
    this.addSql(`drop function if exists product_parts_copy_product()`);
    this.addSql(`alter table product_parts drop column if exists dossier_id, drop column if exists office_id`);
    this.addSql(`drop index if exists products_office_type_dossier_idx`);
    this.addSql(`alter table products drop constraint if exists products_dossier_office_fk`);
    this.addSql(`alter table dossiers drop constraint if exists dossiers_id_office_unique`);
    this.addSql(`drop trigger if exists dossiers_newest_update on dossiers`);
    this.addSql(`drop trigger if exists dossier_applicants_newest_update on dossier_applicants`);
    this.addSql(`drop trigger if exists dossier_applicants_newest_delete on dossier_applicants`);
    this.addSql(`drop trigger if exists dossier_applicants_newest_insert on dossier_applicants`);
    this.addSql(`drop function if exists dossiers_newest_of_applicants()`);
    this.addSql(`drop function if exists dossier_applicants_newest_moved()`);
    this.addSql(`drop function if exists dossier_applicants_newest_deleted()`);
    this.addSql(`drop function if exists dossier_applicants_newest_inserted()`);
    this.addSql(`drop function if exists dossier_applicants_mark_newest(uuid[])`);
    this.addSql(`drop index if exists dossier_applicants_newest_idx`);
    this.addSql(`alter table dossier_applicants drop column if exists newest`);
  }
}
