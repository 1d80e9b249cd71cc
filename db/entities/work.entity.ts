import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { checklistItemStatuses, taskAssignees, taskStatuses } from '../../domain/work/items.js';

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
  },
  uniques: [{ properties: ['checklistId', 'code'] }],
});
export type ChecklistItem = InferEntity<typeof ChecklistItem>;

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
