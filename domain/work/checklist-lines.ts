/**
 * The status a line of the client's checklist (*stukkenlijst*) shows: the stored status, except
 * that an uploaded or approved file older than the line's validity (*geldigheid*, e.g. "niet
 * ouder dan 3 maanden") shows as expired (*verlopen*) on the given day.
 *
 * Pure: the day is passed in (YYYY-MM-DD, Europe/Amsterdam), so the API, the portal and the
 * tests share one rule and no job has to flip rows at midnight.
 */
import type { ChecklistItemStatus } from './items.js';

export const checklistLineStatuses = ['requested', 'uploaded', 'approved', 'rejected', 'expired'] as const;
export type ChecklistLineStatus = (typeof checklistLineStatuses)[number];

/** Dutch labels, as the adviser and the client see them. */
export const checklistLineStatusLabels: Record<ChecklistLineStatus, string> = {
  requested: 'Opgevraagd',
  uploaded: 'Aangeleverd',
  approved: 'Goedgekeurd',
  rejected: 'Afgekeurd',
  expired: 'Verlopen',
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The last day a file attached on `fileDate` is valid: the same day `months` later, or the
 * month's last day when that month is shorter (31 January + 1 month → 28/29 February).
 */
export function validUntil(fileDate: string, months: number): string {
  const m = DATE.exec(fileDate);
  if (!m) throw new Error(`not a date: ${fileDate}`);
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(Number(m[3]), lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface ChecklistLineFacts {
  stored: ChecklistItemStatus;
  /** The day the current file was attached (YYYY-MM-DD), absent without a file. */
  fileDate?: string | undefined;
  /** The line's validity in months (domain/checklists.ts), absent: it never expires. */
  validityMonths?: number | undefined;
}

/** The status shown on `today` (YYYY-MM-DD). */
export function checklistLineStatus(line: ChecklistLineFacts, today: string): ChecklistLineStatus {
  if ((line.stored === 'uploaded' || line.stored === 'approved') && line.fileDate && line.validityMonths !== undefined) {
    if (today > validUntil(line.fileDate, line.validityMonths)) return 'expired';
  }
  return line.stored;
}
