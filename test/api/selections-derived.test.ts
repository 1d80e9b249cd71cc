/**
 * The derived columns the selection reads, which triggers keep right (migration
 * 20261214100000), checked through POST /selections/run and on the rows themselves:
 * - the newest dossier of a person (*nieuwste dossier*, `dossier_applicants.newest`): after a
 *   newer dossier, after a dossier's creation date changes, after an applicant is removed, and
 *   when two transactions add a dossier for the same person at once;
 * - a product part's office and dossier (`product_parts.office_id`, `.dossier_id`): copied from
 *   its product whatever the caller writes, and moved along when the product moves;
 * - a dossier's set of product types (`dossiers.product_types`, migration 20261215100000):
 *   after products are inserted, deleted, retyped or moved, and when two transactions change
 *   the products of one dossier at once.
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { newId } from '../../db/ids.js';
import { pgArray } from '../../db/sql.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, databaseUrl, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Nieuwste-dossierkantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().execute<T[]>(text, params as never[]);
}

async function dossier(persons: (Record<string, unknown> | string)[]): Promise<{ dossierId: string; personIds: string[] }> {
  const res = await app.inject({
    method: 'POST',
    url: '/dossiers',
    headers: bearer(office.tokens.adviser),
    payload: { applicants: persons.map((p) => (typeof p === 'string' ? { personId: p } : { person: p })) },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { id: string; applicants: { person: { id: string } }[] };
  return { dossierId: body.id, personIds: body.applicants.map((a) => a.person.id) };
}

/** The dossiers of the person the selection shows (newest only), and the flags as stored. */
async function shown(personId: string): Promise<string[]> {
  const res = await app.inject({ method: 'POST', url: '/selections/run', headers: bearer(office.tokens.adviser), payload: { limit: 500 } });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { personId: string; dossierId: string | null }[] }).items.filter((r) => r.personId === personId).map((r) => r.dossierId ?? 'none');
}

async function newestFlags(personId: string): Promise<string[]> {
  return (await sql<{ dossier_id: string }>('select dossier_id from dossier_applicants where person_id = ? and newest order by dossier_id', [personId])).map((r) => r.dossier_id);
}

