/**
 * The Ockto API with inject(): starting a retrieval (row + workflow start, or nothing when the
 * engine is down), the callback endpoint (party credential, validation with a reason, stored
 * first and deduplicated, nothing stored half) and the adviser's deviation with a motivation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.js';
import { issueCredential } from '../../services/access/store.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { bearer, createTestOffice, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let office: TestOffice;
let ocktoToken: string;
let app: FastifyInstance;
let down: FastifyInstance;
const stub = temporalStub();

beforeAll(async () => {
  orm = await openOrm();
  office = await createTestOffice(orm, 'Ockto');
  ocktoToken = (await issueCredential(orm.em.fork(), { officeId: office.officeId, name: 'test ockto', role: 'ockto' })).token;
  app = buildApp({ orm, temporal: stub });
  down = buildApp({ orm, temporal: temporalStub({ failStart: true }) });
  // One after the other: each app compiles every route's schema on this one thread, and two at once
  // can take longer than a plugin's start budget (swagger-ui timed out).
  await app.ready();
  await down.ready();
});

afterAll(async () => {
  await app?.close();
  await down?.close();
  await orm?.close(true);
});

async function person(): Promise<{ personId: string; dossierId: string }> {
  const res = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(office.tokens.adviser), payload: { applicants: [{ person: uniquePerson() }] } });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  return { personId: body.applicants[0].person.id, dossierId: body.id };
}

/** A retrieval row waiting for the client, with an Ockto session. */
async function waitingRetrieval(personId: string): Promise<{ id: string; sessionId: string }> {
  const id = newId();
  const sessionId = `oc_${newId().replace(/-/g, '').slice(0, 16)}`;
  await orm.em.fork().execute(
    `insert into ockto_retrievals (id, office_id, person_id, status, session_id, session_url, requested_by) values (?, ?, ?, 'waiting', ?, 'http://ockto.test/s/x', ?)`,
    [id, office.officeId, personId, sessionId, office.credentialIds.adviser],
  );
  return { id, sessionId };
}

const sharedData = {
  identity: { source: 'BRP', verified: true, firstNames: 'Test', lastName: 'Persoon', birthDate: '1980-01-01' },
  screening: { sanctionListHit: false, pep: false, checkedOn: '2026-11-23' },
};

const callback = (payload: unknown, token = ocktoToken) => app.inject({ method: 'POST', url: '/ockto/callbacks', headers: bearer(token), payload: payload as object });

