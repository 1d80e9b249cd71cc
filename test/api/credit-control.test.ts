/**
 * Credit control (issue 19) over HTTP against a real PostgreSQL, the real Temporal of the global
 * setup and an in-process worker (each invoice's process runs the action and renders the letter):
 *
 * - ticked invoices: the run acts on exactly those; an ineligible ticked one (not overdue, paid,
 *   another office's) is in the results as skipped with its reason, never silently dropped;
 * - "select all": the run acts on the filter's set, the one the overview counts (overdue=true);
 * - a retried run (same Idempotency-Key) answers the first run and sends nothing twice;
 * - an invoice held by an unfinished run of the same step is skipped by a second run;
 * - an archived group leaves the choices, is refused for a new run (409), its run stays readable;
 *   a group never used is deleted, one with history is not (409);
 * - the run's executions link their letters, which download as PDF;
 * - the overview has the client, payment and delivery method, filterable and sortable.
 *
 * Invoices are inserted with SQL; their contracts start in the future so the contract workflows invoice nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, startAppWithWorker, uniquePerson, type AppWithWorker, type TestOffice } from './support.js';

let orm: MikroORM;
let running: AppWithWorker;
let app: FastifyInstance;
let office: TestOffice;
let other: TestOffice;
const taskQueue = `credit-control-test-${newId().slice(0, 8)}`;
const today = todayInAmsterdam(new Date());
const tag = () => newId().replace(/-/g, '').slice(0, 6).toUpperCase();
const CREDITOR_IBAN = `NL${ibanCheckDigits('NL', 'ABNA0417164300')}ABNA0417164300`;
const CREDITOR_ID = `NL${creditorIdCheckDigits('NL', '123456780000')}ZZZ123456780000`;

const ladder = [
  { name: 'Eerste herinnering', type: 'letter', template: 'reminder-letter', daysAfterDue: 7, statusAfter: 'reminded' },
  { name: '14-dagenbrief', type: 'letter', daysAfterDue: 21, statusAfter: 'final_notice', fourteenDayLetter: true, audience: 'consumer' },
];

async function moduleMode(o: TestOffice): Promise<void> {
  const settings = await app.inject({
    method: 'PUT',
    url: '/billing/settings',
    headers: bearer(o.tokens.admin),
    payload: { reminderMode: 'module', paymentTermDays: 14, creditor: { name: 'Debiteurenkantoor B.V.', iban: CREDITOR_IBAN, creditorId: CREDITOR_ID } },
  });
  expect(settings.statusCode, settings.body).toBe(200);
}

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Debiteurenkantoor');
  other = await createTestOffice(orm, 'Ander kantoor');
  running = await startAppWithWorker(orm, taskQueue);
  app = running.app;
  await moduleMode(office);
  await moduleMode(other);
}, 180_000);

afterAll(async () => {
  await running?.stop();
  await orm?.close(true);
});

const adviser = (o: TestOffice = office) => bearer(o.tokens.adviser);
const designer = (o: TestOffice = office) => bearer(o.tokens.designer);

interface Contract {
  id: string;
  dossierId: string;
  productId: string;
}

/** A transfer contract starting in two months (its workflow invoices nothing now), for a client named `lastName`. */
async function contract(o: TestOffice, lastName: string): Promise<Contract> {
  const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(o), payload: { applicants: [{ person: uniquePerson({ lastName }) }] } });
  expect(dossier.statusCode, dossier.body).toBe(201);
  const product = await app.inject({
    method: 'POST',
    url: `/dossiers/${dossier.json().id}/products`,
    headers: adviser(o),
    payload: { type: 'service', parts: [{ description: 'Abonnement financieel advies' }] },
  });
  expect(product.statusCode).toBe(201);
  const res = await app.inject({
    method: 'POST',
    url: `/products/${product.json().id}/contract`,
    headers: adviser(o),
    payload: { description: 'Abonnement financieel advies', amountCents: 2500, vatRate: 21, period: 'month', startDate: addDays(today, 60), paymentMethod: 'transfer', delivery: 'letter' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Contract;
}

let seq = 0;
/** An invoice as the contract activities make it; overdue unless `dueInDays` ≥ 0. */
async function invoice(
  c: Contract,
  o: TestOffice = office,
  opts: { dueInDays?: number; status?: string; paymentMethod?: 'sepa' | 'transfer'; delivery?: 'email' | 'letter' } = {},
): Promise<{ id: string; number: string }> {
  seq += 1;
  const id = newId();
  const number = `2026-${tag()}${String(seq).padStart(3, '0')}`;
  const due = addDays(today, opts.dueInDays ?? -20);
  const em = orm.em.fork();
  await em.execute(
    `insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
       net_cents, vat_cents, total_cents, paid_cents, status, payment_method, delivery, workflow_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2500, 525, 3025, ?, ?, ?, ?, ?)`,
    [
      id, `test:${id}`, o.officeId, c.id, c.dossierId, c.productId, number, addDays(due, -14), due, addDays(due, -14), addDays(due, 16),
      opts.status === 'paid' ? 3025 : 0, opts.status ?? 'sent', opts.paymentMethod ?? 'transfer', opts.delivery ?? 'letter', `invoice:${id}`,
    ],
  );
  await em.execute('insert into invoice_lines (id, invoice_id, position, description, net_cents, vat_rate, vat_cents) values (?, ?, 1, ?, 2500, 21, 525)', [
    newId(),
    id,
    'Abonnement financieel advies',
  ]);
  return { id, number };
}

async function group(name = `Herinneringen ${tag()}`): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/billing/action-groups', headers: designer(), payload: { name, actions: ladder } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const runRequest = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/billing/reminder-runs', headers: { ...adviser(), ...headers }, payload });

