/**
 * Ockto end to end over HTTP with the simulated Ockto (its own HTTP server, calling back our
 * /ockto/callbacks with the office's 'ockto' credential) and the real worker process: the
 * simulated client shares -> the class with its four answers is visible, the raw data is
 * deleted after the (short, per-request) retention while the class stays; an adviser's
 * deviation with a motivation is in the history; a client who never shares gets the reminder
 * mail and the retrieval ends 'expired' with its reason (short timeouts per request). Bad
 * callbacks and wrong credentials are refused with a reason and store nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids.js';
import { startE2ePlatform, type E2ePlatform, type HttpResult } from '../helpers/e2e-platform.js';

let platform: E2ePlatform;

beforeAll(async () => {
  platform = await startE2ePlatform({ ockto: { scenario: 'shares', actAfterMs: 300 } });
}, 120_000);

afterAll(async () => {
  await platform?.stop();
});

async function until(what: string, fn: () => Promise<HttpResult>, ok: (r: HttpResult) => boolean, timeoutMs = 30_000): Promise<HttpResult> {
  const deadline = Date.now() + timeoutMs;
  let last: HttpResult | undefined;
  for (;;) {
    last = await fn();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last answer ${last.status}: ${JSON.stringify(last.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function newPerson(): Promise<{ personId: string; dossierId: string; email: string }> {
  const suffix = newId().slice(0, 8);
  const email = `ockto.${suffix}@example.nl`;
  const res = await platform.api.post('/dossiers', {
    applicants: [{ person: { firstName: 'Sanne', lastName: `de Vries-${suffix}`, birthDate: '1988-02-03', email, address: { street: 'Kerkstraat', houseNumber: 100 + Math.floor(Math.random() * 9000), postcode: '3511 AB', city: 'Utrecht' } } }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { personId: res.body.applicants[0].person.id as string, dossierId: res.body.id as string, email };
}

describe('Ockto over HTTP', () => {
  it('the simulated client shares: class and answers visible, deviation with motivation in the history, raw data deleted after the retention', async () => {
    const { api } = platform;
    const { personId, dossierId } = await newPerson();
    const started = await api.post(`/persons/${personId}/ockto-retrievals`, { dossierId, scenario: 'shares', pollIntervalSeconds: 3600, retentionSeconds: 4 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = started.body.id as string;
    expect(started.body.workflowId).toBe(`ockto:${id}`);

    // Polling is hourly here: the class can only come this fast through the callback.
    const done = await until('classification', () => api.get(`/ockto/retrievals/${id}`), (r) => r.body.status === 'classified');
    expect(done.body.session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/oc_/);
    expect(done.body.answers).toEqual({ identity: 'verified', screening: 'clear', income: 'explained', registrations: 'none' });
    expect(done.body.questions.map((q: { answer: string }) => q.answer)).toEqual(['verified', 'clear', 'explained', 'none']);
    expect(done.body.derivedClass).toBe('Laag');
    expect(done.body.currentClass).toBe('Laag');
    expect(done.body.history).toEqual([expect.objectContaining({ from: null, to: 'Laag', source: 'data', actor: 'system:ockto' })]);
    expect(platform.ockto!.sessions().find((s) => s.personRef === id)?.callbacks[0]?.httpStatus).toBe(202);

    const motivation = 'Vermogen komt uit een erfenis in het buitenland; nader onderzoek nodig';
    const put = await platform.send(`/ockto/retrievals/${id}/risk-class`, {
      method: 'PUT',
      token: platform.tokens.adviser!,
      contentType: 'application/json',
      body: JSON.stringify({ riskClass: 'Hoog', motivation }),
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.currentClass).toBe('Hoog');
    expect(put.body.derivedClass).toBe('Laag');
    expect(put.body.history).toHaveLength(2);
    expect(put.body.history[1]).toMatchObject({ from: 'Laag', to: 'Hoog', motivation, source: 'manual' });
    expect(put.body.history[1].actor).toMatch(/^[0-9a-f-]{36}$/);

    const noMotivation = await platform.send(`/ockto/retrievals/${id}/risk-class`, {
      method: 'PUT', token: platform.tokens.adviser!, contentType: 'application/json', body: JSON.stringify({ riskClass: 'Laag', motivation: 'kort' }),
    });
    expect(noMotivation.status).toBe(400);
    expect(noMotivation.contentType).toMatch(/problem\+json/);

    const person = await api.get(`/persons/${personId}/risk-classification`);
    expect(person.status).toBe(200);
    expect(person.body.currentClass).toBe('Hoog');

    const purged = await until('retention', () => api.get(`/ockto/retrievals/${id}`), (r) => r.body.sourceData.state === 'deleted');
    expect(purged.body.currentClass).toBe('Hoog');
    expect(purged.body.answers.identity).toBe('verified');
    expect(purged.body.history).toHaveLength(2);
  }, 90_000);

  it('a client who never shares gets the reminder mail and the retrieval ends expired with a reason', async () => {
    const { api } = platform;
    const { personId, dossierId, email } = await newPerson();
    const started = await api.post(`/persons/${personId}/ockto-retrievals`, { dossierId, scenario: 'never', reminderAfterSeconds: 2, expireAfterSeconds: 6, pollIntervalSeconds: 1 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = started.body.id as string;
    const ended = await until('expiry', () => api.get(`/ockto/retrievals/${id}`), (r) => r.body.status === 'expired');
    expect(ended.body.statusReason).toMatch(/geen gegevens gedeeld, ook niet na de herinnering/);
    expect(ended.body.derivedClass).toBeNull();
    expect(ended.body.reminderSentAt).not.toBeNull();
    const mails = await platform.mailsTo(email);
    expect(mails.some((m) => /Ockto/.test(m.subject))).toBe(true);
    expect(await platform.describeWorkflow(`ockto:${id}`)).toEqual({ type: 'ocktoRetrievalWorkflow', status: 'COMPLETED' });
  }, 60_000);

  it('callbacks: wrong credentials and bad payloads are refused with a reason, nothing stored (duplicates: test/api/ockto.test.ts)', async () => {
    const body = { eventId: `evt-${newId()}`, sessionId: 'oc_doesnotexist', status: 'declined' };
    const asJson = (token: string | undefined, payload: unknown) =>
      platform.send('/ockto/callbacks', { token, contentType: 'application/json', body: JSON.stringify(payload) });

    const none = await asJson(undefined, body);
    expect(none.status).toBe(401);
    const adviser = await asJson(platform.tokens.adviser, body);
    expect(adviser.status).toBe(403);
    expect(adviser.contentType).toMatch(/problem\+json/);
    const wrong = await asJson('not-a-real-token-0000000000', body);
    expect(wrong.status).toBe(401);

    const shared = await asJson(platform.tokens.ockto, { ...body, status: 'shared' });
    expect(shared.status).toBe(400);
    expect(shared.body.detail).toMatch(/shared data/);
    const badData = await asJson(platform.tokens.ockto, { ...body, status: 'shared', data: { screening: { sanctionListHit: 'maybe', pep: false, checkedOn: '2026-11-23' } } });
    expect(badData.status).toBe(400);
    expect(JSON.stringify(badData.body)).toMatch(/sanctionListHit/);
    const unknownStatus = await asJson(platform.tokens.ockto, { ...body, status: 'done' });
    expect(unknownStatus.status).toBe(400);

    const unknown = await asJson(platform.tokens.ockto, body);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/session oc_doesnotexist/);
  }, 30_000);
});
