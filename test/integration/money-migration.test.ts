/**
 * The money migrations against a database that holds rows from before them (issue 15): a fresh
 * database migrated up to the last migration before Migration20261206100000_money_invariant gets
 * the invoices the old rules left behind (a storno booked before its collection: paid −3025 on
 * 3025, "6050 open"; an overpaid invoice; a settled one), then the rest of the migrations run
 * (the money invariant, the invoice run, the bank statements, the limits of bank items) and the rows hold the
 * invariant: paid within 0 .. total + costs, the money beyond it the client's credit, the bank
 * lines naming the collection they are about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { createFixture, testDatabase, type TestDatabase } from './support.js';

const BEFORE = 'Migration20261206000000_ockto_callback_checks';

let db: TestDatabase;
let admin: MikroORM;
let orm: MikroORM;
let dbName: string;

beforeAll(async () => {
  db = await testDatabase();
  admin = await createOrm(db.url);
  dbName = `money_migration_${newId().replace(/-/g, '').slice(0, 12)}`;
  await admin.em.fork().execute(`create database ${dbName}`);
  const url = new URL(db.url);
  url.pathname = `/${dbName}`;
  orm = await createOrm(url.toString(), { pool: { min: 0, max: 2 } });
}, 120_000);

afterAll(async () => {
  await orm?.close(true);
  await admin?.em.fork().execute(`drop database if exists ${dbName}`).catch(() => undefined);
  await admin?.close(true);
  await db?.stop();
});

describe('the money migrations on a database with rows from before', () => {
  it('bring every invoice within the invariant and move money beyond it to the client credit', async () => {
    await orm.migrator.up({ to: BEFORE });
    const pending = (await orm.migrator.getPendingMigrations()).map((m) => m.name);
    // money → invoice run (merged between them, it adds run_key/follower_started and indexes, no
    // money) → statements → limits of bank items: the same order as on a fresh database.
    expect(pending.slice(0, 4)).toEqual([
      'Migration20261206100000_money_invariant',
      'Migration20261206120000_invoice_run',
      'Migration20261207020000_bank_statements',
      'Migration20261207030000_money_limits_of_bank_items',
    ]);

    const f = await createFixture(orm);
    const em = orm.em.fork();
    const invoice = async (paid: number, e2e: string | null) => {
      const id = newId();
      await em.execute(
        `insert into invoices (id, key, office_id, dossier_id, product_id, number, invoice_date, due_date, net_cents, vat_cents, total_cents, paid_cents,
           status, payment_method, delivery, workflow_id, end_to_end_id)
         values (?, ?, ?, ?, ?, ?, '2026-11-01', '2026-11-15', 2500, 525, 3025, ?, 'reversed', 'sepa', 'email', ?, ?)`,
        [id, `test:${id}`, f.officeId, f.dossierId, f.productId, `2026-M${id.slice(0, 6)}`, paid, `invoice:${id}`, e2e],
      );
      return id;
    };
    const line = async (invoiceId: string, kind: string, amount: number) =>
      em.execute(
        `insert into booking_lines (id, key, office_id, invoice_id, kind, amount_cents, reason_code, booked_on, source, created_by)
         values (?, ?, ?, ?, ?, ?, ?, '2026-11-20', 'camt', 'test')`,
        [newId(), `camt:test:${newId()}`, f.officeId, invoiceId, kind, amount, kind === 'reversal' ? 'MD06' : null],
      );
    const stornoFirst = await invoice(-3_025, 'INV-MIG-1');
    await line(stornoFirst, 'reversal', 3_025);
    const overpaid = await invoice(5_000, 'INV-MIG-2');
    await line(overpaid, 'collection', 3_025);
    const settled = await invoice(3_025, 'INV-MIG-3');

    await orm.migrator.up();
    expect(await orm.migrator.getPendingMigrations()).toEqual([]);

    const rows = await em.execute<{ id: string; paid_cents: number; credit_cents: number; type: string }[]>(
      'select id, paid_cents, credit_cents, pg_typeof(paid_cents)::text as type from invoices where id in (?, ?, ?)',
      [stornoFirst, overpaid, settled],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(stornoFirst)).toMatchObject({ paid_cents: 0, credit_cents: 0, type: 'bigint' });
    expect(byId.get(overpaid)).toMatchObject({ paid_cents: 3_025, credit_cents: 1_975 });
    expect(byId.get(settled)).toMatchObject({ paid_cents: 3_025, credit_cents: 0 });
    const credits = await em.execute<{ kind: string; amount_cents: number; key: string }[]>(
      'select kind, amount_cents, key from client_credits where dossier_id = ?',
      [f.dossierId],
    );
    expect(credits).toEqual([{ kind: 'overpayment', amount_cents: 1_975, key: `migration:${overpaid}` }]);
    const refs = await em.execute<{ invoice_id: string; reference: string | null }[]>(
      'select invoice_id, reference from booking_lines where invoice_id in (?, ?) order by invoice_id',
      [stornoFirst, overpaid],
    );
    expect(new Map(refs.map((r) => [r.invoice_id, r.reference]))).toEqual(
      new Map([
        [stornoFirst, 'INV-MIG-1'],
        [overpaid, 'INV-MIG-2'],
      ]),
    );
    // The invoice run's columns on rows from before: made one at a time, each has its workflow.
    const runCols = await em.execute<{ run_key: string | null; follower_started: boolean }[]>(
      'select distinct run_key, follower_started from invoices where id in (?, ?, ?)',
      [stornoFirst, overpaid, settled],
    );
    expect(runCols).toEqual([{ run_key: null, follower_started: true }]);
    // The invariant is a CHECK from now on.
    await expect(em.execute('update invoices set paid_cents = -1 where id = ?', [settled])).rejects.toThrow(/invoices_paid_within_owed/);
    await expect(em.execute('update invoices set paid_cents = 3026 where id = ?', [settled])).rejects.toThrow(/invoices_paid_within_owed/);
  });
});