describe('POST /persons/:id/ockto-retrievals', () => {
  it('stores the retrieval and starts ockto:<id>', async () => {
    const { personId, dossierId } = await person();
    const res = await app.inject({ method: 'POST', url: `/persons/${personId}/ockto-retrievals`, headers: bearer(office.tokens.adviser), payload: { dossierId, scenario: 'partial', expireAfterSeconds: 600 } });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ personId, dossierId, status: 'starting', session: null, currentClass: null, history: [] });
    expect(body.questions).toHaveLength(4);
    expect(stub.started.at(-1)).toMatchObject({ workflowId: `ockto:${body.id}`, args: [{ retrievalId: body.id }] });
  });

  it('refuses bad input with a reason: unknown person, foreign dossier, timing out of bounds, reminder after the timeout', async () => {
    const { personId } = await person();
    const other = await person();
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: bearer(office.tokens.adviser), payload });
    expect((await post(`/persons/${newId()}/ockto-retrievals`, {})).statusCode).toBe(404);
    const foreign = await post(`/persons/${personId}/ockto-retrievals`, { dossierId: other.dossierId });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().detail).toMatch(/not a dossier of person/);
    expect((await post(`/persons/${personId}/ockto-retrievals`, { expireAfterSeconds: 0 })).statusCode).toBe(400);
    expect((await post(`/persons/${personId}/ockto-retrievals`, { colour: 'blue' })).statusCode).toBe(400);
    const timing = await post(`/persons/${personId}/ockto-retrievals`, { reminderAfterSeconds: 60, expireAfterSeconds: 30 });
    expect(timing.statusCode).toBe(400);
    expect(timing.headers['content-type']).toMatch(/problem\+json/);
  });

  it('answers 503 and keeps nothing when the process engine is down', async () => {
    const { personId } = await person();
    const res = await down.inject({ method: 'POST', url: `/persons/${personId}/ockto-retrievals`, headers: bearer(office.tokens.adviser), payload: {} });
    expect(res.statusCode).toBe(503);
    const [count] = await orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from ockto_retrievals where person_id = ?`, [personId]);
    expect(Number(count!.n)).toBe(0);
  });
});

describe('POST /ockto/callbacks', () => {
  it('stores a shared result with its data once, answers a duplicate the same, refuses a reused event id', async () => {
    const { personId } = await person();
    const r = await waitingRetrieval(personId);
    const payload = { eventId: `evt-${newId()}`, sessionId: r.sessionId, status: 'shared', data: sharedData, missing: ['income', 'registrations'] };
    const first = await callback(payload);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toEqual({ status: 'accepted', eventId: payload.eventId });
    const again = await callback(payload);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('duplicate');
    const reused = await callback({ ...payload, status: 'declined', data: undefined });
    expect(reused.statusCode).toBe(409);

    const em = orm.em.fork();
    const rows = await em.execute<{ missing: string[]; received_via: string }[]>(`select missing, received_via from ockto_source_data where retrieval_id = ?`, [r.id]);
    expect(rows).toEqual([{ missing: ['income', 'registrations'], received_via: 'callback' }]);
    const events = await em.execute(`select 1 from ockto_callbacks where retrieval_id = ?`, [r.id]);
    expect(events).toHaveLength(1);
  });

  it('refuses wrong credentials and bad payloads with a reason and stores nothing', async () => {
    const { personId } = await person();
    const r = await waitingRetrieval(personId);
    const good = { eventId: `evt-${newId()}`, sessionId: r.sessionId, status: 'shared', data: sharedData };
    expect((await app.inject({ method: 'POST', url: '/ockto/callbacks', payload: good })).statusCode).toBe(401);
    expect((await callback(good, office.tokens.adviser)).statusCode).toBe(403);
    expect((await callback(good, office.tokens.lender)).statusCode).toBe(403);

    const cases: [string, object, RegExp][] = [
      ['shared without data', { ...good, data: undefined }, /shared data/],
      ['declined with data', { ...good, status: 'declined' }, /carries no data/],
      ['wrong type in data', { ...good, data: { screening: { sanctionListHit: 'no', pep: false, checkedOn: '2026-11-23' } } }, /sanctionListHit/],
      ['unknown section', { ...good, data: { ...sharedData, horoscope: {} } }, /horoscope|additional/],
      ['unknown status', { ...good, status: 'done' }, /status/],
      ['no event id', { ...good, eventId: undefined }, /eventId/],
    ];
    for (const [name, payload, reason] of cases) {
      const res = await callback(payload);
      expect(res.statusCode, name).toBe(400);
      expect(res.headers['content-type'], name).toMatch(/problem\+json/);
      expect(res.body, name).toMatch(reason);
    }
    const em = orm.em.fork();
    expect(await em.execute(`select 1 from ockto_source_data where retrieval_id = ?`, [r.id])).toHaveLength(0);
    expect(await em.execute(`select 1 from ockto_callbacks where retrieval_id = ?`, [r.id])).toHaveLength(0);
  });

  it('parks a callback for an unknown session (404 with the reason) and ignores one for an ended retrieval', async () => {
    const unknown = await callback({ eventId: `evt-${newId()}`, sessionId: 'oc_nosuchsession', status: 'declined' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toMatch(/oc_nosuchsession/);

    const { personId } = await person();
    const r = await waitingRetrieval(personId);
    await orm.em.fork().execute(`update ockto_retrievals set status = 'expired' where id = ?`, [r.id]);
    const late = await callback({ eventId: `evt-${newId()}`, sessionId: r.sessionId, status: 'shared', data: sharedData });
    expect(late.statusCode).toBe(200);
    expect(late.json()).toMatchObject({ status: 'ignored', detail: 'the retrieval is expired already' });
    expect(await orm.em.fork().execute(`select 1 from ockto_source_data where retrieval_id = ?`, [r.id])).toHaveLength(0);
  });
});

describe('PUT /ockto/retrievals/:id/risk-class', () => {
  it('needs a classified retrieval, a motivation and a change; every change is a history record', async () => {
    const { personId } = await person();
    const r = await waitingRetrieval(personId);
    const put = (payload: object) => app.inject({ method: 'PUT', url: `/ockto/retrievals/${r.id}/risk-class`, headers: bearer(office.tokens.adviser), payload });
    const motivation = 'Klant heeft op papier aangetoond dat het inkomen verklaard is';
    expect((await put({ riskClass: 'Laag', motivation })).statusCode).toBe(409);

    await orm.em.fork().execute(`update ockto_retrievals set status = 'classified', derived_class = 'Hoog', current_class = 'Hoog', derived_reasons = '["income-unknown"]'::jsonb where id = ?`, [r.id]);
    expect((await put({ riskClass: 'Laag', motivation: 'kort' })).statusCode).toBe(400);
    expect((await put({ riskClass: 'Middel', motivation })).statusCode).toBe(400);
    expect((await put({ riskClass: 'Hoog', motivation })).json().detail).toBe('the risk class is already Hoog');

    const ok = await put({ riskClass: 'Laag', motivation });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ derivedClass: 'Hoog', currentClass: 'Laag', reasons: [{ code: 'income-unknown', text: 'Inkomensgegevens niet gedeeld' }] });
    expect(ok.json().history).toEqual([expect.objectContaining({ from: 'Hoog', to: 'Laag', motivation, source: 'manual', actor: office.credentialIds.adviser })]);

    const risk = await app.inject({ method: 'GET', url: `/persons/${personId}/risk-classification`, headers: bearer(office.tokens.adviser) });
    expect(risk.json()).toMatchObject({ currentClass: 'Laag', retrievals: [{ id: r.id, currentClass: 'Laag' }] });
  });
});
