import { describe, expect, it } from 'vitest';
import {
  checkBatchCredit,
  manualMatchKind,
  matchBatchDetails,
  NO_REASON_GIVEN,
  rejectionsOf,
  type ExportedCollection,
  type ReportedBatch,
  type ReportedTransaction,
  type StatusReportFacts,
} from './bank-match.js';

// A PmtInf of three collections as we exported it: A 30.25, B 45.00, C 15.50.
const a: ExportedCollection = { endToEndId: 'E2E-A', amountCents: 3025, rejected: false };
const b: ExportedCollection = { endToEndId: 'E2E-B', amountCents: 4500, rejected: false };
const c: ExportedCollection = { endToEndId: 'E2E-C', amountCents: 1550, rejected: false };
const rejectedB: ExportedCollection = { ...b, rejected: true };
const batch = (numberOfTransactions: number | undefined, totalCents: number): ReportedBatch => ({
  name: 'DF-1-FRST',
  totalCents,
  ...(numberOfTransactions === undefined ? {} : { numberOfTransactions }),
});

describe('checkBatchCredit: a batch entry (Btch without TxDtls) books the PmtInf only when count and total are exactly right', () => {
  it.each<[string, ExportedCollection[], ReportedBatch, string[] | RegExp]>([
    ['count and total right', [a, b, c], batch(3, 9075), ['E2E-A', 'E2E-B', 'E2E-C']],
    ['no NbOfTxs: the total decides', [a, b, c], batch(undefined, 9075), ['E2E-A', 'E2E-B', 'E2E-C']],
    ['a single collection', [a], batch(1, 3025), ['E2E-A']],
    ['a reject left out of count and total', [a, rejectedB, c], batch(2, 4575), ['E2E-A', 'E2E-C']],
    ['no NbOfTxs, a reject left out of the total', [a, rejectedB, c], batch(undefined, 4575), ['E2E-A', 'E2E-C']],
    ['total one cent short', [a, b, c], batch(3, 9074), /^de bank schreef 3 incasso's voor € 90\.74 bij, maar batch DF-1-FRST bevat 3 incasso's voor € 90\.75: niets geboekt/],
    ['total one cent over', [a, b, c], batch(3, 9076), /schreef 3 incasso's voor € 90\.76 bij, maar batch DF-1-FRST bevat 3 incasso's voor € 90\.75/],
    ['count wrong, total right', [a, b, c], batch(2, 9075), /schreef 2 incasso's voor € 90\.75 bij, maar batch DF-1-FRST bevat 3 incasso's/],
    ['a collection missing (which one is not said)', [a, b, c], batch(2, 7525), /schreef 2 incasso's voor € 75\.25 bij, maar batch DF-1-FRST bevat 3 incasso's voor € 90\.75: niets geboekt; boek met de hand/],
    ['no NbOfTxs and the wrong total', [a, b, c], batch(undefined, 5000), /^de bank schreef € 50\.00 bij, maar batch DF-1-FRST bevat 3 incasso's/],
    ['the bank also credited a collection it rejected', [a, rejectedB, c], batch(3, 9075), /inclusief de 1 incasso die zij vóór verrekening weigerde \(pain\.002\): niets geboekt; vraag het de bank/],
    ['another difference besides a reject', [a, rejectedB, c], batch(2, 4000), /bevat 2 incasso's voor € 45\.75 \(nog 1 vóór verrekening geweigerd\)/],
    ['every collection rejected', [rejectedB], batch(1, 4500), /elke incasso van batch DF-1-FRST is vóór verrekening geweigerd/],
    ['not one of our batches', [], batch(3, 9075), /^batch DF-1-FRST is geen incassobatch van dit kantoor$/],
  ])('%s', (_, members, reported, expected) => {
    const check = checkBatchCredit(members, reported);
    if (Array.isArray(expected)) {
      expect(check).toEqual({ ok: true, credited: members.filter((m) => expected.includes(m.endToEndId)) });
    } else {
      expect(check.ok).toBe(false);
      expect(check.ok === false && check.reason).toMatch(expected);
    }
  });
});

describe('matchBatchDetails: a batch entry with TxDtls books each named collection, or nothing', () => {
  const tx = (endToEndId?: string, amountCents?: number): ReportedTransaction => ({
    ...(endToEndId === undefined ? {} : { endToEndId }),
    ...(amountCents === undefined ? {} : { amountCents }),
  });
  it.each<[string, ExportedCollection[], ReportedTransaction[], ReportedBatch, [string, number][] | 'batch' | RegExp]>([
    ['every collection with its amount', [a, b, c], [tx('E2E-A', 3025), tx('E2E-B', 4500), tx('E2E-C', 1550)], batch(3, 9075), [['E2E-A', 3025], ['E2E-B', 4500], ['E2E-C', 1550]]],
    ['in another order', [a, b, c], [tx('E2E-C', 1550), tx('E2E-A', 3025), tx('E2E-B', 4500)], batch(3, 9075), [['E2E-C', 1550], ['E2E-A', 3025], ['E2E-B', 4500]]],
    ['without per-transaction amounts: the exported amount', [a, b], [tx('E2E-A'), tx('E2E-B')], batch(2, 7525), [['E2E-A', 3025], ['E2E-B', 4500]]],
    ['a reject left out', [a, rejectedB, c], [tx('E2E-A', 3025), tx('E2E-C', 1550)], batch(2, 4575), [['E2E-A', 3025], ['E2E-C', 1550]]],
    ['no NbOfTxs', [a, b, c], [tx('E2E-A', 3025)], batch(undefined, 3025), [['E2E-A', 3025]]],
    ['fewer TxDtls than NbOfTxs: the batch as a whole decides', [a, b, c], [tx('E2E-A', 3025)], batch(3, 9075), 'batch'],
    ['no TxDtls at all', [a, b, c], [], batch(undefined, 9075), 'batch'],
    ['a TxDtls without EndToEndId', [a, b], [tx('E2E-A', 3025), tx(undefined, 4500)], batch(2, 7525), /^TxDtls 2 van batch DF-1-FRST heeft geen EndToEndId: niets geboekt$/],
    ['an EndToEndId of another batch', [a, b], [tx('E2E-A', 3025), tx('E2E-X', 4500)], batch(2, 7525), /noemt EndToEndId E2E-X, die niet in die batch zit: niets geboekt/],
    ['an EndToEndId twice', [a, b], [tx('E2E-A', 3025), tx('E2E-A', 3025)], batch(2, 6050), /noemt EndToEndId E2E-A een tweede keer/],
    ['a rejected collection credited', [a, rejectedB], [tx('E2E-A', 3025), tx('E2E-B', 4500)], batch(2, 7525), /schrijft EndToEndId E2E-B bij, die de bank vóór verrekening weigerde \(pain\.002\)/],
    ['another amount than collected', [a, b], [tx('E2E-A', 3025), tx('E2E-B', 4400)], batch(2, 7425), /^TxDtls 2 van batch DF-1-FRST schrijft € 44\.00 bij voor EndToEndId E2E-B, die voor € 45\.00 is geïncasseerd: niets geboekt$/],
  ])('%s', (_, members, transactions, reported, expected) => {
    const match = matchBatchDetails(members, transactions, reported);
    if (expected === 'batch') expect(match).toEqual({ ok: 'batch' });
    else if (Array.isArray(expected)) {
      expect(match.ok).toBe(true);
      expect(match.ok === true && match.booked.map((x) => [x.collection.endToEndId, x.amountCents])).toEqual(expected);
    } else {
      expect(match.ok).toBe(false);
      expect(match.ok === false && match.reason).toMatch(expected);
    }
  });
});

describe('rejectionsOf: what a pain.002 rejects, most specific first', () => {
  const pi = (paymentInfoId: string, status: string | undefined, reasonCode: string | undefined, transactions: StatusReportFacts['paymentInfos'][number]['transactions']) => ({
    paymentInfoId,
    ...(status === undefined ? {} : { status }),
    ...(reasonCode === undefined ? {} : { reasonCode }),
    transactions,
  });
  it.each<[string, StatusReportFacts, string[]]>([
    ['transaction rejects with their own reasons', { groupStatus: 'PART', paymentInfos: [pi('P1', 'PART', undefined, [{ endToEndId: 'A', status: 'RJCT', reasonCode: 'AM04' }, { endToEndId: 'B', status: 'RJCT', reasonCode: 'MD01' }])] }, ['transaction P1 A AM04', 'transaction P1 B MD01']],
    ['an accepted transaction is no reject', { groupStatus: 'PART', paymentInfos: [pi('P1', 'PART', undefined, [{ endToEndId: 'A', status: 'ACCP' }, { endToEndId: 'B', status: 'RJCT', reasonCode: 'AC04' }])] }, ['transaction P1 B AC04']],
    ['a transaction without a reason: MS03', { paymentInfos: [pi('P1', undefined, undefined, [{ endToEndId: 'A', status: 'RJCT' }])] }, [`transaction P1 A ${NO_REASON_GIVEN}`]],
    ['a transaction without EndToEndId is skipped', { paymentInfos: [pi('P1', undefined, undefined, [{ status: 'RJCT', reasonCode: 'AM04' }])] }, []],
    ['a rejected PmtInf: its transactions take its reason, then the PmtInf', { paymentInfos: [pi('P1', 'RJCT', 'AG01', [{ endToEndId: 'A' }, { endToEndId: 'B', reasonCode: 'AC06' }])] }, ['transaction P1 A AG01', 'transaction P1 B AC06', 'payment-info P1 AG01']],
    ['a rejected PmtInf without transactions or reason', { paymentInfos: [pi('P1', 'RJCT', undefined, [])] }, [`payment-info P1 ${NO_REASON_GIVEN}`]],
    ['a rejected PmtInf next to an accepted one', { groupStatus: 'PART', paymentInfos: [pi('P1', 'ACCP', undefined, []), pi('P2', 'RJCT', 'AG02', [])] }, ['payment-info P2 AG02']],
    ['a rejected message: the group reason reaches every level', { groupStatus: 'RJCT', groupReasonCode: 'FF01', paymentInfos: [pi('P1', undefined, undefined, [{ endToEndId: 'A' }])] }, ['transaction P1 A FF01', 'message FF01']],
    ['a rejected message without anything else', { groupStatus: 'RJCT', groupReasonCode: 'DU01', paymentInfos: [] }, ['message DU01']],
    ['a rejected message with a PmtInf of its own reason', { groupStatus: 'RJCT', groupReasonCode: 'FF01', paymentInfos: [pi('P1', 'RJCT', 'AM05', [])] }, ['payment-info P1 AM05', 'message FF01']],
    ['an accepted message', { groupStatus: 'ACCP', paymentInfos: [pi('P1', 'ACCP', undefined, [{ endToEndId: 'A', status: 'ACCP' }])] }, []],
  ])('%s', (_, report, expected) => {
    expect(
      rejectionsOf(report).map((r) =>
        r.scope === 'transaction' ? `transaction ${r.paymentInfoId} ${r.endToEndId} ${r.reasonCode}` : r.scope === 'payment-info' ? `payment-info ${r.paymentInfoId} ${r.reasonCode}` : `message ${r.reasonCode}`,
      ),
    ).toEqual(expected);
  });
});

describe('manualMatchKind: what an unmatched item becomes when matched by hand', () => {
  it.each<[Parameters<typeof manualMatchKind>[0], ReturnType<typeof manualMatchKind> | RegExp]>([
    [{ kind: 'credit', reasonCode: null }, { kind: 'payment', needsReasonCode: false }],
    [{ kind: 'return', reasonCode: 'MD06' }, { kind: 'reversal', needsReasonCode: false }],
    [{ kind: 'return', reasonCode: null }, { kind: 'reversal', needsReasonCode: true }],
    [{ kind: 'reject', reasonCode: 'AM04' }, { kind: 'rejection', needsReasonCode: false }],
    [{ kind: 'reject', reasonCode: null }, { kind: 'rejection', needsReasonCode: true }],
    [{ kind: 'batch', reasonCode: null }, /betaalt meer facturen tegelijk/],
    [{ kind: 'debit', reasonCode: null }, /geen terugboeking van een van onze incasso's/],
  ])('%j', (item, expected) => {
    const decided = manualMatchKind(item);
    if (expected instanceof RegExp) expect('refused' in decided && decided.refused).toMatch(expected);
    else expect(decided).toEqual(expected);
  });
});
