/**
 * The client's document checklist (*stukkenlijst*) over the API, against the real PostgreSQL, the
 * real upload engine (tus) and the SMTP peer of the global setup: the adviser reads the lines,
 * attaches an upload, approves, rejects with a reason (the mail reaches the SMTP peer, once),
 * downloads the file; the client opens a portal session with the activation link's token, reads
 * only their own checklist and attaches their own upload; another client's line is 403; an
 * expired session is 401; an adviser cannot attach another office's (or credential's) upload; a
 * payslip line is sent on as DX to the matching DA line with the same bytes (Temporal stubbed: the
 * update's arguments and the stored document are what is checked).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { MikroORM } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { createMailer } from '../../integrations/mail/transport.js';
import { hashToken } from '../../services/access/tokens.js';
import { storeInbound, upsertDocumentLines } from '../../services/hdn/store.js';
import { insertActivationOnce } from '../../services/portal/store.js';
import { createChecklist } from '../../services/work/checklists.js';
import { bearer, createTestOffice, ensureShippedProcesses, openOrm, temporalStub, uniquePerson, type TestOffice } from './support.js';

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let otherOffice: TestOffice;
const mailer = createMailer(process.env.SMTP_URL ?? 'smtp://127.0.0.1:2525');
const mailUi = process.env.MAIL_UI_URL ?? 'http://127.0.0.1:8025';
const updates: { args: unknown[]; updateId: string }[] = [];

/** The Temporal stub, with a product workflow that accepts the DX update (records what it was given). */
function temporalWithDx() {
  const stub = temporalStub();
  const workflow = (stub.client as unknown as { workflow: Record<string, unknown> }).workflow;
  workflow.getHandle = () => ({
    executeUpdate: async (_def: unknown, opts: { args: [{ lineId: string }]; updateId: string }) => {
      updates.push(opts);
      return { messageId: newId(), lineId: opts.args[0].lineId, attempt: 1, documentKind: '901' };
    },
  });
  return stub;
}

beforeAll(async () => {
  orm = await openOrm();
  await ensureShippedProcesses(orm);
  office = await createTestOffice(orm, 'Stukkenkantoor');
  otherOffice = await createTestOffice(orm, 'Anderkantoor');
  app = buildApp({ orm, temporal: temporalWithDx(), mail: { mailer, mailFrom: 'dossierflow <noreply@dossierflow.local>' } });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  mailer.close();
  await orm?.close(true);
});

const adviser = () => bearer(office.tokens.adviser);

interface Client {
  dossierId: string;
  productId: string;
  personId: string;
  email: string;
  link: string;
  token: string;
}

/** A dossier with a service product, the loondienst checklist, an activation link and a portal session. */
async function newClient(): Promise<Client> {
  const person = uniquePerson();
  const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person }] } });
  expect(dossier.statusCode, dossier.body).toBe(201);
  const dossierId = dossier.json().id as string;
  const personId = dossier.json().applicants[0].person.id as string;
  const product = await app.inject({ method: 'POST', url: `/dossiers/${dossierId}/products`, headers: adviser(), payload: { type: 'service', parts: [{ description: 'Hypotheekadvies' }] } });
  expect(product.statusCode, product.body).toBe(201);
  const productId = product.json().id as string;
  await createChecklist(orm.em.fork(), { key: `checklist-${productId}`, dossierId, productId, profile: 'loondienst' }, new Date());
  const link = randomUUID().replace(/-/g, '');
  await insertActivationOnce(orm.em.fork(), { key: `link-${link}`, dossierId, personId, tokenHash: hashToken(link), expiresAt: new Date(Date.now() + 14 * 86_400_000), createdAt: new Date() });
  const session = await app.inject({ method: 'POST', url: '/portal/sessions', payload: { token: link } });
  expect(session.statusCode, session.body).toBe(201);
  return { dossierId, productId, personId, email: person.email, link, token: session.json().token };
}

/** A PDF (real header, padding) or a JPEG of `size` bytes. */
function fileOf(kind: 'pdf' | 'jpeg', size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  if (kind === 'pdf') Buffer.from('%PDF-1.7\n', 'latin1').copy(bytes);
  else Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(bytes);
  return bytes;
}

