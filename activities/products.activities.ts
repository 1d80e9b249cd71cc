/**
 * The product workflow's side effects (ProductActivities). Every call is idempotent through
 * a unique `key` column: insert-if-absent, then read back. Personal data is loaded here from
 * PostgreSQL and never returned to the workflow: results are ids and counts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { checklistFor } from '../domain/checklists.js';
import {
  Checklist,
  ChecklistItem,
  ContactMoment,
  Document,
  DossierEvent,
  PortalActivation,
  ProductHistory,
  StepPayload,
  Task,
  Dossier,
  Mail as MailEntity,
  type Mail,
} from '../db/entities/index.js';
import { newId } from '../db/ids.js';
import { hashToken } from '../services/access/tokens.js';
import type { Mailer } from '../integrations/mail/transport.js';
import { renderDocumentPdf } from '../integrations/pdf/render.js';
import {
  ProductActivityFailure,
  type CreateChecklistInput,
  type CreateTaskInput,
  type GenerateDocumentInput,
  type ProductActivities,
  type RecordTransitionInput,
  type RegisterContactMomentInput,
  type SendPortalActivationInput,
  type SendTemplatedMailInput,
  type SetDossierStatusInput,
} from './products.contract.js';
import { deliverMail, enqueueMail } from '../services/work/mail-outbox.js';
import { paragraphsOf, renderTemplate } from '../services/templates/render.js';
import {
  contextData,
  formatDateNl,
  insertIfAbsent,
  loadDossierContext,
  loadTemplate,
  nonRetryable,
  personData,
  renderOrFail,
  type Applicant,
} from './support.js';

export interface ActivityDeps {
  orm: MikroORM;
  mailer: Mailer;
  settings: { publicUrl: string; mailFrom: string };
  /** Clock, for tests. */
  now?: () => Date;
}

export const PORTAL_ACTIVATION_DAYS = 14;

/**
 * Locks the product row for a transaction that records its history (fails non-retryably when it
 * is gone). `for no key update`: it serialises the history writers of one product, yet lets
 * others point rows at the product meanwhile (their foreign-key check takes `for key share`).
 * `for update` would block those, and deadlock with the API moving a lender message of this
 * product (it holds the message row, waits for the product) while recordLenderMessages holds the
 * product and waits for that message row.
 */
export async function lockProduct(tem: EntityManager, productId: string): Promise<void> {
  const product = await tem.execute<{ id: string }[]>('select id from products where id = ? for no key update', [productId]);
  if (product.length === 0) throw nonRetryable(ProductActivityFailure.NotFound, `product ${productId} not found`);
}

/**
 * One history entry, inside a transaction that holds the product lock: inserted once per key;
 * when inserted now, the product (and its parts that follow it) take its status unless a later
 * entry exists already. Shared by recordTransition and the HDN batch (recordLenderMessages).
 */
export async function recordTransitionIn(tem: EntityManager, input: RecordTransitionInput): Promise<void> {
  const inserted = await insertIfAbsent(tem, ProductHistory, {
    id: newId(),
    productId: input.productId,
    key: input.key,
    seq: input.seq,
    at: new Date(input.at),
    actor: input.actor,
    kind: input.kind,
    stepId: input.stepId ?? null,
    label: input.label,
    fromStatus: input.fromStatus,
    toStatus: input.toStatus,
  });
  if (!inserted) return; // recorded before: the status update was committed with it
  if (input.process) {
    await tem.execute('update products set process_key = ?, process_version = ?, updated_at = now() where id = ?', [
      input.process.key,
      input.process.version,
      input.productId,
    ]);
  }
  // Only the newest history entry decides the product's current status.
  await tem.execute(
    `update products set status = ?, category = ?, updated_at = now()
      where id = ? and not exists (select 1 from product_history h where h.product_id = ? and h.seq > ?)`,
    [input.toStatus, input.toCategory, input.productId, input.productId, input.seq],
  );
  await tem.execute(
    `update product_parts set status = ?, category = ?
      where product_id = ? and follows_product
        and not exists (select 1 from product_history h where h.product_id = ? and h.seq > ?)`,
    [input.toStatus, input.toCategory, input.productId, input.productId, input.seq],
  );
}

