/** The closed lists of a selection (*querymanager*): the API schema and the selection SQL follow these. */

/** The offer stage of a product a selection can ask for (mapped to HDN status codes in services/selections/query.ts). */
export const offerStatuses = ['requested', 'received', 'accepted', 'rejected'] as const;
export type OfferStatus = (typeof offerStatuses)[number];

/** Which created date a date range is on. */
export const selectionDateOn = ['dossier', 'product'] as const;

/** The file formats of an export. */
export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/**
 * Repayment types of a loan part (*aflossingsvorm*) as `product_parts.repayment_type` stores
 * them: the words advisers use (without diaeresis). HDN's public codes map onto them (01
 * annuïteit, 02 lineair, 05 aflossingsvrij); stored legacy AX send the words.
 */
export const repaymentTypes = ['annuiteit', 'lineair', 'aflossingsvrij', 'spaarhypotheek', 'bankspaarhypotheek', 'beleggingshypotheek'] as const;
export type RepaymentType = (typeof repaymentTypes)[number];

const repaymentByHdn: Readonly<Record<string, RepaymentType>> = {
  '01': 'annuiteit',
  '02': 'lineair',
  '05': 'aflossingsvrij',
  annuiteit: 'annuiteit',
  annuïteit: 'annuiteit',
  lineair: 'lineair',
  aflossingsvrij: 'aflossingsvrij',
  spaarhypotheek: 'spaarhypotheek',
  bankspaarhypotheek: 'bankspaarhypotheek',
  beleggingshypotheek: 'beleggingshypotheek',
};

/** The stored repayment type of an HDN `AflossingsVorm` (code or word); null when we do not know it. */
export function repaymentTypeOf(hdn: string): RepaymentType | null {
  return repaymentByHdn[hdn.trim().toLowerCase()] ?? null;
}

/** Comparisons of a number, amount or date: < <= = >= >. */
export const comparisonOps = ['lt', 'lte', 'eq', 'gte', 'gt'] as const;
export type ComparisonOp = (typeof comparisonOps)[number];
export const comparisonSql: Readonly<Record<ComparisonOp, string>> = { lt: '<', lte: '<=', eq: '=', gte: '>=', gt: '>' };

/** Comparisons of a text property: equal (case-insensitive) or contains. */
export const textOps = ['eq', 'contains'] as const;
export type TextOp = (typeof textOps)[number];
