/** SEPA direct debit: pain.008 out, camt.053/.054 in. See the module files for the rules and decisions. */
export { buildPain008, paymentInfoIdOf } from './pain008.js';
export { readPain008, type Pain008Document, type Pain008PaymentInfo, type Pain008Transaction } from './pain008-read.js';
export { parseCamt, parseCamtStatements, buildCamt053, buildCamt054, buildCamtFile, type BuildCamtOptions, type CamtVersion } from './camt.js';
export { checkDirectDebitBatch } from './rules.js';
export { checkCreditorId, creditorIdCheckDigits, type CreditorIdCheck } from './creditor-id.js';
export { isTargetBusinessDay, nextTargetBusinessDay, targetClosingReason } from './calendar.js';
export { centsToDecimal, decimalToCents, MAX_SEPA_AMOUNT_CENTS } from './amount.js';
export { defaultSepaParseLimits } from './xml-read.js';
export * from './types.js';
export { parsePain002, looksLikePain002 } from './pain002.js';
export { buildPain002 } from './pain002-build.js';
export { buildPain001, readPain001, checkCreditTransfer, type CreditTransferInput, type Pain001Document, type Pain001Transfer } from './pain001.js';
