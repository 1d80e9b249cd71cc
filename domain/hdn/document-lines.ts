/**
 * The lender's document checklist (*stukkenlijst*, DA lines): the line statuses, defined once.
 * A DA line's *DocumentStatus* is kept as the lender sent it (unknown codes too); these are the
 * codes we know and act on.
 *
 * Pure: runs inside workflows.
 */

/** *DocumentStatus* of a DA line: "04" approved, "06" provisionally approved, "07" rejected (resend), ... */
export const documentLineStatuses = {
  '01': 'to be delivered',
  '04': 'approved',
  '06': 'provisionally approved',
  '07': 'rejected, resend',
  '08': 'lapsed',
} as const;
export type DocumentLineStatus = keyof typeof documentLineStatuses;

/** The lender approved the document of this line: it is not sent again. */
export const DOCUMENT_LINE_APPROVED = '04' satisfies DocumentLineStatus;

/** "01 to be delivered; 04 approved; ..." (for API descriptions). */
export function describeDocumentLineStatuses(): string {
  return Object.entries(documentLineStatuses)
    .map(([code, meaning]) => `${code} ${meaning}`)
    .join('; ');
}
