/**
 * The pure rules of matching what the bank reports to what we asked it (services/billing/
 * bank-match.ts applies them to the database):
 *
 * - `checkBatchCredit`: a batch credit (camt `NtryDtls/Btch`, one entry for a whole PmtInf of
 *   our pain.008) is booked only when its count and total are exactly the collections of that
 *   PmtInf that were not rejected before settlement (pain.002). Anything else is parked with the
 *   reason, and nothing of it is booked: guessing which collection is missing would book money
 *   on the wrong invoice.
 * - `matchBatchDetails`: the same batch with its TxDtls: each one must name a collection of the
 *   PmtInf (EndToEndId), once, not rejected; then each is booked on its own.
 * - `rejectionsOf`: which collections a pain.002 rejects, and why: the whole message (GrpSts
 *   RJCT), a whole PmtInf (PmtInfSts RJCT) or single transactions (TxSts RJCT), the most specific
 *   reason code winning.
 */

/** One collection of a pain.008 as we exported it, and whether the bank rejected it before settlement. */
export interface ExportedCollection {
  endToEndId: string;
  amountCents: number;
  rejected: boolean;
}

/** What the bank says of a batch: Btch/NbOfTxs and Btch/TtlAmt (or the entry amount). */
export interface ReportedBatch {
  /** Btch/PmtInfId or MsgId, for the messages. */
  name: string;
  numberOfTransactions?: number;
  totalCents: number;
}

export type BatchCheck = { ok: true; credited: ExportedCollection[] } | { ok: false; reason: string };

const euro = (cents: number): string => `€ ${(cents / 100).toFixed(2)}`;
const sum = (list: readonly { amountCents: number }[]): number => list.reduce((s, c) => s + c.amountCents, 0);
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function checkBatchCredit(members: readonly ExportedCollection[], reported: ReportedBatch): BatchCheck {
  if (members.length === 0) return { ok: false, reason: `batch ${reported.name} is geen incassobatch van dit kantoor` };
  const credited = members.filter((m) => !m.rejected);
  const rejected = members.length - credited.length;
  if (credited.length === 0) {
    return { ok: false, reason: `elke incasso van batch ${reported.name} is vóór verrekening geweigerd (pain.002): er werd geen bijschrijving verwacht; vraag het de bank` };
  }
  const countOk = reported.numberOfTransactions === undefined || reported.numberOfTransactions === credited.length;
  if (countOk && reported.totalCents === sum(credited)) return { ok: true, credited };
  const saying = `de bank schreef ${reported.numberOfTransactions === undefined ? '' : `${plural(reported.numberOfTransactions, 'incasso', 'incasso\'s')} voor `}${euro(reported.totalCents)} bij`;
  const ours = `batch ${reported.name} bevat ${plural(credited.length, 'incasso', 'incasso\'s')} voor ${euro(sum(credited))}`;
  const note = rejected > 0 ? ` (nog ${rejected} vóór verrekening geweigerd)` : '';
  if (rejected > 0 && (reported.numberOfTransactions ?? members.length) === members.length && reported.totalCents === sum(members)) {
    return { ok: false, reason: `${saying}, inclusief de ${plural(rejected, 'incasso', 'incasso\'s')} die zij vóór verrekening weigerde (pain.002): niets geboekt; vraag het de bank` };
  }
  return { ok: false, reason: `${saying}, maar ${ours}${note}: niets geboekt; boek met de hand zodra het verschil bekend is` };
}

/** One TxDtls of a batch credit. */
export interface ReportedTransaction {
  endToEndId?: string;
  amountCents?: number;
}

export type DetailsMatch =
  | { ok: true; booked: { collection: ExportedCollection; amountCents: number }[] }
  | { ok: false; reason: string }
  /** Fewer TxDtls than the batch has: they identify nothing on their own; check the batch as a whole. */
  | { ok: 'batch' };

