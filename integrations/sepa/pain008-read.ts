/**
 * Reader for pain.008.001.02 / .001.08 (direct-debit initiation): used by the simulated bank to
 * take our batches, and by buildPain008 to verify what the library wrote. Untrusted input: the
 * same guards as camt (integrations/xml). Checks what a bank checks first: the namespace, PmtMtd DD,
 * and that NbOfTxs / CtrlSum add up, at group and at PmtInf level.
 */
import { centsToDecimal } from './amount.js';
import { XmlNode, invalidAt, parseSepaXml, withSepaErrors } from './xml-read.js';
import {
  SepaError,
  SepaErrorType,
  localInstruments,
  sequenceTypes,
  type LocalInstrument,
  type Pain008Version,
  type SepaParseLimits,
  type SequenceType,
} from './types.js';

export interface Pain008Transaction {
  instructionId?: string;
  endToEndId: string;
  amountCents: number;
  currency: string;
  mandateId: string;
  mandateSignedOn: string;
  debtor: { name: string; iban: string; bic?: string };
  remittance?: string;
}

export interface Pain008PaymentInfo {
  id: string;
  sequenceType: SequenceType;
  localInstrument: LocalInstrument;
  collectionDate: string;
  batchBooking?: boolean;
  creditor: { name: string; iban: string; bic?: string; creditorId: string };
  transactions: Pain008Transaction[];
}

export interface Pain008Document {
  version: Pain008Version;
  messageId: string;
  /** GrpHdr/CreDtTm as written. */
  createdAt: string;
  numberOfTransactions: number;
  controlSumCents: number;
  initiatingPartyName?: string;
  paymentInfos: Pain008PaymentInfo[];
}

const NAMESPACE_PREFIX = 'urn:iso:std:iso:20022:tech:xsd:pain.008.';
const LABEL = 'pain.008 document';

export function readPain008(xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): Pain008Document {
  return withSepaErrors(() => readDocument(xml, limits));
}

function readDocument(xml: string | Uint8Array, limits?: Partial<SepaParseLimits>): Pain008Document {
  const parsed = parseSepaXml(xml, LABEL, limits);
  if (parsed.rootName !== 'Document') throw invalidAt(parsed.rootName, 'is not a pain.008 document: the root element must be <Document>');
  const version = versionOf(parsed.namespace);
  const document = XmlNode.of('Document', parsed.root);
  const initiation = document.requiredChild('CstmrDrctDbtInitn');
  const header = initiation.requiredChild('GrpHdr');
  const paymentInfos = initiation.children('PmtInf').map((pi) => readPaymentInfo(pi, version));
  if (paymentInfos.length === 0) throw invalidAt(initiation.childPath('PmtInf'), 'is missing');

  const result: Pain008Document = {
    version,
    messageId: header.requiredText('MsgId'),
    createdAt: header.dateTime('CreDtTm', true),
    numberOfTransactions: header.count('NbOfTxs', true),
    controlSumCents: controlSum(header, true),
    paymentInfos,
  };
  const initiator = header.at('InitgPty')?.text('Nm');
  if (initiator !== undefined) result.initiatingPartyName = initiator;

  const all = paymentInfos.flatMap((pi) => pi.transactions);
  checkTotals(header, all.length, all.reduce((sum, tx) => sum + tx.amountCents, 0), result.numberOfTransactions, result.controlSumCents);
  const seen = new Set<string>();
  for (const tx of all) {
    if (seen.has(tx.endToEndId)) throw new SepaError(SepaErrorType.Invalid, `${LABEL}: EndToEndId ${JSON.stringify(tx.endToEndId)} occurs more than once`);
    seen.add(tx.endToEndId);
  }
  return result;
}

function versionOf(namespace: string | undefined): Pain008Version {
  if (namespace === `${NAMESPACE_PREFIX}001.02`) return '001.02';
  if (namespace === `${NAMESPACE_PREFIX}001.08`) return '001.08';
  throw new SepaError(
    SepaErrorType.Unsupported,
    `${LABEL}: namespace ${JSON.stringify(namespace ?? '(none)')} is not pain.008.001.02 or pain.008.001.08`,
    { path: 'Document' },
  );
}

