/**
 * pain.002 (customer payment status report), versions .001.03 (the SEPA rulebook's, what Dutch
 * banks send for direct debits) and .001.10, to PaymentStatusReport. The bank tells which of our
 * pain.008 collections it rejected BEFORE settlement (*afkeuring*): the collection never happened.
 * Untrusted input: the same guards as camt (integrations/xml), and ALL-OR-NOTHING (the first
 * problem refuses the whole file with a SepaError naming the element).
 *
 * What we read:
 *   GrpHdr               MsgId CreDtTm
 *   OrgnlGrpInfAndSts    OrgnlMsgId OrgnlMsgNmId GrpSts StsRsnInf/Rsn/(Cd|Prtry)
 *   OrgnlPmtInfAndSts*   OrgnlPmtInfId OrgnlNbOfTxs OrgnlCtrlSum PmtInfSts StsRsnInf/Rsn/(Cd|Prtry)
 *     TxInfAndSts*       OrgnlInstrId OrgnlEndToEndId TxSts StsRsnInf/Rsn/(Cd|Prtry)
 *                        OrgnlTxRef/Amt/InstdAmt@Ccy OrgnlTxRef/CdtrAcct/Id/IBAN
 * A status report on anything but a pain.008 (OrgnlMsgNmId pain.001: a credit transfer) is
 * refused as Unsupported: we only send direct debits.
 */
import { decimalToCents } from './amount.js';
import { XmlNode, invalidAt, parseSepaXml, withSepaErrors } from './xml-read.js';
import {
  SepaError,
  SepaErrorType,
  type Pain002Version,
  type PaymentStatusPaymentInfo,
  type PaymentStatusReport,
  type PaymentStatusTransaction,
  type SepaParseLimits,
} from './types.js';

const LABEL = 'pain.002 document';
const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:pain\.002\.001\.(03|10)$/;
/** Status codes are 4 letters (TransactionIndividualStatus3Code, or the external list in .10). */
const STATUS = /^[A-Z]{4}$/;

/** True when the XML's root namespace is a pain.002 (any version): lets one endpoint take camt and pain.002. */
export function looksLikePain002(xml: string): boolean {
  return /<(?:[A-Za-z_][\w.-]*:)?Document[^>]*urn:iso:std:iso:20022:tech:xsd:pain\.002\./.test(xml.slice(0, 4096));
}

export function parsePain002(xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): PaymentStatusReport {
  return withSepaErrors(() => readReport(xml, limits));
}

function readReport(xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): PaymentStatusReport {
  const parsed = parseSepaXml(xml, LABEL, limits);
  if (parsed.rootName !== 'Document') throw invalidAt(parsed.rootName, 'is not a pain.002 document: the root element must be <Document>');
  const match = NAMESPACE.exec(parsed.namespace ?? '');
  if (!match) {
    throw new SepaError(
      SepaErrorType.Unsupported,
      `${LABEL}: namespace ${JSON.stringify(parsed.namespace ?? '(none)')} is not pain.002 version 001.03 or 001.10`,
      { path: 'Document' },
    );
  }
  const version = match[1] === '03' ? '001.03' : '001.10';
  const document = XmlNode.of('Document', parsed.root);
  const body = document.requiredChild('CstmrPmtStsRpt');
  const header = body.requiredChild('GrpHdr');
  const original = body.requiredChild('OrgnlGrpInfAndSts');
  const originalMessageType = original.requiredText('OrgnlMsgNmId');
  if (!/^pain\.008\./.test(originalMessageType)) {
    throw new SepaError(
      SepaErrorType.Unsupported,
      `${original.childPath('OrgnlMsgNmId')} is ${JSON.stringify(originalMessageType)}: only status reports on our direct debits (pain.008) are read`,
      { path: original.childPath('OrgnlMsgNmId') },
    );
  }
  const report: PaymentStatusReport = {
    format: 'pain.002',
    version: version satisfies Pain002Version,
    messageId: header.requiredText('MsgId'),
    createdAt: header.dateTime('CreDtTm', true),
    originalMessageId: original.requiredText('OrgnlMsgId'),
    originalMessageType,
    paymentInfos: [],
  };
  const groupStatus = status(original, 'GrpSts');
  if (groupStatus !== undefined) report.groupStatus = groupStatus;
  const groupReason = reasonOf(original);
  if (groupReason !== undefined) report.groupReasonCode = groupReason;
  report.paymentInfos = body.children('OrgnlPmtInfAndSts').map(readPaymentInfo);
  if (report.groupStatus === undefined && report.paymentInfos.length === 0) {
    throw invalidAt(original.childPath('GrpSts'), 'is missing and there is no OrgnlPmtInfAndSts: the report says nothing');
  }
  return report;
}

function readPaymentInfo(node: XmlNode): PaymentStatusPaymentInfo {
  const info: PaymentStatusPaymentInfo = { paymentInfoId: node.requiredText('OrgnlPmtInfId'), transactions: [] };
  const count = node.count('OrgnlNbOfTxs');
  if (count !== undefined) info.numberOfTransactions = count;
  const sum = node.text('OrgnlCtrlSum');
  if (sum !== undefined) {
    const cents = decimalToCents(sum);
    if ('problem' in cents) throw invalidAt(node.childPath('OrgnlCtrlSum'), cents.problem);
    info.controlSumCents = cents.cents;
  }
  const pmtStatus = status(node, 'PmtInfSts');
  if (pmtStatus !== undefined) info.status = pmtStatus;
  const reason = reasonOf(node);
  if (reason !== undefined) info.reasonCode = reason;
  info.transactions = node.children('TxInfAndSts').map(readTransaction);
  return info;
}

function readTransaction(node: XmlNode): PaymentStatusTransaction {
  const tx: PaymentStatusTransaction = {};
  const endToEndId = node.text('OrgnlEndToEndId');
  if (endToEndId !== undefined && endToEndId !== 'NOTPROVIDED') tx.endToEndId = endToEndId;
  const instructionId = node.text('OrgnlInstrId');
  if (instructionId !== undefined) tx.instructionId = instructionId;
  const txStatus = status(node, 'TxSts');
  if (txStatus !== undefined) tx.status = txStatus;
  const reason = reasonOf(node);
  if (reason !== undefined) tx.reasonCode = reason;
  const ref = node.child('OrgnlTxRef');
  const amount = ref?.child('Amt')?.amount('InstdAmt');
  if (amount !== undefined) {
    if (amount.currency !== 'EUR') throw invalidAt(`${ref!.path}/Amt/InstdAmt`, `is in ${amount.currency}: SEPA direct debits are in EUR`);
    tx.amountCents = amount.cents;
  }
  const iban = ref?.child('CdtrAcct')?.child('Id')?.text('IBAN');
  if (iban !== undefined) tx.creditorIban = iban.replace(/\s+/g, '').toUpperCase();
  if (tx.endToEndId === undefined && tx.instructionId === undefined) {
    throw invalidAt(node.childPath('OrgnlEndToEndId'), 'is missing (and there is no OrgnlInstrId): the transaction cannot be identified');
  }
  return tx;
}

function status(node: XmlNode, name: string): string | undefined {
  return node.matching(name, STATUS, 'a 4-letter status code like RJCT', false);
}

/** The first StsRsnInf's Rsn/Cd (or Prtry); several StsRsnInf may explain one status. */
function reasonOf(node: XmlNode): string | undefined {
  for (const info of node.children('StsRsnInf')) {
    const reason = info.child('Rsn');
    const code = reason?.text('Cd') ?? reason?.text('Prtry');
    if (code !== undefined) return code;
  }
  return undefined;
}
