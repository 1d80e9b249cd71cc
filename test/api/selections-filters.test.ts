/**
 * The query manager's filters of issue 19 (loan parts, coverages with and without, CRM
 * properties by type, indicators) and the streamed export of a selection and of the whole CRM,
 * over HTTP against a real PostgreSQL (Temporal is a stub: products and quotes are made through
 * the API, their workflows are not needed). Its own office, so the selection sees only these rows.
 */
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { resolveQuery, selectionBatches } from '../../services/selections/query.js';
import { EXPORT_CURSOR } from '../../services/selections/cursor.js';
import { bearer, createTestOffice, databaseUrl, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let other: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Filterkantoor');
  other = await createTestOffice(orm, 'Anderkantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const as = (o: TestOffice, role: 'adviser' | 'admin' = 'adviser') => bearer(o.tokens[role]);

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().execute<T[]>(text, params as never[]);
}

async function call(method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown, headers = as(office)) {
  const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return res;
}

async function ok<T = Record<string, unknown>>(method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown, headers = as(office)): Promise<T> {
  const res = await call(method, url, payload, headers);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json() as T;
}

interface Made {
  dossierId: string;
  personId: string;
}

async function client(overrides: Record<string, unknown> = {}, o = office): Promise<Made> {
  const body = await ok<{ id: string; applicants: { person: { id: string } }[] }>('POST', '/dossiers', { applicants: [{ person: uniquePerson(overrides) }] }, as(o));
  return { dossierId: body.id, personId: body.applicants[0]!.person.id };
}

type Part = { description: string; repaymentType?: string; amountCents?: number; code?: string };
const mortgage = (d: Made, parts: Part[]) => ok<{ id: string }>('POST', `/dossiers/${d.dossierId}/products`, { type: 'mortgage', company: 'VBH', parts });
const quote = (d: Made, coverages: { code: string; description: string }[]) =>
  ok<{ productId: string }>('POST', `/dossiers/${d.dossierId}/insurance-quotes`, { branch: '020', startDate: '2027-01-01', coverages });

type Row = { personId: string; dossierId: string | null; email: string | null };
async function run(query: Record<string, unknown>, headers = as(office)): Promise<Row[]> {
  const res = await call('POST', '/selections/run', { ...query, limit: 500 }, headers);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Row[] }).items;
}
const ids = (rows: Row[]) => rows.map((r) => r.personId).sort();
const sorted = (...made: Made[]) => made.map((m) => m.personId).sort();

// The fixture.
let interestOnly: Made; // aflossingsvrij € 200.000 + annuïteit € 100.000, no insurance
let interestOnlyInsured: Made; // aflossingsvrij € 150.000, home insurance (OPSTAL)
let annuity: Made; // annuïteit € 300.000 only
let redeemed: Made; // aflossingsvrij, but the mortgage ended
let moduleAB: Made; // coverages RB-A and RB-B
let moduleA: Made; // coverage RB-A only
let moduleADroppedB: Made; // RB-A, RB-B dropped (ended)
let noDossier: string; // a person without any dossier
let lead: string; // indicator id

