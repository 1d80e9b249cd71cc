/**
 * The input contract at the edge (issue 16, deliverable 2): the issue's probes as one table.
 * Each answers 400 application/problem+json naming the field (`errors[].path`), and stores
 * nothing: no row of the office's tables changes (a digest of every table with an `office_id`,
 * found in the database) and the resource the probe aims at reads the same before and after.
 * Runs against a real PostgreSQL and a real Temporal (no worker: a contract's workflow is only
 * started, as in billing.test.ts).
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { MAX_JSON_DEPTH } from '../../api/plugins/input-contract.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, uniquePerson, type TestOffice } from './support.js';

const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '';
if (!temporalAddress) throw new Error('input-contract.test: TEMPORAL_ADDRESS is not set (the vitest global setup provides it)');

let orm: MikroORM;
let app: FastifyInstance;
let connection: Connection;
let office: TestOffice;
const taskQueue = `input-contract-test-${newId().slice(0, 8)}`;

/** Ids of the things the probes aim at, made once in beforeAll. */
const made = { personId: '', dossierId: '', productId: '', contractId: '', signalId: '', draftKey: '' };

const nlIban = (account = '0417164300', bank = 'ABNA') => `NL${ibanCheckDigits('NL', `${bank}${account}`)}${bank}${account}`;

async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBeLessThan(300);
  return (res.json() as { id: string }).id;
}

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Invoerkantoor');
  connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  app = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) } });
  await app.ready();

  const adviser = bearer(office.tokens.adviser);
  const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser, payload: { applicants: [{ person: uniquePerson() }] } });
  made.dossierId = await created(dossier);
  made.personId = (dossier.json() as { applicants: { person: { id: string } }[] }).applicants[0]!.person.id;
  await app.inject({ method: 'PUT', url: `/persons/${made.personId}/mail-opt-out`, headers: adviser, payload: { optOut: true } });
  made.productId = await created(
    await app.inject({ method: 'POST', url: `/dossiers/${made.dossierId}/products`, headers: adviser, payload: { type: 'service', parts: [{ description: 'Abonnement' }] } }),
  );
  made.contractId = await created(
    await app.inject({
      method: 'POST',
      url: `/products/${made.productId}/contract`,
      headers: adviser,
      payload: {
        description: 'Abonnement financieel advies',
        amountCents: 2500,
        vatRate: 21,
        period: 'month',
        startDate: '2026-01-01',
        endDate: '2027-12-31',
        paymentMethod: 'sepa',
        mandate: { id: `MNDT-${newId().slice(0, 6)}`, signedOn: '2025-12-15', iban: nlIban(), name: 'A. Jansen' },
        delivery: 'email',
      },
    }),
  );
  made.signalId = await created(
    await app.inject({ method: 'POST', url: `/persons/${made.personId}/signals`, headers: adviser, payload: { title: 'Bellen', date: '2026-12-24' } }),
  );
  made.draftKey = `probe-${newId().slice(0, 8)}`;
}, 180_000);

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await orm?.close(true);
});

/** A digest of every row of every table with an `office_id`, for the test office. */
async function officeDigest(): Promise<Record<string, string>> {
  const em = orm.em.fork();
  const tables = await em.execute<{ table_name: string }[]>(
    `select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'office_id' order by table_name`,
  );
  const digest: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const [row] = await em.execute<{ d: string | null; n: string }[]>(
      `select md5(string_agg(t::text, '|' order by t::text)) as d, count(*) as n from "${table}" t where t.office_id = ?`,
      [office.officeId],
    );
    digest[table] = `${row?.n}:${row?.d ?? ''}`;
  }
  return digest;
}

type Role = keyof TestOffice['tokens'];
interface Probe {
  name: string;
  role?: Role;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: () => string;
  /** A JSON value (sent with JSON.stringify) or raw bytes. */
  payload?: unknown;
  raw?: Buffer;
  /** The field the answer must name (a path in `errors`). */
  field: string;
  /** What the probe aims at, read before and after (nothing may change). */
  read?: () => string;
}

const nested = (levels: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i += 1) v = { steps: [v] };
  return v;
};
/** JSON text nested `levels` objects deep (as text: JSON.stringify itself would overflow the stack). */
const nestedText = (levels: number): string => `${'{"steps":['.repeat(levels)}"x"${']}'.repeat(levels)}`;

const person = (over: Record<string, unknown>) => ({ ...uniquePerson(), allowDuplicate: true, ...over });
const identification = (over: Record<string, unknown>) => ({ method: 'in_person', documentType: 'paspoort', documentNumber: 'NXC4RT8L3', ...over });