const executionsOf = async (runId: string) =>
  (await orm.em.fork().execute<{ invoice_id: string }[]>('select invoice_id from reminder_executions where run_id = ? order by invoice_id', [runId])).map((r) => r.invoice_id);

describe('credit control: runs on ticked invoices and on the filter', () => {
  it('ticked: acts on exactly those; ineligible ones are skipped with their reason; the letter downloads as PDF', async () => {
    const groupId = await group();
    const c = await contract(office, `Tick-${tag()}`);
    const [a, b, d] = [await invoice(c), await invoice(c), await invoice(c)];
    const untouched = await invoice(c); // overdue but not ticked
    const notDue = await invoice(c, office, { dueInDays: 5 });
    const paid = await invoice(c, office, { status: 'paid' });
    const foreign = await invoice(await contract(other, `Ander-${tag()}`), other);

    const res = await runRequest({ actionGroupId: groupId, actionIndex: 0, invoiceIds: [a.id, b.id, d.id, notDue.id, paid.id, foreign.id] });
    expect(res.statusCode, res.body).toBe(201);
    const run = res.json();
    expect(run).toMatchObject({ selection: 'ticked', actionGroupName: expect.stringMatching(/^Herinneringen/), invoices: 3, filter: {} });
    expect([...run.invoiceIds].sort()).toEqual([a.id, b.id, d.id].sort());
    expect(run.requestedIds).toHaveLength(6);
    const byId = new Map(run.results.map((r: { invoiceId: string }) => [r.invoiceId, r]));
    for (const inv of [a, b, d]) expect(byId.get(inv.id), JSON.stringify(run.results)).toMatchObject({ ok: true, statusAfter: "reminded" });
    expect(byId.get(notDue.id)).toMatchObject({ ok: false, skipped: true, reason: expect.stringMatching(/nog niet vervallen/) });
    expect(byId.get(paid.id)).toMatchObject({ ok: false, skipped: true, reason: expect.stringMatching(/heeft status paid: geen aanmaning/) });
    expect(byId.get(foreign.id)).toMatchObject({ ok: false, skipped: true, reason: 'geen factuur van dit kantoor' });
    expect(await executionsOf(run.id)).toEqual([a.id, b.id, d.id].sort());
    expect(await executionsOf(run.id)).not.toContain(untouched.id);

    // The history: the run with its executions, each linking its letter.
    const read = await app.inject({ method: 'GET', url: `/billing/reminder-runs/${run.id}`, headers: adviser() });
    expect(read.statusCode).toBe(200);
    const executions = read.json().executions as { invoiceId: string; invoiceNumber: string; letterUrl: string | null; actionName: string }[];
    expect(executions).toHaveLength(3);
    expect(executions.find((e) => e.invoiceId === a.id)).toMatchObject({ invoiceNumber: a.number, actionName: 'Eerste herinnering', letterUrl: expect.stringMatching(/^\/billing\/reminder-executions\/[0-9a-f-]+\/letter$/) });
    const letter = await app.inject({ method: 'GET', url: executions[0]!.letterUrl!, headers: adviser() });
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(String(letter.headers['content-disposition'])).toMatch(/^attachment; filename="aanmaning-2026-.*\.pdf"/);
    expect(letter.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Another office cannot read it.
    const foreignRead = await app.inject({ method: 'GET', url: executions[0]!.letterUrl!, headers: adviser(other) });
    expect(foreignRead.statusCode).toBe(404);
  });

  it('"select all": acts on the filter set the overview counts; a retry with the same Idempotency-Key sends nothing twice', async () => {
    const groupId = await group();
    const c = await contract(office, `Alles-${tag()}`);
    // Only this test's invoices are sepa + email, so the filter selects exactly them.
    const mine = [await invoice(c, office, { paymentMethod: 'sepa', delivery: 'email' }), await invoice(c, office, { paymentMethod: 'sepa', delivery: 'email' })];
    await invoice(c, office, { paymentMethod: 'sepa', delivery: 'email', dueInDays: 3 }); // not overdue
    const listed = await app.inject({ method: 'GET', url: '/invoices?overdue=true&paymentMethod=sepa&delivery=email', headers: adviser() });
    expect(listed.json().total).toBe(2);
    expect(listed.json().items.map((i: { id: string }) => i.id).sort()).toEqual(mine.map((i) => i.id).sort());

    const key = `retry-${newId()}`;
    const first = await runRequest({ actionGroupId: groupId, actionIndex: 0, filter: { paymentMethod: 'sepa', delivery: 'email' } }, { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ selection: 'filter', requestedIds: null, invoices: 2, filter: { paymentMethod: 'sepa', delivery: 'email' } });
    expect([...first.json().invoiceIds].sort()).toEqual(mine.map((i) => i.id).sort());
    const again = await runRequest({ actionGroupId: groupId, actionIndex: 0, filter: { paymentMethod: 'sepa', delivery: 'email' } }, { 'idempotency-key': key });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(await executionsOf(first.json().id)).toHaveLength(2);
    const count = await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from reminder_runs where action_group_id = ?', [groupId]);
    expect(count[0]!.n).toBe(1);
    const reused = await runRequest({ actionGroupId: groupId, actionIndex: 1, invoiceIds: [mine[0]!.id] }, { 'idempotency-key': key });
    expect(reused.statusCode).toBe(409);

    // Both together: 400.
    const both = await runRequest({ actionGroupId: groupId, actionIndex: 0, filter: {}, invoiceIds: [mine[0]!.id] });
    expect(both.statusCode).toBe(400);
  });

  it('an invoice held by an unfinished run of the same step is skipped by a second run', async () => {
    const groupId = await group();
    const c = await contract(office, `Dubbel-${tag()}`);
    const [x, y] = [await invoice(c), await invoice(c)];
    // A run of the same step that is still running (its process has x).
    const runningId = newId();
    await orm.em.fork().execute(
      `insert into reminder_runs (id, office_id, action_group_id, action_index, filter, invoices, invoice_ids, created_by) values (?, ?, ?, 0, '{}', 1, ?::uuid[], 'test')`,
      [runningId, office.officeId, groupId, `{${x.id}}`],
    );
    const res = await runRequest({ actionGroupId: groupId, actionIndex: 0, invoiceIds: [x.id, y.id] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().invoiceIds).toEqual([y.id]);
    expect(res.json().results).toContainEqual({ invoiceId: x.id, ok: false, skipped: true, reason: `in aanmaningsrun ${runningId} van dezelfde actie, die nog loopt` });
    // Another step (action 1) is not held by it.
    const other = await runRequest({ actionGroupId: groupId, actionIndex: 1, invoiceIds: [x.id] });
    expect(other.json().invoiceIds).toEqual([x.id]);
  });
});

describe('credit control: never twice', () => {
  it('two runs of the same step at once on the same ticked invoices: each invoice is acted on once', async () => {
    const groupId = await group();
    const c = await contract(office, `Gelijk-${tag()}`);
    const set = [await invoice(c), await invoice(c), await invoice(c)];
    const ids = set.map((i) => i.id);
    const [one, two] = await Promise.all([
      runRequest({ actionGroupId: groupId, actionIndex: 0, invoiceIds: ids }),
      runRequest({ actionGroupId: groupId, actionIndex: 0, invoiceIds: [...ids].reverse() }),
    ]);
    expect([one.statusCode, two.statusCode]).toEqual([201, 201]);
    const acted = [...one.json().invoiceIds, ...two.json().invoiceIds].sort();
    expect(acted).toEqual([...ids].sort());
    const executions = await orm.em.fork().execute<{ invoice_id: string }[]>(
      'select e.invoice_id from reminder_executions e join reminder_runs r on r.id = e.run_id where r.action_group_id = ?',
      [groupId],
    );
    expect(executions.map((e) => e.invoice_id).sort()).toEqual([...ids].sort());
  });

  it('a retry (same Idempotency-Key) of a run that stopped halfway finishes it and keeps what it skipped', async () => {
    const groupId = await group();
    const c = await contract(office, `Half-${tag()}`);
    const [x, notDue] = [await invoice(c), await invoice(c, office, { dueInDays: 4 })];
    const key = `half-${newId()}`;
    const first = await runRequest({ actionGroupId: groupId, actionIndex: 0, invoiceIds: [x.id, notDue.id] }, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const runId = first.json().id as string;
    // As if the first attempt stopped after recording the run, before acting: no outcome, not processed.
    await orm.em.fork().execute(`update reminder_runs set processed_at = null, results = (select jsonb_agg(x) from jsonb_array_elements(results) x where x->>'skipped' = 'true') where id = ?`, [runId]);
    const again = await runRequest({ actionGroupId: groupId, actionIndex: 0, invoiceIds: [x.id, notDue.id] }, { 'idempotency-key': key });
    expect(again.statusCode).toBe(200);
    expect(again.json().processedAt).toEqual(expect.any(String));
    expect(again.json().results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ invoiceId: x.id, ok: true, executionId: first.json().results.find((r: { invoiceId: string }) => r.invoiceId === x.id).executionId }),
        expect.objectContaining({ invoiceId: notDue.id, ok: false, skipped: true }),
      ]),
    );
    expect(await executionsOf(runId)).toEqual([x.id]);
  });
});

