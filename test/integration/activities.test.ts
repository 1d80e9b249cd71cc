/**
 * The product activities against a real PostgreSQL and a real SMTP peer: every activity is
 * idempotent (same key twice -> one row, one mail), a sent mail is never re-sent on retry,
 * and missing rows/templates/recipients are non-retryable failures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { PDFDocument } from 'pdf-lib';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../db/orm.js';
import { createMailer, type Mailer } from '../../integrations/mail/transport.js';
import { createActivities } from '../../activities/index.js';
import type { ProductActivities } from '../../activities/products.contract.js';
import { actionKey } from '../../domain/workflow-ids.js';
import { hashToken } from '../../services/access/tokens.js';
import { newId } from '../../db/ids.js';
import { createFixture, startSmtpPeer, testDatabase, type SmtpPeer, type TestDatabase } from './support.js';

let db: TestDatabase;
let smtp: SmtpPeer;
let orm: MikroORM;
let mailer: Mailer;
let acts: ProductActivities;
const publicUrl = 'https://df.example.nl';

beforeAll(async () => {
  db = await testDatabase();
  smtp = await startSmtpPeer();
  orm = await createOrm(db.url);
  mailer = createMailer(smtp.url);
  acts = createActivities({ orm, mailer, settings: { publicUrl, mailFrom: 'Test Advies <noreply@test-advies.nl>' } });
}, 120_000);

afterAll(async () => {
  mailer?.close();
  await orm?.close(true);
  await smtp?.stop();
  await db?.stop();
});

const rows = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> =>
  orm.em.fork().execute<T[]>(sql, params);

const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));

async function expectFailure(p: Promise<unknown>, type: string, nonRetryable = true): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as ApplicationFailure).type).toBe(type);
  expect((err as ApplicationFailure).nonRetryable).toBe(nonRetryable);
}

describe('recordTransition', () => {
  it('records history once and moves product + following parts', async () => {
    const f = await createFixture(orm);
    const input = {
      key: `${f.workflowId}/event:1`, productId: f.productId, seq: 1, at: new Date().toISOString(), actor: 'user-1',
      kind: 'step' as const, stepId: 'choose-checklist', label: 'Stukkenlijst kiezen', fromStatus: 'new', toStatus: 'checklist-chosen', toCategory: 'new' as const,
    };
    await acts.recordTransition(input);
    await acts.recordTransition(input);
    expect(await rows('select * from product_history where product_id = ?', [f.productId])).toHaveLength(1);
    const [product] = await rows<{ status: string; category: string }>('select status, category from products where id = ?', [f.productId]);
    expect(product).toMatchObject({ status: 'checklist-chosen', category: 'new' });
    const parts = await rows<{ number: number; status: string }>('select number, status from product_parts where product_id = ? order by number', [f.productId]);
    expect(parts).toEqual([{ number: 1, status: 'checklist-chosen' }, { number: 2, status: 'fixed' }]);

    // A late retry of an older transition never overwrites a newer status.
    await acts.recordTransition({ ...input, key: `${f.workflowId}/event:2`, seq: 2, fromStatus: 'checklist-chosen', toStatus: 'agreed', toCategory: 'running' });
    await acts.recordTransition({ ...input, key: `${f.workflowId}/event:0`, seq: 0, kind: 'started', toStatus: 'new' });
    const [after] = await rows<{ status: string; category: string }>('select status, category from products where id = ?', [f.productId]);
    expect(after).toMatchObject({ status: 'agreed', category: 'running' });
  });

  it('fails non-retryably for an unknown product', async () => {
    await expectFailure(
      acts.recordTransition({ key: `x/${newId()}`, productId: newId(), seq: 1, at: new Date().toISOString(), actor: 'a', kind: 'step', label: 'l', fromStatus: 'a', toStatus: 'b', toCategory: 'new' }),
      'NotFound',
    );
  });
});

describe('sendTemplatedMail', () => {
  it('mails each applicant once, also when called twice; the retry does not re-send', async () => {
    const f = await createFixture(orm);
    const payloadId = newId();
    await rows(`insert into step_payloads (id, product_id, step_id, data) values (?, ?, 'register-contact', ?::jsonb)`, [
      payloadId, f.productId, JSON.stringify({ summary: 'Wensen besproken: <verhuizen> & "verbouwen".' }),
    ]);
    const key = actionKey(f.workflowId, 3, 1);
    const input = { key, template: 'conversation-report', productId: f.productId, dossierId: f.dossierId, to: 'applicants' as const, payloadId, input: { channel: 'telefoon', sendReport: true } };
    const first = await acts.sendTemplatedMail(input);
    const second = await acts.sendTemplatedMail(input);
    expect(first.mailIds).toHaveLength(2);
    expect(second.mailIds).toEqual(first.mailIds);
    expect(mailsTo(f.emails[0])).toHaveLength(1);
    expect(mailsTo(f.emails[1])).toHaveLength(1);
    const mail = mailsTo(f.emails[0])[0]!;
    expect(mail.parsed.text).toContain('Wensen besproken: <verhuizen> & "verbouwen".');
    expect(mail.parsed.text).toContain('(telefoon)');
    expect(mail.parsed.text).toContain('Beste Anna,');
    expect(mail.parsed.html).toContain('&lt;verhuizen&gt; &amp; &quot;verbouwen&quot;');
    const stored = await rows<{ status: string; attempts: number; message_id: string }>('select status, attempts, message_id from mails where key = ?', [`${key}#${f.personIds[0]}`]);
    expect(stored[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(mail.parsed.messageId).toBe(stored[0]!.message_id);
  });

  it('a row left pending (crash between SMTP accept and the DB update) is sent again with the same Message-ID', async () => {
    const f = await createFixture(orm, { secondEmail: null });
    const input = { key: actionKey(f.workflowId, 7, 0), template: 'task-reminder', productId: f.productId, dossierId: f.dossierId, to: 'applicants' as const };
    await acts.sendTemplatedMail(input);
    await rows("update mails set status = 'pending', sent_at = null where key = ?", [`${input.key}#${f.personIds[0]}`]);
    await acts.sendTemplatedMail(input);
    await acts.sendTemplatedMail(input);
    const got = mailsTo(f.emails[0]);
    expect(got).toHaveLength(2);
    expect(got[1]!.parsed.messageId).toBe(got[0]!.parsed.messageId);
    const [row] = await rows<{ status: string; attempts: number }>('select status, attempts from mails where key = ?', [`${input.key}#${f.personIds[0]}`]);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('firstApplicant mails only applicant 1; no e-mail address is NoRecipient', async () => {
    const f = await createFixture(orm);
    const payloadId = newId();
    await rows(`insert into step_payloads (id, product_id, step_id, data) values (?, ?, 's', ?::jsonb)`, [payloadId, f.productId, JSON.stringify({ summary: 'x' })]);
    const res = await acts.sendTemplatedMail({ key: actionKey(f.workflowId, 1, 0), template: 'conversation-report', productId: f.productId, dossierId: f.dossierId, to: 'firstApplicant', payloadId, input: { channel: 'video' } });
    expect(res.mailIds).toHaveLength(1);
    expect(mailsTo(f.emails[1])).toHaveLength(0);

    const g = await createFixture(orm, { firstEmail: null, secondEmail: null });
    await expectFailure(
      acts.sendTemplatedMail({ key: actionKey(g.workflowId, 1, 0), template: 'conversation-report', productId: g.productId, dossierId: g.dossierId, to: 'applicants' }),
      'NoRecipient',
    );
  });

  it('missing template and missing variable are non-retryable', async () => {
    const f = await createFixture(orm);
    await expectFailure(
      acts.sendTemplatedMail({ key: actionKey(f.workflowId, 1, 0), template: `nope-${newId()}`, productId: f.productId, dossierId: f.dossierId, to: 'applicants' }),
      'TemplateMissing',
    );
    // conversation-report without payload or channel: {{contactMoment.date}} has no value
    await expectFailure(
      acts.sendTemplatedMail({ key: actionKey(f.workflowId, 2, 0), template: 'conversation-report', productId: f.productId, dossierId: f.dossierId, to: 'applicants' }),
      'TemplateInvalid',
    );
  });

  it('a transient SMTP failure is retryable and recorded; a permanent one is not and never retried', async () => {
    const f = await createFixture(orm);
    const tag = f.officeId.slice(0, 8);
    await rows('update persons set email = ? where id = ?', [`defer.${tag}@example.nl`, f.personIds[0]]);
    await rows('update persons set email = ? where id = ?', [`reject.${tag}@example.nl`, f.personIds[1]]);
    const input = { key: actionKey(f.workflowId, 1, 0), template: 'task-reminder', productId: f.productId, dossierId: f.dossierId, to: 'firstApplicant' as const };
    await expectFailure(acts.sendTemplatedMail(input), 'MailUnavailable', false);
    const [deferred] = await rows<{ status: string; attempts: number; last_error: string }>('select status, attempts, last_error from mails where key = ?', [`${input.key}#${f.personIds[0]}`]);
    expect(deferred).toMatchObject({ status: 'pending', attempts: 1 });
    expect(deferred!.last_error).toContain('451');

    const input2 = { ...input, key: actionKey(f.workflowId, 2, 0), to: 'applicants' as const };
    await rows('update persons set email = ? where id = ?', [`ok.${tag}@example.nl`, f.personIds[0]]);
    await expectFailure(acts.sendTemplatedMail(input2), 'MailRejected', true);
    await expectFailure(acts.sendTemplatedMail(input2), 'MailRejected', true);
    const [rejected] = await rows<{ status: string; attempts: number }>('select status, attempts from mails where key = ?', [`${input2.key}#${f.personIds[1]}`]);
    expect(rejected).toMatchObject({ status: 'failed', attempts: 1 });
    expect(mailsTo(`ok.${tag}@example.nl`)).toHaveLength(1);
  });
});

describe('sendPortalActivation', () => {
  it('creates one activation per applicant with a working token link, once', async () => {
    const f = await createFixture(orm, { secondEmail: null });
    const input = { key: actionKey(f.workflowId, 2, 0), template: 'portal-activation', productId: f.productId, dossierId: f.dossierId };
    const a = await acts.sendPortalActivation(input);
    const b = await acts.sendPortalActivation(input);
    expect(a.mailIds).toHaveLength(1);
    expect(b.mailIds).toEqual(a.mailIds);
    const received = mailsTo(f.emails[0]);
    expect(received).toHaveLength(1);
    const match = /\/portal\/activate\/([A-Za-z0-9_-]+)/.exec(received[0]!.parsed.text ?? '');
    expect(received[0]!.parsed.text).toContain(`${publicUrl}/portal/activate/`);
    const activations = await rows<{ token_hash: string; person_id: string; expires_at: Date; created_at: Date }>('select * from portal_activations where dossier_id = ?', [f.dossierId]);
    expect(activations).toHaveLength(1);
    expect(activations[0]!.person_id).toBe(f.personIds[0]);
    expect(activations[0]!.token_hash).toBe(hashToken(match![1]!));
    const days = (new Date(activations[0]!.expires_at).getTime() - new Date(activations[0]!.created_at).getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(14);
  });
});

describe('createTask', () => {
  it('one task per key', async () => {
    const f = await createFixture(orm);
    const input = { key: actionKey(f.workflowId, 4, 2), productId: f.productId, dossierId: f.dossierId, title: 'Opvolging contactmoment', assignee: 'adviser' as const, dueDate: '2026-12-01' };
    const a = await acts.createTask(input);
    const b = await acts.createTask(input);
    expect(b.taskId).toBe(a.taskId);
    const tasks = await rows<{ due_date: string; office_id: string; status: string }>("select to_char(due_date, 'YYYY-MM-DD') as due_date, office_id, status from tasks where dossier_id = ?", [f.dossierId]);
    expect(tasks).toEqual([{ due_date: '2026-12-01', office_id: f.officeId, status: 'open' }]);
  });
});

describe('generateDocument', () => {
  it('renders the service agreement as a valid PDF, stored once', async () => {
    const f = await createFixture(orm);
    const input = { key: actionKey(f.workflowId, 5, 0), template: 'service-agreement', documentType: 'opdracht-tot-dienstverlening', productId: f.productId, dossierId: f.dossierId, actor: 'user-1' };
    const a = await acts.generateDocument(input);
    const b = await acts.generateDocument(input);
    expect(b.documentId).toBe(a.documentId);
    const docs = await rows<{ content: Buffer; size_bytes: number; content_type: string; filename: string }>('select * from documents where dossier_id = ?', [f.dossierId]);
    expect(docs).toHaveLength(1);
    const doc = docs[0]!;
    expect(doc.content_type).toBe('application/pdf');
    expect(doc.size_bytes).toBe(doc.content.length);
    expect(doc.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = await PDFDocument.load(doc.content);
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(pdf.getTitle()).toBe('Opdracht tot dienstverlening');
    expect(pdf.getCreator()).toBe('dossierflow');
    expect(doc.filename).toMatch(/^opdracht-tot-dienstverlening-\d{4}-\d{6}\.pdf$/);
  });
});

describe('setDossierStatus', () => {
  it('changes the status once with one history event', async () => {
    const f = await createFixture(orm);
    const input = { key: actionKey(f.workflowId, 5, 1), dossierId: f.dossierId, productId: f.productId, status: 'client' as const, actor: 'user-1' };
    await acts.setDossierStatus(input);
    await acts.setDossierStatus(input);
    const [d] = await rows<{ status: string }>('select status from dossiers where id = ?', [f.dossierId]);
    expect(d!.status).toBe('client');
    const events = await rows<{ from_status: string; to_status: string; actor: string }>('select from_status, to_status, actor from dossier_events where dossier_id = ?', [f.dossierId]);
    expect(events).toEqual([{ from_status: 'prospect', to_status: 'client', actor: 'user-1' }]);
    await expectFailure(acts.setDossierStatus({ ...input, key: `k/${newId()}`, dossierId: newId() }), 'NotFound');
  });
});

describe('createChecklist', () => {
  it('creates the profile checklist once; unknown profile is non-retryable', async () => {
    const f = await createFixture(orm);
    const input = { key: actionKey(f.workflowId, 1, 0), productId: f.productId, dossierId: f.dossierId, profile: 'loondienst' };
    const a = await acts.createChecklist(input);
    const b = await acts.createChecklist(input);
    expect(b).toEqual(a);
    expect(a.items).toBe(8);
    expect(await rows('select * from checklists where dossier_id = ?', [f.dossierId])).toHaveLength(1);
    await expectFailure(acts.createChecklist({ ...input, key: `k/${newId()}`, profile: 'astronaut' }), 'UnknownChecklistProfile');
  });
});

describe('registerContactMoment', () => {
  it('registers from payload + input once', async () => {
    const f = await createFixture(orm);
    const payloadId = newId();
    await rows(`insert into step_payloads (id, product_id, step_id, data) values (?, ?, 'register-contact', ?::jsonb)`, [payloadId, f.productId, JSON.stringify({ summary: 'Eerste gesprek' })]);
    const input = { key: actionKey(f.workflowId, 3, 0), productId: f.productId, dossierId: f.dossierId, actor: 'user-1', at: '2026-11-20T10:00:00.000Z', payloadId, input: { channel: 'gesprek' } };
    const a = await acts.registerContactMoment(input);
    const b = await acts.registerContactMoment(input);
    expect(b).toEqual(a);
    const moments = await rows<{ channel: string; summary: string }>('select channel, summary from contact_moments where dossier_id = ?', [f.dossierId]);
    expect(moments).toEqual([{ channel: 'gesprek', summary: 'Eerste gesprek' }]);
    await expectFailure(acts.registerContactMoment({ ...input, key: `k/${newId()}`, payloadId: newId() }), 'NotFound');
  });
});
