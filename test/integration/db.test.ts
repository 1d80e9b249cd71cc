/**
 * The data layer: the foundation migration goes up and down cleanly (on a database of its
 * own), constraints hold, the seed is idempotent and keeps the demo tokens, and credentials
 * are found by token and not after revocation.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, dropTestDatabase } from '../../db/embedded-postgres.js';
import { createOrm } from '../../db/orm.js';
import { findCredentialByToken } from '../../services/access/credentials.js';
import { issueCredential } from '../../services/access/store.js';
import { hashToken } from '../../services/access/tokens.js';
import { nextDossierNumber } from '../../services/dossiers/store.js';
import { newId } from '../../db/ids.js';
import { seed } from '../../scripts/seed.js';
import { allRoles } from '../../domain/roles.js';
import { ApiCredential, Office } from '../../db/entities/index.js';
import { testDatabase, type TestDatabase } from './support.js';

let db: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  db = await testDatabase();
  orm = await createOrm(db.url);
}, 120_000);

afterAll(async () => {
  await orm?.close(true);
  await db?.stop();
});

describe('migrations', () => {
  it('up, down and up again on a fresh database', async () => {
    const name = `df_migr_${newId().replace(/-/g, '').slice(0, 12)}`;
    const url = await createTestDatabase(db.url, name);
    const own = await createOrm(url);
    try {
      const tables = async (): Promise<string[]> =>
        (await own.em.fork().execute<{ t: string }[]>("select table_name as t from information_schema.tables where table_schema = 'public' and table_name <> 'mikro_orm_migrations' order by 1")).map((r) => r.t);
      const applied = await own.migrator.up();
      expect(applied.map((m) => m.name)).toContain('Migration20261122000000_foundation');
      expect(await tables()).toEqual(expect.arrayContaining(['offices', 'persons', 'dossiers', 'products', 'mails', 'documents', 'templates', 'portal_activations']));
      expect(await own.migrator.getPendingMigrations()).toHaveLength(0);
      await own.migrator.down({ to: 0 });
      expect(await tables()).toEqual([]);
      await own.migrator.up();
      expect((await tables()).length).toBeGreaterThanOrEqual(20);
    } finally {
      await own.close(true);
      await dropTestDatabase(db.url, name);
    }
  });
});

describe('constraints', () => {
  it('rejects bad enum values, bad postcodes and a third applicant', async () => {
    const em = orm.em.fork();
    const officeId = newId();
    await em.execute('insert into offices (id, name) values (?, ?)', [officeId, 'Constraint test']);
    await expect(em.execute("insert into persons (id, office_id, first_name, last_name, postcode) values (?, ?, 'A', 'B', '1234 ab')", [newId(), officeId])).rejects.toThrow(/check/i);
    const dossierId = newId();
    await expect(em.execute("insert into dossiers (id, office_id, number, status) values (?, ?, '2026-000001', 'lead')", [dossierId, officeId])).rejects.toThrow(/check/i);
    await em.execute("insert into dossiers (id, office_id, number, status) values (?, ?, '2026-000001', 'prospect')", [dossierId, officeId]);
    await expect(em.execute("insert into dossiers (id, office_id, number, status) values (?, ?, '2026-000001', 'prospect')", [newId(), officeId])).rejects.toThrow(/unique/i);
    const p = newId();
    await em.execute("insert into persons (id, office_id, first_name, last_name) values (?, ?, 'A', 'B')", [p, officeId]);
    await expect(em.execute('insert into dossier_applicants (dossier_id, person_id, position) values (?, ?, 3)', [dossierId, p])).rejects.toThrow(/check/i);
    await expect(em.execute("insert into api_credentials (id, office_id, name, role, token_hash) values (?, ?, 'x', 'client', ?)", [newId(), officeId, hashToken('t')])).rejects.toThrow(/check/i);
  });

  it('dossier numbers count up per office', async () => {
    const em = orm.em.fork();
    const officeId = newId();
    await em.execute('insert into offices (id, name) values (?, ?)', [officeId, 'Counter test']);
    expect(await nextDossierNumber(em, officeId, 2031)).toBe('2031-000001');
    expect(await nextDossierNumber(em, officeId, 2031)).toBe('2031-000002');
  });
});

describe('credentials', () => {
  it('issues, finds by token, and ignores revoked ones', async () => {
    const em = orm.em.fork();
    const office = em.create(Office, { id: newId(), name: 'Cred test' });
    await em.flush();
    const { token, id } = await issueCredential(em, { officeId: office.id, name: 'lender X', role: 'lender' });
    expect(token).toMatch(/^dfl_lender_[A-Za-z0-9_-]{43}$/);
    const found = await findCredentialByToken(orm.em.fork(), token);
    expect(found).toMatchObject({ id, role: 'lender', officeId: office.id });
    expect(await findCredentialByToken(orm.em.fork(), `${token}x`)).toBeNull();
    await orm.em.fork().nativeUpdate(ApiCredential, { id }, { revokedAt: new Date() });
    expect(await findCredentialByToken(orm.em.fork(), token)).toBeNull();
  });
});

describe('seed', () => {
  it('is idempotent and keeps the demo tokens', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'df-seed-'));
    const officeName = `Seed test ${newId()}`;
    try {
      const first = await seed(orm, { dataDir, officeName, log: () => {} });
      const file = first.credentialsFile;
      const tokens = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      expect(Object.keys(tokens).sort()).toEqual([...allRoles].sort());
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const second = await seed(orm, { dataDir, officeName, log: () => {} });
      expect(second.officeId).toBe(first.officeId);
      expect(second.dossierId).toBe(first.dossierId);
      expect(second.created).toEqual({ processes: 0, templates: 0, credentials: 0, dossier: false, office: false });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(tokens);
      const em = orm.em.fork();
      expect(await em.count(Office, { name: officeName })).toBe(1);
      for (const [role, token] of Object.entries(tokens)) {
        expect(await findCredentialByToken(em, token)).toMatchObject({ role, officeId: first.officeId });
      }
      const applicants = await em.execute('select * from dossier_applicants where dossier_id = ?', [first.dossierId]);
      expect(applicants).toHaveLength(2);
      const defs = await em.execute("select * from process_definitions where key = 'service' and version = 1");
      expect(defs).toHaveLength(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