/** A completed tus upload with this token; its id. */
async function upload(token: string, bytes: Buffer, filename: string): Promise<string> {
  const tus = { ...bearer(token), 'tus-resumable': '1.0.0' };
  const created = await app.inject({
    method: 'POST',
    url: '/uploads',
    headers: { ...tus, 'upload-length': String(bytes.length), 'upload-metadata': `filename ${Buffer.from(filename).toString('base64')}` },
  });
  expect(created.statusCode, created.body).toBe(201);
  const location = created.headers.location as string;
  const patched = await app.inject({ method: 'PATCH', url: location, headers: { ...tus, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: bytes });
  expect(patched.statusCode, patched.body).toBe(204);
  return location.split('/').pop()!;
}

async function lines(c: Client) {
  const res = await app.inject({ method: 'GET', url: `/dossiers/${c.dossierId}/checklist`, headers: adviser() });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().lines as { id: string; code: string; status: string; file: { filename: string; uploadedBy: string } | null; rejectionReason: string | null; reviewedBy: string | null; history: unknown[]; lenderLines: { lineId: string }[] }[];
}
const lineOf = async (c: Client, code: string) => (await lines(c)).find((l) => l.code === code)!;

async function mailsTo(address: string): Promise<{ subject: string; text?: string; parsed?: { text?: string } }[]> {
  const res = await fetch(`${mailUi}/messages`);
  const all = (await res.json()) as { envelopeTo: string[]; to: string[]; subject: string; parsed?: { text?: string } }[];
  return all.filter((m) => [...m.envelopeTo, ...m.to].some((a) => a.toLowerCase() === address.toLowerCase()));
}

describe('the adviser reads and works the checklist', () => {
  it('lists the profile lines as requested, with the validity rule as data', async () => {
    const c = await newClient();
    const all = await lines(c);
    expect(all.map((l) => l.code)).toContain('salarisstrook');
    expect(all.every((l) => l.status === 'requested' && l.file === null)).toBe(true);
    expect(all.find((l) => l.code === 'werkgeversverklaring')).toMatchObject({ validityMonths: 3 });
  });

  it('attaches an upload, approves it; rejects another with a reason: the client is mailed once, with the reason', async () => {
    const c = await newClient();
    const payslip = await lineOf(c, 'salarisstrook');
    const uploadId = await upload(office.tokens.adviser, fileOf('pdf', 200_000), 'loonstrook-november.pdf');
    const attached = await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${payslip.id}/files`, headers: adviser(), payload: { uploadId } });
    expect(attached.statusCode, attached.body).toBe(200);
    expect(attached.json()).toMatchObject({ status: 'uploaded', statusLabel: 'Aangeleverd', file: { filename: 'loonstrook-november.pdf', contentType: 'application/pdf', sizeBytes: 200_000, uploadedBy: 'adviser' } });
    const approved = await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${payslip.id}/approve`, headers: adviser() });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', statusLabel: 'Goedgekeurd', reviewedBy: 'test adviser' });

    // The download: the same bytes, as an attachment with the sniffed type.
    const file = await app.inject({ method: 'GET', url: `/dossiers/${c.dossierId}/checklist/lines/${payslip.id}/file`, headers: adviser() });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain('attachment; filename="loonstrook-november.pdf"');
    expect(file.rawPayload.equals(fileOf('pdf', 200_000))).toBe(true);

    const idLine = await lineOf(c, 'id-document');
    const photo = await upload(office.tokens.adviser, fileOf('jpeg', 50_000), 'paspoort.jpg');
    await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${idLine.id}/files`, headers: adviser(), payload: { uploadId: photo } });
    const reason = 'De foto is onscherp: de pasfoto en het documentnummer zijn niet leesbaar';
    const reject = () => app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${idLine.id}/reject`, headers: adviser(), payload: { reason } });
    const rejected = await reject();
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json().line).toMatchObject({ status: 'rejected', statusLabel: 'Afgekeurd', rejectionReason: reason });
    expect(rejected.json().mailIds).toHaveLength(1);
    expect(rejected.json().mailsSent).toBe(true);
    // Rejecting the same file again mails nobody a second time.
    expect((await reject()).json().mailIds).toEqual(rejected.json().mailIds);
    await expect.poll(async () => (await mailsTo(c.email)).length, { timeout: 10_000 }).toBe(1);
    const [mail] = await mailsTo(c.email);
    expect(mail!.subject).toContain('Kopie geldig identiteitsbewijs');
    expect(mail!.parsed?.text ?? mail!.text).toContain(reason);
    const outbox = await orm.em.fork().execute<{ status: string }[]>('select status from mails where id = ?', [rejected.json().mailIds[0]]);
    expect(outbox[0]!.status).toBe('sent');

    // The client sees the reason in the portal.
    const portal = await app.inject({ method: 'GET', url: '/portal/checklist', headers: bearer(c.token) });
    expect(portal.json().lines.find((l: { id: string }) => l.id === idLine.id)).toMatchObject({ status: 'rejected', rejectionReason: reason });
  });

  it('keeps an expired upload that is attached to a line; one never attached goes with its bytes at the next sweep', async () => {
    const c = await newClient();
    const payslip = await lineOf(c, 'salarisstrook');
    const attachedId = await upload(office.tokens.adviser, fileOf('pdf', 30_000), 'loonstrook-oktober.pdf');
    const attached = await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${payslip.id}/files`, headers: adviser(), payload: { uploadId: attachedId } });
    expect(attached.statusCode, attached.body).toBe(200);
    const strayId = await upload(office.tokens.adviser, fileOf('pdf', 30_000), 'vergeten.pdf');
    await orm.em.fork().execute(`update uploads set expires_at = now() - interval '1 minute' where id in (?, ?)`, [attachedId, strayId]);

    await upload(office.tokens.adviser, fileOf('pdf', 1_000), 'nieuw.pdf'); // creating an upload sweeps
    const left = await orm.em.fork().execute<{ id: string }[]>('select upload_id as id from upload_chunks where upload_id in (?, ?) group by upload_id', [attachedId, strayId]);
    expect(left.map((r) => r.id)).toEqual([attachedId]);
    const file = await app.inject({ method: 'GET', url: `/dossiers/${c.dossierId}/checklist/lines/${payslip.id}/file`, headers: adviser() });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(fileOf('pdf', 30_000))).toBe(true);
  });

  it('shows an approved file past its validity ("niet ouder dan 3 maanden") as expired, and takes a new file then', async () => {
    const c = await newClient();
    const line = await lineOf(c, 'werkgeversverklaring');
    const first = await upload(office.tokens.adviser, fileOf('pdf', 1000), 'wgv-juni.pdf');
    await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${line.id}/files`, headers: adviser(), payload: { uploadId: first } });
    await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${line.id}/approve`, headers: adviser() });
    const second = await upload(office.tokens.adviser, fileOf('pdf', 1200), 'wgv-december.pdf');
    // While approved and valid, a new file is refused.
    const early = await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${line.id}/files`, headers: adviser(), payload: { uploadId: second } });
    expect(early.statusCode).toBe(409);
    await orm.em.fork().execute(`update checklist_item_files set attached_at = now() - interval '4 months' where item_id = ?`, [line.id]);
    expect(await lineOf(c, 'werkgeversverklaring')).toMatchObject({ status: 'expired', statusLabel: 'Verlopen' });
    const portal = (await app.inject({ method: 'GET', url: '/portal/checklist', headers: bearer(c.token) })).json();
    expect(portal.lines.find((l: { id: string }) => l.id === line.id)).toMatchObject({ status: 'expired' });
    const renewed = await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${line.id}/files`, headers: adviser(), payload: { uploadId: second } });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json()).toMatchObject({ status: 'uploaded', file: { filename: 'wgv-december.pdf' } });
    expect((await lineOf(c, 'werkgeversverklaring')).history).toHaveLength(2);
  });

  it('a rejection stands when the SMTP peer is away: answered 200 with mailsSent false, the mail handed to its durable delivery (mail:<id>)', async () => {
    const temporal = temporalStub();
    const down = buildApp({
      orm,
      temporal,
      mail: {
        mailer: {
          send: async () => {
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNECTION' });
          },
          verify: async () => undefined,
          close: () => undefined,
        },
        mailFrom: 'dossierflow <noreply@dossierflow.local>',
      },
    });
    try {
      const c = await newClient();
      const line = await lineOf(c, 'upo');
      const uploadId = await upload(office.tokens.adviser, fileOf('pdf', 800), 'upo.pdf');
      await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${line.id}/files`, headers: adviser(), payload: { uploadId } });
      const res = await down.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${line.id}/reject`, headers: adviser(), payload: { reason: 'Niet van dit jaar' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ mailsSent: false, mailsRetrying: res.json().mailIds, line: { status: 'rejected' } });
      const rows = await orm.em.fork().execute<{ status: string; attempts: number }[]>('select status, attempts from mails where id = ?', [res.json().mailIds[0]]);
      expect(rows[0]).toMatchObject({ status: 'pending', attempts: 1 });
      expect(temporal.started).toEqual([expect.objectContaining({ workflowId: `mail:${res.json().mailIds[0]}`, args: [{ mailId: res.json().mailIds[0] }] })]);
    } finally {
      await down.close();
    }
  });

  it('refuses to approve a line without a file (409) and a line of another dossier (404)', async () => {
    const a = await newClient();
    const b = await newClient();
    const line = await lineOf(a, 'upo');
    expect((await app.inject({ method: 'POST', url: `/dossiers/${a.dossierId}/checklist/lines/${line.id}/approve`, headers: adviser() })).statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: `/dossiers/${b.dossierId}/checklist/lines/${line.id}/approve`, headers: adviser() })).statusCode).toBe(404);
  });

  it("cannot attach another office's upload, nor read that office's checklist", async () => {
    const c = await newClient();
    const line = await lineOf(c, 'upo');
    const foreign = await upload(otherOffice.tokens.adviser, fileOf('pdf', 1000), 'upo.pdf');
    const res = await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${line.id}/files`, headers: adviser(), payload: { uploadId: foreign } });
    expect(res.statusCode, res.body).toBe(404);
    expect((await lineOf(c, 'upo')).status).toBe('requested');
    expect((await app.inject({ method: 'GET', url: `/dossiers/${c.dossierId}/checklist`, headers: bearer(otherOffice.tokens.adviser) })).statusCode).toBe(404);
  });
});

