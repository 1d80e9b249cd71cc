/**
 * Inbound mail (issue 19 deliverable 5) against a REAL IMAP server: a private dovecot started
 * here (simulators/imap/dovecot.ts), mails put in by IMAP APPEND, the office's poller workflow
 * `mailbox:<officeId>` on the real Temporal dev server with a worker started in this file, and
 * PostgreSQL. The acceptance: a mail from a client's address appears on their card ONCE, even
 * when the mailbox is read twice and after the worker is killed between storing the mail and
 * moving the UID cursor.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { workflowsPath } from '../../activities/worker.js';
import { buildApp } from '../../api/app.js';
import { newId } from '../../db/ids.js';
import type { MikroORM } from '../../db/orm.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { imapAccountFromUrl, type ImapAccount } from '../../integrations/imap/account.js';
import type { Mailer } from '../../integrations/mail/transport.js';
import { temporalHealthCheck } from '../../integrations/temporal/health.js';
import { pollMailbox, type PollMailboxDeps } from '../../services/mailbox/poll.js';
import { ensureMailboxPoller } from '../../services/mailbox/poller.js';
import { startDovecot, type Dovecot } from '../../simulators/imap/dovecot.js';
import type { mailboxWorkflow } from '../../workflows/index.js';
import { mailboxPollNowSignal, mailboxStateQuery } from '../../workflows/mailbox/mailbox.messages.js';
import { bearer, createTestOffice, openOrm, uniquePerson, type TestOffice } from './support.js';

const tag = newId().slice(0, 8);
const imapUser = { user: `kantoor-${tag}`, password: `geheim-${tag}` };
const unknownSender = `onbekend.${tag}@elders.example`;

let orm: MikroORM;
let app: FastifyInstance;
let office: TestOffice;
let otherOffice: TestOffice;
let dovecot: Dovecot;
let account: ImapAccount;
let dir: string;
let connection: Connection;
let nativeConnection: NativeConnection;
let bundle: WorkflowBundleWithSourceMap;
let client: Client;
const taskQueue = `mailbox-test-${tag}`;
const quiet = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, log: () => {} };

/** Mailing is not what these activities do: any send fails loudly. */
const noMailer: Mailer = { send: () => Promise.reject(new Error('no mail is sent in the mailbox test')) } as unknown as Mailer;

let client1: { personId: string; email: string; dossierId: string };
let otherOfficePersonId: string;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  orm = await openOrm();
  [office, otherOffice] = await Promise.all([createTestOffice(orm, 'Mailkantoor'), createTestOffice(orm, 'Anderkantoor')]);
  dir = mkdtempSync(path.join(tmpdir(), 'dossierflow-imap-'));
  chmodSync(dir, 0o755);
  dovecot = await startDovecot({ dir, users: [imapUser] });
  account = imapAccountFromUrl(dovecot.urlOf(imapUser));

  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set (the vitest global setup provides it)');
  connection = await Connection.connect({ address });
  nativeConnection = await NativeConnection.connect({ address });
  client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  app = buildApp({ orm, temporal: { client, taskQueue, checkHealth: temporalHealthCheck(connection) } });
  await app.ready();
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });

  // The client, with a dossier; a person of ANOTHER office with the same address (never linked).
  const person = uniquePerson();
  const dossier = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(office.tokens.adviser), payload: { applicants: [{ person }] } });
  expect(dossier.statusCode, dossier.body).toBe(201);
  client1 = { personId: dossier.json().applicants[0].person.id, email: person.email, dossierId: dossier.json().id };
  const other = await app.inject({ method: 'POST', url: '/dossiers', headers: bearer(otherOffice.tokens.adviser), payload: { applicants: [{ person: { ...uniquePerson(), email: person.email.toUpperCase() } }] } });
  expect(other.statusCode, other.body).toBe(201);
  otherOfficePersonId = other.json().applicants[0].person.id;
}, 180_000);

