/**
 * The CRM card (*relatiekaart*) against a real PostgreSQL with `app.inject()`: admin
 * definitions and roles, property values checked by type, indicators, mirrored relations, note
 * ordering, signals in the work queue, the masked identification, files / mails / same address
 * / dossiers on the card, a new dossier from the card, and what anonymisation leaves of it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { newId } from '../../db/ids.js';
import { whilePersonExists } from '../../services/crm/card.js';
import { insertNote } from '../../services/crm/store.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let otherOffice: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'CRM-kantoor');
  otherOffice = await createTestOffice(orm, 'Ander CRM-kantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const adviser = () => bearer(office.tokens.adviser);
const admin = () => bearer(office.tokens.admin);
const tag = () => newId().slice(0, 8);

function expectProblem(res: { headers: Record<string, unknown>; json(): unknown; statusCode: number }, status: number) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  return res.json() as Record<string, unknown> & { errors?: { path: string; message: string }[] };
}

async function newPerson(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: { ...uniquePerson(overrides), allowDuplicate: true } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function card(personId: string) {
  const res = await app.inject({ method: 'GET', url: `/persons/${personId}/card`, headers: adviser() });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('admin definitions', () => {
  it('properties and indicators are defined by admins only; advisers may read them', async () => {
    const key = `hobby-${tag()}`;
    expectProblem(await app.inject({ method: 'POST', url: '/crm/properties', headers: adviser(), payload: { key, label: 'Hobby', type: 'text' } }), 403);
    expectProblem(await app.inject({ method: 'POST', url: '/crm/indicators', headers: adviser(), payload: { label: 'Lead' } }), 403);
    const created = await app.inject({ method: 'POST', url: '/crm/properties', headers: admin(), payload: { key, label: 'Hobby', type: 'text' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ key, label: 'Hobby', type: 'text', choices: null });
    expectProblem(await app.inject({ method: 'POST', url: '/crm/properties', headers: admin(), payload: { key, label: 'Nog eens', type: 'text' } }), 409);
    const list = await app.inject({ method: 'GET', url: '/crm/properties', headers: adviser() });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((p: { key: string }) => p.key)).toContain(key);
    // Another office does not see them.
    const other = await app.inject({ method: 'GET', url: '/crm/properties', headers: bearer(otherOffice.tokens.adviser) });
    expect(other.json().items.map((p: { key: string }) => p.key)).not.toContain(key);
  });

  it('validation errors are problem+json with the field path', async () => {
    const bad = expectProblem(await app.inject({ method: 'POST', url: '/crm/properties', headers: admin(), payload: { key: 'Bad Key', label: 'x', type: 'colour' } }), 400);
    expect(bad.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['/body/key']));
    const noChoices = expectProblem(await app.inject({ method: 'POST', url: '/crm/properties', headers: admin(), payload: { key: `k${tag()}`, label: 'Keuze', type: 'choice' } }), 400);
    expect(noChoices.errors).toEqual([{ path: '/body/choices', message: expect.stringMatching(/required/) }]);
    expectProblem(await app.inject({ method: 'POST', url: '/crm/indicators', headers: admin(), payload: { label: '' } }), 400);
  });
});

describe('the card of a person', () => {
  it('basic, personal and contact data; 404 for unknown and other-office persons', async () => {
    const id = await newPerson({ firstName: 'Karin', phone: '0612345678' });
    const c = await card(id);
    expect(c.basic).toMatchObject({ id, firstName: 'Karin', anonymised: false });
    expect(c.personal).toEqual({ birthDate: '1990-04-12' });
    expect(c.contact).toMatchObject({ phone: '0612345678', email: expect.stringMatching(/@example\.nl$/), address: expect.objectContaining({ city: 'Utrecht' }) });
    expect(c.newDossier).toMatchObject({ method: 'POST', href: `/persons/${id}/dossiers` });
    expectProblem(await app.inject({ method: 'GET', url: `/persons/${newId()}/card`, headers: adviser() }), 404);
    expectProblem(await app.inject({ method: 'GET', url: `/persons/${id}/card`, headers: bearer(otherOffice.tokens.adviser) }), 404);
    expectProblem(await app.inject({ method: 'GET', url: `/persons/${id}/card`, headers: bearer(office.tokens.lender) }), 403);
  });

  it('free properties are checked against their type; null clears', async () => {
    const id = await newPerson();
    const t = tag();
    for (const def of [
      { key: `kinderen-${t}`, label: 'Aantal kinderen', type: 'number' },
      { key: `klant-sinds-${t}`, label: 'Klant sinds', type: 'date' },
      { key: `nieuwsbrief-${t}`, label: 'Nieuwsbrief', type: 'boolean' },
      { key: `kanaal-${t}`, label: 'Kanaal', type: 'choice', choices: ['telefoon', 'mail'] },
    ]) {
      expect((await app.inject({ method: 'POST', url: '/crm/properties', headers: admin(), payload: def })).statusCode).toBe(201);
    }
    const put = (key: string, value: unknown) => app.inject({ method: 'PUT', url: `/persons/${id}/properties/${key}`, headers: adviser(), payload: { value } });
    expect((await put(`kinderen-${t}`, 2)).json()).toEqual({ key: `kinderen-${t}`, value: 2 });
    expect((await put(`klant-sinds-${t}`, '2020-02-29')).statusCode).toBe(200);
    expect((await put(`nieuwsbrief-${t}`, true)).statusCode).toBe(200);
    expect((await put(`kanaal-${t}`, 'mail')).statusCode).toBe(200);
    expect(expectProblem(await put(`kinderen-${t}`, 'twee'), 400).errors?.[0]?.path).toBe('/body/value');
    expectProblem(await put(`klant-sinds-${t}`, '2021-02-29'), 400);
    expectProblem(await put(`kanaal-${t}`, 'brief'), 400);
    expectProblem(await put(`bestaat-niet-${t}`, 'x'), 404);

    let c = await card(id);
    const value = (key: string) => (c.properties as { key: string; value: unknown }[]).find((p) => p.key === key)?.value;
    expect(value(`kinderen-${t}`)).toBe(2);
    expect(value(`nieuwsbrief-${t}`)).toBe(true);
    expect(value(`kanaal-${t}`)).toBe('mail');
    expect((await put(`kinderen-${t}`, null)).statusCode).toBe(200);
    c = await card(id);
    expect(value(`kinderen-${t}`)).toBeNull();
  });

  it('indicators: the complete set per person, shown in the dossier when flagged', async () => {
    const lead = (await app.inject({ method: 'POST', url: '/crm/indicators', headers: admin(), payload: { label: `Lead ${tag()}` } })).json();
    const oud = (await app.inject({ method: 'POST', url: '/crm/indicators', headers: admin(), payload: { label: `Oud-medewerker ${tag()}`, showInDossier: true } })).json();
    const foreign = (await app.inject({ method: 'POST', url: '/crm/indicators', headers: bearer(otherOffice.tokens.admin), payload: { label: `Vreemd ${tag()}` } })).json();
    const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: { ...uniquePerson(), allowDuplicate: true } }] } });
    const personId = dossier.json().applicants[0].person.id as string;

    const set = await app.inject({ method: 'PUT', url: `/persons/${personId}/indicators`, headers: adviser(), payload: { indicatorIds: [lead.id, oud.id] } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().items.map((i: { id: string }) => i.id).sort()).toEqual([lead.id, oud.id].sort());
    const refused = expectProblem(await app.inject({ method: 'PUT', url: `/persons/${personId}/indicators`, headers: adviser(), payload: { indicatorIds: [foreign.id] } }), 422);
    expect(refused.unknown).toEqual([foreign.id]);
    expect((await card(personId)).indicators).toHaveLength(2);

    const highlights = await app.inject({ method: 'GET', url: `/dossiers/${dossier.json().id}/crm-highlights`, headers: adviser() });
    expect(highlights.statusCode).toBe(200);
    expect(highlights.json().applicants[0].indicators).toEqual([{ id: oud.id, label: oud.label, showInDossier: true }]);

    await app.inject({ method: 'PUT', url: `/persons/${personId}/indicators`, headers: adviser(), payload: { indicatorIds: [] } });
    expect((await card(personId)).indicators).toEqual([]);
  });
});

describe('relations', () => {
  it('partner and ouder↔kind are mirrored; collega too; other is one-way; removing removes both', async () => {
    const [anna, bram, moeder, notaris] = [await newPerson(), await newPerson({ firstName: 'Bram' }), await newPerson({ firstName: 'Els' }), await newPerson({ firstName: 'Notaris' })];
    const rel = (from: string, personId: string, type: string) =>
      app.inject({ method: 'POST', url: `/persons/${from}/relations`, headers: adviser(), payload: { personId, type } });

    const partner = await rel(anna, bram, 'partner');
    expect(partner.statusCode, partner.body).toBe(201);
    expect(partner.json()).toMatchObject({ type: 'partner', person: { id: bram } });
    expect((await rel(anna, moeder, 'ouder')).statusCode).toBe(201);
    expect((await rel(anna, notaris, 'other')).statusCode).toBe(201);

    const annaRels = (await card(anna)).relations as { type: string; person: { id: string } }[];
    expect(annaRels.map((r) => [r.type, r.person.id]).sort()).toEqual([['other', notaris], ['ouder', moeder], ['partner', bram]].sort());
    expect(((await card(bram)).relations as { type: string; person: { id: string } }[]).map((r) => [r.type, r.person.id])).toEqual([['partner', anna]]);
    expect(((await card(moeder)).relations as { type: string; person: { id: string } }[]).map((r) => [r.type, r.person.id])).toEqual([['kind', anna]]);
    expect((await card(notaris)).relations).toEqual([]);

    expectProblem(await rel(anna, bram, 'partner'), 409);
    expectProblem(await rel(anna, anna, 'collega'), 422);
    expectProblem(await rel(anna, newId(), 'collega'), 422);
    expectProblem(await rel(anna, bram, 'buurman'), 400);

    const del = await app.inject({ method: 'DELETE', url: `/persons/${anna}/relations/${partner.json().id}`, headers: adviser() });
    expect(del.statusCode).toBe(204);
    expect((await card(bram)).relations).toEqual([]);
    expect(((await card(anna)).relations as { type: string }[]).map((r) => r.type).sort()).toEqual(['other', 'ouder']);
  });
});

describe('notes', () => {
  it('always-first notes lead; then newest first, or by priority; PUT and DELETE', async () => {
    const id = await newPerson();
    const add = async (payload: Record<string, unknown>) => {
      const res = await app.inject({ method: 'POST', url: `/persons/${id}/notes`, headers: adviser(), payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; title: string };
    };
    const a = await add({ title: 'Hypotheekwens', text: 'Wil verbouwen', priority: 'high' });
    const b = await add({ title: 'Gebeld', priority: 'low' });
    const c = await add({ title: 'Let op: slechthorend', alwaysFirst: true, priority: 'low', showInDossier: true });
    const d = await add({ title: 'Nieuwste' });

    const byDate = (await card(id)).notes.map((n: { id: string }) => n.id);
    expect(byDate).toEqual([c.id, d.id, b.id, a.id]);
    const byPriority = (await app.inject({ method: 'GET', url: `/persons/${id}/notes?sort=priority`, headers: adviser() })).json().items.map((n: { id: string }) => n.id);
    expect(byPriority).toEqual([c.id, a.id, d.id, b.id]);

    // By author (seed 002): always-first still leads, then the authors' names A–Z ("test admin"
    // before "test adviser"), each author's newest first; the list names the author.
    const byAdmin = await app.inject({ method: 'POST', url: `/persons/${id}/notes`, headers: admin(), payload: { title: 'Van de beheerder' } });
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
    // The oldest note of all, so newest-first would put it last.
    await orm.em.fork().execute(`update crm_notes set created_at = created_at - interval '1 day' where id = ?`, [byAdmin.json().id]);
    const byAuthor = (await app.inject({ method: 'GET', url: `/persons/${id}/notes?sort=author`, headers: adviser() })).json().items as { id: string; createdByName?: string }[];
    expect(byAuthor.map((n) => n.id)).toEqual([c.id, byAdmin.json().id, d.id, b.id, a.id]);
    expect(byAuthor.map((n) => n.createdByName)).toEqual(['test adviser', 'test admin', 'test adviser', 'test adviser', 'test adviser']);
    await app.inject({ method: 'DELETE', url: `/persons/${id}/notes/${byAdmin.json().id}`, headers: adviser() });

    const changed = await app.inject({ method: 'PUT', url: `/persons/${id}/notes/${b.id}`, headers: adviser(), payload: { title: 'Gebeld (2x)', priority: 'high', alwaysFirst: true } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ title: 'Gebeld (2x)', priority: 'high', alwaysFirst: true, text: '' });
    const afterPut = (await card(id)).notes.map((n: { id: string }) => n.id);
    expect(afterPut.slice(0, 2).sort()).toEqual([b.id, c.id].sort());

    expectProblem(await app.inject({ method: 'POST', url: `/persons/${id}/notes`, headers: adviser(), payload: { title: ' ', priority: 'urgent' } }), 400);
    expect((await app.inject({ method: 'DELETE', url: `/persons/${id}/notes/${d.id}`, headers: adviser() })).statusCode).toBe(204);
    expectProblem(await app.inject({ method: 'DELETE', url: `/persons/${id}/notes/${d.id}`, headers: adviser() }), 404);
    expect((await card(id)).notes).toHaveLength(3);
    // Another office cannot touch them.
    expectProblem(await app.inject({ method: 'PUT', url: `/persons/${id}/notes/${a.id}`, headers: bearer(otherOffice.tokens.adviser), payload: { title: 'x' } }), 404);
  });

  it('a person deleted between the check and the insert is a 404, not a 500 (the foreign key refuses the row)', async () => {
    // What a DELETE /persons/{id} racing POST /persons/{id}/notes leaves: the insert of a person
    // that is gone (fuzz seed 4242 found it as a 500). The insert itself, without the check first.
    const gone = newId();
    const write = whilePersonExists(gone, () =>
      insertNote(orm.em.fork(), { title: 'Gebeld', text: '', priority: 'normal', showInDossier: false, alwaysFirst: false, officeId: office.officeId, personId: gone, actor: office.credentialIds.adviser }),
    );
    await expect(write).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('signals and the work queue', () => {
  it('a due signal is in the work queue next to open tasks; a future one and a done one are not', async () => {
    const id = await newPerson({ firstName: 'Signe' });
    const add = async (payload: Record<string, unknown>) => {
      const res = await app.inject({ method: 'POST', url: `/persons/${id}/signals`, headers: adviser(), payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; due: boolean; time: string | null };
    };
    const due = await add({ title: 'Bellen over rentevast', date: '2026-01-05', time: '09:30' });
    const future = await add({ title: 'Verjaardag', date: '2099-06-01' });
    const done = await add({ title: 'Al gedaan', date: '2026-01-04' });
    expect(due).toMatchObject({ due: true, time: '09:30' });
    expect(future.due).toBe(false);
    expect((await app.inject({ method: 'PATCH', url: `/persons/${id}/signals/${done.id}`, headers: adviser(), payload: { done: true } })).json()).toMatchObject({ done: true, due: false });
    expectProblem(await app.inject({ method: 'POST', url: `/persons/${id}/signals`, headers: adviser(), payload: { title: 'x', date: '2026-13-01', time: '25:00' } }), 400);

    // An open task of a dossier of the same office, to see both kinds in one queue.
    const dossier = await app.inject({ method: 'POST', url: `/persons/${id}/dossiers`, headers: adviser(), payload: {} });
    expect(dossier.statusCode, dossier.body).toBe(201);
    const taskId = newId();
    await orm.em.fork().execute(
      `insert into tasks (id, key, office_id, dossier_id, title, assignee, due_date) values (?, ?, ?, ?, 'Terugbellen', 'backoffice', '2026-01-01')`,
      [taskId, `crm-test:${taskId}`, office.officeId, dossier.json().id],
    );

    const queue = await app.inject({ method: 'GET', url: '/work-queue?limit=200', headers: adviser() });
    expect(queue.statusCode, queue.body).toBe(200);
    const items = queue.json().items as { kind: string; id: string; personId: string | null; personName: string | null; href: string }[];
    const ids = items.map((i) => i.id);
    expect(ids).toContain(due.id);
    expect(ids).toContain(taskId);
    expect(ids).not.toContain(future.id);
    expect(ids).not.toContain(done.id);
    expect(ids.indexOf(taskId)).toBeLessThan(ids.indexOf(due.id));
    expect(items.find((i) => i.id === due.id)).toMatchObject({ kind: 'signal', personId: id, personName: expect.stringMatching(/^Signe /), href: `/persons/${id}/card` });
    const onlySignals = (await app.inject({ method: 'GET', url: '/work-queue?kind=signal&limit=200', headers: adviser() })).json().items as { kind: string }[];
    expect(onlySignals.every((i) => i.kind === 'signal')).toBe(true);
    // Other offices never see them.
    const foreign = (await app.inject({ method: 'GET', url: '/work-queue?limit=200', headers: bearer(otherOffice.tokens.adviser) })).json().items as { id: string }[];
    expect(foreign.map((i) => i.id)).not.toContain(due.id);

    const c = await card(id);
    expect(c.signals.open).toBe(2);
  });
});

describe('identification (klantidentificatie)', () => {
  it('stores the document number but answers it masked except the last 4; checked by the credential', async () => {
    const id = await newPerson();
    const res = await app.inject({
      method: 'PUT',
      url: `/persons/${id}/identification`,
      headers: adviser(),
      payload: { method: 'in_person', documentType: 'paspoort', documentNumber: 'NXC4RT8L3', validUntil: '2031-05-01' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      method: 'in_person',
      documentType: 'paspoort',
      documentNumberMasked: '•••••T8L3',
      validUntil: '2031-05-01',
      expired: false,
      checkedBy: { credentialId: office.credentialIds.adviser, name: 'test adviser' },
    });
    expect(res.body).not.toContain('NXC4RT8L3');
    const c = await card(id);
    expect(c.identification.documentNumberMasked).toBe('•••••T8L3');
    expect(JSON.stringify(c)).not.toContain('NXC4');
    const [stored] = await orm.em.fork().execute<{ document_number: string }[]>('select document_number from crm_identifications where person_id = ?', [id]);
    expect(stored?.document_number).toBe('NXC4RT8L3');

    const bad = expectProblem(await app.inject({ method: 'PUT', url: `/persons/${id}/identification`, headers: adviser(), payload: { method: 'fax', documentType: 'bibliotheekpas' } }), 400);
    expect(bad.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['/body/method', '/body/documentType']));
  });
});

describe('files, mails, same address, dossiers', () => {
  it('shows documents and mails of their dossiers, persons at the same address, and their dossiers; a new dossier from the card', async () => {
    const n = 1000 + Math.floor(Math.random() * 8999);
    const address = { street: 'Kerkstraat', houseNumber: n, postcode: `${n}XY`, city: 'Zwolle' };
    const id = await newPerson({ address });
    const neighbour = await newPerson({ firstName: 'Huisgenoot', address: { ...address, houseNumberSuffix: 'A' } });
    const partner = await newPerson({ firstName: 'Partner' });

    const created = await app.inject({ method: 'POST', url: `/persons/${id}/dossiers`, headers: adviser(), payload: { partnerPersonId: partner } });
    expect(created.statusCode, created.body).toBe(201);
    const dossierId = created.json().id as string;
    expect(created.json().applicants.map((a: { position: number; person: { id: string } }) => [a.position, a.person.id])).toEqual([[1, id], [2, partner]]);
    expectProblem(await app.inject({ method: 'POST', url: `/persons/${id}/dossiers`, headers: adviser(), payload: { partnerPersonId: newId() } }), 422);

    const em = orm.em.fork();
    const docId = newId();
    const content = Buffer.from('%PDF-1.4 kopie id');
    const { createHash } = await import('node:crypto');
    await em.execute(
      `insert into documents (id, key, office_id, dossier_id, document_type, filename, content_type, size_bytes, sha256, content)
       values (?, ?, ?, ?, 'id-kopie', 'paspoort.pdf', 'application/pdf', ?, ?, ?)`,
      [docId, `crm-test:${docId}`, office.officeId, dossierId, content.length, createHash('sha256').update(content).digest('hex'), content],
    );
    const person = await card(id);
    const mailId = newId();
    await em.execute(
      `insert into mails (id, key, dossier_id, template, to_address, subject, body_text, message_id) values (?, ?, ?, 'test', ?, 'Welkom', 'Hallo', ?)`,
      [mailId, `crm-test:${mailId}`, dossierId, String(person.contact.email).toUpperCase(), `<${mailId}@test>`],
    );

    const c = await card(id);
    expect(c.files).toEqual([expect.objectContaining({ id: docId, dossierId, filename: 'paspoort.pdf', href: `/documents/${docId}` })]);
    expect(c.mails).toEqual([expect.objectContaining({ id: mailId, direction: 'out', subject: 'Welkom' })]);
    expect(c.sameAddress).toEqual([{ id: neighbour, name: expect.stringMatching(/^Huisgenoot /), houseNumberSuffix: 'A' }]);
    expect(c.dossiers).toEqual([expect.objectContaining({ id: dossierId, status: 'prospect', href: `/dossiers/${dossierId}`, applicants: [expect.objectContaining({ personId: id }), expect.objectContaining({ personId: partner })] })]);
    // The partner's card shows the same dossier, but not the first person's mail (it went to another address).
    const p = await card(partner);
    expect(p.dossiers.map((d: { id: string }) => d.id)).toEqual([dossierId]);
    expect(p.mails).toEqual([]);
  });
});

describe('privacy', () => {
  it('anonymising clears notes, signals, property values, indicators and relations; the identification stays without the document', async () => {
    const id = await newPerson();
    const other = await newPerson({ firstName: 'Collega' });
    const key = `sport-${tag()}`;
    await app.inject({ method: 'POST', url: '/crm/properties', headers: admin(), payload: { key, label: 'Sport', type: 'text' } });
    const ind = (await app.inject({ method: 'POST', url: '/crm/indicators', headers: admin(), payload: { label: `VIP ${tag()}` } })).json();
    await app.inject({ method: 'PUT', url: `/persons/${id}/properties/${key}`, headers: adviser(), payload: { value: 'hockey' } });
    await app.inject({ method: 'PUT', url: `/persons/${id}/indicators`, headers: adviser(), payload: { indicatorIds: [ind.id] } });
    await app.inject({ method: 'POST', url: `/persons/${id}/relations`, headers: adviser(), payload: { personId: other, type: 'collega' } });
    await app.inject({ method: 'POST', url: `/persons/${id}/notes`, headers: adviser(), payload: { title: 'Privé', text: 'Gaat scheiden' } });
    await app.inject({ method: 'POST', url: `/persons/${id}/signals`, headers: adviser(), payload: { title: 'Bellen', date: '2026-01-01' } });
    await app.inject({ method: 'PUT', url: `/persons/${id}/identification`, headers: adviser(), payload: { method: 'video', documentType: 'id-kaart', documentNumber: 'IDK123456', validUntil: '2030-01-01' } });

    const res = await app.inject({ method: 'POST', url: `/persons/${id}/anonymise`, headers: admin() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().changes).toMatchObject({ crm_notes: 1, crm_signals: 1, crm_property_values: 1, crm_person_indicators: 1, crm_relations: 2, crm_identifications: 1 });

    const c = await card(id);
    expect(c.basic.anonymised).toBe(true);
    expect(c.notes).toEqual([]);
    expect(c.signals.items).toEqual([]);
    expect(c.indicators).toEqual([]);
    expect(c.relations).toEqual([]);
    expect(c.properties.find((p: { key: string }) => p.key === key).value).toBeNull();
    expect(c.identification).toMatchObject({ method: 'video', documentType: 'id-kaart', documentNumberMasked: null, validUntil: null });
    expect((await card(other)).relations).toEqual([]);
    expectProblem(await app.inject({ method: 'POST', url: `/persons/${id}/dossiers`, headers: adviser(), payload: {} }), 409);
  });

  it('a person with an identification record cannot be deleted (Wwft); without one the card goes with them', async () => {
    const kept = await newPerson();
    await app.inject({ method: 'PUT', url: `/persons/${kept}/identification`, headers: adviser(), payload: { method: 'in_person', documentType: 'rijbewijs' } });
    const refused = expectProblem(await app.inject({ method: 'DELETE', url: `/persons/${kept}`, headers: admin() }), 409);
    expect(refused.linked).toMatchObject({ identifications: 1 });

    const gone = await newPerson();
    const other = await newPerson();
    await app.inject({ method: 'POST', url: `/persons/${gone}/relations`, headers: adviser(), payload: { personId: other, type: 'partner' } });
    await app.inject({ method: 'POST', url: `/persons/${gone}/notes`, headers: adviser(), payload: { title: 'Notitie' } });
    const deleted = await app.inject({ method: 'DELETE', url: `/persons/${gone}`, headers: admin() });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect((await card(other)).relations).toEqual([]);
  });
});