describe('credit control: archiving action groups', () => {
  it('archived: not offered, refused for a new run (409), its runs stay readable; unused groups are deleted, used ones not', async () => {
    const groupId = await group();
    const c = await contract(office, `Archief-${tag()}`);
    const inv = await invoice(c);
    const run = await runRequest({ actionGroupId: groupId, actionIndex: 0, invoiceIds: [inv.id] });
    expect(run.statusCode).toBe(201);

    const deleteUsed = await app.inject({ method: 'DELETE', url: `/billing/action-groups/${groupId}`, headers: designer() });
    expect(deleteUsed.statusCode).toBe(409);
    expect(deleteUsed.json().detail).toMatch(/archive it instead/);
    expect((await app.inject({ method: 'POST', url: `/billing/action-groups/${groupId}/archive`, headers: adviser() })).statusCode).toBe(403);
    const archived = await app.inject({ method: 'POST', url: `/billing/action-groups/${groupId}/archive`, headers: designer() });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json().archivedAt).toEqual(expect.any(String));

    const offered = await app.inject({ method: 'GET', url: '/billing/action-groups', headers: adviser() });
    expect(offered.json().items.map((g: { id: string }) => g.id)).not.toContain(groupId);
    const all = await app.inject({ method: 'GET', url: '/billing/action-groups?includeArchived=true', headers: adviser() });
    expect(all.json().items.map((g: { id: string }) => g.id)).toContain(groupId);

    const refused = await runRequest({ actionGroupId: groupId, actionIndex: 0, invoiceIds: [inv.id] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ detail: expect.stringMatching(/is archived/) });
    const put = await app.inject({ method: 'PUT', url: `/billing/action-groups/${groupId}`, headers: designer(), payload: { name: 'Nieuw', actions: ladder } });
    expect(put.statusCode).toBe(409);

    const history = await app.inject({ method: 'GET', url: `/billing/reminder-runs/${run.json().id}`, headers: adviser() });
    expect(history.statusCode).toBe(200);
    expect(history.json().executions).toHaveLength(1);
    expect(history.json().executions[0].letterUrl).toEqual(expect.any(String));
    expect((await app.inject({ method: 'GET', url: history.json().executions[0].letterUrl, headers: adviser() })).statusCode).toBe(200);

    // The name is free again for a new group; a group never used is deleted outright.
    const archivedName = archived.json().name as string;
    const fresh = await group(archivedName);
    const gone = await app.inject({ method: 'DELETE', url: `/billing/action-groups/${fresh}`, headers: designer() });
    expect(gone.statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `/billing/action-groups/${fresh}`, headers: designer() })).statusCode).toBe(404);
  });
});