afterAll(async () => {
  // Each step runs even when an earlier one fails (a dovecot must never outlive the test).
  for (const step of [() => dovecot?.stop(), () => app?.close(), () => connection?.close(), () => nativeConnection?.close(), () => orm?.close(true)]) {
    await Promise.resolve()
      .then(step)
      .catch((err: unknown) => console.error('mailbox test teardown:', err));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const adviser = () => bearer(office.tokens.adviser);

/** Puts a message into the office's mailbox the way a mail server does: IMAP APPEND. */
async function append(raw: Buffer | string): Promise<void> {
  const imap = new ImapFlow({ host: account.host, port: account.port, secure: false, auth: { user: account.user, pass: account.password }, logger: false });
  await imap.connect();
  try {
    await imap.append(account.mailbox, raw);
  } finally {
    await imap.logout();
  }
}

/** A realistic client mail: multipart/alternative body, an attachment, an encoded-word subject. */
const attachmentBytes = Buffer.from(`%PDF-1.4\n% loonstrook ${tag}\n${'x'.repeat(2000)}\n`);
async function clientMail(messageId: string, subject: string): Promise<Buffer> {
  return new MailComposer({
    from: { name: 'Anna Jansen', address: client1.email.toUpperCase() },
    to: 'info@kantoor.example',
    subject,
    messageId,
    date: new Date('2026-12-01T09:30:00Z'),
    text: `Beste adviseur,\n\nHierbij mijn loonstrook.\n\nGroet, Anna ${tag}`,
    html: `<p>Beste adviseur,</p><p>Hierbij mijn <b>loonstrook</b>.</p>`,
    attachments: [{ filename: `loonstrook-november-${tag}.pdf`, content: attachmentBytes, contentType: 'application/pdf' }],
  })
    .compile()
    .build();
}

/** An unknown sender's mail in raw RFC 5322 text, without a Message-ID (a synthetic id is made). */
const unknownMail = [
  `From: Iemand Anders <${unknownSender}>`,
  'To: info@kantoor.example',
  `Subject: Vraag over een hypotheek ${tag}`,
  'Date: Tue, 01 Dec 2026 10:00:00 +0100',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Kunt u mij bellen?',
  '',
].join('\r\n');

async function card(personId = client1.personId, headers = adviser()) {
  const res = await app.inject({ method: 'GET', url: `/persons/${personId}/inbound-mails`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { id: string; subject: string; messageId: string; fromAddress: string; attachments: { id: string; url: string; filename: string; sizeBytes: number }[]; links: { kind: string; personId: string }[] }[];
}

async function inbox(headers = adviser()) {
  const res = await app.inject({ method: 'GET', url: '/inbound-mails/unmatched', headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { id: string; subject: string; fromAddress: string; messageId: string }[];
}

async function startWorker(afterStore?: PollMailboxDeps['afterStore']): Promise<{ worker: Worker; running: Promise<void> }> {
  const activities = createActivities({
    orm,
    mailer: noMailer,
    settings: { publicUrl: 'http://localhost:3000', mailFrom: 'noreply@dossierflow.local' },
    mailbox: { accounts: new Map([[office.officeId, account]]), ...(afterStore ? { afterStore } : {}) },
  });
  const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: bundle, activities, shutdownGraceTime: '1 second', shutdownForceTime: '10 seconds' });
  return { worker, running: worker.run() };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const storedCount = async (messageId: string): Promise<number> =>
  Number((await orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from inbound_mails where office_id = ? and message_id = ?', [office.officeId, messageId]))[0]?.n);

describe('inbound mail from a real IMAP server', () => {
  let handle: WorkflowHandle<typeof mailboxWorkflow>;
  const firstId = `eerste-${tag}@Client.Example`;
  const subject = `Loonstrook € ${tag} – graag bevestigen`;

  it('polls twice through the workflow: the client mail is on their card once, the unknown one in the inbox', async () => {
    await append(await clientMail(`<${firstId}>`, subject));
    await append(unknownMail);
    const { worker, running } = await startWorker();
    try {
      await ensureMailboxPoller({ client, taskQueue, checkHealth: async () => undefined }, { officeId: office.officeId, intervalSeconds: 3600 });
      handle = client.workflow.getHandle(workflowIds.mailbox(office.officeId));
      await until('the first poll', async () => (await handle.query(mailboxStateQuery)).polls >= 1);
      await handle.signal(mailboxPollNowSignal);
      const state = await until('the second poll', async () => {
        const s = await handle.query(mailboxStateQuery);
        return s.polls >= 2 && s;
      });
      expect(state).toMatchObject({ polls: 2, failedPolls: 0, stored: 2 });
      expect(state.lastPoll).toMatchObject({ fetched: 0, stored: 0 });
    } finally {
      worker.shutdown();
      await running;
    }

    const mails = await card();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ subject, messageId: firstId.replace('Client.Example', 'client.example'), fromAddress: expect.stringMatching(new RegExp(`^${client1.email.replace(/[.]/g, '\\.')}$`, 'i')), links: [{ kind: 'address', personId: client1.personId }] });
    // The text part of the multipart/alternative is the mail's text; the HTML is kept too.
    const detail = await app.inject({ method: 'GET', url: `/inbound-mails/${mails[0]!.id}`, headers: adviser() });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({ text: expect.stringContaining(`Groet, Anna ${tag}`), hasHtml: true });
    // The attachment, byte for byte.
    const [att] = mails[0]!.attachments;
    expect(att).toMatchObject({ filename: `loonstrook-november-${tag}.pdf`, sizeBytes: attachmentBytes.length });
    const dl = await app.inject({ method: 'GET', url: att!.url, headers: adviser() });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(String(dl.headers['content-disposition'])).toContain(`loonstrook-november-${tag}.pdf`);
    expect(dl.rawPayload.equals(attachmentBytes)).toBe(true);

    // On the dossier of the client too.
    const onDossier = await app.inject({ method: 'GET', url: `/dossiers/${client1.dossierId}/inbound-mails`, headers: adviser() });
    expect(onDossier.json().items.map((m: { id: string }) => m.id)).toEqual([mails[0]!.id]);

    // The unknown sender's mail waits in the inbox, with a synthetic id.
    const waiting = (await inbox()).filter((m) => m.fromAddress === unknownSender);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.messageId).toMatch(/^synthetic:[0-9a-f]{64}$/);
  });

  it('reads the whole mailbox again (cursor lost, UIDVALIDITY changed): nothing is stored twice', async () => {
    const deps: PollMailboxDeps = { em: () => orm.em.fork(), accounts: new Map([[office.officeId, account]]) };
    // As if the server rebuilt the mailbox: the kept UIDVALIDITY no longer matches.
    await orm.em.fork().execute('update mailbox_cursors set uid_validity = uid_validity + 1 where office_id = ?', [office.officeId]);
    const again = await pollMailbox(deps, office.officeId);
    expect(again).toMatchObject({ rescanned: true, fetched: 2, stored: 0, duplicates: 2 });
    expect(await card()).toHaveLength(1);
    expect((await inbox()).filter((m) => m.fromAddress === unknownSender)).toHaveLength(1);
  });

  it('a worker killed after the store and before the cursor moved: the mail is still there once', async () => {
    const secondId = `tweede-${tag}@client.example`;
    await append(await clientMail(`<${secondId}>`, `Tweede mail ${tag}`));
    let storedSeen!: () => void;
    const stored = new Promise<void>((r) => (storedSeen = r));
    // The first worker stops dead right after the mail's transaction committed: the activity never
    // returns and never moves the cursor (what a kill -9 at that moment leaves behind); it ends only
    // when the worker's shutdown cancels it.
    const doomed = await startWorker(async ({ created }) => {
      if (!created) return;
      storedSeen();
      await Context.current().cancelled;
    });
    await handle.signal(mailboxPollNowSignal);
    await stored;
    expect(await storedCount(secondId)).toBe(1);
    const cursorBefore = await orm.em.fork().execute<{ last_uid: string }[]>('select last_uid::text as last_uid from mailbox_cursors where office_id = ?', [office.officeId]);
    doomed.worker.shutdown();
    await doomed.running;

    // The cursor still points before the stored mail: the next worker reads it again.
    expect(Number(cursorBefore[0]!.last_uid)).toBe(2);
    const { worker, running } = await startWorker();
    try {
      const state = await until(
        'the poll retried on the new worker',
        async () => {
          const s = await handle.query(mailboxStateQuery);
          return s.lastPoll !== undefined && s.lastPoll.duplicates >= 1 && s;
        },
        90_000,
      );
      expect(state.lastPoll).toMatchObject({ fetched: 1, stored: 0, duplicates: 1 });
    } finally {
      worker.shutdown();
      await running;
    }
    expect(await storedCount(secondId)).toBe(1);
    const cursorAfter = await orm.em.fork().execute<{ last_uid: string }[]>('select last_uid::text as last_uid from mailbox_cursors where office_id = ?', [office.officeId]);
    expect(Number(cursorAfter[0]!.last_uid)).toBe(3);
    const mails = await card();
    expect(mails.map((m) => m.messageId).sort()).toEqual([firstId.replace('Client.Example', 'client.example'), secondId].sort());
    await handle.terminate('test done');
  }, 120_000);

  it('keeps offices apart: the other office sees none of it, and its person with the same address is not linked', async () => {
    const other = bearer(otherOffice.tokens.adviser);
    expect(await card(otherOfficePersonId, other)).toEqual([]);
    expect(await inbox(other)).toEqual([]);
    const [mail] = await card();
    for (const url of [`/inbound-mails/${mail!.id}`, `/inbound-mails/${mail!.id}/attachments/${mail!.attachments[0]!.id}`, `/persons/${client1.personId}/inbound-mails`, `/dossiers/${client1.dossierId}/inbound-mails`]) {
      const res = await app.inject({ method: 'GET', url, headers: other });
      expect(res.statusCode, url).toBe(404);
      expect(String(res.headers['content-type'])).toMatch(/problem\+json/);
    }
    const link = await app.inject({ method: 'POST', url: `/inbound-mails/${mail!.id}/links`, headers: other, payload: { personId: otherOfficePersonId } });
    expect(link.statusCode).toBe(404);
    // No poller for the other office: "poll now" says so.
    const poll = await app.inject({ method: 'POST', url: '/inbound-mails/poll', headers: other });
    expect(poll.statusCode, poll.body).toBe(404);
    expect(poll.json().type).toMatch(/mailbox-not-configured$/);
  });

  it('links an unmatched mail by hand to a person and their dossier: it leaves the inbox and shows on the card', async () => {
    const [waiting] = (await inbox()).filter((m) => m.fromAddress === unknownSender);
    // A dossier the person is not an applicant of is refused.
    const stranger = await app.inject({ method: 'POST', url: '/dossiers', headers: adviser(), payload: { applicants: [{ person: uniquePerson() }] } });
    const refused = await app.inject({ method: 'POST', url: `/inbound-mails/${waiting!.id}/links`, headers: adviser(), payload: { personId: client1.personId, dossierId: stranger.json().id } });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().type).toMatch(/person-not-in-dossier$/);
    const bad = await app.inject({ method: 'POST', url: `/inbound-mails/${waiting!.id}/links`, headers: adviser(), payload: { personId: 'x y' } });
    expect(bad.statusCode).toBe(400);

    const linked = await app.inject({ method: 'POST', url: `/inbound-mails/${waiting!.id}/links`, headers: adviser(), payload: { personId: client1.personId, dossierId: client1.dossierId } });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().links).toMatchObject([{ personId: client1.personId, dossierId: client1.dossierId, kind: 'hand' }]);
    expect((await inbox()).some((m) => m.id === waiting!.id)).toBe(false);
    expect((await card()).map((m) => m.id)).toContain(waiting!.id);
  });
});
