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

/**
 * A line of the client's document checklist (*stukkenlijst*) as stored: asked for (*opgevraagd*),
 * a file attached (*aangeleverd*), approved (*goedgekeurd*) or rejected with a reason (*afgekeurd*).
 * "Expired" (*verlopen*) is never stored: it follows from the line's validity rule and today's
 * date (domain/work/checklist-lines.ts), so a file does not need a job to expire.
 */
export const checklistItemStatuses = ['requested', 'uploaded', 'approved', 'rejected'] as const;
export type ChecklistItemStatus = (typeof checklistItemStatuses)[number];

/** Who attached a file to a checklist line: the adviser (API/UI) or the client in the portal. */
export const checklistUploaders = ['adviser', 'client'] as const;
export type ChecklistUploader = (typeof checklistUploaders)[number];

/** The adviser's verdict on a file of a checklist line (*goedgekeurd* / *afgekeurd*). */
export const checklistReviews = ['approved', 'rejected'] as const;
export type ChecklistReview = (typeof checklistReviews)[number];

/** A template is rendered to a mail or to a document (PDF). */
export const templateKinds = ['mail', 'document'] as const;
export type TemplateKind = (typeof templateKinds)[number];
