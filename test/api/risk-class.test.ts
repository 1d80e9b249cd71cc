/**
 * Manual risk classification (*handmatige risicoclassificatie*) with inject(): an adviser sets a
 * person's Wwft class with a motivation, with or without an Ockto retrieval; every setting is a
 * history record with source 'manual' that becomes the current class; the history shows Ockto
 * records and manual ones with where they came from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { recordRetrievalOutcome } from '../../services/ockto/store.js';
import { bearer, createTestOffice, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let office: TestOffice;
let other: TestOffice;
let app: FastifyInstance;

beforeAll(async () => {
  orm = await openOrm();
  office = await createTestOffice(orm, 'Risicoklasse');
  other = await createTestOffice(orm, 'Ander kantoor');
  app = buildApp({ orm, temporal: temporalStub() });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

async function newPerson(token = office.tokens.adviser): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(token), payload: { applicants: [{ person: uniquePerson() }] } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().applicants[0].person.id as string;
}

const put = (personId: string, payload: unknown, token = office.tokens.adviser) =>
  app.inject({ method: 'PUT', url: `/persons/${personId}/risk-class`, headers: bearer(token), payload: payload as object });
const read = (personId: string, token = office.tokens.adviser) => app.inject({ method: 'GET', url: `/persons/${personId}/risk-class`, headers: bearer(token) });

const motivation = 'Klant gebruikt geen Ockto; identiteit op kantoor gecontroleerd en inkomen uit loonstroken verklaard';

describe('PUT /persons/:id/risk-class', () => {
  it('sets the class of a person who never had an Ockto retrieval: a manual record, who and when, the current class', async () => {
    const personId = await newPerson();
    const before = await read(personId);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toMatchObject({ personId, currentClass: null, history: [], retrievals: [] });

    const started = Date.now();
    const res = await put(personId, { class: 'Hoog', motivation: `  ${motivation}  ` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ personId, currentClass: 'Hoog', retrievals: [] });
    expect(body.history).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: office.credentialIds.adviser,
        actorName: 'test adviser', // the credential's name, as the card shows it
        from: null,
        to: 'Hoog',
        motivation, // trimmed
        source: 'manual',
        origin: 'manual',
        retrievalId: null,
      },
    ]);
    expect(Date.parse(body.history[0].at)).toBeGreaterThanOrEqual(started - 5_000);
    // The same through the read, and the CRM card shows it as the current class.
    expect((await read(personId)).json()).toEqual(body);
    const card = await app.inject({ method: 'GET', url: `/persons/${personId}/card`, headers: bearer(office.tokens.adviser) });
    expect(card.statusCode, card.body).toBe(200);
    expect(card.json().riskClass).toMatchObject({ class: 'Hoog', since: body.history[0].at });
  });

  it('keeps the history in order, each record from the class before it; the latest is the current class', async () => {
    const personId = await newPerson();
    const steps = [
      ['Laag', null],
      ['Onacceptabel', 'Laag'],
      ['Hoog', 'Onacceptabel'],
      // The same class again is a renewed assessment (periodic review) with its own motivation.
      ['Hoog', 'Hoog'],
    ] as const;
    for (const [i, [to]] of steps.entries()) {
      const res = await put(personId, { class: to, motivation: `Beoordeling ${i + 1}: ${motivation}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().currentClass).toBe(to);
    }
    const { history, currentClass } = (await read(personId)).json();
    expect(currentClass).toBe('Hoog');
    expect(history.map((h: { from: string | null; to: string; motivation: string }) => [h.to, h.from, h.motivation.slice(0, 13)])).toEqual(
      steps.map(([to, from], i) => [to, from, `Beoordeling ${i + 1}`]),
    );
  });

  it('refuses a bad body with 400 problem+json naming the field, and records nothing', async () => {
    const personId = await newPerson();
    const cases: [string, unknown, string][] = [
      ['no motivation', { class: 'Laag' }, 'motivation'],
      ['empty motivation', { class: 'Laag', motivation: '' }, '/body/motivation'],
      ['only spaces', { class: 'Laag', motivation: ' '.repeat(30) }, '/body/motivation'],
      ['too short once trimmed', { class: 'Laag', motivation: '   te kort   ' }, '/body/motivation'],
      ['too long', { class: 'Laag', motivation: 'x'.repeat(4001) }, '/body/motivation'],
      ['not text', { class: 'Laag', motivation: 42 }, '/body/motivation'],
      ['unknown class', { class: 'Middel', motivation }, '/body/class'],
      ['class in lower case', { class: 'laag', motivation }, '/body/class'],
      ['no class', { motivation }, 'class'],
      ['an unknown field', { class: 'Laag', motivation, reden: 'x' }, 'reden'],
    ];
    for (const [name, payload, field] of cases) {
      const res = await put(personId, payload);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400);
      expect(res.headers['content-type'], name).toMatch(/application\/problem\+json/);
      const problem = res.json();
      expect(problem.status, name).toBe(400);
      expect(JSON.stringify(problem.errors ?? []), name).toContain(field);
    }
    // 4000 characters is still a motivation.
    expect((await put(personId, { class: 'Laag', motivation: 'y'.repeat(4000) })).statusCode).toBe(200);
    expect((await read(personId)).json().history).toHaveLength(1);
  });

  it("answers 404 for another office's person and an unknown one, and changes nothing there", async () => {
    const foreign = await newPerson(other.tokens.adviser);
    const res = await put(foreign, { class: 'Laag', motivation });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect((await read(foreign)).statusCode).toBe(404);
    expect((await read(foreign, other.tokens.adviser)).json().history).toEqual([]);
    expect((await put(newId(), { class: 'Laag', motivation })).statusCode).toBe(404);
    expect((await put('geen-id', { class: 'Laag', motivation })).statusCode).toBe(404);
  });

  it('is for advisers: a designer or a party credential is refused', async () => {
    const personId = await newPerson();
    expect((await put(personId, { class: 'Laag', motivation }, office.tokens.designer)).statusCode).toBe(403);
    expect((await put(personId, { class: 'Laag', motivation }, office.tokens.lender)).statusCode).toBe(403);
    expect((await read(personId)).json().history).toEqual([]);
    expect((await app.inject({ method: 'PUT', url: `/persons/${personId}/risk-class`, payload: { class: 'Laag', motivation } })).statusCode).toBe(401);
  });

  it('shows an Ockto class, the deviation from it and a manual class together, each with where it came from', async () => {
    const personId = await newPerson();
    // An Ockto retrieval that ended classified: the outcome through the store's own writer.
    const retrievalId = newId();
    const em = orm.em.fork();
    await em.execute(`insert into ockto_retrievals (id, office_id, person_id, status, requested_by) values (?, ?, ?, 'waiting', ?)`, [
      retrievalId,
      office.officeId,
      personId,
      office.credentialIds.adviser,
    ]);
    await em.transactional((tem) =>
      recordRetrievalOutcome(
        tem,
        { id: retrievalId, office_id: office.officeId, person_id: personId, current_class: null },
        {
          outcome: 'classified',
          reason: null,
          answers: { identity: 'verified', screening: 'clear', income: 'unknown', registrations: 'none' },
          riskClass: 'Hoog',
          reasons: ['income-unknown'],
          endedAt: new Date(),
        },
      ),
    );
    const deviation = await app.inject({
      method: 'PUT',
      url: `/ockto/retrievals/${retrievalId}/risk-class`,
      headers: bearer(office.tokens.adviser),
      payload: { riskClass: 'Laag', motivation: 'Inkomen alsnog aangetoond met jaaropgaven' },
    });
    expect(deviation.statusCode, deviation.body).toBe(200);
    const manual = await put(personId, { class: 'Onacceptabel', motivation: 'Klant weigert later de herkomst van een schenking te verklaren' });
    expect(manual.statusCode, manual.body).toBe(200);

    const body = (await read(personId)).json();
    expect(body.currentClass).toBe('Onacceptabel');
    expect(body.history).toEqual([
      expect.objectContaining({ from: null, to: 'Hoog', source: 'data', origin: 'ockto', retrievalId, actor: 'system:ockto', actorName: null }),
      expect.objectContaining({ from: 'Hoog', to: 'Laag', source: 'manual', origin: 'ockto', retrievalId }),
      expect.objectContaining({ from: 'Laag', to: 'Onacceptabel', source: 'manual', origin: 'manual', retrievalId: null }),
    ]);
    // The retrieval keeps its own class: the manual class is the person's, not the retrieval's.
    expect(body.retrievals).toEqual([expect.objectContaining({ id: retrievalId, currentClass: 'Laag' })]);
    // The older read answers the same.
    const legacy = await app.inject({ method: 'GET', url: `/persons/${personId}/risk-classification`, headers: bearer(office.tokens.adviser) });
    expect(legacy.json()).toEqual(body);
  });

  it('keeps the person from being deleted (Wwft retention): anonymise instead', async () => {
    const personId = await newPerson();
    expect((await put(personId, { class: 'Laag', motivation })).statusCode).toBe(200);
    const del = await app.inject({ method: 'DELETE', url: `/persons/${personId}`, headers: bearer(office.tokens.admin) });
    expect(del.statusCode, del.body).toBe(409);
    expect(del.body).toContain('riskClassHistory');
  });
});
