/**
 * The contact log (*contactmomenten*) read routes against a real PostgreSQL with `app.inject()`:
 * the dossier's moments newest first with the report mails and follow-up task of the same step
 * (linked by the step's idempotency key only), the product filter, paging, the person view across
 * their dossiers, another office's dossier or person (404), an empty list, and the summary after
 * anonymisation. Moments are written with the work store, as the process step's activity does.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { insertContactMomentOnce, insertMailOnce, insertTaskOnce } from '../../services/work/store.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let otherOffice: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Contactkantoor');
  otherOffice = await createTestOffice(orm, 'Ander contactkantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const adviser = () => bearer(office.tokens.adviser);

function expectProblem(res: { headers: Record<string, unknown>; json(): unknown; statusCode: number }, status: number) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
}

async function newDossier(applicants: Record<string, unknown>[], token = office.tokens.adviser): Promise<{ dossierId: string; personIds: string[] }> {
  const res = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(token), payload: { applicants } });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { id: string; applicants: { person: { id: string } }[] };
  return { dossierId: body.id, personIds: body.applicants.map((a) => a.person.id) };
}

async function newProduct(dossierId: string, token = office.tokens.adviser): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `/dossiers/${dossierId}/products`, headers: bearer(token), payload: { type: 'service', parts: [{ description: 'Hypotheekadvies' }] } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** A contact moment as the register-contact step writes it: action 0 of event `seq`; optionally its report mail (action 1) and task (action 2). */
async function registerMoment(
  officeId: string,
  dossierId: string,
  productId: string,
  seq: number,
  at: string,
  summary: string,
  extra: { mailTo?: string[]; task?: boolean; actor?: string } = {},
): Promise<string> {
  const em = orm.em.fork();
  const step = `product:${productId}/event:${seq}`;
  const id = await insertContactMomentOnce(em, { key: `${step}/action:0`, dossierId, productId, at: new Date(at), actor: extra.actor ?? 'system', channel: 'telefoon', summary, createdAt: new Date() });
  for (const to of extra.mailTo ?? []) {
    await insertMailOnce(em, { key: `${step}/action:1#${to}`, dossierId, productId, template: 'conversation-report', toAddress: `${to}@example.nl`, subject: `Verslag ${seq}`, bodyText: summary, messageId: `<${seq}.${to}@test>` });
  }
  if (extra.task) {
    await insertTaskOnce(em, { key: `${step}/action:2`, officeId, dossierId, productId, title: 'Opvolging contactmoment', assignee: 'adviser', dueDate: '2026-12-10', createdAt: new Date() });
  }
  return id;
}