beforeAll(async () => {
  interestOnly = await client();
  await mortgage(interestOnly, [
    { description: 'Leningdeel 1', repaymentType: 'aflossingsvrij', amountCents: 20_000_000 },
    { description: 'Leningdeel 2', repaymentType: 'annuiteit', amountCents: 10_000_000 },
  ]);
  interestOnlyInsured = await client();
  await mortgage(interestOnlyInsured, [{ description: 'Leningdeel 1', repaymentType: 'aflossingsvrij', amountCents: 15_000_000 }]);
  await quote(interestOnlyInsured, [{ code: 'OPSTAL', description: 'Opstalverzekering' }]);
  annuity = await client();
  await mortgage(annuity, [{ description: 'Leningdeel 1', repaymentType: 'annuiteit', amountCents: 30_000_000 }]);
  redeemed = await client();
  const gone = await mortgage(redeemed, [{ description: 'Leningdeel 1', repaymentType: 'aflossingsvrij', amountCents: 5_000_000 }]);
  await sql(`update product_parts set status = 'afgelost', category = 'ended' where product_id = ?`, [gone.id]);
  moduleAB = await client();
  await quote(moduleAB, [
    { code: 'RB-A', description: 'Rechtsbijstand module A' },
    { code: 'RB-B', description: 'Rechtsbijstand module B' },
  ]);
  moduleA = await client();
  await quote(moduleA, [{ code: 'RB-A', description: 'Rechtsbijstand module A' }]);
  moduleADroppedB = await client();
  const dropped = await quote(moduleADroppedB, [
    { code: 'RB-A', description: 'Rechtsbijstand module A' },
    { code: 'RB-B', description: 'Rechtsbijstand module B' },
  ]);
  await sql(`update product_parts set category = 'ended' where product_id = ? and code = 'RB-B'`, [dropped.productId]);
  noDossier = (await ok<{ id: string }>('POST', '/persons', uniquePerson({ firstName: 'Zonder' }))).id;

  // CRM properties of each type and an indicator (admins define them).
  for (const def of [
    { key: 'hobby', label: 'Hobby', type: 'text' },
    { key: 'kinderen', label: 'Aantal kinderen', type: 'number' },
    { key: 'klant-sinds', label: 'Klant sinds', type: 'date' },
    { key: 'nieuwsbrief', label: 'Nieuwsbrief', type: 'boolean' },
    { key: 'regio', label: 'Regio', type: 'choice', choices: ['Noord', 'Zuid'] },
  ]) {
    await ok('POST', '/crm/properties', def, as(office, 'admin'));
  }
  const set = (personId: string, key: string, value: unknown) => ok('PUT', `/persons/${personId}/properties/${key}`, { value });
  await set(interestOnly.personId, 'hobby', 'Zeilen en wielrennen');
  await set(annuity.personId, 'hobby', 'zeilen');
  await set(interestOnly.personId, 'kinderen', 2);
  await set(annuity.personId, 'kinderen', 3);
  await set(moduleA.personId, 'kinderen', 0);
  await set(interestOnly.personId, 'klant-sinds', '2019-05-01');
  await set(annuity.personId, 'klant-sinds', '2021-01-15');
  await set(interestOnly.personId, 'nieuwsbrief', true);
  await set(annuity.personId, 'nieuwsbrief', false);
  await set(noDossier, 'regio', 'Noord');
  lead = (await ok<{ id: string }>('POST', '/crm/indicators', { label: 'Lead' }, as(office, 'admin'))).id;
  await ok('PUT', `/persons/${interestOnly.personId}/indicators`, { indicatorIds: [lead] });
  await ok('PUT', `/persons/${noDossier}/indicators`, { indicatorIds: [lead] });
});

describe('loan parts and coverages', () => {
  it('clients with an interest-only loan part and no home insurance', async () => {
    expect(ids(await run({ loanParts: [{ repaymentType: 'aflossingsvrij' }] }))).toEqual(sorted(interestOnly, interestOnlyInsured));
    expect(ids(await run({ loanParts: [{ repaymentType: 'aflossingsvrij' }], withoutCoverages: ['OPSTAL'] }))).toEqual(sorted(interestOnly));
  });

  it.each([
    ['gt 150.000', { op: 'gt', cents: 15_000_000 }, () => sorted(interestOnly)],
    ['gte 150.000', { op: 'gte', cents: 15_000_000 }, () => sorted(interestOnly, interestOnlyInsured)],
    ['eq 150.000', { op: 'eq', cents: 15_000_000 }, () => sorted(interestOnlyInsured)],
    ['lt 150.000 (the redeemed mortgage does not count)', { op: 'lt', cents: 15_000_000 }, () => []],
    ['lte 200.000', { op: 'lte', cents: 20_000_000 }, () => sorted(interestOnly, interestOnlyInsured)],
  ])('an interest-only loan part with an amount %s', async (_name, amount, expected) => {
    expect(ids(await run({ loanParts: [{ repaymentType: 'aflossingsvrij', amount }] }))).toEqual(expected());
  });

  it('one loan part meets all conditions of a filter; two filters may match two parts', async () => {
    // No single interest-only part of 100.000 or less exists; the annuity part of interestOnly is 100.000.
    expect(ids(await run({ loanParts: [{ repaymentType: 'aflossingsvrij', amount: { op: 'lte', cents: 10_000_000 } }] }))).toEqual([]);
    expect(ids(await run({ loanParts: [{ repaymentType: 'aflossingsvrij' }, { repaymentType: 'annuiteit', amount: { op: 'lte', cents: 10_000_000 } }] }))).toEqual(
      sorted(interestOnly),
    );
  });

  it('module A without module B (a dropped coverage does not count)', async () => {
    expect(ids(await run({ withCoverages: ['RB-A'] }))).toEqual(sorted(moduleAB, moduleA, moduleADroppedB));
    expect(ids(await run({ withCoverages: ['RB-A'], withoutCoverages: ['RB-B'] }))).toEqual(sorted(moduleA, moduleADroppedB));
    expect(ids(await run({ withCoverages: ['RB-A', 'RB-B'] }))).toEqual(sorted(moduleAB));
  });

  it('stores the facts of parts made over the API (loan parts and quote coverages)', async () => {
    const parts = await sql<{ code: string | null; repayment_type: string | null; amount_cents: string | null }>(
      `select pp.code, pp.repayment_type, pp.amount_cents from product_parts pp join products p on p.id = pp.product_id where p.dossier_id = ? order by p.type, pp.number`,
      [interestOnlyInsured.dossierId],
    );
    expect(parts.map((p) => [p.code, p.repayment_type, p.amount_cents === null ? null : Number(p.amount_cents)])).toEqual([
      ['OPSTAL', null, null],
      [null, 'aflossingsvrij', 15_000_000],
    ]);
  });
});

