/**
 * Privacy (DOMAIN process 9) against a real PostgreSQL, a real Temporal and an in-process
 * worker with the real activities: the fixture person gets their data into every corner the
 * platform has (a dossier, a service product walked through a contact step with a conversation
 * report, mails, an HDN AX converted into a mortgage, a SEPA contract with an invoice, a SEPA
 * export). After anonymisation, EVERY text, varchar, json(b), bytea and date column of EVERY
 * table in the public schema is scanned for their former name, e-mail, phone, birth date,
 * address and IBAN.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../services/access/store.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { buildHdn } from '../../integrations/hdn/codec.js';
import { nextTargetBusinessDay } from '../../integrations/sepa/calendar.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { storeInboundMessage } from '../../services/mailbox/poll.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, startAppWithWorker, uniquePerson, type AppWithWorker, type TestOffice } from './support.js';

const tag = newId().replace(/-/g, '').slice(0, 8);
const TAG = tag.toUpperCase();
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const letters = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');

/** The fixture person: every value unique to this run, so the scan cannot trip over other tests. */
const person = {
  firstName: 'Priscilla',
  lastName: `Geheimhouder${tag}`,
  birthDate: `193${Math.floor(Math.random() * 10)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`,
  email: `priscilla.${tag}@example.nl`,
  phone: `06${digits(8)}`,
  address: { street: `Privacylaan${tag}`, houseNumber: 17, postcode: `${1 + Math.floor(Math.random() * 9)}${digits(3)}${letters(2)}`, city: `Stad${tag}` },
};
const fullName = `${person.firstName} ${person.lastName}`;
const account = digits(10);
const IBAN = `NL${ibanCheckDigits('NL', `ABNA${account}`)}ABNA${account}`;
const CREDITOR_ID = `NL${creditorIdCheckDigits('NL', '123456780000')}ZZZ123456780000`;
const CREDITOR_IBAN = `NL${ibanCheckDigits('NL', 'INGB0123456789')}INGB0123456789`;
const [by, bm, bd] = person.birthDate.split('-');

/** Where they move to during the test (an edit of the card): the new values are theirs too. */
const movedPhone = `06${digits(8)}`;
const movedAddress = { street: `Verhuislaan${tag}`, houseNumber: 3, postcode: `${1 + Math.floor(Math.random() * 9)}${digits(3)}${letters(2)}`, city: `Nieuwstad${tag}` };

/** What must be gone, as the scan looks for it. */
const needles = [
  movedPhone,
  movedAddress.street,
  movedAddress.postcode,
  movedAddress.city,
  fullName,
  person.lastName,
  person.email,
  person.phone,
  person.address.street,
  person.address.postcode,
  `${person.address.postcode.slice(0, 4)} ${person.address.postcode.slice(4)}`,
  person.address.city,
  IBAN,
  IBAN.replace(/(.{4})(?=.)/g, '$1 '),
  person.birthDate,
  `${bd}-${bm}-${by}`,
];

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let platform: AppWithWorker | undefined;
const taskQueue = `privacy-test-${tag}`;
const adviceNode = `AS${TAG.slice(0, 4)}`;
const lenderNode = `LN${TAG.slice(0, 4)}`;
const lenderCode = `PRIVBANK-${TAG.slice(0, 6)}`;
let adviceToken: string;

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Privacykantoor');
  const issued = await issueCredential(orm.em.fork(), { officeId: office.officeId, name: 'test advice software', role: 'advice_software' });
  await orm.em.fork().execute('update api_credentials set hdn_node = ? where id = ?', [adviceNode, issued.id]);
  adviceToken = issued.token;
  await orm.em.fork().execute('insert into hdn_lenders (code, name, node_number) values (?, ?, ?)', [lenderCode, `Bank ${lenderCode}`, lenderNode]);
  platform = await startAppWithWorker(orm, taskQueue, { hdn: { node: 'DFLT01' } });
  app = platform.app;
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await orm?.close(true);
});

const adviser = () => bearer(office.tokens.adviser);
const admin = () => bearer(office.tokens.admin);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().execute<T[]>(text, params as never[]);
}