export function createProductActivities(deps: ActivityDeps): ProductActivities {
  const now = deps.now ?? (() => new Date());
  const fork = (): EntityManager => deps.orm.em.fork();

  async function loadPayload(em: EntityManager, payloadId: string | undefined, productId: string): Promise<StepPayload | null> {
    if (!payloadId) return null;
    const payload = await em.findOne(StepPayload, { id: payloadId });
    if (!payload || payload.productId !== productId) {
      throw nonRetryable(ProductActivityFailure.NotFound, `step payload ${payloadId} not found for product ${productId}`);
    }
    return payload;
  }

  function recipientsOf(applicants: Applicant[], to: 'applicants' | 'firstApplicant', dossierId: string): Applicant[] {
    const chosen = to === 'firstApplicant' ? applicants.filter((a) => a.position === 1) : applicants;
    const withMail = chosen.filter((a) => a.person.email && a.person.email.includes('@'));
    if (withMail.length === 0) {
      throw nonRetryable(ProductActivityFailure.NoRecipient, `dossier ${dossierId}: no ${to === 'firstApplicant' ? 'first applicant' : 'applicant'} with an e-mail address`);
    }
    return withMail;
  }

  async function deliverAll(em: EntityManager, rows: Mail[]): Promise<string[]> {
    for (const row of rows) await deliverMail(em, deps.mailer, row.id, deps.settings.mailFrom);
    return rows.map((r) => r.id);
  }

  return {
    async recordTransition(input: RecordTransitionInput): Promise<void> {
      await fork().transactional(async (tem) => {
        await lockProduct(tem, input.productId);
        await recordTransitionIn(tem, input);
      });
    },

    async sendTemplatedMail(input: SendTemplatedMailInput): Promise<{ mailIds: string[] }> {
      const em = fork();
      const ctx = await loadDossierContext(em, input.dossierId, input.productId);
      const template = await loadTemplate(em, input.template, 'mail');
      const payload = await loadPayload(em, input.payloadId, input.productId);
      const recipients = recipientsOf(ctx.applicants, input.to, input.dossierId);

      // The contact moment registered in the same step (same key up to "/action:"), if any.
      const stepPrefix = input.key.includes('/action:') ? input.key.slice(0, input.key.lastIndexOf('/action:')) : null;
      const moment = stepPrefix
        ? await em.findOne(ContactMoment, { key: { $like: `${stepPrefix.replace(/[\\%_]/g, '\\$&')}/action:%` }, productId: input.productId })
        : null;
      const base = contextData(ctx, now());
      base.input = input.input ?? {};
      base.payload = payload?.data ?? {};
      const channel = moment?.channel ?? input.input?.channel;
      const summary = moment?.summary ?? payload?.data.summary;
      if (channel !== undefined || summary !== undefined) {
        base.contactMoment = {
          channel,
          date: formatDateNl(moment?.at ?? payload?.createdAt ?? now()),
          summary,
        };
      }

      const rows: Mail[] = [];
      for (const recipient of recipients) {
        const key = `${input.key}#${recipient.person.id}`;
        const data = { ...base, recipient: personData(recipient.person) };
        const subject = renderOrFail(() => renderTemplate(template.subject ?? '', data, { context: 'text', name: template.key }));
        const bodyText = renderOrFail(() => renderTemplate(template.body, data, { context: 'text', name: template.key }));
        rows.push(
          await enqueueMail(
            em,
            { key, dossierId: input.dossierId, productId: input.productId, template: template.key, toAddress: recipient.person.email ?? '', subject, bodyText },
            deps.settings.mailFrom,
          ),
        );
      }
      return { mailIds: await deliverAll(em, rows) };
    },

    async sendPortalActivation(input: SendPortalActivationInput): Promise<{ mailIds: string[] }> {
      const em = fork();
      const ctx = await loadDossierContext(em, input.dossierId, input.productId);
      const template = await loadTemplate(em, input.template, 'mail');
      const recipients = recipientsOf(ctx.applicants, 'applicants', input.dossierId);
      const base = contextData(ctx, now());
      const publicUrl = deps.settings.publicUrl.replace(/\/+$/, '');

      const rows: Mail[] = [];
      for (const recipient of recipients) {
        const key = `${input.key}#${recipient.person.id}`;
        // The activation row and its mail are written in one transaction: the plain token
        // exists only in the mail body (the outbox), so a retry re-sends the same link.
        const row = await em.transactional(async (tem) => {
          const token = randomBytes(32).toString('base64url');
          const createdAt = now();
          const expiresAt = new Date(createdAt.getTime() + PORTAL_ACTIVATION_DAYS * 86_400_000);
          const inserted = await insertIfAbsent(tem, PortalActivation, {
            id: newId(),
            key,
            dossierId: input.dossierId,
            personId: recipient.person.id,
            tokenHash: hashToken(token),
            expiresAt,
            activatedAt: null,
            createdAt,
          });
          if (inserted) {
            const data = {
              ...base,
              recipient: personData(recipient.person),
              activationUrl: `${publicUrl}/portal/activate/${token}`,
              activation: { expiresOn: formatDateNl(expiresAt), days: PORTAL_ACTIVATION_DAYS },
            };
            const subject = renderOrFail(() => renderTemplate(template.subject ?? '', data, { context: 'text', name: template.key }));
            const bodyText = renderOrFail(() => renderTemplate(template.body, data, { context: 'text', name: template.key }));
            return enqueueMail(
              tem,
              { key, dossierId: input.dossierId, productId: input.productId, template: template.key, toAddress: recipient.person.email ?? '', subject, bodyText },
              deps.settings.mailFrom,
            );
          }
          const existing = await tem.findOne(MailEntity, { key });
          if (!existing) throw new Error(`portal activation ${key} exists without its mail`);
          return existing;
        });
        rows.push(row);
      }
      return { mailIds: await deliverAll(em, rows) };
    },

    async createTask(input: CreateTaskInput): Promise<{ taskId: string }> {
      const em = fork();
      const dossier = await em.findOne(Dossier, { id: input.dossierId });
      if (!dossier) throw nonRetryable(ProductActivityFailure.NotFound, `dossier ${input.dossierId} not found`);
      await insertIfAbsent(em, Task, {
        id: newId(),
        key: input.key,
        officeId: dossier.officeId,
        dossierId: input.dossierId,
        productId: input.productId,
        title: input.title,
        assignee: input.assignee,
        dueDate: input.dueDate ?? null,
        status: 'open',
        createdAt: now(),
        completedAt: null,
      });
      const task = await em.findOneOrFail(Task, { key: input.key });
      return { taskId: task.id };
    },

    async generateDocument(input: GenerateDocumentInput): Promise<{ documentId: string }> {
      const em = fork();
      const existing = await em.findOne(Document, { key: input.key }, { fields: ['id'] });
      if (existing) return { documentId: existing.id };

      const ctx = await loadDossierContext(em, input.dossierId, input.productId);
      const template = await loadTemplate(em, input.template, 'document');
      const at = now();
      const data = contextData(ctx, at);
      const title = renderOrFail(() => renderTemplate(template.subject ?? template.key, data, { context: 'text', name: template.key }));
      const body = renderOrFail(() => renderTemplate(template.body, data, { context: 'text', name: template.key }));
      const pdf = Buffer.from(
        await renderDocumentPdf({
          title,
          paragraphs: paragraphsOf(body),
          author: ctx.office.name,
          subject: `${input.documentType} ${ctx.dossier.number}`,
          footer: `${ctx.office.name} - dossier ${ctx.dossier.number}`,
          createdAt: at,
        }),
      );
      const filename = `${input.documentType}-${ctx.dossier.number}.pdf`;
      await insertIfAbsent(em, Document, {
        id: newId(),
        key: input.key,
        officeId: ctx.office.id,
        dossierId: input.dossierId,
        productId: input.productId,
        documentType: input.documentType,
        filename,
        contentType: 'application/pdf',
        sizeBytes: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
        content: pdf,
        createdAt: at,
      });
      const doc = await em.findOneOrFail(Document, { key: input.key }, { fields: ['id'] });
      return { documentId: doc.id };
    },

    async setDossierStatus(input: SetDossierStatusInput): Promise<void> {
      const em = fork();
      await em.transactional(async (tem) => {
        const rows = await tem.execute<{ status: string }[]>('select status from dossiers where id = ? for update', [input.dossierId]);
        const current = rows[0];
        if (!current) throw nonRetryable(ProductActivityFailure.NotFound, `dossier ${input.dossierId} not found`);
        if (await tem.count(DossierEvent, { key: input.key })) return; // done before
        if (current.status === input.status) return; // nothing to change
        await tem.execute('update dossiers set status = ?, updated_at = now() where id = ?', [input.status, input.dossierId]);
        await insertIfAbsent(tem, DossierEvent, {
          id: newId(),
          dossierId: input.dossierId,
          key: input.key,
          at: now(),
          actor: input.actor,
          kind: 'status',
          fromStatus: current.status,
          toStatus: input.status,
        });
      });
    },

    async createChecklist(input: CreateChecklistInput): Promise<{ checklistId: string; items: number }> {
      const profile = checklistFor(input.profile);
      if (!profile) throw nonRetryable(ProductActivityFailure.UnknownChecklistProfile, `unknown checklist profile "${input.profile}"`);
      const em = fork();
      await loadDossierContext(em, input.dossierId, input.productId); // existence check
      await em.transactional(async (tem) => {
        const checklistId = newId();
        const inserted = await insertIfAbsent(tem, Checklist, {
          id: checklistId,
          key: input.key,
          dossierId: input.dossierId,
          productId: input.productId,
          profile: profile.code,
          createdAt: now(),
        });
        if (!inserted) return;
        await tem.insertMany(
          ChecklistItem,
          profile.items.map((item, i) => ({
            id: newId(),
            checklistId,
            position: i + 1,
            code: item.code,
            label: item.label,
            status: 'requested' as const,
          })),
        );
      });
      const checklist = await em.findOneOrFail(Checklist, { key: input.key });
      const items = await em.count(ChecklistItem, { checklistId: checklist.id });
      return { checklistId: checklist.id, items };
    },

    async registerContactMoment(input: RegisterContactMomentInput): Promise<{ contactMomentId: string }> {
      const em = fork();
      const existing = await em.findOne(ContactMoment, { key: input.key });
      if (existing) return { contactMomentId: existing.id };
      await loadDossierContext(em, input.dossierId, input.productId); // existence check
      const payload = await loadPayload(em, input.payloadId, input.productId);
      const summary = payload?.data.summary;
      const channel = input.input?.channel;
      await insertIfAbsent(em, ContactMoment, {
        id: newId(),
        key: input.key,
        dossierId: input.dossierId,
        productId: input.productId,
        at: new Date(input.at),
        actor: input.actor,
        channel: typeof channel === 'string' && channel ? channel : 'overig',
        summary: typeof summary === 'string' && summary.trim() ? summary : null,
        createdAt: now(),
      });
      const moment = await em.findOneOrFail(ContactMoment, { key: input.key });
      return { contactMomentId: moment.id };
    },
  };
}