const probes: Probe[] = [
  // NUL, control characters, bidi overrides: no 500, no row.
  { name: 'NUL in a name (POST /persons)', method: 'POST', url: () => '/persons', payload: person({ firstName: 'An\u0000na' }), field: '/body/firstName' },
  {
    name: 'NUL in an applicant (POST /dossiers)',
    method: 'POST',
    url: () => '/dossiers',
    payload: { applicants: [{ person: uniquePerson({ lastName: 'Jansen\u0000' }) }] },
    field: '/body/applicants/0/person/lastName',
  },
  { name: 'NUL in a search (GET /persons?q=)', method: 'GET', url: () => '/persons?q=an%00na', field: '/querystring/q' },
  // Ajv coerces these to Infinity and then skips minimum/maximum: they reached SQL (a 500).
  { name: 'limit=Infinity (GET /persons)', method: 'GET', url: () => '/persons?limit=Infinity', field: '/querystring/limit' },
  { name: 'limit=1e309 (GET /risk/inbox)', method: 'GET', url: () => '/risk/inbox?limit=1e309', field: '/querystring/limit' },
  { name: 'to=1e309 (GET /process-definitions/{key}/diff)', method: 'GET', url: () => '/process-definitions/mortgage/diff?from=1&to=1e309', field: '/querystring/to' },
  {
    name: 'NUL inside a process definition (PUT /process-drafts/{key})',
    role: 'designer',
    method: 'PUT',
    url: () => `/process-drafts/${made.draftKey}`,
    payload: { definition: { key: 'x', name: 'Proces\u0000', steps: [] } },
    field: '/body/definition/name',
    read: () => `/process-drafts/${made.draftKey}`,
  },
  { name: 'ESC in a name', method: 'POST', url: () => '/persons', payload: person({ lastName: 'Jansen\u001b[31m' }), field: '/body/lastName' },
  { name: 'RIGHT-TO-LEFT OVERRIDE in a city', method: 'POST', url: () => '/persons', payload: person({ address: { ...uniquePerson().address, city: 'Utrecht\u202Efdp.exe' } }), field: '/body/address/city' },
  { name: 'a line break in a one-line name', method: 'POST', url: () => '/persons', payload: person({ firstName: 'An\nna' }), field: '/body/firstName' },
  { name: 'a tab in a note title (free text only in the note itself)', method: 'POST', url: () => `/persons/${made.personId}/notes`, payload: { title: 'a\tb', text: 'regel 1\nregel 2' }, field: '/body/title' },
  { name: 'a lone surrogate', method: 'POST', url: () => '/persons', payload: person({ firstName: 'An\uD800na' }), field: '/body/firstName' },
  {
    name: 'invalid UTF-8 in a body (never replaced)',
    method: 'POST',
    url: () => '/persons',
    raw: Buffer.concat([Buffer.from(JSON.stringify(person({})).slice(0, -1)), Buffer.from(',"x":"\xff"}', 'latin1')]),
    field: '/body',
  },
  // Dates and offsets.
  {
    name: 'checkedAt with offset +17:55',
    method: 'PUT',
    url: () => `/persons/${made.personId}/identification`,
    payload: identification({ checkedAt: '2026-01-01T10:00:00+17:55' }),
    field: '/body/checkedAt',
    read: () => `/persons/${made.personId}/card`,
  },
  {
    name: 'checkedAt with offset +23:59',
    method: 'PUT',
    url: () => `/persons/${made.personId}/identification`,
    payload: identification({ checkedAt: '2026-01-01T10:00:00+23:59' }),
    field: '/body/checkedAt',
  },
  { name: 'validUntil 0000-01-01', method: 'PUT', url: () => `/persons/${made.personId}/identification`, payload: identification({ validUntil: '0000-01-01' }), field: '/body/validUntil' },
  {
    name: 'contract startDate 0041-12-18',
    method: 'POST',
    url: () => `/products/${made.productId}/contract`,
    payload: { description: 'x', amountCents: 100, vatRate: 21, period: 'month', startDate: '0041-12-18', paymentMethod: 'transfer', delivery: 'email' },
    field: '/body/startDate',
  },
  { name: 'a birth date in 2201', method: 'POST', url: () => '/persons', payload: person({ birthDate: '2201-01-01' }), field: '/body/birthDate' },
  // Depth.
  {
    name: 'a process definition nested 5,000 levels',
    role: 'designer',
    method: 'PUT',
    url: () => `/process-drafts/${made.draftKey}`,
    raw: Buffer.from(`{"definition":${nestedText(5000)}}`),
    field: '/body',
    read: () => `/process-drafts/${made.draftKey}`,
  },
  { name: `a body nested ${MAX_JSON_DEPTH + 1} levels`, method: 'POST', url: () => '/persons', payload: person({ x: nested(MAX_JSON_DEPTH) }), field: '/body' },
  // Numbers.
  {
    name: 'an amount above the money maximum',
    method: 'PATCH',
    url: () => `/contracts/${made.contractId}`,
    payload: { amountCents: 100_000_000_000 },
    field: '/body/amountCents',
    read: () => `/contracts/${made.contractId}`,
  },
  { name: 'a version above int4', role: 'designer', method: 'POST', url: () => `/products/${made.productId}/migrate`, payload: { toVersion: 2_147_483_648 }, field: '/body/toVersion' },
  { name: 'a house number as a string', method: 'POST', url: () => '/persons', payload: person({ address: { ...uniquePerson().address, houseNumber: '12' } }), field: '/body/address/houseNumber' },
  // No coercion: every value as sent.
  ...[null, 'false', 0].map(
    (optOut): Probe => ({
      name: `mail opt-out ${JSON.stringify(optOut)}`,
      method: 'PUT',
      url: () => `/persons/${made.personId}/mail-opt-out`,
      payload: { optOut },
      field: '/body/optOut',
      read: () => `/persons/${made.personId}`,
    }),
  ),
  { name: 'endDate "" (null is the way to remove it)', method: 'PATCH', url: () => `/contracts/${made.contractId}`, payload: { endDate: '' }, field: '/body/endDate', read: () => `/contracts/${made.contractId}` },
  {
    name: 'creditor false',
    role: 'admin',
    method: 'PUT',
    url: () => '/billing/settings',
    payload: { reminderMode: 'workflow', creditor: false, paymentTermDays: 14 },
    field: '/body/creditor',
    read: () => '/billing/settings',
  },
  { name: 'signal done null', method: 'PATCH', url: () => `/persons/${made.personId}/signals/${made.signalId}`, payload: { done: null }, field: '/body/done', read: () => `/persons/${made.personId}/card` },
  { name: 'signal title false', method: 'PATCH', url: () => `/persons/${made.personId}/signals/${made.signalId}`, payload: { title: false }, field: '/body/title', read: () => `/persons/${made.personId}/card` },
];