describe('credit control: the invoice overview', () => {
  it('has client, payment and delivery method; filters and sorts by them', async () => {
    const suffix = tag();
    const cA = await contract(office, `Aaa-${suffix}`);
    const cZ = await contract(office, `Zzz-${suffix}`);
    const zInv = await invoice(cZ, office, { paymentMethod: 'transfer', delivery: 'letter' });
    const aInv = await invoice(cA, office, { paymentMethod: 'transfer', delivery: 'letter' });
    const res = await app.inject({ method: 'GET', url: `/invoices?sort=client&order=asc&paymentMethod=transfer&delivery=letter&limit=200`, headers: adviser() });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; clientName: string; paymentMethod: string; delivery: string }[];
    for (const i of items) expect(i).toMatchObject({ paymentMethod: 'transfer', delivery: 'letter' });
    const ids = items.map((i) => i.id);
    expect(ids.indexOf(aInv.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(aInv.id)).toBeLessThan(ids.indexOf(zInv.id));
    expect(items.find((i) => i.id === aInv.id)!.clientName).toMatch(new RegExp(`Aaa-${suffix}$`));
    const desc = await app.inject({ method: 'GET', url: `/invoices?sort=client&order=desc&limit=200`, headers: adviser() });
    const descIds = (desc.json().items as { id: string }[]).map((i) => i.id);
    expect(descIds.indexOf(zInv.id)).toBeLessThan(descIds.indexOf(aInv.id));
    const email = await app.inject({ method: 'GET', url: `/invoices?delivery=email&limit=200`, headers: adviser() });
    expect((email.json().items as { id: string }[]).map((i) => i.id)).not.toContain(aInv.id);
  });
});