interface Moment {
  id: string;
  productId: string;
  dossierId: string;
  summary: string | null;
  registeredBy: { actor: string; name: string | null };
  reportMails: { id: string; subject: string; status: string }[];
  followUpTask: { title: string; status: string; dueDate: string | null } | null;
}
async function list(url: string, token = office.tokens.adviser): Promise<{ items: Moment[]; total: number; limit: number; offset: number }> {
  const res = await app.inject({ method: 'GET', url, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('contact moments of a dossier', () => {
  it('lists them newest first with the report mails and the follow-up task of the same step, filtered by product and paged', async () => {
    const { dossierId } = await newDossier([{ person: uniquePerson() }, { person: uniquePerson() }]);
    const first = await newProduct(dossierId);
    const second = await newProduct(dossierId);
    const old = await registerMoment(office.officeId, dossierId, first, 3, '2026-11-01T09:00:00Z', 'Eerste gesprek', { mailTo: ['a', 'b'], task: true, actor: office.credentialIds.adviser });
    const latest = await registerMoment(office.officeId, dossierId, second, 3, '2026-11-20T09:00:00Z', 'Telefonisch bijgepraat', { actor: otherOffice.credentialIds.adviser });
    const middle = await registerMoment(office.officeId, dossierId, first, 4, '2026-11-10T09:00:00Z', 'Tweede gesprek');
    // A mail of another step (event 30 starts with "event:3") is not the report of event 3.
    await insertMailOnce(orm.em.fork(), { key: `product:${first}/event:30/action:1#x`, dossierId, productId: first, template: 'other', toAddress: 'x@example.nl', subject: 'Ander', bodyText: 'x', messageId: '<30.x@test>' });

    const all = await list(`/dossiers/${dossierId}/contact-moments`);
    expect(all).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(all.items.map((m) => m.id)).toEqual([latest, middle, old]);
    const oldest = all.items[2]!;
    expect(oldest).toMatchObject({ dossierId, productId: first, channel: 'telefoon', summary: 'Eerste gesprek', registeredBy: { actor: office.credentialIds.adviser, name: expect.any(String) }, at: '2026-11-01T09:00:00.000Z', productType: 'service' });
    expect(oldest.reportMails.map((m) => [m.subject, m.status])).toEqual([['Verslag 3', 'pending'], ['Verslag 3', 'pending']]);
    expect(oldest.followUpTask).toEqual({ id: expect.any(String), title: 'Opvolging contactmoment', status: 'open', dueDate: '2026-12-10' });
    // Another office's credential is not named here; a system actor has no name either.
    expect(all.items[0]).toMatchObject({ reportMails: [], followUpTask: null, registeredBy: { actor: otherOffice.credentialIds.adviser, name: null } });
    expect(all.items[1]!.registeredBy).toEqual({ actor: 'system', name: null });

    const filtered = await list(`/dossiers/${dossierId}/contact-moments?productId=${first}`);
    expect(filtered.total).toBe(2);
    expect(filtered.items.map((m) => m.id)).toEqual([middle, old]);

    const page = await list(`/dossiers/${dossierId}/contact-moments?limit=1&offset=1`);
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.items.map((m) => m.id)).toEqual([middle]);
  });

  it('an empty list for a dossier without contact moments (and for a product filter that matches none)', async () => {
    const { dossierId } = await newDossier([{ person: uniquePerson() }]);
    expect(await list(`/dossiers/${dossierId}/contact-moments`)).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
    expect((await list(`/dossiers/${dossierId}/contact-moments?productId=not-a-uuid`)).items).toEqual([]);
  });

  it("another office's dossier is not found (problem+json), and bad paging is a 400", async () => {
    const { dossierId } = await newDossier([{ person: uniquePerson() }], otherOffice.tokens.adviser);
    const productId = await newProduct(dossierId, otherOffice.tokens.adviser);
    await registerMoment(otherOffice.officeId, dossierId, productId, 3, '2026-11-01T09:00:00Z', 'Elders');
    expectProblem(await app.inject({ method: 'GET', url: `/dossiers/${dossierId}/contact-moments`, headers: adviser() }), 404);
    expectProblem(await app.inject({ method: 'GET', url: '/dossiers/nope/contact-moments', headers: adviser() }), 404);
    expectProblem(await app.inject({ method: 'GET', url: `/dossiers/${dossierId}/contact-moments?limit=0`, headers: bearer(otherOffice.tokens.adviser) }), 400);
    expect((await list(`/dossiers/${dossierId}/contact-moments`, otherOffice.tokens.adviser)).total).toBe(1);
  });
});

describe('contact moments of a person', () => {
  it("lists them across the person's dossiers, not those of dossiers they are not in", async () => {
    const { dossierId: own, personIds } = await newDossier([{ person: uniquePerson() }]);
    const personId = personIds[0]!;
    const { dossierId: shared } = await newDossier([{ person: uniquePerson() }, { personId }]);
    const { dossierId: stranger } = await newDossier([{ person: uniquePerson() }]);
    const a = await registerMoment(office.officeId, own, await newProduct(own), 3, '2026-10-01T09:00:00Z', 'Eigen dossier');
    const b = await registerMoment(office.officeId, shared, await newProduct(shared), 3, '2026-10-05T09:00:00Z', 'Gedeeld dossier');
    await registerMoment(office.officeId, stranger, await newProduct(stranger), 3, '2026-10-03T09:00:00Z', 'Niet van hen');

    const theirs = await list(`/persons/${personId}/contact-moments`);
    expect(theirs.total).toBe(2);
    expect(theirs.items.map((m) => [m.id, m.dossierId])).toEqual([[b, shared], [a, own]]);
    expect(theirs.items[0]).toMatchObject({ dossierNumber: expect.stringMatching(/^[0-9]{4}-[0-9]{6,}$/) });

    const { personIds: lonely } = await newDossier([{ person: uniquePerson() }]);
    expect(await list(`/persons/${lonely[0]!}/contact-moments`)).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
    // Another office's adviser does not see the person at all.
    expectProblem(await app.inject({ method: 'GET', url: `/persons/${personId}/contact-moments`, headers: bearer(otherOffice.tokens.adviser) }), 404);
  });

  it('shows the anonymised summary after the person is anonymised', async () => {
    const person = uniquePerson();
    const { dossierId, personIds } = await newDossier([{ person }]);
    await registerMoment(office.officeId, dossierId, await newProduct(dossierId), 3, '2026-10-01T09:00:00Z', `Gesproken met ${String(person.lastName)} over de offerte`);
    const res = await app.inject({ method: 'POST', url: `/persons/${personIds[0]!}/anonymise`, headers: bearer(office.tokens.admin) });
    expect(res.statusCode, res.body).toBe(200);
    const after = await list(`/dossiers/${dossierId}/contact-moments`);
    expect(after.items.map((m) => m.summary)).toEqual(['Geanonimiseerd']);
  });
});