describe('CRM properties and indicators', () => {
  it.each([
    ['text eq is case-insensitive', { type: 'text', key: 'hobby', op: 'eq', value: 'ZEILEN' }, () => sorted(annuity)],
    ['text contains', { type: 'text', key: 'hobby', op: 'contains', value: 'zeil' }, () => sorted(interestOnly, annuity)],
    ['text contains takes % and _ literally', { type: 'text', key: 'hobby', op: 'contains', value: '%' }, () => []],
    ['number lt', { type: 'number', key: 'kinderen', op: 'lt', value: 2 }, () => sorted(moduleA)],
    ['number lte', { type: 'number', key: 'kinderen', op: 'lte', value: 2 }, () => sorted(interestOnly, moduleA)],
    ['number eq', { type: 'number', key: 'kinderen', op: 'eq', value: 3 }, () => sorted(annuity)],
    ['number gte', { type: 'number', key: 'kinderen', op: 'gte', value: 2 }, () => sorted(interestOnly, annuity)],
    ['number gt', { type: 'number', key: 'kinderen', op: 'gt', value: 2.5 }, () => sorted(annuity)],
    ['date lt', { type: 'date', key: 'klant-sinds', op: 'lt', value: '2020-01-01' }, () => sorted(interestOnly)],
    ['date gte', { type: 'date', key: 'klant-sinds', op: 'gte', value: '2019-05-01' }, () => sorted(interestOnly, annuity)],
    ['date eq', { type: 'date', key: 'klant-sinds', op: 'eq', value: '2021-01-15' }, () => sorted(annuity)],
    ['boolean true', { type: 'boolean', key: 'nieuwsbrief', value: true }, () => sorted(interestOnly)],
    ['boolean false (set to false, not unset)', { type: 'boolean', key: 'nieuwsbrief', value: false }, () => sorted(annuity)],
    ['choice compares as text (a person without a dossier too)', { type: 'text', key: 'regio', op: 'eq', value: 'noord' }, () => [noDossier]],
  ])('%s', async (_name, filter, expected) => {
    expect(ids(await run({ properties: [filter] }))).toEqual(expected());
  });

  it('has / has not an indicator; combined with a loan part', async () => {
    expect(ids(await run({ withIndicators: [lead] }))).toEqual([interestOnly.personId, noDossier].sort());
    const without = ids(await run({ withoutIndicators: [lead] }));
    expect(without).not.toContain(interestOnly.personId);
    expect(without).not.toContain(noDossier);
    expect(without).toContain(annuity.personId);
    expect(ids(await run({ withIndicators: [lead], loanParts: [{ repaymentType: 'aflossingsvrij' }] }))).toEqual(sorted(interestOnly));
  });

  it.each([
    ['an unknown property', { properties: [{ type: 'text', key: 'schoenmaat', op: 'eq', value: '44' }] }, 'unknown-property'],
    ['a property compared as the wrong type', { properties: [{ type: 'number', key: 'hobby', op: 'eq', value: 1 }] }, 'property-type-mismatch'],
    ['an unknown operator', { properties: [{ type: 'number', key: 'kinderen', op: 'like', value: 1 }] }, 'validation'],
    ['text with a comparison', { properties: [{ type: 'text', key: 'hobby', op: 'lt', value: 'a' }] }, 'validation'],
    ['an unknown repayment type', { loanParts: [{ repaymentType: 'krediet' }] }, 'validation'],
    ['an empty loan part filter', { loanParts: [{}] }, 'validation'],
    ['a negative amount', { loanParts: [{ amount: { op: 'gt', cents: -1 } }] }, 'validation'],
    ['a coverage code with SQL in it', { withCoverages: ["A' or 1=1 --"] }, 'validation'],
    ['an indicator that is not an id', { withIndicators: ['lead'] }, 'unknown-indicator'],
    ['an indicator of no office', { withIndicators: [newId()] }, 'unknown-indicator'],
  ])('400 problem+json for %s', async (_name, query, type) => {
    for (const url of ['/selections/run', '/selections/export']) {
      const res = await call('POST', url, url === '/selections/run' ? query : { format: 'csv', query });
      expect(res.statusCode, res.body).toBe(400);
      expect(String(res.headers['content-type'])).toMatch(/problem\+json/);
      expect(String(res.json().type)).toContain(type);
    }
  });

  it('office scoping: another office sees none of these persons and cannot use this office indicator or property', async () => {
    const theirs = await client({}, other);
    expect(ids(await run({}, as(other)))).toEqual([theirs.personId]);
    const foreign = await call('POST', '/selections/run', { withIndicators: [lead] }, as(other));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().type).toContain('unknown-indicator');
    const property = await call('POST', '/selections/run', { properties: [{ type: 'text', key: 'hobby', op: 'contains', value: 'zeil' }] }, as(other));
    expect(property.statusCode).toBe(400);
    const csv = await call('POST', '/selections/export', { format: 'csv' }, as(other));
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain('Zonder');
    expect(csv.body.trim().split('\r\n')).toHaveLength(2);
  });
});

