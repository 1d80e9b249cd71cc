/** The closed lists of a selection (*querymanager*): the API schema and the selection SQL follow these. */

/** The offer stage of a product a selection can ask for (mapped to HDN status codes in services/selections/query.ts). */
export const offerStatuses = ['requested', 'received', 'accepted', 'rejected'] as const;
export type OfferStatus = (typeof offerStatuses)[number];

/** Which created date a date range is on. */
export const selectionDateOn = ['dossier', 'product'] as const;

/** The file formats of an export. */
export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];
