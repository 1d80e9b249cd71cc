/**
 * The simulated bank executes a credit transfer file (pain.001, issue 21's pay-outs): it reads
 * the file with its own guards and answers the debtor's statement (camt.053) with one booked
 * debit per transfer, carrying the EndToEndId, as Dutch banks report a non-batch transfer.
 */
import { buildCamt053, readPain001, type BankStatement, type CamtVersion } from '../../integrations/sepa/index.js';

export function transferStatement(pain001: string, opts: { bookedOn: string; statementId: string; version?: CamtVersion; amountCents?: (endToEndId: string, asked: number) => number }): string {
  const file = readPain001(pain001);
  const statement: BankStatement = {
    format: 'camt.053',
    messageId: opts.statementId,
    createdAt: `${opts.bookedOn}T18:00:00`,
    statementId: opts.statementId,
    accountIban: file.debtorIban,
    entries: file.transfers.map((t, i) => {
      const amountCents = opts.amountCents ? opts.amountCents(t.endToEndId, t.amountCents) : t.amountCents;
      return {
        entryRef: `${opts.statementId}-${i + 1}`,
        bookingDate: opts.bookedOn,
        valueDate: opts.bookedOn,
        amountCents,
        currency: t.currency,
        creditDebit: 'DBIT' as const,
        reversal: false,
        status: 'BOOK',
        bankTransactionCode: { domain: 'PMNT', family: 'ICDT', subFamily: 'ESCT' },
        isReturn: false,
        transactions: [{ endToEndId: t.endToEndId, amountCents, counterpartyName: t.creditor.name, counterpartyIban: t.creditor.iban, ...(t.remittance ? { remittance: t.remittance } : {}) }],
      };
    }),
  };
  return buildCamt053(statement, { version: opts.version ?? '001.02' });
}