async function step(productId: string, stepId: string, input: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: `/products/${productId}/steps/${stepId}`, headers: adviser(), payload: Object.keys(input).length ? { input } : {} });
  expect(res.statusCode, res.body).toBe(200);
}

/** Every hit of any needle in any text-like column of any table of the public schema. */
async function scanDatabase(): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>(
    `select c.table_name, c.column_name, c.data_type from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'date', 'ARRAY')
      order by c.table_name, c.column_name`,
  );
  expect(columns.length).toBeGreaterThan(50);
  const patterns = needles.map((n) => `%${n.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const hits: string[] = [];
  for (const c of columns) {
    const col = `"${c.column_name}"`;
    const table = `"${c.table_name}"`;
    let found: { n: number }[];
    if (c.data_type === 'bytea') {
      const probes = needles.map(() => `position(convert_to(?, 'UTF8') in ${col}) > 0`).join(' or ');
      found = await sql(`select count(*)::int as n from ${table} where ${probes}`, needles);
    } else if (c.data_type === 'date') {
      found = await sql(`select count(*)::int as n from ${table} where ${col} = ?::date`, [person.birthDate]);
    } else {
      found = await sql(`select count(*)::int as n from ${table} where ${col}::text ilike any(array[?]::text[])`, [patterns]);
    }
    if ((found[0]?.n ?? 0) > 0) hits.push(`${c.table_name}.${c.column_name} (${found[0]?.n})`);
  }
  return hits;
}

describe('anonymise a person everywhere', () => {
  let personId: string;
  let dossierId: string;
  let serviceId: string;
  let mortgageId: string;
  let contractId: string;

  it('builds the fixture: dossier, contact report, mails, HDN AX, contract, invoice, SEPA export', async () => {
    const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person }] } });
    expect(dossier.statusCode, dossier.body).toBe(201);
    dossierId = dossier.json().id;
    personId = dossier.json().applicants[0].person.id;

    // Their CRM card: a note and a signal that name them, and the identification record.
    for (const [url, method, payload] of [
      [`/persons/${personId}/notes`, 'POST', { title: `Over ${fullName}`, text: `Bereikbaar op ${person.phone} of ${person.email}`, priority: 'high' }],
      [`/persons/${personId}/signals`, 'POST', { title: `Bel ${fullName}`, date: '2026-01-05' }],
      [`/persons/${personId}/identification`, 'PUT', { method: 'in_person', documentType: 'paspoort', documentNumber: `P${digits(8)}` }],
      // A manual risk class: its motivation is free text about them (kept for the Wwft, scrubbed of who they are).
      [`/persons/${personId}/risk-class`, 'PUT', { class: 'Hoog', motivation: `${fullName} (${person.email}) kon de herkomst van vermogen niet aantonen` }],
    ] as const) {
      const res = await app.inject({ method, url, headers: adviser(), payload });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }

    const product = await app.inject({ method: 'POST', url: `/dossiers/${dossierId}/products`, headers: adviser(), payload: { type: 'service', parts: [{ description: 'Hypotheekadvies' }] } });
    expect(product.statusCode, product.body).toBe(201);
    serviceId = product.json().id;
    await step(serviceId, 'choose-checklist', { profile: 'loondienst' });
    await step(serviceId, 'send-portal-activation');
    await step(serviceId, 'register-contact', {
      channel: 'telefoon',
      summary: `Gesprek met ${fullName} (${person.phone}), woont ${person.address.street} ${person.address.houseNumber}; mail naar ${person.email}.`,
      sendReport: true,
      followUpTask: true,
      followUpDate: '2026-12-15',
    });

    // The advice software sends an AX that names them: converted into the same dossier.
    const ax = buildHdn({
      type: 'AX',
      header: {
        senderNode: adviceNode,
        receiverNode: 'DFLT01',
        messageType: 'AX',
        messageVersion: '24.0',
        receiverCode: lenderCode,
        sentDate: '2026-11-23',
        sentTime: '10:00:00',
        applicationNumber: `P${TAG}`,
        applicationVersion: '1',
      },
      applicants: [
        {
          position: 1,
          firstName: person.firstName,
          lastName: person.lastName,
          birthDate: person.birthDate,
          email: person.email,
          phone: person.phone,
          street: person.address.street,
          houseNumber: person.address.houseNumber,
          postcode: person.address.postcode,
          city: person.address.city,
        },
      ],
      property: { street: person.address.street, houseNumber: person.address.houseNumber, postcode: person.address.postcode, city: person.address.city, purchasePriceCents: 40_000_000 },
      loanParts: [{ number: '1', repaymentType: 'annuiteit', amountCents: 30_000_000, durationMonths: 360 }],
    });
    const received = await app.inject({ method: 'POST', url: '/hdn/messages', headers: { ...bearer(adviceToken), 'content-type': 'application/xml' }, payload: ax });
    expect(received.statusCode, received.body).toBe(202);
    const converted = await app.inject({ method: 'POST', url: `/hdn/messages/${received.json().id}/convert`, headers: adviser(), payload: {} });
    expect(converted.statusCode, converted.body).toBe(201);
    expect(converted.json()).toMatchObject({ dossierId });
    mortgageId = converted.json().productId;

    // A SEPA contract with their IBAN: the first invoice is made (PDF, mail) at once.
    const settings = await app.inject({
      method: 'PUT',
      url: '/billing/settings',
      headers: admin(),
      payload: { reminderMode: 'workflow', creditor: { name: 'Privacykantoor B.V.', iban: CREDITOR_IBAN, creditorId: CREDITOR_ID }, paymentTermDays: 14 },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const contract = await app.inject({
      method: 'POST',
      url: `/products/${serviceId}/contract`,
      headers: adviser(),
      payload: {
        description: `Abonnement ${fullName}`,
        amountCents: 2500,
        vatRate: 21,
        period: 'month',
        startDate: todayInAmsterdam(new Date()),
        paymentMethod: 'sepa',
        mandate: { id: `MNDT-${TAG}`, signedOn: '2026-01-15', iban: IBAN, name: fullName },
        delivery: 'email',
      },
    });
    expect(contract.statusCode, contract.body).toBe(201);
    contractId = contract.json().id;
    await until('the first invoice with its PDF', async () => {
      const found = await sql<{ id: string }>('select id from invoices where contract_id = ? and pdf_document_id is not null', [contractId]);
      return found[0];
    });
    // An appointment at their home, with notes that name them: its confirmation carries an .ics with their name and address.
    const appointment = await app.inject({
      method: 'POST',
      url: `/dossiers/${dossierId}/appointments`,
      headers: adviser(),
      payload: {
        start: { date: `${new Date().getUTCFullYear() + 1}-02-10`, time: '10:00', zone: 'Europe/Amsterdam' },
        durationMinutes: 60,
        location: `${person.address.street} ${person.address.houseNumber}, ${person.address.city}`,
        notes: `${fullName} belt terug op ${person.phone}`,
      },
    });
    expect(appointment.statusCode, appointment.body).toBe(201);
    await until('the appointment confirmation sent', async () => {
      const found = await sql<{ id: string }>(`select id from mails where dossier_id = ? and template = 'appointment-confirmation' and status = 'sent'`, [dossierId]);
      return found[0];
    });
    await until('every mail of the dossier sent', async () => {
      const found = await sql<{ pending: number; sent: number }>(
        `select count(*) filter (where status <> 'sent')::int as pending, count(*) filter (where status = 'sent')::int as sent from mails where dossier_id = ?`,
        [dossierId],
      );
      return found[0] && found[0].pending === 0 && found[0].sent >= 3 ? true : undefined;
    });
    const exported = await app.inject({
      method: 'POST',
      url: '/billing/sepa-exports',
      headers: adviser(),
      payload: { collectionDate: nextTargetBusinessDay(todayInAmsterdam(new Date()), true) },
    });
    expect(exported.statusCode, exported.body).toBe(201);

    // They moved, and their old address and phone went into the card's history (old → new):
    // the history values are theirs too. The new address and phone are needles as well.
    const edit = await app.inject({
      method: 'PATCH',
      url: `/persons/${personId}`,
      headers: adviser(),
      payload: { version: (await app.inject({ method: 'GET', url: `/persons/${personId}`, headers: adviser() })).json().version, phone: movedPhone, address: movedAddress },
    });
    expect(edit.statusCode, edit.body).toBe(200);

    // Their one-man business (eenmanszaak) as an organisation in the CRM, trading under their
    // name from their (new) home with their e-mail and phone, and they are its contact person.
    const business = await app.inject({
      method: 'POST',
      url: '/organisations',
      headers: adviser(),
      payload: { kind: 'other', name: `${fullName} Advies`, kvkNumber: digits(8), email: person.email, phone: movedPhone, address: movedAddress },
    });
    expect(business.statusCode, business.body).toBe(201);
    const contact = await app.inject({
      method: 'POST',
      url: `/organisations/${business.json().id}/contacts`,
      headers: adviser(),
      payload: { personId, role: 'director', functionTitle: `Eigenaar, ${fullName}`, startDate: '2020-01-01' },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    // Family data (issue 19): their child (named after them) and a partnership with another
    // person; anonymising deletes both (the partner's card must not keep naming them).
    const child = await app.inject({ method: 'POST', url: `/persons/${personId}/children`, headers: adviser(), payload: { firstName: 'Pien', lastName: person.lastName, birthDate: '1965-02-03' } });
    expect(child.statusCode, child.body).toBe(201);
    const partnerOf = await app.inject({ method: 'POST', url: '/persons', headers: adviser(), payload: uniquePerson({ birthDate: '1931-05-05' }) });
    expect(partnerOf.statusCode, partnerOf.body).toBe(201);
    const partnership = await app.inject({ method: 'POST', url: `/persons/${personId}/partnerships`, headers: adviser(), payload: { partnerId: partnerOf.json().id, kind: 'marriage', startDate: '1960-01-01' } });
    expect(partnership.statusCode, partnership.body).toBe(201);

    // The client's portal: a session from the activation link, their payslip (named after them,
    // their name in its bytes) uploaded and rejected with a reason that names them.
    const [activationMail] = await sql<{ body_text: string }>(`select body_text from mails where dossier_id = ? and template = 'portal-activation'`, [dossierId]);
    const link = /\/portal\/activate\/([A-Za-z0-9_-]+)/.exec(activationMail!.body_text)![1]!;
    const session = await app.inject({ method: 'POST', url: '/portal/sessions', payload: { token: link } });
    expect(session.statusCode, session.body).toBe(201);
    const portal = bearer(session.json().token);
    const payslip = Buffer.alloc(4096, 0x20);
    Buffer.from(`%PDF-1.7\n% Loonstrook november voor ${fullName}\n`, 'utf8').copy(payslip);
    const tus = { ...portal, 'tus-resumable': '1.0.0' };
    const created = await app.inject({
      method: 'POST',
      url: '/uploads',
      headers: { ...tus, 'upload-length': String(payslip.length), 'upload-metadata': `filename ${Buffer.from(`loonstrook ${fullName}.pdf`).toString('base64')}` },
    });
    expect(created.statusCode, created.body).toBe(201);
    const patched = await app.inject({ method: 'PATCH', url: created.headers.location as string, headers: { ...tus, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: payslip });
    expect(patched.statusCode, patched.body).toBe(204);
    const own = (await app.inject({ method: 'GET', url: '/portal/checklist', headers: portal })).json();
    const line = (own.lines as { id: string; code: string }[]).find((l) => l.code === 'salarisstrook')!;
    const uploadId = (created.headers.location as string).split('/').pop();
    expect((await app.inject({ method: 'POST', url: `/portal/checklist/lines/${line.id}/files`, headers: portal, payload: { uploadId } })).statusCode).toBe(200);
    const rejected = await app.inject({
      method: 'POST',
      url: `/dossiers/${dossierId}/checklist/lines/${line.id}/reject`,
      headers: adviser(),
      payload: { reason: `Dit is de loonstrook van iemand anders, niet van ${fullName} (${person.email})` },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);

    // Files on their CRM card (bestanden): a copy of their passport named after them (their name
    // in its bytes too), one left on the card and one moved to their dossier.
    const adviserTus = { ...adviser(), 'tus-resumable': '1.0.0' };
    for (const [i, place] of [null, dossierId].entries()) {
      const passport = Buffer.alloc(2048, 0x20);
      Buffer.from(`%PDF-1.7\n% Paspoort ${fullName} ${person.birthDate}\n`, 'utf8').copy(passport);
      const made = await app.inject({
        method: 'POST',
        url: '/uploads',
        headers: { ...adviserTus, 'upload-length': String(passport.length), 'upload-metadata': `filename ${Buffer.from(`paspoort ${i} ${fullName}.pdf`).toString('base64')}` },
      });
      expect(made.statusCode, made.body).toBe(201);
      const sent = await app.inject({ method: 'PATCH', url: made.headers.location as string, headers: { ...adviserTus, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: passport });
      expect(sent.statusCode, sent.body).toBe(204);
      const file = await app.inject({ method: 'POST', url: `/persons/${personId}/files`, headers: adviser(), payload: { uploadId: (made.headers.location as string).split('/').pop() } });
      expect(file.statusCode, file.body).toBe(201);
      if (place) expect((await app.inject({ method: 'POST', url: `/persons/${personId}/files/${file.json().id}/move`, headers: adviser(), payload: { dossierId: place } })).statusCode).toBe(200);
    }

    // Inbound mail: one they sent (linked by their address, with an attachment named after them),
    // and one from their employer about them, linked to them by hand.
    const fromThem = await new MailComposer({
      from: { name: fullName, address: person.email },
      to: 'info@kantoor.example',
      subject: `Loonstrook van ${fullName}`,
      messageId: `<loon-${tag}@example.nl>`,
      text: `Groet, ${fullName}, ${person.phone}`,
      html: `<p>Groet, ${fullName}</p>`,
      attachments: [{ filename: `loonstrook ${fullName}.pdf`, content: Buffer.from(`%PDF-1.4 ${fullName} ${IBAN}`), contentType: 'application/pdf' }],
    })
      .compile()
      .build();
    const linkedByAddress = await storeInboundMessage(orm.em.fork(), office.officeId, fromThem);
    expect(linkedByAddress.linkedPersonIds).toEqual([personId]);
    const aboutThem = await new MailComposer({
      from: `werkgever-${tag}@werk.example`,
      to: 'info@kantoor.example',
      subject: `Werkgeversverklaring ${person.lastName}`,
      messageId: `<wgv-${tag}@werk.example>`,
      text: `${fullName} woont op ${person.address.street}`,
    })
      .compile()
      .build();
    const unmatched = await storeInboundMessage(orm.em.fork(), office.officeId, aboutThem);
    expect(unmatched.linkedPersonIds).toEqual([]);
    const handLink = await app.inject({ method: 'POST', url: `/inbound-mails/${unmatched.id}/links`, headers: adviser(), payload: { personId, dossierId } });
    expect(handLink.statusCode, handLink.body).toBe(200);

    // The fixture holds their data where we expect it (the scan below must mean something).
    const before = await scanDatabase();
    for (const where of ['person_field_history.old_value', 'person_field_history.new_value', 'persons.last_name', 'crm_notes.text', 'crm_signals.title', 'risk_class_history.motivation', 'mails.to_address', 'mails.body_text', 'step_payloads.data', 'contact_moments.summary', 'checklist_item_files.filename', 'checklist_item_files.rejection_reason', 'person_files.filename', 'uploads.filename', 'upload_chunks.data', 'hdn_messages.raw_xml', 'contracts.debtor_iban', 'sepa_exports.xml', 'appointments.notes', 'appointments.location', 'mails.attachments', 'organisations.name', 'organisations.email', 'organisations.street', 'crm_organisation_contacts.function_title', 'crm_children.last_name', 'inbound_mails.from_address', 'inbound_mails.from_name', 'inbound_mails.subject', 'inbound_mails.body_text', 'inbound_mails.body_html', 'inbound_mail_attachments.filename', 'inbound_mail_attachments.content']) {
      expect(before.some((h) => h.startsWith(`${where} `)), `${where} in ${before.join(', ')}`).toBe(true);
    }
  });

  it('is for admins only', async () => {
    const res = await app.inject({ method: 'POST', url: `/persons/${personId}/anonymise`, headers: adviser() });
    expect(res.statusCode).toBe(403);
    expect(String(res.headers['content-type'])).toMatch(/problem\+json/);
  });

  it('leaves no trace of them in any column of any table', async () => {
    const res = await app.inject({ method: 'POST', url: `/persons/${personId}/anonymise`, headers: admin() });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json();
    expect(result).toMatchObject({ personId, alreadyAnonymised: false });
    expect(result.changes).toMatchObject({ inbound_mails: 2, persons: 1, person_field_history: 5, organisations: 1, crm_organisation_contacts: 1, crm_children: 1, crm_partnerships: 1, mails: expect.any(Number), hdn_messages: expect.any(Number), contracts: expect.any(Number), sepa_exports: 1 });

    expect(await scanDatabase()).toEqual([]);
    // Their portal sessions ended with it (and the links are gone).
    expect(await sql('select id from portal_sessions where person_id = ?', [personId])).toEqual([]);
    expect(result.changes).toMatchObject({ portal_sessions: 1, checklist_item_files: expect.any(Number) });
    // Their card's files went entirely: the rows (with their history) and the uploads holding the bytes.
    expect(result.changes).toMatchObject({ person_files: 2 });
    expect(await sql('select id from person_files where person_id = ?', [personId])).toEqual([]);

    const card = await app.inject({ method: 'GET', url: `/persons/${personId}`, headers: adviser() });
    expect(card.json()).toMatchObject({ firstName: 'Geanonimiseerd', lastName: 'Geanonimiseerd', birthDate: null, email: null, phone: null, address: null });
    // The dossier and its products stay.
    const dossier = await app.inject({ method: 'GET', url: `/dossiers/${dossierId}`, headers: adviser() });
    expect(dossier.statusCode).toBe(200);
    expect((dossier.json().products as { id: string }[]).map((p) => p.id).sort()).toEqual([serviceId, mortgageId].sort());
    // Only the invoice PDF (kept for the tax authority) is left of the dossier's documents.
    const docs = await sql<{ id: string; kept: boolean }>(
      `select d.id, exists (select 1 from invoices i where i.pdf_document_id = d.id) as kept from documents d where d.dossier_id = ?`,
      [dossierId],
    );
    expect(docs.length).toBeGreaterThanOrEqual(1);
    expect(docs.every((d) => d.kept)).toBe(true);
    // The contract stays, without IBAN, and is never collected again.
    const [contract] = await sql<{ debtor_iban: string | null; debtor_name: string | null; payment_method: string; mandate_flagged_reason: string | null }>(
      'select debtor_iban, debtor_name, payment_method, mandate_flagged_reason from contracts where id = ?',
      [contractId],
    );
    expect(contract).toMatchObject({ debtor_iban: null, debtor_name: null, payment_method: 'transfer', mandate_flagged_reason: expect.stringMatching(/AVG/) });
    // The AX is still a valid HDN message, with the applicant anonymised.
    const ax = await app.inject({ method: 'GET', url: `/products/${mortgageId}/hdn-messages?includeXml=true`, headers: adviser() });
    expect(ax.statusCode).toBe(200);
    expect(ax.body).toContain('Geanonimiseerd');
  });

  it('is idempotent and audited without personal values', async () => {
    const first = (await app.inject({ method: 'GET', url: `/privacy/audit?personId=${personId}`, headers: admin() })).json();
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ action: 'anonymise', actor: office.credentialIds.admin, personId });
    const again = await app.inject({ method: 'POST', url: `/persons/${personId}/anonymise`, headers: admin() });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyAnonymised: true, auditId: first.items[0].id });
    const after = (await app.inject({ method: 'GET', url: `/privacy/audit?personId=${personId}`, headers: admin() })).json();
    expect(after.items).toHaveLength(1);
    const audit = JSON.stringify(after);
    for (const n of needles) expect(audit).not.toContain(n);
  });

  it('a person with a dossier full of data cannot be deleted: 409 with what is linked', async () => {
    const res = await app.inject({ method: 'DELETE', url: `/persons/${personId}`, headers: admin() });
    expect(res.statusCode).toBe(409);
    expect(String(res.headers['content-type'])).toMatch(/problem\+json/);
    const body = res.json();
    expect(body.linked).toMatchObject({ products: 2, invoices: expect.any(Number), contracts: 1 });
    expect(body.dossiers).toEqual([dossierId]);
    expect((await sql('select id from persons where id = ?', [personId])).length).toBe(1);
  });
});

describe('delete a person', () => {
  async function dossierWith(...applicants: Record<string, unknown>[]) {
    const res = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: applicants.map((p) => ({ person: p })) } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; applicants: { position: number; person: { id: string } }[] };
  }

  it('is for admins only', async () => {
    const d = await dossierWith(uniquePerson());
    const res = await app.inject({ method: 'DELETE', url: `/persons/${d.applicants[0]!.person.id}`, headers: adviser() });
    expect(res.statusCode).toBe(403);
  });

  it('404 for an unknown person', async () => {
    const res = await app.inject({ method: 'DELETE', url: `/persons/${newId()}`, headers: admin() });
    expect(res.statusCode).toBe(404);
  });

  it('leaves a shared dossier in place with the other applicant as applicant 1', async () => {
    const d = await dossierWith(uniquePerson(), uniquePerson({ firstName: 'Bram', birthDate: '1985-02-03' }));
    const first = d.applicants.find((a) => a.position === 1)!.person.id;
    const second = d.applicants.find((a) => a.position === 2)!.person.id;
    const res = await app.inject({ method: 'DELETE', url: `/persons/${first}`, headers: admin() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ personId: first, dossiersLeft: [d.id] });
    const dossier = (await app.inject({ method: 'GET', url: `/dossiers/${d.id}`, headers: adviser() })).json();
    expect(dossier.applicants).toEqual([expect.objectContaining({ position: 1, person: expect.objectContaining({ id: second }) })]);
    expect(dossier.history.map((h: { kind: string }) => h.kind)).toContain('applicant-removed');
    expect((await app.inject({ method: 'GET', url: `/persons/${first}`, headers: adviser() })).statusCode).toBe(404);
    const audit = (await app.inject({ method: 'GET', url: `/privacy/audit?personId=${first}`, headers: admin() })).json();
    expect(audit.items[0]).toMatchObject({ action: 'delete', changes: { persons: 1, dossier_applicants: 1 } });
  });

  it('leaves an empty dossier of a sole applicant in place without anyone', async () => {
    const d = await dossierWith(uniquePerson());
    const res = await app.inject({ method: 'DELETE', url: `/persons/${d.applicants[0]!.person.id}`, headers: admin() });
    expect(res.statusCode, res.body).toBe(200);
    const dossier = (await app.inject({ method: 'GET', url: `/dossiers/${d.id}`, headers: adviser() })).json();
    expect(dossier.applicants).toEqual([]);
  });

  it('refuses a sole applicant whose dossier has a product, and changes nothing', async () => {
    const d = await dossierWith(uniquePerson());
    const product = await app.inject({ method: 'POST', url: `/dossiers/${d.id}/products`, headers: adviser(), payload: { type: 'service', parts: [{ description: 'Advies' }] } });
    expect(product.statusCode).toBe(201);
    const res = await app.inject({ method: 'DELETE', url: `/persons/${d.applicants[0]!.person.id}`, headers: admin() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ linked: { products: 1 }, dossiers: [d.id] });
    const dossier = (await app.inject({ method: 'GET', url: `/dossiers/${d.id}`, headers: adviser() })).json();
    expect(dossier.applicants).toHaveLength(1);
  });
});
