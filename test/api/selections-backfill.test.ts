/**
 * Migration 20261211100000 fills the new product_parts columns of existing parts from their
 * descriptions (the formats services/hdn/loan-parts.ts and the insurance code wrote): its two
 * UPDATE statements are run again here over parts inserted the old way (columns null).
 * Migration 20261215100000 fills `dossiers.product_types` of existing dossiers from their
 * products: its UPDATE is run again over dossiers whose set is emptied first (as before it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { Migration20261211100000_selection_filters } from '../../migrations/Migration20261211100000_selection_filters.js';
import { Migration20261215100000_dossier_product_types } from '../../migrations/Migration20261215100000_dossier_product_types.js';
import { createTestOffice, ensureShippedProcesses, openOrm } from './support.js';

let orm: MikroORM;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
});

afterAll(async () => {
  await orm?.close(true);
});

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().execute<T[]>(text, params as never[]);
}

describe('backfill of product_parts.code, repayment_type, amount_cents', () => {
  it.each([
    ['mortgage', 'Leningdeel 1: aflossingsvrij € 250.000,00, 360 mnd', null, 'aflossingsvrij', 25_000_000],
    ['mortgage', 'Leningdeel 2: annuïteit € 1.234,56, 240 mnd', null, 'annuiteit', 123_456],
    ['mortgage', 'Leningdeel 3: krediet € 10.000,00, 120 mnd', null, null, 1_000_000],
    ['mortgage', 'Leningdeel 1', null, null, null],
    ['insurance', 'Opstalverzekering (OPSTAL)', 'OPSTAL', null, null],
    ['insurance', 'Rechtsbijstand (module A) (RB-A)', 'RB-A', null, null],
    ['insurance', 'Zonder code', null, null, null],
    ['service', 'Advies (uur)', null, null, null],
  ])('%s part "%s"', async (type, description, code, repaymentType, amountCents) => {
    const office = await createTestOffice(orm, 'Backfill');
    const dossierId = newId();
    await sql(`insert into dossiers (id, office_id, number, status) values (?, ?, ?, 'prospect')`, [dossierId, office.officeId, `2026-${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`]);
    const productId = newId();
    await sql(
      `insert into products (id, office_id, dossier_id, type, process_key, process_version, status, category, workflow_id) values (?, ?, ?, ?, ?, 1, 'lopend', 'running', ?)`,
      [productId, office.officeId, dossierId, type, type, `test:${productId}`],
    );
    await sql(`insert into product_parts (id, product_id, number, description, status, category) values (?, ?, 1, ?, 'lopend', 'running')`, [newId(), productId, description]);

    const migration = new Migration20261211100000_selection_filters(orm.em.getDriver() as unknown as AbstractSqlDriver, orm.config);
    await migration.up();
    const updates = migration.getQueries().filter((q) => /update product_parts/.test(String(q)));
    expect(updates).toHaveLength(2);
    for (const q of updates) await sql(String(q));

    const [part] = await sql<{ code: string | null; repayment_type: string | null; amount_cents: string | null }>(
      'select code, repayment_type, amount_cents from product_parts where product_id = ?',
      [productId],
    );
    expect([part!.code, part!.repayment_type, part!.amount_cents === null ? null : Number(part!.amount_cents)]).toEqual([code, repaymentType, amountCents]);
  });
});

describe('backfill of dossiers.product_types', () => {
  it('gives each dossier the sorted distinct types of its products, and none to a dossier without', async () => {
    const office = await createTestOffice(orm, 'Backfill producttypen');
    const dossier = async (kinds: string[]): Promise<string> => {
      const id = newId();
      await sql(`insert into dossiers (id, office_id, number, status) values (?, ?, ?, 'prospect')`, [id, office.officeId, `2026-${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`]);
      for (const type of kinds) {
        const productId = newId();
        await sql(
          `insert into products (id, office_id, dossier_id, type, process_key, process_version, status, category, workflow_id) values (?, ?, ?, ?, ?, 1, 'lopend', 'running', ?)`,
          [productId, office.officeId, id, type, type, `test:${productId}`],
        );
      }
      return id;
    };
    const mixed = await dossier(['service', 'mortgage', 'insurance', 'mortgage']);
    const none = await dossier([]);
    // As before the migration: no set kept yet.
    await sql(`update dossiers set product_types = '{}' where id in (?, ?)`, [mixed, none]);

    const migration = new Migration20261215100000_dossier_product_types(orm.em.getDriver() as unknown as AbstractSqlDriver, orm.config);
    await migration.up();
    const fills = migration.getQueries().filter((q) => /^update dossiers d set product_types/.test(String(q).trim()));
    expect(fills).toHaveLength(1);
    await sql(String(fills[0]));

    const sets = await sql<{ id: string; product_types: string[] }>('select id, product_types from dossiers where id in (?, ?)', [mixed, none]);
    expect(Object.fromEntries(sets.map((r) => [r.id, r.product_types]))).toEqual({ [mixed]: ['insurance', 'mortgage', 'service'], [none]: [] });
  });
});