describe('the newest dossier of a person', () => {
  it('moves to a newer dossier, follows a changed creation date, and falls back when an applicant is removed', async () => {
    const first = await dossier([uniquePerson()]);
    const personId = first.personIds[0]!;
    expect(await shown(personId)).toEqual([first.dossierId]);
    expect(await newestFlags(personId)).toEqual([first.dossierId]);

    const second = await dossier([personId]);
    expect(await shown(personId)).toEqual([second.dossierId]);
    expect(await newestFlags(personId)).toEqual([second.dossierId]);

    // The first dossier dated later (an import correcting a date): it is the newest again.
    await sql(`update dossiers set created_at = now() + interval '1 day' where id = ?`, [first.dossierId]);
    expect(await shown(personId)).toEqual([first.dossierId]);
    expect(await newestFlags(personId)).toEqual([first.dossierId]);

    // Removed from that dossier: the other one is their newest.
    await sql('delete from dossier_applicants where dossier_id = ? and person_id = ?', [first.dossierId, personId]);
    expect(await shown(personId)).toEqual([second.dossierId]);
    expect(await newestFlags(personId)).toEqual([second.dossierId]);

    // Removed from every dossier: listed once without a dossier.
    await sql('delete from dossier_applicants where person_id = ?', [personId]);
    expect(await shown(personId)).toEqual(['none']);
    expect(await newestFlags(personId)).toEqual([]);
  });

  it('each applicant of a shared dossier has their own newest', async () => {
    const own = await dossier([uniquePerson()]);
    const shared = await dossier([uniquePerson(), own.personIds[0]!]);
    const [partner, person] = shared.personIds as [string, string];
    expect(await newestFlags(person)).toEqual([shared.dossierId]);
    expect(await newestFlags(partner)).toEqual([shared.dossierId]);
    expect(await shown(person)).toEqual([shared.dossierId]);
    // The second applicant's row of the shared dossier goes to another person (an update of
    // person_id): the first person falls back to their own dossier; for the other person the
    // shared dossier is older than their own, so it is not their newest.
    const others = await dossier([uniquePerson()]);
    const other = others.personIds[0]!;
    await sql('update dossier_applicants set person_id = ? where dossier_id = ? and person_id = ?', [other, shared.dossierId, person]);
    expect(await newestFlags(person)).toEqual([own.dossierId]);
    expect(await newestFlags(other)).toEqual([others.dossierId]);
    await sql(`update dossiers set created_at = now() + interval '1 day' where id = ?`, [shared.dossierId]);
    expect(await newestFlags(other)).toEqual([shared.dossierId]);
    expect(await newestFlags(partner)).toEqual([shared.dossierId]);
  });

  it('two transactions adding a dossier for the same person at once leave exactly one newest', async () => {
    const personId = (await dossier([uniquePerson()])).personIds[0]!;
    const a = new pg.Client({ connectionString: databaseUrl() });
    const b = new pg.Client({ connectionString: databaseUrl() });
    await a.connect();
    await b.connect();
    try {
      const add = async (c: pg.Client, createdAt: string): Promise<string> => {
        const id = newId();
        const number = `2099-${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
        await c.query('insert into dossiers (id, office_id, number, status, created_at, updated_at) values ($1, $2, $3, $4, $5, now())', [id, office.officeId, number, 'prospect', createdAt]);
        await c.query('insert into dossier_applicants (dossier_id, person_id, position) values ($1, $2, 1)', [id, personId]);
        return id;
      };
      await a.query('begin');
      await b.query('begin');
      // The older one first, then the newer one in a transaction that must wait for the first.
      const olderId = await add(a, '2030-01-01T00:00:00Z');
      const newerInsert = add(b, '2030-06-01T00:00:00Z');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.query('commit');
      const newerId = await newerInsert;
      await b.query('commit');
      expect(olderId).not.toBe(newerId);
      expect(await newestFlags(personId)).toEqual([newerId]);
    } finally {
      await a.end();
      await b.end();
    }
  });
});

describe('product parts carry their product\'s office and dossier', () => {
  it('copies them on insert, ignores what the caller writes, and follows a product to another dossier', async () => {
    const from = await dossier([uniquePerson()]);
    const to = await dossier([uniquePerson()]);
    const productId = newId();
    await sql(
      `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
       values (?, ?, ?, 'insurance', 'Woonverzekeraar', 'insurance', 1, 'lopend', 'running', ?, now(), now())`,
      [productId, office.officeId, from.dossierId, `test:${productId}`],
    );
    // A part inserted the way the products store does (no office or dossier given) and one
    // naming the wrong dossier: both get the product's.
    await sql(`insert into product_parts (id, product_id, number, description, status, category, follows_product, code) values (?, ?, 1, 'Opstal', 'lopend', 'running', false, 'OPSTAL')`, [newId(), productId]);
    await sql(
      `insert into product_parts (id, product_id, number, description, status, category, follows_product, code, office_id, dossier_id) values (?, ?, 2, 'Inboedel', 'lopend', 'running', false, 'INBOEDEL', ?, ?)`,
      [newId(), productId, office.officeId, to.dossierId],
    );
    const parts = () => sql<{ office_id: string; dossier_id: string }>('select office_id, dossier_id from product_parts where product_id = ? order by number', [productId]);
    expect(await parts()).toEqual([
      { office_id: office.officeId, dossier_id: from.dossierId },
      { office_id: office.officeId, dossier_id: from.dossierId },
    ]);
    const covered = async (): Promise<string[]> => {
      const res = await app.inject({ method: 'POST', url: '/selections/run', headers: bearer(office.tokens.adviser), payload: { withCoverages: ['OPSTAL'], limit: 500 } });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: { dossierId: string }[] }).items.map((r) => r.dossierId);
    };
    expect(await covered()).toEqual([from.dossierId]);

    await sql('update products set dossier_id = ? where id = ?', [to.dossierId, productId]);
    expect(await parts()).toEqual([
      { office_id: office.officeId, dossier_id: to.dossierId },
      { office_id: office.officeId, dossier_id: to.dossierId },
    ]);
    expect(await covered()).toEqual([to.dossierId]);
  });

  it('refuses a product whose office is not its dossier\'s office', async () => {
    const made = await dossier([uniquePerson()]);
    const elsewhere = await createTestOffice(orm, 'Ander kantoor');
    const productId = newId();
    await expect(
      sql(
        `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
         values (?, ?, ?, 'mortgage', null, 'mortgage', 1, 'lopend', 'running', ?, now(), now())`,
        [productId, elsewhere.officeId, made.dossierId, `test:${productId}`],
      ),
    ).rejects.toThrow(/products_dossier_office_fk/);
  });
});

describe('a dossier\'s set of product types', () => {
  const types = async (dossierId: string): Promise<string[]> =>
    (await sql<{ product_types: string[] }>('select product_types from dossiers where id = ?', [dossierId]))[0]!.product_types;

  /** Products of these types in the dossier, in one statement; the first one's id. */
  async function addProducts(dossierId: string, kinds: string[], client?: pg.Client): Promise<string> {
    const text = `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
       select gen_random_uuid(), $1, $2, t, null, t, 1, 'lopend', 'running', 'test:' || gen_random_uuid(), now(), now() from unnest($3::text[]) t returning id`;
    const params = [office.officeId, dossierId, kinds];
    if (client) return (await client.query<{ id: string }>(text, params)).rows[0]!.id;
    return (await sql<{ id: string }>(text.replace(/\$\d/g, '?'), [office.officeId, dossierId, pgArray(kinds)]))[0]!.id;
  }

  /** The dossiers of the office "with a mortgage, without insurance", as the selection answers. */
  async function mortgageWithoutInsurance(): Promise<string[]> {
    const res = await app.inject({
      method: 'POST',
      url: '/selections/run',
      headers: bearer(office.tokens.adviser),
      payload: { withProducts: [{ type: 'mortgage' }], withoutProducts: [{ type: 'insurance' }], limit: 500 },
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: { dossierId: string }[] }).items.map((r) => r.dossierId);
  }

  it('follows products inserted in one statement, deleted, given another type and moved to another dossier', async () => {
    const one = await dossier([uniquePerson()]);
    const two = await dossier([uniquePerson()]);
    expect(await types(one.dossierId)).toEqual([]);
    await addProducts(one.dossierId, ['service', 'mortgage', 'mortgage']);
    expect(await types(one.dossierId)).toEqual(['mortgage', 'service']);
    expect(await mortgageWithoutInsurance()).toContain(one.dossierId);

    const insuranceId = await addProducts(one.dossierId, ['insurance']);
    expect(await types(one.dossierId)).toEqual(['insurance', 'mortgage', 'service']);
    expect(await mortgageWithoutInsurance()).not.toContain(one.dossierId);

    // The insurance moves to the other dossier: both sets change.
    await sql('update products set dossier_id = ? where id = ?', [two.dossierId, insuranceId]);
    expect(await types(one.dossierId)).toEqual(['mortgage', 'service']);
    expect(await types(two.dossierId)).toEqual(['insurance']);
    expect(await mortgageWithoutInsurance()).toContain(one.dossierId);

    // One of the two mortgages goes: the dossier still has a mortgage; then the other one.
    await sql(`delete from products where id = (select id from products where dossier_id = ? and type = 'mortgage' limit 1)`, [one.dossierId]);
    expect(await types(one.dossierId)).toEqual(['mortgage', 'service']);
    await sql(`delete from products where dossier_id = ? and type = 'mortgage'`, [one.dossierId]);
    expect(await types(one.dossierId)).toEqual(['service']);
    expect(await mortgageWithoutInsurance()).not.toContain(one.dossierId);

    // A product given another type (a correction).
    await sql(`update products set type = 'mortgage' where dossier_id = ? and type = 'service'`, [one.dossierId]);
    expect(await types(one.dossierId)).toEqual(['mortgage']);
    expect(await mortgageWithoutInsurance()).toContain(one.dossierId);
  });

  it('keeps a type when one transaction removes a product of it while another adds one', async () => {
    const made = await dossier([uniquePerson()]);
    const oldMortgage = await addProducts(made.dossierId, ['mortgage']);
    const adder = new pg.Client({ connectionString: databaseUrl() });
    const remover = new pg.Client({ connectionString: databaseUrl() });
    await adder.connect();
    await remover.connect();
    try {
      // The new mortgage leaves the set as it is (the dossier has a mortgage), so the adder
      // writes no new set; it must still hold the dossier until it commits.
      await adder.query('begin');
      await addProducts(made.dossierId, ['mortgage'], adder);
      await remover.query('begin');
      const removerPid = (await remover.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const removing = remover.query('delete from products where id = $1', [oldMortgage]);
      // The remover's recount waits for the adder's lock on the dossier (without that lock it
      // would count no mortgage, not yet seeing the adder's, and write an empty set).
      let waiting = false;
      for (let i = 0; i < 200 && !waiting; i++) {
        const [row] = await sql<{ wait_event_type: string | null }>('select wait_event_type from pg_stat_activity where pid = ?', [removerPid]);
        waiting = row?.wait_event_type === 'Lock';
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(waiting, 'the remover waits for the adder').toBe(true);
      await adder.query('commit');
      await removing;
      await remover.query('commit');
      expect(await types(made.dossierId)).toEqual(['mortgage']);
      expect(await mortgageWithoutInsurance()).toContain(made.dossierId);
    } finally {
      await adder.end();
      await remover.end();
    }
  });
});
