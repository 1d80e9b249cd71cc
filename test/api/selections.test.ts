/**
 * Selections (query manager) over HTTP against a real PostgreSQL; Temporal is a stub (no
 * workflow is needed: products are inserted with SQL the way their workflows would leave them).
 * Each test file has its own office, so the selection sees only the rows made here.
 */
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Selectiekantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const adviser = () => bearer(office.tokens.adviser);

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().execute<T[]>(text, params as never[]);
}

interface Made {
  dossierId: string;
  personIds: string[];
}

async function dossier(persons: (Record<string, unknown> | string)[]): Promise<Made> {
  const res = await app.inject({
    method: 'POST',
    url: '/dossiers',
    headers: adviser(),
    payload: { applicants: persons.map((p) => (typeof p === 'string' ? { personId: p } : { person: p })) },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { id: string; applicants: { person: { id: string } }[] };
  return { dossierId: body.id, personIds: body.applicants.map((a) => a.person.id) };
}

const versions: Record<string, string> = { mortgage: 'mortgage', insurance: 'insurance', service: 'service' };

/** A product as its workflow would have left it (type, company, status, category, created at). */
async function product(
  dossierId: string,
  type: 'mortgage' | 'insurance' | 'service',
  opts: { company?: string; status?: string; category?: 'new' | 'running' | 'ended'; branch?: string; createdAt?: string } = {},
): Promise<string> {
  const id = newId();
  const processKey = versions[type]!;
  await sql(
    `insert into products (id, office_id, dossier_id, type, company, process_key, process_version, status, category, workflow_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, coalesce(?::timestamptz, now()), now())`,
    [id, office.officeId, dossierId, type, opts.company ?? null, processKey, opts.status ?? 'lopend', opts.category ?? 'running', `test:${id}`, opts.createdAt ?? null],
  );
  if (type === 'insurance') {
    await sql(`insert into insurance_policies (product_id, office_id, dossier_id, branch) values (?, ?, ?, ?)`, [id, office.officeId, dossierId, opts.branch ?? '020']);
  }
  return id;
}

type Row = { personId: string; dossierId: string; name: string; lastName: string };

async function run(query: Record<string, unknown>, token = office.tokens.adviser): Promise<{ items: Row[]; total: number }> {
  const res = await app.inject({ method: 'POST', url: '/selections/run', headers: bearer(token), payload: query });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const pairs = (items: Row[]) => items.map((r) => `${r.personId}@${r.dossierId}`).sort();

// The fixture: who has which products.
let both: Made; // mortgage and home insurance (branch 020)
let mortgageOnly: Made;
let insuranceOnly: Made;
let couple: Made; // two applicants, mortgage
let movedOn: { older: Made; newer: Made }; // mortgage in the older dossier only
let forgotten: Made; // mortgage, anonymised
let otherBranch: Made; // mortgage and an insurance of branch 030
let tricky: Made; // a name a spreadsheet could misread

beforeAll(async () => {
  both = await dossier([uniquePerson()]);
  await product(both.dossierId, 'mortgage', { company: 'VBH' });
  await product(both.dossierId, 'insurance', { branch: '020', company: 'Woonverzekeraar' });
  mortgageOnly = await dossier([uniquePerson()]);
  await product(mortgageOnly.dossierId, 'mortgage', { company: 'ABC Hypotheken', status: 'bindend-aanbod', category: 'new', createdAt: '2026-03-10T12:00:00Z' });
  insuranceOnly = await dossier([uniquePerson()]);
  await product(insuranceOnly.dossierId, 'insurance');
  couple = await dossier([uniquePerson(), uniquePerson({ firstName: 'Bram', birthDate: '1985-01-01' })]);
  await product(couple.dossierId, 'mortgage', { company: 'VBH', createdAt: '2026-05-01T10:00:00Z' });
  const older = await dossier([uniquePerson()]);
  await product(older.dossierId, 'mortgage', { company: 'VBH' });
  await sql(`update dossiers set created_at = now() - interval '3 years' where id = ?`, [older.dossierId]);
  const newer = await dossier([older.personIds[0]!]);
  movedOn = { older, newer };
  forgotten = await dossier([uniquePerson()]);
  await product(forgotten.dossierId, 'mortgage');
  await sql(`update persons set anonymised_at = now(), first_name = 'Geanonimiseerd', last_name = 'Geanonimiseerd' where id = ?`, [forgotten.personIds[0]]);
  otherBranch = await dossier([uniquePerson()]);
  await product(otherBranch.dossierId, 'mortgage');
  await product(otherBranch.dossierId, 'insurance', { branch: '030' });
  tricky = await dossier([uniquePerson({ firstName: '=HYPERLINK("x")', lastName: `O"Neil; de ${newId().slice(0, 6)}` })]);
  await product(tricky.dossierId, 'service');
});

describe('POST /selections/run', () => {
  it('clients with a mortgage but without home insurance', async () => {
    const found = await run({ withProducts: [{ type: 'mortgage' }], withoutProducts: [{ type: 'insurance', branch: '020' }] });
    const expected = [
      `${mortgageOnly.personIds[0]}@${mortgageOnly.dossierId}`,
      `${couple.personIds[0]}@${couple.dossierId}`,
      `${couple.personIds[1]}@${couple.dossierId}`,
      `${otherBranch.personIds[0]}@${otherBranch.dossierId}`,
    ].sort();
    expect(pairs(found.items)).toEqual(expected);
    expect(found.total).toBe(4);
    // Without any insurance at all: the one with branch 030 drops out too.
    const strict = await run({ withProducts: [{ type: 'mortgage' }], withoutProducts: [{ type: 'insurance' }] });
    expect(strict.total).toBe(3);
  });

  it('searches only the newest dossier of a person unless older dossiers are asked for', async () => {
    const key = `${movedOn.older.personIds[0]}@${movedOn.older.dossierId}`;
    expect(pairs((await run({ withProducts: [{ type: 'mortgage' }] })).items)).not.toContain(key);
    expect(pairs((await run({ withProducts: [{ type: 'mortgage' }], includeOlderDossiers: true })).items)).toContain(key);
    // Without product filters, a person appears once (newest dossier), or once per dossier.
    const all = await run({ limit: 500 });
    expect(all.items.filter((r) => r.personId === movedOn.older.personIds[0]).map((r) => r.dossierId)).toEqual([movedOn.newer.dossierId]);
    const withOlder = await run({ limit: 500, includeOlderDossiers: true });
    expect(withOlder.items.filter((r) => r.personId === movedOn.older.personIds[0])).toHaveLength(2);
  });

  it('never lists anonymised persons', async () => {
    const all = await run({ limit: 500, includeOlderDossiers: true });
    expect(all.items.map((r) => r.personId)).not.toContain(forgotten.personIds[0]);
  });

  it('filters on company, offer status and product dates', async () => {
    expect(pairs((await run({ productType: 'mortgage', company: 'ABC Hypotheken' })).items)).toEqual([`${mortgageOnly.personIds[0]}@${mortgageOnly.dossierId}`]);
    expect(pairs((await run({ offerStatus: 'received' })).items)).toEqual([`${mortgageOnly.personIds[0]}@${mortgageOnly.dossierId}`]);
    const spring = await run({ productType: 'mortgage', dateOn: 'product', dateFrom: '2026-03-10', dateTo: '2026-05-01' });
    expect(spring.total).toBe(3);
    const march = await run({ productType: 'mortgage', dateOn: 'product', dateFrom: '2026-03-11', dateTo: '2026-04-30' });
    expect(march.total).toBe(0);
    expect((await run({ withProducts: [{ type: 'mortgage', company: 'VBH' }], dateFrom: '2000-01-01', dateTo: '2000-12-31' })).total).toBe(0);
  });

  it('pages with a stable order and the total', async () => {
    const first = await run({ withProducts: [{ type: 'mortgage' }], limit: 2, offset: 0 });
    const second = await run({ withProducts: [{ type: 'mortgage' }], limit: 2, offset: 2 });
    expect(first.total).toBe(second.total);
    expect(first.items).toHaveLength(2);
    expect(new Set([...pairs(first.items), ...pairs(second.items)]).size).toBe(first.items.length + second.items.length);
  });

  it('400 for more than two product filters, a reversed date range or an unknown field', async () => {
    const tooMany = await app.inject({
      method: 'POST',
      url: '/selections/run',
      headers: adviser(),
      payload: { withProducts: [{ type: 'mortgage' }, { type: 'service' }], withoutProducts: [{ type: 'insurance' }] },
    });
    expect(tooMany.statusCode).toBe(400);
    expect(String(tooMany.headers['content-type'])).toMatch(/problem\+json/);
    expect(tooMany.json().detail).toMatch(/At most 2 product filters/);
    const reversed = await app.inject({ method: 'POST', url: '/selections/run', headers: adviser(), payload: { dateFrom: '2026-02-01', dateTo: '2026-01-01' } });
    expect(reversed.statusCode).toBe(400);
    const unknown = await app.inject({ method: 'POST', url: '/selections/run', headers: adviser(), payload: { shoeSize: 44 } });
    expect(unknown.statusCode).toBe(400);
  });

  it('403 for a lender', async () => {
    const res = await app.inject({ method: 'POST', url: '/selections/run', headers: bearer(office.tokens.lender), payload: {} });
    expect(res.statusCode).toBe(403);
  });
});

describe('saved selections are private', () => {
  let savedId: string;

  it('saves, lists only my own, refuses a second of the same name', async () => {
    const query = { withProducts: [{ type: 'mortgage' }], withoutProducts: [{ type: 'insurance', branch: '020' }] };
    const res = await app.inject({ method: 'POST', url: '/selections/saved', headers: adviser(), payload: { name: 'Hypotheek zonder woonverzekering', query } });
    expect(res.statusCode, res.body).toBe(201);
    savedId = res.json().id;
    expect(res.json()).toMatchObject({ name: 'Hypotheek zonder woonverzekering', query });
    const again = await app.inject({ method: 'POST', url: '/selections/saved', headers: adviser(), payload: { name: 'Hypotheek zonder woonverzekering', query } });
    expect(again.statusCode).toBe(409);
    const mine = (await app.inject({ method: 'GET', url: '/selections/saved', headers: adviser() })).json();
    expect(mine.items.map((s: { id: string }) => s.id)).toEqual([savedId]);
    // A colleague (another credential of the same office) sees nothing and cannot touch it.
    const colleague = bearer(office.tokens.admin);
    expect((await app.inject({ method: 'GET', url: '/selections/saved', headers: colleague })).json().items).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: `/selections/saved/${savedId}`, headers: colleague })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/selections/export?format=csv&savedId=${savedId}`, headers: colleague })).statusCode).toBe(404);
  });

  it('exports CSV with Dutch headers, proper quoting and no formulas', async () => {
    const trickySaved = await app.inject({ method: 'POST', url: '/selections/saved', headers: adviser(), payload: { name: 'Diensten', query: { withProducts: [{ type: 'service' }] } } });
    expect(trickySaved.statusCode).toBe(201);
    const res = await app.inject({ method: 'GET', url: `/selections/export?format=csv&savedId=${trickySaved.json().id}`, headers: adviser() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="selectie-diensten\.csv"/);
    const text = res.body.replace(/^\uFEFF/, '');
    const [header, ...lines] = text.trim().split('\r\n');
    expect(header).toBe('Naam;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;Telefoon;Straat;Huisnummer;Toevoeging;Postcode;Woonplaats;Geboortedatum;Geen mailings;Dossiernummer;Dossierstatus;Dossier aangemaakt');
    expect(lines).toHaveLength(1);
    const lastName = `O"Neil; de`;
    expect(lines[0]).toContain(`"'=HYPERLINK(""x"") ${lastName.replace(/"/g, '""')}`);
    expect(lines[0]).toContain(`;"'=HYPERLINK(""x"")";`);
  });

  it('exports Excel that opens with the same rows', async () => {
    const res = await app.inject({ method: 'GET', url: `/selections/export?format=xlsx&savedId=${savedId}`, headers: adviser() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Naam');
    expect(sheet.getRow(1).getCell(5).value).toBe('E-mailadres');
    expect(sheet.rowCount).toBe(1 + 4);
    const emails = [2, 3, 4, 5].map((i) => String(sheet.getRow(i).getCell(5).value));
    const expectedEmails = (await run({ withProducts: [{ type: 'mortgage' }], withoutProducts: [{ type: 'insurance', branch: '020' }] })).items.map(
      (r) => (r as Row & { email: string }).email,
    );
    expect(emails.sort()).toEqual(expectedEmails.sort());
  });

  it('deletes my own', async () => {
    expect((await app.inject({ method: 'DELETE', url: `/selections/saved/${savedId}`, headers: adviser() })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/selections/export?format=csv&savedId=${savedId}`, headers: adviser() })).statusCode).toBe(404);
  });
});

describe('POST /selections/tasks', () => {
  it('makes one back-office task per dossier, once per run key', async () => {
    const query = { withProducts: [{ type: 'mortgage' }], withoutProducts: [{ type: 'insurance', branch: '020' }] };
    const payload = { query, runKey: `bellen-${newId().slice(0, 8)}`, title: 'Bellen: woonverzekering aanbieden', dueDate: '2026-12-01' };
    const first = await app.inject({ method: 'POST', url: '/selections/tasks', headers: adviser(), payload });
    expect(first.statusCode, first.body).toBe(200);
    // Four persons, three dossiers (the couple shares one).
    expect(first.json()).toMatchObject({ dossiers: 3, created: 3, existing: 0 });
    const again = await app.inject({ method: 'POST', url: '/selections/tasks', headers: adviser(), payload });
    expect(again.json()).toMatchObject({ dossiers: 3, created: 0, existing: 3 });
    const tasks = await sql<{ dossier_id: string; assignee: string; due_date: unknown }>(
      `select dossier_id, assignee, due_date from tasks where office_id = ? and title = ?`,
      [office.officeId, payload.title],
    );
    expect(tasks.map((t) => t.dossier_id).sort()).toEqual([mortgageOnly.dossierId, couple.dossierId, otherBranch.dossierId].sort());
    expect(tasks.every((t) => t.assignee === 'backoffice')).toBe(true);
    const listed = await app.inject({ method: 'GET', url: `/tasks?dossierId=${couple.dossierId}`, headers: adviser() });
    expect(listed.statusCode).toBe(200);
  });
});