describe('the issue 16 probes', () => {
  it.each(probes.map((p) => [p.name, p] as const))('%s: 400 problem+json naming the field, nothing stored', async (_name, probe) => {
    const headers = bearer(office.tokens[probe.role ?? 'adviser']);
    const readBack = async () => (probe.read ? (await app.inject({ method: 'GET', url: probe.read(), headers })).body : '');
    const before = await officeDigest();
    const beforeRead = await readBack();

    const res = await app.inject({
      method: probe.method,
      url: probe.url(),
      headers: { ...headers, ...(probe.payload !== undefined || probe.raw ? { 'content-type': 'application/json' } : {}) },
      ...(probe.raw ? { payload: probe.raw } : probe.payload !== undefined ? { payload: JSON.stringify(probe.payload) } : {}),
    });

    expect(res.statusCode, res.body).toBe(400);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const problem = res.json() as { status: number; detail: string; errors?: { path: string; message: string }[] };
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((e) => e.path), res.body).toContain(probe.field);
    expect(await officeDigest()).toEqual(before);
    expect(await readBack()).toBe(beforeRead);
  });
});

describe('what stays allowed', () => {
  const adviser = () => bearer(office.tokens.adviser);

  it('free text keeps tabs and line breaks; names keep accents, scripts and emoji', async () => {
    const note = await app.inject({ method: 'POST', url: `/persons/${made.personId}/notes`, headers: adviser(), payload: { title: 'Gesprek', text: 'regel 1\n\tregel 2\r\n' } });
    expect(note.statusCode, note.body).toBe(201);
    const p = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: person({ firstName: 'Zoë 😀 Ğül', lastName: `Ærø-${newId().slice(0, 6)} محمد` }) });
    expect(p.statusCode, p.body).toBe(201);
  });

  it('null clears where the schema says so; querystring and path text is still read as numbers', async () => {
    const cleared = await app.inject({ method: 'PATCH', url: `/contracts/${made.contractId}`, headers: adviser(), payload: { endDate: null } });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/contracts/${made.contractId}`, headers: adviser() })).json()).toMatchObject({ endDate: null });
    const page = await app.inject({ method: 'GET', url: '/persons?limit=2&offset=0', headers: adviser() });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({ limit: 2, offset: 0 });
  });

  it('the bounds themselves are accepted: 1900-01-01, 2200-12-31, offsets ±14:00', async () => {
    const p = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: person({ birthDate: '1900-01-01' }) });
    expect(p.statusCode, p.body).toBe(201);
    for (const checkedAt of ['1900-01-01T00:00:00+14:00', '2020-06-30T23:59:59.123-14:00']) {
      const res = await app.inject({ method: 'PUT', url: `/persons/${made.personId}/identification`, headers: adviser(), payload: identification({ checkedAt, validUntil: '2200-12-31' }) });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
});