function controlSum(node: XmlNode, required: boolean): number {
  const text = node.text('CtrlSum');
  if (text === undefined) {
    if (required) throw invalidAt(node.childPath('CtrlSum'), 'is missing');
    return -1;
  }
  // CtrlSum has no currency attribute; read it like an amount.
  const m = /^([0-9]{1,15})(?:\.([0-9]{1,2}))?$/.exec(text);
  if (!m) throw invalidAt(node.childPath('CtrlSum'), `must be a decimal sum like "123.45", got ${JSON.stringify(text.slice(0, 40))}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function checkTotals(node: XmlNode, count: number, sumCents: number, declaredCount: number | undefined, declaredSum: number): void {
  if (declaredCount !== undefined && declaredCount !== count) {
    throw invalidAt(node.childPath('NbOfTxs'), `says ${declaredCount} transactions, there are ${count}`);
  }
  if (declaredSum >= 0 && declaredSum !== sumCents) {
    throw invalidAt(node.childPath('CtrlSum'), `says ${centsToDecimal(declaredSum)}, the transactions add up to ${centsToDecimal(sumCents)}`);
  }
}

function readPaymentInfo(pi: XmlNode, version: Pain008Version): Pain008PaymentInfo {
  pi.oneOf('PmtMtd', ['DD'], true);
  const typeInfo = pi.requiredChild('PmtTpInf');
  const serviceLevel = typeInfo.at('SvcLvl')?.text('Cd');
  if (serviceLevel !== 'SEPA') throw invalidAt(typeInfo.childPath('SvcLvl/Cd'), `must be SEPA, got ${JSON.stringify(serviceLevel ?? '(none)')}`);
  const localInstrument = typeInfo.requiredChild('LclInstrm').oneOf('Cd', localInstruments, true);
  const sequenceType = typeInfo.oneOf('SeqTp', sequenceTypes, true);
  const creditorNode = pi.requiredChild('Cdtr');
  const schemeId = pi.requiredChild('CdtrSchmeId').requiredChild('Id').requiredChild('PrvtId').requiredChild('Othr');
  const creditor: Pain008PaymentInfo['creditor'] = {
    name: creditorNode.requiredText('Nm'),
    iban: pi.requiredChild('CdtrAcct').requiredChild('Id').requiredText('IBAN'),
    creditorId: schemeId.requiredText('Id'),
  };
  const creditorBic = bicOf(pi.child('CdtrAgt'), version);
  if (creditorBic !== undefined) creditor.bic = creditorBic;

  const transactions = pi.children('DrctDbtTxInf').map((tx) => readTransaction(tx, version));
  if (transactions.length === 0) throw invalidAt(pi.childPath('DrctDbtTxInf'), 'is missing');
  const declaredCount = pi.count('NbOfTxs');
  checkTotals(pi, transactions.length, transactions.reduce((s, tx) => s + tx.amountCents, 0), declaredCount, controlSum(pi, false));

  const result: Pain008PaymentInfo = {
    id: pi.requiredText('PmtInfId'),
    sequenceType,
    localInstrument,
    collectionDate: pi.date('ReqdColltnDt', true),
    creditor,
    transactions,
  };
  const batchBooking = pi.boolean('BtchBookg');
  if (batchBooking !== undefined) result.batchBooking = batchBooking;
  return result;
}

function readTransaction(tx: XmlNode, version: Pain008Version): Pain008Transaction {
  const paymentId = tx.requiredChild('PmtId');
  const amount = tx.amount('InstdAmt', true);
  if (amount.cents <= 0) throw invalidAt(tx.childPath('InstdAmt'), 'must be more than 0');
  const mandate = tx.requiredChild('DrctDbtTx').requiredChild('MndtRltdInf');
  const debtor: Pain008Transaction['debtor'] = {
    name: tx.requiredChild('Dbtr').requiredText('Nm'),
    iban: tx.requiredChild('DbtrAcct').requiredChild('Id').requiredText('IBAN'),
  };
  const bic = bicOf(tx.child('DbtrAgt'), version);
  if (bic !== undefined) debtor.bic = bic;
  const result: Pain008Transaction = {
    endToEndId: paymentId.requiredText('EndToEndId'),
    amountCents: amount.cents,
    currency: amount.currency,
    mandateId: mandate.requiredText('MndtId'),
    mandateSignedOn: mandate.date('DtOfSgntr', true),
    debtor,
  };
  const instructionId = paymentId.text('InstrId');
  if (instructionId !== undefined) result.instructionId = instructionId;
  const remittance = tx.child('RmtInf')?.texts('Ustrd').join(' ');
  if (remittance) result.remittance = remittance;
  return result;
}

/** FinInstnId/BIC (.02) or BICFI (.08); Othr/Id NOTPROVIDED means none. */
function bicOf(agent: XmlNode | undefined, version: Pain008Version): string | undefined {
  const institution = agent?.child('FinInstnId');
  if (!institution) return undefined;
  return institution.text(version === '001.08' ? 'BICFI' : 'BIC');
}
