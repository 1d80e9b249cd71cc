/**
 * Editing persons and dossiers (issue 18) with inject() against a real PostgreSQL: one person
 * record (an edit on the card shows in the dossier and back), a history line per changed field
 * (who, when, old → new), the duplicate check on the changed criteria, two advisers at once
 * (the version), bodies refused with their field paths, and "new AX version needed" on a
 * mortgage whose AX went to the lender before the change (and not before it was sent, nor after
 * a newer AX version went out).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { buildHdn } from '../../integrations/hdn/codec.js';
import type { HdnGateway } from '../../integrations/hdn/gateway.js';
import type { HdnApplicant } from '../../integrations/hdn/types.js';
import { issueCredential } from '../../services/access/store.js';
import { sendApplicationToLender } from '../../services/hdn/send-to-lender.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

const OUR_NODE = 'DFLT01';
const tag = () => newId().replace(/-/g, '').slice(0, 4).toUpperCase();
const adviceNode = `AS${tag()}`;
const lenderNode = `LN${tag()}`;
const lenderCode = `EDITBANK-${tag()}`;

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let other: TestOffice;
let adviceToken: string;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Wijzigkantoor');
  other = await createTestOffice(orm, 'Ander kantoor');
  const issued = await issueCredential(orm.em.fork(), { officeId: office.officeId, name: 'test advice_software', role: 'advice_software' });
  await orm.em.fork().execute('update api_credentials set hdn_node = ? where id = ?', [adviceNode, issued.id]);
  adviceToken = issued.token;
  await orm.em.fork().execute('insert into hdn_lenders (code, name, node_number) values (?, ?, ?)', [lenderCode, `Testbank ${lenderCode}`, lenderNode]);
  app = buildApp({ orm, temporal: temporalStub(), hdn: { node: OUR_NODE } });
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await orm?.close(true);
});

const adviser = (token = office.tokens.adviser) => bearer(token);

async function newDossier(...persons: Record<string, unknown>[]): Promise<{ dossierId: string; personIds: string[] }> {
  const res = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: persons.map((person) => ({ person })) } });
  expect(res.statusCode, res.body).toBe(201);
  return { dossierId: res.json().id, personIds: res.json().applicants.map((a: { person: { id: string } }) => a.person.id) };
}

const patch = (personId: string, payload: unknown, headers: Record<string, string> = {}, token?: string) =>
  app.inject({ method: 'PATCH', url: `/persons/${personId}`, headers: { ...adviser(token), ...headers }, payload: payload as object });
const history = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: adviser(token) });

describe('PATCH /persons/:id', () => {
  it('changes the fields sent, answers the new version, and the dossier shows the same person', async () => {
    const { dossierId, personIds } = await newDossier(uniquePerson({ phone: '0611111111' }));
    const personId = personIds[0]!;
    const read = await app.inject({ method: 'GET', url: `/persons/${personId}`, headers: adviser() });
    expect(read.headers.etag).toBe('"1"');
    expect(read.json().version).toBe(1);

    const started = Date.now();
    const res = await patch(personId, { address: { street: 'Kerkweg', houseNumber: 7, houseNumberSuffix: 'A', postcode: '3811 aa', city: 'Amersfoort' }, phone: null }, { 'if-match': read.headers.etag as string });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json()).toMatchObject({ id: personId, version: 2, phone: null, address: { street: 'Kerkweg', houseNumber: 7, houseNumberSuffix: 'A', postcode: '3811AA', city: 'Amersfoort' } });

    // Everywhere the person is read: the card, the dossier's applicant.
    expect((await app.inject({ method: 'GET', url: `/persons/${personId}`, headers: adviser() })).json()).toEqual(res.json());
    const dossier = (await app.inject({ method: 'GET', url: `/dossiers/${dossierId}`, headers: adviser() })).json();
    expect(dossier.applicants[0].person).toEqual(res.json());

    const lines = await history(`/persons/${personId}/history`);
    expect(lines.statusCode, lines.body).toBe(200);
    const old = read.json();
    expect(lines.json()).toMatchObject({ total: 6, limit: 50, offset: 0 });
    // One edit: its lines in the card's order, each with who (the credential's name) and when.
    expect(lines.json().items.map((h: { field: string; oldValue: string | null; newValue: string | null }) => [h.field, h.oldValue, h.newValue])).toEqual([
      ['phone', '0611111111', null],
      ['street', 'Dorpsstraat', 'Kerkweg'],
      ['houseNumber', String(old.address.houseNumber), '7'],
      ['houseNumberSuffix', null, 'A'],
      ['postcode', old.address.postcode, '3811AA'],
      ['city', 'Utrecht', 'Amersfoort'],
    ]);
    for (const h of lines.json().items) {
      expect(h).toMatchObject({ personId, personName: old.name, actor: office.credentialIds.adviser, actorName: 'test adviser', dossierId: null });
      expect(Date.parse(h.at)).toBeGreaterThanOrEqual(started - 5_000);
    }
  });

  it('leaves no history line and keeps the version when nothing really changes', async () => {
    const { personIds } = await newDossier(uniquePerson());
    const personId = personIds[0]!;
    const p = (await app.inject({ method: 'GET', url: `/persons/${personId}`, headers: adviser() })).json();
    const res = await patch(personId, { version: 1, firstName: ` ${p.firstName} `, address: { ...p.address, houseNumberSuffix: undefined, postcode: `${p.address.postcode.slice(0, 4)} ${p.address.postcode.slice(4).toLowerCase()}` }, phone: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().version).toBe(1);
    expect((await history(`/persons/${personId}/history`)).json()).toMatchObject({ items: [], total: 0 });
  });

  it('pages the history newest first', async () => {
    const { personIds } = await newDossier(uniquePerson());
    const personId = personIds[0]!;
    for (const [version, city] of [[1, 'Zeist'], [2, 'Bunnik'], [3, 'Houten']] as const) {
      const p = (await app.inject({ method: 'GET', url: `/persons/${personId}`, headers: adviser() })).json();
      expect((await patch(personId, { version, address: { ...p.address, houseNumberSuffix: undefined, city } })).statusCode).toBe(200);
    }
    const page = (await history(`/persons/${personId}/history?limit=2&offset=0`)).json();
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.items.map((h: { newValue: string }) => h.newValue)).toEqual(['Houten', 'Bunnik']);
    const rest = (await history(`/persons/${personId}/history?limit=2&offset=2`)).json();
    expect(rest.items.map((h: { oldValue: string; newValue: string }) => `${h.oldValue} → ${h.newValue}`)).toEqual(['Utrecht → Zeist']);
  });

  it('two advisers at once: the second edit from the same version is refused 409 and changes nothing', async () => {
    const { personIds } = await newDossier(uniquePerson());
    const personId = personIds[0]!;
    const [a, b] = await Promise.all([patch(personId, { phone: '0622222222' }, { 'if-match': '"1"' }), patch(personId, { phone: '0633333333' }, { 'if-match': 'W/"1"' })]);
    const answers = [a, b].sort((x, y) => x.statusCode - y.statusCode);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 409]);
    const refused = answers[1]!;
    expect(String(refused.headers['content-type'])).toMatch(/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 409, currentVersion: 2 });
    expect(refused.json().type).toMatch(/edited-meanwhile/);
    const now = (await app.inject({ method: 'GET', url: `/persons/${personId}`, headers: adviser() })).json();
    expect(now.phone).toBe(answers[0]!.json().phone);
    expect((await history(`/persons/${personId}/history`)).json().total).toBe(1);
  });

  it('the duplicate check of the create path runs on the changed criteria: 409 with the other person, unless allowDuplicate', async () => {
    const { personIds: [annaId] } = await newDossier(uniquePerson());
    const anna = (await app.inject({ method: 'GET', url: `/persons/${annaId}`, headers: adviser() })).json();
    const { personIds: [bramId] } = await newDossier(uniquePerson({ firstName: 'Bram' }));

    const refused = await patch(bramId!, { version: 1, email: anna.email.toUpperCase() });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().type).toMatch(/possible-duplicate/);
    expect(refused.json().possibleDuplicates).toEqual([expect.objectContaining({ id: annaId, reasons: ['email'] })]);
    expect((await app.inject({ method: 'GET', url: `/persons/${bramId}`, headers: adviser() })).json().version).toBe(1);

    // Same last name and birth date as Anna after the change.
    const byName = await patch(bramId!, { version: 1, lastName: anna.lastName, birthDate: anna.birthDate });
    expect(byName.statusCode).toBe(409);
    expect(byName.json().possibleDuplicates).toEqual([expect.objectContaining({ id: annaId, reasons: ['birthDate+name'] })]);

    const allowed = await patch(bramId!, { version: 1, email: anna.email, allowDuplicate: true });
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.json().email).toBe(anna.email);

    // A partner at the same address: editing the phone is not refused for the address they share.
    const { personIds: [carlaId] } = await newDossier(uniquePerson({ firstName: 'Carla' }));
    const moved = await patch(carlaId!, { version: 1, address: { ...anna.address, houseNumberSuffix: undefined }, allowDuplicate: true });
    expect(moved.statusCode, moved.body).toBe(200);
    const phone = await patch(carlaId!, { version: 2, phone: '0644444444' });
    expect(phone.statusCode, phone.body).toBe(200);
  });

  const bad: [string, Record<string, unknown>, Record<string, string>, string][] = [
    ['a name cannot be cleared', { version: 1, firstName: null }, {}, '/body/firstName'],
    ['an empty last name', { version: 1, lastName: '  ' }, {}, '/body/lastName'],
    ['an e-mail that is none', { version: 1, email: 'geen-mail' }, {}, '/body/email'],
    ['a phone with letters', { version: 1, phone: 'bel maar' }, {}, '/body/phone'],
    ['a birth date out of range', { version: 1, birthDate: '1800-01-01' }, {}, '/body/birthDate'],
    ['an address without city', { version: 1, address: { street: 'Kerkweg', houseNumber: 1, postcode: '1234AB' } }, {}, '/body/address'],
    ['a postcode that is not Dutch', { version: 1, address: { street: 'Kerkweg', houseNumber: 1, postcode: '12345', city: 'X' } }, {}, '/body/address/postcode'],
    ['a field that cannot be edited', { version: 1, createdAt: '2020-01-01T00:00:00Z' }, {}, '/body/createdAt'],
    ['no version at all', { phone: '0612345678' }, {}, '/body/version'],
    ['an If-Match that is no version', { phone: '0612345678' }, { 'if-match': '"abc"' }, '/headers/if-match'],
    ['If-Match and version disagree', { version: 2, phone: '0612345678' }, { 'if-match': '"1"' }, '/body/version'],
  ];
  it.each(bad)('400 with the field path: %s', async (_name, payload, headers, path) => {
    const { personIds } = await newDossier(uniquePerson());
    const res = await patch(personIds[0]!, payload, headers);
    expect(res.statusCode, res.body).toBe(400);
    expect(String(res.headers['content-type'])).toMatch(/problem\+json/);
    const paths = (res.json().errors as { path: string; message: string }[]).map((e) => (e.path === '/body' && /createdAt|city/.test(e.message) ? `${e.path}/${/'(\w+)'/.exec(e.message)?.[1]}` : e.path));
    expect(paths.some((p) => p === path || p.startsWith(`${path}/`) || path.startsWith(p) && p !== '/body'), `${path} in ${JSON.stringify(res.json().errors)}`).toBe(true);
    expect((await history(`/persons/${personIds[0]}/history`)).json().total).toBe(0);
  });

  it('a birth date in the future or giving an age over 130 is refused on create, in a new dossier and on edit (400 validation with the field path, nothing stored)', async () => {
    const inAYear = `${new Date().getUTCFullYear() + 1}-06-01`;
    const tooOld = `${new Date().getUTCFullYear() - 131}-01-01`; // below the schema's 1900 until 2031
    for (const birthDate of [inAYear, tooOld]) {
      const person = uniquePerson({ birthDate });
      const created = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: person });
      expect(created.statusCode, created.body).toBe(400);
      expect(created.json().errors.map((e: { path: string }) => e.path)).toContain('/body/birthDate');
      const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }, { person }] } });
      expect(dossier.statusCode, dossier.body).toBe(400);
      // (Before 1900 the schema refuses it too, naming each alternative it tried.)
      expect(dossier.json().errors.map((e: { path: string }) => e.path)).toContain('/body/applicants/1/person/birthDate');
      const { personIds } = await newDossier(uniquePerson());
      const edited = await patch(personIds[0]!, { version: 1, birthDate });
      expect(edited.statusCode, edited.body).toBe(400);
      expect(edited.json().errors.map((e: { path: string }) => e.path)).toContain('/body/birthDate');
      expect((await history(`/persons/${personIds[0]}/history`)).json().total).toBe(0);
      const found = await app.inject({ method: 'GET', url: `/persons?q=${encodeURIComponent(String(person.lastName))}`, headers: adviser() });
      expect(found.json().items, found.body).toEqual([]);
    }
  });

  it('another office: 404 for the edit and the history', async () => {
    const { personIds } = await newDossier(uniquePerson());
    expect((await patch(personIds[0]!, { version: 1, phone: '0612345678' }, {}, other.tokens.adviser)).statusCode).toBe(404);
    expect((await history(`/persons/${personIds[0]}/history`, other.tokens.adviser)).statusCode).toBe(404);
  });
});

describe('PATCH /dossiers/:id', () => {
  it("edits an applicant in the dossier: the card shows it, the history line names the dossier; both dossier and card history list it", async () => {
    const { dossierId, personIds } = await newDossier(uniquePerson(), uniquePerson({ firstName: 'Bram' }));
    const res = await app.inject({
      method: 'PATCH',
      url: `/dossiers/${dossierId}`,
      headers: adviser(),
      payload: { applicants: [{ position: 2, person: { version: 1, phone: '0655555555' } }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().applicants[1].person).toMatchObject({ id: personIds[1], phone: '0655555555', version: 2 });
    expect((await app.inject({ method: 'GET', url: `/persons/${personIds[1]}`, headers: adviser() })).json().phone).toBe('0655555555');

    // And the other way round: the card's edit shows in the dossier's history.
    expect((await patch(personIds[0]!, { version: 1, phone: '0666666666' })).statusCode).toBe(200);
    const lines = (await history(`/dossiers/${dossierId}/history`)).json();
    expect(lines.items.map((h: { position: number; field: string; newValue: string; dossierId: string | null }) => [h.position, h.field, h.newValue, h.dossierId])).toEqual([
      [1, 'phone', '0666666666', null],
      [2, 'phone', '0655555555', dossierId],
    ]);
    expect((await history(`/persons/${personIds[1]}/history`)).json().items[0]).toMatchObject({ field: 'phone', dossierId });
  });

  it('all or nothing: a stale version of one applicant refuses both (409 naming the applicant)', async () => {
    const { dossierId, personIds } = await newDossier(uniquePerson(), uniquePerson({ firstName: 'Bram' }));
    expect((await patch(personIds[1]!, { version: 1, phone: '0677777777' })).statusCode).toBe(200);
    const res = await app.inject({
      method: 'PATCH',
      url: `/dossiers/${dossierId}`,
      headers: adviser(),
      payload: { applicants: [{ position: 1, person: { version: 1, phone: '0688888888' } }, { position: 2, person: { version: 1, phone: '0699999999' } }] },
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ applicantIndex: 1, currentVersion: 2 });
    expect((await app.inject({ method: 'GET', url: `/persons/${personIds[0]}`, headers: adviser() })).json()).toMatchObject({ phone: null, version: 1 });
  });

  it('refuses an applicant the dossier does not have (422), a missing version and a bad field (400 with paths)', async () => {
    const { dossierId } = await newDossier(uniquePerson());
    const send = (payload: unknown) => app.inject({ method: 'PATCH', url: `/dossiers/${dossierId}`, headers: adviser(), payload: payload as object });
    const missing = await send({ applicants: [{ position: 2, person: { version: 1, phone: '0612345678' } }] });
    expect(missing.statusCode).toBe(422);
    const noVersion = await send({ applicants: [{ position: 1, person: { phone: '0612345678' } }] });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().errors).toEqual([expect.objectContaining({ path: '/body/applicants/0/person/version' })]);
    const badMail = await send({ applicants: [{ position: 1, person: { version: 1, email: 'nee' } }] });
    expect(badMail.statusCode).toBe(400);
    expect(JSON.stringify(badMail.json().errors)).toContain('/body/applicants/0/person/email');
    expect((await app.inject({ method: 'PATCH', url: `/dossiers/${dossierId}`, headers: adviser(other.tokens.adviser), payload: { applicants: [{ position: 1, person: { version: 1 } }] } })).statusCode).toBe(404);
  });
});

describe('a mortgage application already sent is not changed silently', () => {
  const gateway: HdnGateway = { send: async () => ({ status: 200, body: '' }) };
  const deps = { gateway, node: OUR_NODE, now: () => new Date() };
  let at = 0;

  function axXml(applicationNumber: string, version: number, a: HdnApplicant): string {
    at += 1;
    return buildHdn({
      type: 'AX',
      header: {
        senderNode: adviceNode,
        receiverNode: OUR_NODE,
        messageType: 'AX',
        messageVersion: '24.0',
        receiverCode: lenderCode,
        sentDate: '2026-11-23',
        sentTime: `11:00:${String(at).padStart(2, '0')}`,
        applicationNumber,
        applicationVersion: String(version),
      },
      applicants: [a],
      loanParts: [{ number: '1', repaymentType: '01', amountCents: 25_000_000, durationMonths: 360 }],
    });
  }

  async function receiveAndConvert(xml: string): Promise<{ productId: string; dossierId: string; personIds: string[] }> {
    const received = await app.inject({ method: 'POST', url: '/hdn/messages', headers: { ...bearer(adviceToken), 'content-type': 'application/xml' }, payload: xml });
    expect(received.statusCode, received.body).toBe(202);
    const converted = await app.inject({ method: 'POST', url: `/hdn/messages/${received.json().id}/convert`, headers: adviser(), payload: {} });
    expect(converted.statusCode, converted.body).toBeLessThan(300);
    return converted.json();
  }

  const flagOf = async (productId: string, dossierId: string) => {
    const product = (await app.inject({ method: 'GET', url: `/products/${productId}`, headers: adviser() })).json();
    const dossier = (await app.inject({ method: 'GET', url: `/dossiers/${dossierId}`, headers: adviser() })).json();
    const inDossier = dossier.products.find((p: { id: string }) => p.id === productId);
    expect(inDossier.axVersionNeeded).toEqual(product.axVersionNeeded);
    return product.axVersionNeeded;
  };

  it('contact data an AX fills in for a known person leave history lines from the AX', async () => {
    const known = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: { firstName: 'Dirk', lastName: `Bekend-${tag()}`, birthDate: '1970-01-02' } });
    expect(known.statusCode, known.body).toBe(201);
    const p = known.json();
    const email = `dirk.${tag().toLowerCase()}@example.nl`;
    const { personIds } = await receiveAndConvert(
      axXml(`F${tag()}${tag()}`, 1, { position: 1, firstName: 'Dirk', lastName: p.lastName, birthDate: p.birthDate, email, street: 'Laan', houseNumber: 4, postcode: '1234 AB', city: 'Zeist' }),
    );
    expect(personIds).toEqual([p.id]);
    const lines = (await history(`/persons/${p.id}/history`)).json();
    expect(lines.items.map((h: { field: string; oldValue: string | null; newValue: string; actor: string; actorName: string | null }) => [h.field, h.oldValue, h.newValue, h.actor, h.actorName])).toEqual([
      ['email', null, email, 'system:hdn-ax', null],
      ['street', null, 'Laan', 'system:hdn-ax', null],
      ['houseNumber', null, '4', 'system:hdn-ax', null],
      ['postcode', null, '1234AB', 'system:hdn-ax', null],
      ['city', null, 'Zeist', 'system:hdn-ax', null],
    ]);
    expect((await app.inject({ method: 'GET', url: `/persons/${p.id}`, headers: adviser() })).json().version).toBe(2);
  });

  it('no flag before the AX is sent; after a change since the send the product names the fields; a newer AX sent clears it', async () => {
    const number = `E${tag()}${tag()}`;
    const applicant: HdnApplicant = {
      position: 1,
      firstName: 'Anna',
      lastName: `Hypotheek-${tag()}`,
      birthDate: '1985-02-03',
      email: `hyp.${tag().toLowerCase()}@example.nl`,
      street: 'Dorpsstraat',
      houseNumber: 3,
      postcode: '1234AB',
      city: 'Utrecht',
    };
    const { productId, dossierId, personIds } = await receiveAndConvert(axXml(number, 1, applicant));
    const personId = personIds[0]!;

    // A change before anything went to the lender: the AX that goes will carry it, no flag.
    expect((await patch(personId, { version: (await app.inject({ method: 'GET', url: `/persons/${personId}`, headers: adviser() })).json().version, phone: '0612121212' })).statusCode).toBe(200);
    expect(await flagOf(productId, dossierId)).toBeNull();

    const sent = await sendApplicationToLender(orm.em.fork(), deps, { key: `test-${number}-1`, productId });
    expect(sent).toMatchObject({ applicationVersion: 1, sentNow: true });
    expect(await flagOf(productId, dossierId)).toBeNull();

    // The client moved after the application went out.
    const version = (await app.inject({ method: 'GET', url: `/persons/${personId}`, headers: adviser() })).json().version;
    const moved = await patch(personId, { version, address: { street: 'Kerkweg', houseNumber: 9, postcode: '3811AA', city: 'Amersfoort' } });
    expect(moved.statusCode, moved.body).toBe(200);
    const flag = await flagOf(productId, dossierId);
    expect(flag).toMatchObject({ applicationVersion: 1, sentAt: expect.any(String), since: expect.any(String) });
    expect(flag.changes.map((c: { position: number; field: string; personId: string }) => [c.position, c.field, c.personId]).sort()).toEqual(
      [[1, 'city', personId], [1, 'houseNumber', personId], [1, 'postcode', personId], [1, 'street', personId]].sort(),
    );
    expect(Date.parse(flag.since)).toBeGreaterThan(Date.parse(flag.sentAt));

    // The adviser has the advice software send version 2 with the new address, and sends it on.
    const v2 = await receiveAndConvert(axXml(number, 2, { ...applicant, street: 'Kerkweg', houseNumber: 9, postcode: '3811AA', city: 'Amersfoort' }));
    expect(v2.productId).toBe(productId);
    expect(await flagOf(productId, dossierId)).not.toBeNull(); // received, not sent yet
    const resent = await sendApplicationToLender(orm.em.fork(), deps, { key: `test-${number}-2`, productId });
    expect(resent).toMatchObject({ applicationVersion: 2, sentNow: true });
    expect(await flagOf(productId, dossierId)).toBeNull();
  });
});