/** RFC 4180 fields of a CSV text with `;` (quoted fields may hold ; " CR LF). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ';') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || record.length > 0) throw new Error(`the CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return records;
}

describe('export of the whole CRM and of a selection (streamed)', () => {
  const BULK = 2_500;
  let total: number;

  beforeAll(async () => {
    // A few thousand persons straight into the table (the export is what is tested here); every
    // 100th has a name a spreadsheet would run as a formula or that needs quoting.
    await sql(
      `insert into persons (id, office_id, first_name, last_name, birth_date, email, created_at, updated_at)
       select gen_random_uuid(), ?, case i % 100 when 1 then '=SUM(A1)' when 2 then '+31 6 1234' when 3 then '-2' when 4 then '@cmd' else 'Bulk' end,
              case i % 100 when 5 then 'Jansen; "Jr"' else 'Bulk' || lpad(i::text, 5, '0') end, date '1970-01-01' + i, 'bulk' || i || '@example.nl', now(), now()
         from generate_series(1, ?::int) i`,
      [office.officeId, BULK],
    );
    total = Number((await sql<{ n: string }>('select count(*) as n from persons where office_id = ? and anonymised_at is null', [office.officeId]))[0]!.n);
  });

  it('the empty query lists every person of the office, also those without a dossier', async () => {
    const res = await call('POST', '/selections/run', { limit: 5 });
    expect(res.json().total).toBe(total);
    expect(ids(await run({ withoutIndicators: [lead], properties: [{ type: 'text', key: 'regio', op: 'eq', value: 'Noord' }] }))).toEqual([]);
    expect(ids(await run({ properties: [{ type: 'text', key: 'regio', op: 'eq', value: 'Noord' }] }))).toEqual([noDossier]);
  });

  it('CSV of the whole CRM: BOM, Dutch headers, one row per person, RFC 4180 quoting, no formulas', async () => {
    const res = await call('POST', '/selections/export', { format: 'csv' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="crm-personen-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...records] = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
    expect(header).toEqual([
      'Naam', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'E-mailadres', 'Telefoon', 'Straat', 'Huisnummer', 'Toevoeging',
      'Postcode', 'Woonplaats', 'Geboortedatum', 'Geen mailings', 'Dossiernummer', 'Dossierstatus', 'Dossier aangemaakt',
    ]);
    expect(records).toHaveLength(total);
    expect(records.every((r) => r.length === header!.length)).toBe(true);
    const emails = records.map((r) => r[4]);
    expect(new Set(emails).size).toBe(total);
    const lonely = records.find((r) => r[1] === 'Zonder')!;
    expect(lonely[13]).toBe(''); // no dossier number
    // Formula starters are neutralised; quoting keeps ; and " inside one field.
    const firstNames = new Set(records.map((r) => r[1]));
    for (const bad of ['=SUM(A1)', '+31 6 1234', '-2', '@cmd']) {
      expect(firstNames.has(bad)).toBe(false);
      expect(firstNames.has(`'${bad}`)).toBe(true);
    }
    expect(records.filter((r) => r[3] === 'Jansen; "Jr"')).toHaveLength(BULK / 100);
    expect(res.body).toContain('"Jansen; ""Jr"""');
  });

  it('XLSX of a selection with the same rows as the list', async () => {
    const query = { loanParts: [{ repaymentType: 'aflossingsvrij' }], withoutCoverages: ['OPSTAL'] };
    const res = await call('POST', '/selections/export', { format: 'xlsx', query });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Naam');
    expect(sheet.rowCount).toBe(2);
    const listed = await run(query);
    expect(String(sheet.getRow(2).getCell(5).value)).toBe(listed[0]!.email);
  });

  it('XLSX of the whole CRM has every person; formula starters stay text', async () => {
    const res = await call('POST', '/selections/export', { format: 'xlsx', query: {} });
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(1 + total);
    const firstNames: unknown[] = [];
    sheet.eachRow((row) => firstNames.push(row.getCell(2).value));
    expect(firstNames).toContain("'=SUM(A1)");
    expect(firstNames.some((v) => typeof v === 'object' && v !== null)).toBe(false); // no formula cells
  });

  it('reads through a cursor one batch at a time: while the first batch is out, the rest is not read yet', async () => {
    const em = orm.em.fork();
    const resolved = await resolveQuery(em, office.officeId, {});
    const batches = selectionBatches(em, office.officeId, {}, resolved, 200);
    const watcher = new pg.Client({ connectionString: databaseUrl() });
    await watcher.connect();
    try {
      const first = await batches.next();
      expect(first.done).toBe(false);
      expect(first.value).toHaveLength(200);
      // The export's session sits inside its transaction, its last statement the first FETCH.
      const sessions = await watcher.query<{ state: string; query: string }>(
        `select state, query from pg_stat_activity where datname = current_database() and query like $1`,
        [`fetch forward 200 from ${EXPORT_CURSOR}%`],
      );
      expect(sessions.rows).toEqual([{ state: 'idle in transaction', query: `fetch forward 200 from ${EXPORT_CURSOR}` }]);
      let rows = first.value!.length;
      let count = 1;
      for (let next = await batches.next(); !next.done; next = await batches.next()) {
        rows += next.value.length;
        count += 1;
      }
      expect(rows).toBe(total);
      expect(count).toBe(Math.ceil(total / 200));
      // Finished: committed, the connection back in the pool (not left idle in transaction).
      const after = await watcher.query(`select 1 from pg_stat_activity where datname = current_database() and state = 'idle in transaction' and query like $1`, [
        `fetch forward 200 from ${EXPORT_CURSOR}%`,
      ]);
      expect(after.rows).toEqual([]);
    } finally {
      await batches.return(undefined);
      await watcher.end();
    }
  });

  it('over a socket the file is sent chunked, without a length known in advance (not buffered first)', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${address}/selections/export`, {
      method: 'POST',
      headers: { ...as(office), 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'csv' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text.trim().split('\r\n')).toHaveLength(1 + total);
  });

  it('a reader that stops early rolls the cursor back', async () => {
    const em = orm.em.fork();
    const batches = selectionBatches(em, office.officeId, {}, await resolveQuery(em, office.officeId, {}), 100);
    const watcher = new pg.Client({ connectionString: databaseUrl() });
    await watcher.connect();
    try {
      await batches.next();
      await batches.return(undefined);
      const open = await watcher.query(`select 1 from pg_stat_activity where datname = current_database() and state = 'idle in transaction' and query like $1`, [
        `fetch forward 100 from ${EXPORT_CURSOR}%`,
      ]);
      expect(open.rows).toEqual([]);
    } finally {
      await watcher.end();
    }
  });

  it('call tasks skip persons without a dossier (a task belongs to a dossier)', async () => {
    const regio = { properties: [{ type: 'text', key: 'regio', op: 'eq', value: 'Noord' }] };
    const none = await ok('POST', '/selections/tasks', { query: regio, runKey: `regio-${newId().slice(0, 8)}`, title: 'Bellen' });
    expect(none).toMatchObject({ dossiers: 0, created: 0 });
    const lead1 = await ok('POST', '/selections/tasks', { query: { withIndicators: [lead] }, runKey: `lead-${newId().slice(0, 8)}`, title: 'Bellen' });
    expect(lead1).toMatchObject({ dossiers: 1, created: 1 });
  });

  it('403 for a lender', async () => {
    expect((await call('POST', '/selections/export', { format: 'csv' }, bearer(office.tokens.lender))).statusCode).toBe(403);
  });
});
