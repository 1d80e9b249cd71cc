/**
 * Family data on the person card (issue 19 deliverable 6) with inject() against a real
 * PostgreSQL: gender, marital status and date of death through the person edit (history,
 * version), partnerships (one current partner at a time, ex-partners, ended by death recording
 * the date of death on the deceased), child records, the rules refused with their paths, office
 * scoping, and what anonymising a person does to it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let other: TestOffice;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Gezinskantoor');
  other = await createTestOffice(orm, 'Ander kantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const adviser = (o: TestOffice = office) => bearer(o.tokens.adviser);

async function newPerson(overrides: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
  const res = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: uniquePerson(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, version: res.json().version };
}

const family = async (personId: string, o: TestOffice = office) => app.inject({ method: 'GET', url: `/persons/${personId}/family`, headers: adviser(o) });
const partner = (personId: string, payload: Record<string, unknown>, o: TestOffice = office) =>
  app.inject({ method: 'POST', url: `/persons/${personId}/partnerships`, headers: adviser(o), payload });
const paths = (body: string): string[] => (JSON.parse(body).errors as { path: string }[]).map((e) => e.path);

describe('gender, marital status and date of death are person fields', () => {
  it('are edited with PATCH /persons/:id, with history lines and a new version', async () => {
    const p = await newPerson();
    const res = await app.inject({
      method: 'PATCH',
      url: `/persons/${p.id}`,
      headers: adviser(),
      payload: { version: p.version, gender: 'female', maritalStatus: 'married_prenuptial' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ gender: 'female', maritalStatus: 'married_prenuptial', dateOfDeath: null, version: p.version + 1 });
    const history = await app.inject({ method: 'GET', url: `/persons/${p.id}/history`, headers: adviser() });
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().items.map((l: { field: string; newValue: string }) => `${l.field}=${l.newValue}`).sort()).toEqual(['gender=female', 'maritalStatus=married_prenuptial']);
    expect((await family(p.id)).json()).toMatchObject({ gender: 'female', maritalStatus: 'married_prenuptial' });
  });

  it('refuses an unknown marital status and a date of death in the future or before the birth', async () => {
    const p = await newPerson({ birthDate: '1980-01-01' });
    const bad = await app.inject({ method: 'PATCH', url: `/persons/${p.id}`, headers: adviser(), payload: { version: p.version, maritalStatus: 'complicated' } });
    expect(bad.statusCode).toBe(400);
    for (const dateOfDeath of ['2199-01-01', '1979-12-31']) {
      const res = await app.inject({ method: 'PATCH', url: `/persons/${p.id}`, headers: adviser(), payload: { version: p.version, dateOfDeath } });
      expect(res.statusCode, res.body).toBe(400);
      expect(paths(res.body)).toEqual(['/body/dateOfDeath']);
    }
  });
});

describe('partnerships', () => {
  it('a current partner and ex-partners, one current at a time, seen from both cards', async () => {
    const anna = await newPerson({ birthDate: '1975-03-01' });
    const ex = await newPerson({ birthDate: '1974-01-01' });
    const bram = await newPerson({ birthDate: '1973-06-06' });
    const divorced = await partner(anna.id, { partnerId: ex.id, kind: 'marriage', startDate: '1999-05-01', endDate: '2010-09-01', endReason: 'divorce' });
    expect(divorced.statusCode, divorced.body).toBe(201);
    expect(divorced.json()).toMatchObject({ current: false, endReason: 'divorce', partner: { id: ex.id } });

    const current = await partner(anna.id, { partnerId: bram.id, kind: 'cohabitation', startDate: '2012-01-01' });
    expect(current.statusCode, current.body).toBe(201);

    // A second current partner of Anna, or of Bram, is refused.
    const third = await newPerson();
    const twoCurrent = await partner(third.id, { partnerId: anna.id, kind: 'marriage', startDate: '2020-01-01' });
    expect(twoCurrent.statusCode, twoCurrent.body).toBe(400);
    expect(paths(twoCurrent.body)).toContain('/body/endDate');
    // Overlapping the ended marriage in time is refused as well.
    const overlap = await partner(anna.id, { partnerId: third.id, kind: 'cohabitation', startDate: '2005-01-01', endDate: '2006-01-01', endReason: 'separation' });
    expect(overlap.statusCode, overlap.body).toBe(400);
    // End before start.
    const backwards = await partner(third.id, { partnerId: ex.id, kind: 'cohabitation', startDate: '2015-01-01', endDate: '2014-01-01', endReason: 'separation' });
    expect(backwards.statusCode).toBe(400);
    expect(paths(backwards.body)).toContain('/body/endDate');

    const annaFamily = (await family(anna.id)).json();
    expect(annaFamily.currentPartner).toMatchObject({ partner: { id: bram.id }, kind: 'cohabitation', current: true });
    expect(annaFamily.partnerships.map((p: { partner: { id: string } }) => p.partner.id)).toEqual([ex.id, bram.id]);
    const bramFamily = (await family(bram.id)).json();
    expect(bramFamily.currentPartner).toMatchObject({ partner: { id: anna.id } });
  });

  it('ending by death records the date of death on the deceased, with a history line', async () => {
    const widow = await newPerson({ birthDate: '1950-01-01' });
    const late = await newPerson({ birthDate: '1948-01-01' });
    const created = await partner(widow.id, { partnerId: late.id, kind: 'marriage', startDate: '1972-06-01' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;

    const noWho = await app.inject({ method: 'PUT', url: `/persons/${widow.id}/partnerships/${id}`, headers: adviser(), payload: { kind: 'marriage', startDate: '1972-06-01', endDate: '2021-03-03', endReason: 'death' } });
    expect(noWho.statusCode).toBe(400);
    expect(paths(noWho.body)).toEqual(['/body/deceasedPersonId']);

    const ended = await app.inject({
      method: 'PUT',
      url: `/persons/${widow.id}/partnerships/${id}`,
      headers: adviser(),
      payload: { kind: 'marriage', startDate: '1972-06-01', endDate: '2021-03-03', endReason: 'death', deceasedPersonId: late.id },
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ current: false, endReason: 'death', deceasedPersonId: late.id, partner: { id: late.id, dateOfDeath: '2021-03-03' } });
    const lateFamily = (await family(late.id)).json();
    expect(lateFamily.dateOfDeath).toBe('2021-03-03');
    const history = (await app.inject({ method: 'GET', url: `/persons/${late.id}/history`, headers: adviser() })).json();
    expect(history.items).toEqual([expect.objectContaining({ field: 'dateOfDeath', newValue: '2021-03-03' })]);

    // The deceased's date of death cannot be moved away from the partnership's end, nor cleared.
    for (const dateOfDeath of ['2021-03-04', null]) {
      const res = await app.inject({ method: 'PATCH', url: `/persons/${late.id}`, headers: adviser(), payload: { version: lateFamily.version, dateOfDeath } });
      expect(res.statusCode, res.body).toBe(400);
    }
    // A person who died cannot have a current partnership.
    const after = await newPerson({ birthDate: '1950-01-01' });
    const withDead = await partner(after.id, { partnerId: late.id, kind: 'cohabitation', startDate: '2022-01-01' });
    expect(withDead.statusCode).toBe(400);
  });

  it('answers 404 across offices and for unknown partners', async () => {
    const mine = await newPerson();
    const theirs = await app.inject({ method: 'POST', url: '/persons', headers: adviser(other), payload: uniquePerson() });
    expect(theirs.statusCode).toBe(201);
    expect((await partner(mine.id, { partnerId: theirs.json().id, kind: 'marriage' })).statusCode).toBe(404);
    expect((await family(mine.id, other)).statusCode).toBe(404);
    expect((await partner(mine.id, { partnerId: mine.id, kind: 'marriage' })).statusCode).toBe(400);
    const created = await partner(mine.id, { partnerId: (await newPerson()).id, kind: 'marriage' });
    expect(created.statusCode).toBe(201);
    const put = await app.inject({ method: 'PUT', url: `/persons/${mine.id}/partnerships/${created.json().id}`, headers: adviser(other), payload: { kind: 'marriage' } });
    expect(put.statusCode).toBe(404);
    const del = await app.inject({ method: 'DELETE', url: `/persons/${mine.id}/partnerships/${created.json().id}`, headers: adviser() });
    expect(del.statusCode).toBe(204);
    expect((await family(mine.id)).json().partnerships).toEqual([]);
  });
});

describe('children', () => {
  it('recorded with name and birth date, ordered by birth, never born in the future', async () => {
    const parent = await newPerson({ birthDate: '1980-01-01' });
    const add = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: `/persons/${parent.id}/children`, headers: adviser(), payload });
    const lotte = await add({ firstName: 'Lotte', lastName: 'Jansen', birthDate: '2012-05-05', gender: 'female' });
    expect(lotte.statusCode, lotte.body).toBe(201);
    expect((await add({ firstName: 'Sem', infix: 'de', lastName: 'Boer', birthDate: '2009-01-20' })).statusCode).toBe(201);
    const future = await add({ firstName: 'Nog', lastName: 'Niet', birthDate: '2199-01-01' });
    expect(future.statusCode).toBe(400);
    expect(paths(future.body)).toEqual(['/body/birthDate']);
    expect((await add({ firstName: 'Te', lastName: 'Vroeg', birthDate: '1979-01-01' })).statusCode).toBe(400);

    const children = (await family(parent.id)).json().children;
    expect(children.map((c: { name: string }) => c.name)).toEqual(['Sem de Boer', 'Lotte Jansen']);
    expect(children[1]).toMatchObject({ gender: 'female', birthDate: '2012-05-05' });

    const changed = await app.inject({
      method: 'PUT',
      url: `/persons/${parent.id}/children/${lotte.json().id}`,
      headers: adviser(),
      payload: { firstName: 'Lotte', lastName: 'Jansen', birthDate: '2012-05-06' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ birthDate: '2012-05-06', gender: null });
    expect((await app.inject({ method: 'DELETE', url: `/persons/${parent.id}/children/${lotte.json().id}`, headers: adviser(other) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/persons/${parent.id}/children/${lotte.json().id}`, headers: adviser() })).statusCode).toBe(204);
    expect((await family(parent.id)).json().children).toHaveLength(1);
  });
});

describe('anonymising a person', () => {
  it('removes their partnerships from both cards and their children, and clears their family fields', async () => {
    const subject = await newPerson({ birthDate: '1970-01-01' });
    const partnerP = await newPerson({ birthDate: '1971-01-01' });
    await app.inject({ method: 'PATCH', url: `/persons/${subject.id}`, headers: adviser(), payload: { version: subject.version, gender: 'male', maritalStatus: 'married_community' } });
    expect((await partner(subject.id, { partnerId: partnerP.id, kind: 'marriage', startDate: '2000-01-01' })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: `/persons/${subject.id}/children`, headers: adviser(), payload: { firstName: 'Kind', lastName: 'Geheim', birthDate: '2005-05-05' } })).statusCode).toBe(201);

    const res = await app.inject({ method: 'POST', url: `/persons/${subject.id}/anonymise`, headers: bearer(office.tokens.admin) });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await family(subject.id)).json();
    expect(after).toMatchObject({ gender: null, maritalStatus: null, dateOfDeath: null, partnerships: [], children: [] });
    expect((await family(partnerP.id)).json().partnerships).toEqual([]);
    const left = await orm.em.fork().execute<{ n: number }[]>(
      'select (select count(*) from crm_children where person_id = ?)::int + (select count(*) from crm_partnerships where person_id = ? or partner_id = ?)::int as n',
      [subject.id, subject.id, subject.id],
    );
    expect(left[0]?.n).toBe(0);
  });
});