describe('the client in the portal', () => {
  it('reads only their own checklist and attaches their own upload', async () => {
    const c = await newClient();
    const own = await app.inject({ method: 'GET', url: '/portal/checklist', headers: bearer(c.token) });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ dossierId: c.dossierId });
    const payslip = own.json().lines.find((l: { code: string }) => l.code === 'salarisstrook');
    const uploadId = await upload(c.token, fileOf('pdf', 3000), 'salaris.pdf');
    const attached = await app.inject({ method: 'POST', url: `/portal/checklist/lines/${payslip.id}/files`, headers: bearer(c.token), payload: { uploadId } });
    expect(attached.statusCode, attached.body).toBe(200);
    expect(attached.json()).toMatchObject({ status: 'uploaded', file: { uploadedBy: 'client', filename: 'salaris.pdf' } });
    expect((await lineOf(c, 'salarisstrook')).file).toMatchObject({ uploadedBy: 'client' });
  });

  it("a client's portal credential cannot read or touch another client's checklist: 403", async () => {
    const a = await newClient();
    const b = await newClient();
    const bLine = await lineOf(b, 'salarisstrook');
    // The adviser's route for b's dossier: the client role is refused.
    const read = await app.inject({ method: 'GET', url: `/dossiers/${b.dossierId}/checklist`, headers: bearer(a.token) });
    expect(read.statusCode).toBe(403);
    expect(read.headers['content-type']).toMatch(/application\/problem\+json/);
    // A line of b's checklist through the portal with a's session: not theirs.
    const uploadId = await upload(a.token, fileOf('pdf', 2000), 'x.pdf');
    const attach = await app.inject({ method: 'POST', url: `/portal/checklist/lines/${bLine.id}/files`, headers: bearer(a.token), payload: { uploadId } });
    expect(attach.statusCode, attach.body).toBe(403);
    expect((await lineOf(b, 'salarisstrook')).status).toBe('requested');
    // And a's own view holds none of b's lines.
    const own = (await app.inject({ method: 'GET', url: '/portal/checklist', headers: bearer(a.token) })).json();
    expect(own.lines.map((l: { id: string }) => l.id)).not.toContain(bLine.id);
  });

  it("a client cannot attach the adviser's upload (the engine's ownership check)", async () => {
    const c = await newClient();
    const line = (await lineOf(c, 'upo')).id;
    const advisers = await upload(office.tokens.adviser, fileOf('pdf', 2000), 'a.pdf');
    const res = await app.inject({ method: 'POST', url: `/portal/checklist/lines/${line}/files`, headers: bearer(c.token), payload: { uploadId: advisers } });
    expect(res.statusCode).toBe(404);
  });

  it('an expired portal session is 401; the link opens a new one', async () => {
    const c = await newClient();
    await orm.em.fork().execute(`update portal_sessions set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' where token_hash = ?`, [hashToken(c.token)]);
    const res = await app.inject({ method: 'GET', url: '/portal/checklist', headers: bearer(c.token) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    const again = await app.inject({ method: 'POST', url: '/portal/sessions', payload: { token: c.link } });
    expect(again.statusCode).toBe(201);
    const ms = Date.parse(again.json().expiresAt) - Date.now();
    expect(ms).toBeGreaterThan(25 * 60_000);
    expect(ms).toBeLessThanOrEqual(30 * 60_000);
    expect((await app.inject({ method: 'GET', url: '/portal/checklist', headers: bearer(again.json().token) })).statusCode).toBe(200);
  });

  it('an unknown or expired link opens no session (404) and the activation page says so', async () => {
    expect((await app.inject({ method: 'POST', url: '/portal/sessions', payload: { token: 'abcdefghijklmnopqrstuvwxyz' } })).statusCode).toBe(404);
    const c = await newClient();
    const page = await app.inject({ method: 'GET', url: `/portal/activate/${c.link}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<meta http-equiv="refresh" content="0; url=/ui/portal#${c.link}">`);
    expect(page.body).toContain(`<a href="/ui/portal#${c.link}">`);
    await orm.em.fork().execute(`update portal_activations set created_at = now() - interval '20 days', expires_at = now() - interval '1 day' where token_hash = ?`, [hashToken(c.link)]);
    expect((await app.inject({ method: 'POST', url: '/portal/sessions', payload: { token: c.link } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/portal/activate/${c.link}` })).statusCode).toBe(404);
  });
});

describe('sending a checklist file on to the lender as DX', () => {
  it('hands the same file to the DA line of the same document kind', async () => {
    const c = await newClient();
    const da = await storeInbound(orm.em.fork(), {
      id: newId(),
      officeId: office.officeId,
      credentialId: null,
      type: 'DA',
      key: `da-${newId()}`,
      senderNode: 'LENDER1',
      receiverNode: 'DFL001',
      applicationNumber: `A${Date.now()}`,
      applicationVersion: 1,
      statusCode: null,
      summary: 'DA',
      rawXml: '<DA/>',
    });
    await upsertDocumentLines(orm.em.fork(), c.productId, da.row.id, [
      { lineId: '7', documentKind: '901', description: 'Recente salarisstrook', status: '01', fetchedByLender: false },
      { lineId: '8', documentKind: '903', description: 'BKR-toetsing', status: '01', fetchedByLender: true },
    ]);
    const line = await lineOf(c, 'salarisstrook');
    expect(line.lenderLines.map((l) => l.lineId)).toEqual(['7']);
    const bytes = fileOf('pdf', 70_000);
    const uploadId = await upload(office.tokens.adviser, bytes, 'loonstrook.pdf');
    await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${line.id}/files`, headers: adviser(), payload: { uploadId } });
    const sent = await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${line.id}/send-to-lender`, headers: adviser(), payload: {} });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ productId: c.productId, lineId: '7', filename: 'loonstrook.pdf', sizeBytes: 70_000 });
    const documentId = sent.json().documentId as string;
    expect(updates.at(-1)).toMatchObject({ updateId: `dx:${documentId}`, args: [{ documentId, lineId: '7' }] });
    const stored = await orm.em.fork().execute<{ content: Buffer; document_type: string }[]>('select content, document_type from documents where id = ?', [documentId]);
    expect(stored[0]!.document_type).toBe('hdn-901');
    expect(Buffer.from(stored[0]!.content).equals(bytes)).toBe(true);

    // A line no DA line asks for: a conflict naming that.
    const upo = await lineOf(c, 'upo');
    const upoUpload = await upload(office.tokens.adviser, fileOf('pdf', 500), 'upo.pdf');
    await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${upo.id}/files`, headers: adviser(), payload: { uploadId: upoUpload } });
    const none = await app.inject({ method: 'POST', url: `/dossiers/${c.dossierId}/checklist/lines/${upo.id}/send-to-lender`, headers: adviser(), payload: {} });
    expect(none.statusCode).toBe(409);
    expect(none.json().type).toContain('no-lender-line');
  });
});
