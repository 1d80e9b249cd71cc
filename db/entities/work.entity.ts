import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { checklistItemStatuses, checklistReviews, checklistUploaders, mailStatuses, taskAssignees, taskStatuses, type MailStatus } from '../../domain/work/items.js';

/**
 * The work items of a dossier (the `work` feature, written by services/work/store.ts): tasks,
 * checklists with their lines, contact moments, the mail outbox and documents.
 */

/** A task in the work queue of an adviser or the back office (*binnendienst*). */
export const Task = defineEntity({
  name: 'Task',
  tableName: 'tasks',
  properties: {
    id: p.uuid().primary(),
    key: p.text().unique(),
    officeId: p.uuid(),
    dossierId: p.uuid(),
    productId: p.uuid().nullable(),
    title: p.text(),
    assignee: p.enum([...taskAssignees]),
    /** YYYY-MM-DD (Europe/Amsterdam). */
    dueDate: p.date().nullable(),
    status: p.enum([...taskStatuses]).default('open'),
    createdAt: p.datetime().onCreate(() => new Date()),
    completedAt: p.datetime().nullable(),
  },
});
export type Task = InferEntity<typeof Task>;

/** A document checklist (*stukkenlijst*) chosen for the client profile. */
export const Checklist = defineEntity({
  name: 'Checklist',
  tableName: 'checklists',
  properties: {
    id: p.uuid().primary(),
    key: p.text().unique(),
    dossierId: p.uuid(),
    productId: p.uuid(),
    profile: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Checklist = InferEntity<typeof Checklist>;


export const ChecklistItem = defineEntity({
  name: 'ChecklistItem',
  tableName: 'checklist_items',
  properties: {
    id: p.uuid().primary(),
    checklistId: p.uuid(),
    position: p.integer(),
    code: p.text(),
    label: p.text(),
    status: p.enum([...checklistItemStatuses]).default('requested'),
    /** The file the line's status is about (the latest attached); null while none. */
    currentFileId: p.uuid().nullable(),
  },
  uniques: [{ properties: ['checklistId', 'code'] }],
});
export type ChecklistItem = InferEntity<typeof ChecklistItem>;

/** A file attached to a checklist line (every one is kept: the line's history), with its review. */
export const ChecklistItemFile = defineEntity({
  name: 'ChecklistItemFile',
  tableName: 'checklist_item_files',
  properties: {
    id: p.uuid().primary(),
    itemId: p.uuid(),
    /** The completed upload (services/uploads) holding the bytes. */
    uploadId: p.uuid(),
    filename: p.text(),
    contentType: p.text(),
    sizeBytes: p.integer(),
    sha256: p.text(),
    uploadedBy: p.enum([...checklistUploaders]),
    /** The adviser's credential or the client's portal session. */
    credentialId: p.uuid(),
    attachedAt: p.datetime(),
    review: p.enum([...checklistReviews]).nullable(),
    reviewedBy: p.uuid().nullable(),
    reviewedAt: p.datetime().nullable(),
    /** Why the adviser rejected it (*reden van afkeuring*), mailed to the client. */
    rejectionReason: p.text().nullable(),
  },
  uniques: [{ properties: ['itemId', 'uploadId'] }],
});
export type ChecklistItemFile = InferEntity<typeof ChecklistItemFile>;

/** A contact moment (*contactmoment*): call, visit, mail, with an optional summary. */
export const ContactMoment = defineEntity({
  name: 'ContactMoment',
  tableName: 'contact_moments',
  properties: {
    id: p.uuid().primary(),
    key: p.text().unique(),
    dossierId: p.uuid(),
    productId: p.uuid(),
    at: p.datetime(),
    actor: p.text(),
    channel: p.text(),
    summary: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ContactMoment = InferEntity<typeof ContactMoment>;


export { mailStatuses, type MailStatus };

/**
 * The mail outbox: one row per (idempotency key, recipient), inserted as pending before
 * sending, marked sent after the SMTP peer accepted it.
 */
/** An attachment of an outbox mail, its content as text (an iCalendar file). */
export interface MailAttachment {
  filename: string;
  /** e.g. `text/calendar; method=REQUEST; charset=utf-8`. */
  contentType: string;
  content: string;
}

export const Mail = defineEntity({
  name: 'Mail',
  tableName: 'mails',
  properties: {
    id: p.uuid().primary(),
    /** `<workflow idempotency key>#<recipient person id or address>`. */
    key: p.text().unique(),
    dossierId: p.uuid(),
    productId: p.uuid().nullable(),
    template: p.text(),
    toAddress: p.text(),
    subject: p.text(),
    bodyText: p.text(),
    status: p.enum([...mailStatuses]).default('pending'),
    /** Deterministic Message-ID, derived from the key. */
    messageId: p.text(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    /** Attachments sent with the mail (e.g. an appointment's .ics); null: none. */
    attachments: p.json<MailAttachment[]>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
});
export type Mail = InferEntity<typeof Mail>;

/** A document in the dossier (e.g. the service agreement PDF), content stored as bytea. */
export const Document = defineEntity({
  name: 'Document',
  tableName: 'documents',
  properties: {
    id: p.uuid().primary(),
    key: p.text().unique(),
    officeId: p.uuid(),
    dossierId: p.uuid(),
    productId: p.uuid().nullable(),
    documentType: p.text(),
    filename: p.text(),
    contentType: p.text(),
    sizeBytes: p.integer(),
    /** sha256 hex of the content. */
    sha256: p.text(),
    /** Lazy: lists do not load the bytes; use `populate: ['content']` to read them. */
    content: p.blob().lazy(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Document = InferEntity<typeof Document>;
