/**
 * PaymentStatusReport -> pain.002.001.03 XML (the version of the SEPA direct-debit rulebook),
 * in the XSD's element order. Used by the simulated bank to report rejects before settlement
 * (*afkeuringen*) the way Dutch banks do: OrgnlGrpInfAndSts with GrpSts PART (some rejected) or
 * RJCT (all), then per PmtInf the rejected transactions with TxSts RJCT, StsRsnInf/Rsn/Cd and the
 * original amount. parsePain002(buildPain002(r)) gives `r` back (tested).
 */
import { XMLBuilder } from 'fast-xml-parser';
import { ATTRIBUTE_PREFIX, NOT_XML_CHAR, TEXT_KEY } from '../xml/index.js';
import { centsToDecimal } from './amount.js';
import { SepaError, SepaErrorType, type PaymentStatusReport, type PaymentStatusTransaction } from './types.js';

type XmlObject = Record<string, unknown>;

export function buildPain002(report: PaymentStatusReport): string {
  if (report.version !== '001.03') throw invalid('version', `only 001.03 is written, got ${JSON.stringify(report.version)}`);
  const original: XmlObject = {
    OrgnlMsgId: id(report.originalMessageId, 'originalMessageId'),
    OrgnlMsgNmId: id(report.originalMessageType, 'originalMessageType'),
  };
  if (report.groupStatus !== undefined) original.GrpSts = code(report.groupStatus, 'groupStatus');
  if (report.groupReasonCode !== undefined) original.StsRsnInf = reason(report.groupReasonCode, 'groupReasonCode');
  const body: XmlObject = {
    GrpHdr: { MsgId: id(report.messageId, 'messageId'), CreDtTm: report.createdAt },
    OrgnlGrpInfAndSts: original,
  };
  if (report.paymentInfos.length > 0) {
    body.OrgnlPmtInfAndSts = report.paymentInfos.map((pi, i) => {
      const field = `paymentInfos[${i}]`;
      const node: XmlObject = { OrgnlPmtInfId: id(pi.paymentInfoId, `${field}.paymentInfoId`) };
      if (pi.numberOfTransactions !== undefined) node.OrgnlNbOfTxs = String(pi.numberOfTransactions);
      if (pi.controlSumCents !== undefined) node.OrgnlCtrlSum = centsToDecimal(pi.controlSumCents);
      if (pi.status !== undefined) node.PmtInfSts = code(pi.status, `${field}.status`);
      if (pi.reasonCode !== undefined) node.StsRsnInf = reason(pi.reasonCode, `${field}.reasonCode`);
      if (pi.transactions.length > 0) node.TxInfAndSts = pi.transactions.map((t, k) => transaction(t, `${field}.transactions[${k}]`));
      return node;
    });
  }
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTRIBUTE_PREFIX, textNodeName: TEXT_KEY, format: true, indentBy: '  ' });
  const document = { Document: { [`${ATTRIBUTE_PREFIX}xmlns`]: 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.03', CstmrPmtStsRpt: body } };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(document) as string}`;
}

function transaction(t: PaymentStatusTransaction, field: string): XmlObject {
  const node: XmlObject = {};
  if (t.instructionId !== undefined) node.OrgnlInstrId = id(t.instructionId, `${field}.instructionId`);
  if (t.endToEndId !== undefined) node.OrgnlEndToEndId = id(t.endToEndId, `${field}.endToEndId`);
  if (t.status !== undefined) node.TxSts = code(t.status, `${field}.status`);
  if (t.reasonCode !== undefined) node.StsRsnInf = reason(t.reasonCode, `${field}.reasonCode`);
  const ref: XmlObject = {};
  if (t.amountCents !== undefined) ref.Amt = { InstdAmt: { [TEXT_KEY]: centsToDecimal(t.amountCents), [`${ATTRIBUTE_PREFIX}Ccy`]: 'EUR' } };
  if (t.creditorIban !== undefined) ref.CdtrAcct = { Id: { IBAN: id(t.creditorIban, `${field}.creditorIban`) } };
  if (Object.keys(ref).length > 0) node.OrgnlTxRef = ref;
  return node;
}

function reason(value: string, field: string): XmlObject {
  if (!/^[A-Z0-9]{4}$/.test(value)) throw invalid(field, `must be an ISO reason code like AM04, got ${JSON.stringify(value)}`);
  return { Rsn: { Cd: value } };
}

function code(value: string, field: string): string {
  if (!/^[A-Z]{4}$/.test(value)) throw invalid(field, `must be a 4-letter status like RJCT, got ${JSON.stringify(value)}`);
  return value;
}

function id(value: string, field: string): string {
  if (value === '' || value.length > 35) throw invalid(field, 'must have 1 to 35 characters');
  if (NOT_XML_CHAR.test(value)) throw invalid(field, 'contains a control character XML cannot carry');
  return value;
}

function invalid(field: string, problem: string): SepaError {
  return new SepaError(SepaErrorType.Invalid, `pain.002 report ${field} ${problem}`, { field });
}
