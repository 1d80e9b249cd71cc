/** The closed lists of a dossier's work items: tasks, the mail outbox, the client's checklist lines. */

/** A task is open until it is done. */
export const taskStatuses = ['open', 'done'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** Who does a task: the adviser or the back office (*binnendienst*). */
export const taskAssignees = ['adviser', 'backoffice'] as const;
export type TaskAssignee = (typeof taskAssignees)[number];

/** A mail in the outbox: written pending, then sent, or failed for good (rejected by the SMTP peer). */
export const mailStatuses = ['pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof mailStatuses)[number];

/** A line of the client's document checklist (*stukkenlijst*). */
export const checklistItemStatuses = ['requested', 'received', 'approved', 'rejected'] as const;
export type ChecklistItemStatus = (typeof checklistItemStatuses)[number];

/** A template is rendered to a mail or to a document (PDF). */
export const templateKinds = ['mail', 'document'] as const;
export type TemplateKind = (typeof templateKinds)[number];