export function matchBatchDetails(members: readonly ExportedCollection[], transactions: readonly ReportedTransaction[], reported: ReportedBatch): DetailsMatch {
  if (reported.numberOfTransactions !== undefined && transactions.length < reported.numberOfTransactions) return { ok: 'batch' };
  const byId = new Map(members.map((m) => [m.endToEndId, m]));
  const seen = new Set<string>();
  const booked: { collection: ExportedCollection; amountCents: number }[] = [];
  for (const [i, tx] of transactions.entries()) {
    const where = `TxDtls ${i + 1} van batch ${reported.name}`;
    if (tx.endToEndId === undefined) return { ok: false, reason: `${where} heeft geen EndToEndId: niets geboekt` };
    const collection = byId.get(tx.endToEndId);
    if (!collection) return { ok: false, reason: `${where} noemt EndToEndId ${tx.endToEndId}, die niet in die batch zit: niets geboekt` };
    if (seen.has(tx.endToEndId)) return { ok: false, reason: `${where} noemt EndToEndId ${tx.endToEndId} een tweede keer: niets geboekt` };
    seen.add(tx.endToEndId);
    if (collection.rejected) {
      return { ok: false, reason: `${where} schrijft EndToEndId ${tx.endToEndId} bij, die de bank vóór verrekening weigerde (pain.002): niets geboekt; vraag het de bank` };
    }
    const amountCents = tx.amountCents ?? collection.amountCents;
    if (amountCents !== collection.amountCents) {
      return { ok: false, reason: `${where} schrijft ${euro(amountCents)} bij voor EndToEndId ${tx.endToEndId}, die voor ${euro(collection.amountCents)} is geïncasseerd: niets geboekt` };
    }
    booked.push({ collection, amountCents });
  }
  if (booked.length === 0) return { ok: 'batch' };
  return { ok: true, booked };
}

// ------------------------------------------------------------------ pain.002

/** The parts of a pain.002 the rule reads (integrations/sepa's PaymentStatusReport fits). */
export interface StatusReportFacts {
  groupStatus?: string;
  groupReasonCode?: string;
  paymentInfos: readonly {
    paymentInfoId: string;
    status?: string;
    reasonCode?: string;
    transactions: readonly { endToEndId?: string; status?: string; reasonCode?: string }[];
  }[];
}

export type Rejection =
  | { scope: 'message'; reasonCode: string }
  | { scope: 'payment-info'; paymentInfoId: string; reasonCode: string }
  | { scope: 'transaction'; paymentInfoId: string; endToEndId: string; reasonCode: string };

/** Reason not given (MS03) when the bank gives none: the storno policy treats it like any other code. */
export const NO_REASON_GIVEN = 'MS03';

/**
 * What the report rejects, most specific first: single transactions (with their own reason, or
 * the PmtInf's, or the group's), then whole PmtInfs, then the whole message. A collection named
 * by several is rejected once, with the most specific reason (the service applies them in order).
 */
export function rejectionsOf(report: StatusReportFacts): Rejection[] {
  const transactions: Rejection[] = [];
  const infos: Rejection[] = [];
  const groupRejected = report.groupStatus === 'RJCT';
  for (const pi of report.paymentInfos) {
    const infoRejected = pi.status === 'RJCT' || groupRejected;
    for (const tx of pi.transactions) {
      const rejected = tx.status === 'RJCT' || (tx.status === undefined && infoRejected);
      if (!rejected || tx.endToEndId === undefined) continue;
      transactions.push({
        scope: 'transaction',
        paymentInfoId: pi.paymentInfoId,
        endToEndId: tx.endToEndId,
        reasonCode: tx.reasonCode ?? pi.reasonCode ?? report.groupReasonCode ?? NO_REASON_GIVEN,
      });
    }
    if (pi.status === 'RJCT') infos.push({ scope: 'payment-info', paymentInfoId: pi.paymentInfoId, reasonCode: pi.reasonCode ?? report.groupReasonCode ?? NO_REASON_GIVEN });
  }
  const message: Rejection[] = groupRejected ? [{ scope: 'message', reasonCode: report.groupReasonCode ?? NO_REASON_GIVEN }] : [];
  return [...transactions, ...infos, ...message];
}

/** The booking an unmatched item becomes when an adviser matches it to an invoice by hand; a reason when it cannot. */
export function manualMatchKind(item: {
  kind: 'credit' | 'batch' | 'return' | 'debit' | 'reject';
  reasonCode: string | null;
}): { kind: 'payment' | 'reversal' | 'rejection'; needsReasonCode: boolean } | { refused: string } {
  switch (item.kind) {
    case 'credit':
      return { kind: 'payment', needsReasonCode: false };
    case 'return':
      return { kind: 'reversal', needsReasonCode: item.reasonCode === null };
    case 'reject':
      return { kind: 'rejection', needsReasonCode: item.reasonCode === null };
    case 'batch':
      return { refused: 'een batchbijschrijving betaalt meer facturen tegelijk: zij past niet bij één factuur; boek de incasso\'s met de hand op elke factuur' };
    case 'debit':
      return { refused: 'een afschrijving die geen terugboeking van een van onze incasso\'s is, is geen geld van een factuur' };
  }
}
