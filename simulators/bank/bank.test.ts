import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCamt, parseCamtStatements } from '../../integrations/sepa/camt.js';
import { parsePain002 } from '../../integrations/sepa/pain002.js';
import { buildPain008 } from '../../integrations/sepa/pain008.js';
import { iso20022Dir, xsdErrors } from '../../integrations/sepa/testing/support.js';
import type { DirectDebitBatchInput } from '../../integrations/sepa/types.js';
import { startBankSimulator, type BankSimulator } from './index.js';

const TOKEN = 'bank-test-token';
const input = (messageId: string): DirectDebitBatchInput => ({
  ...(JSON.parse(readFileSync(new URL('../../integrations/sepa/fixtures/pain008-input.json', import.meta.url), 'utf8')) as DirectDebitBatchInput),
  messageId,
});

let bank: BankSimulator;
const auth = { authorization: `Bearer ${TOKEN}` };
const post = (xml: string, headers: Record<string, string> = auth) =>
  fetch(`${bank.url}/collections`, { method: 'POST', headers: { 'content-type': 'application/xml', ...headers }, body: xml });

beforeAll(async () => {
  bank = await startBankSimulator({
    port: 0,
    token: TOKEN,
    accountIban: 'NL91ABNA0417164300',
    now: () => new Date('2026-03-06T20:00:00Z'),
  });
});
afterAll(async () => {
  await bank.stop();
});

describe('bank simulator', () => {
  it('collects a batch and reports credits and an MD06 return in camt.053', async () => {
    const rules = await fetch(`${bank.url}/admin/returns`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ endToEndId: 'DF-INV-2026-0103', reason: 'MD06' }]),
    });
    expect(rules.status).toBe(200);

    const accepted = await post(buildPain008(input('BANK-TEST-1')));
    expect(accepted.status).toBe(202);
    const { batchId, transactions, statementUrl } = (await accepted.json()) as { batchId: string; transactions: unknown[]; statementUrl: string };
    expect(transactions).toHaveLength(4);
    expect(statementUrl).toBe(`${bank.url}/statements/${batchId}`);

    const res = await fetch(statementUrl, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const xml = await res.text();
    const statement = parseCamt(xml);
    expect(statement.format).toBe('camt.053');
    expect(statement.accountIban).toBe('NL91ABNA0417164300');
    const [credit, ...returns] = statement.entries;
    expect(credit).toMatchObject({ creditDebit: 'CRDT', amountCents: 12500 + 4995 + 1230 + 99999, bookingDate: '2026-03-05', isReturn: false });
    expect(credit?.transactions.map((t) => [t.endToEndId, t.amountCents])).toEqual([
      ['DF-INV-2026-0101', 12500],
      ['DF-INV-2026-0102', 4995],
      ['DF-INV-2026-0103', 1230],
      ['DF-INV-2026-0104', 99999],
    ]);
    expect(returns).toHaveLength(1);
    expect(returns[0]).toMatchObject({ creditDebit: 'DBIT', isReturn: true, amountCents: 1230, bookingDate: '2026-03-06' });
    expect(returns[0]?.transactions).toEqual([
      {
        endToEndId: 'DF-INV-2026-0103',
        mandateId: 'DF-MANDATE-0003',
        amountCents: 1230,
        remittance: 'Factuur 2026-0103',
        returnReason: 'MD06',
        counterpartyName: 'P. Bakker',
        counterpartyIban: 'NL02ABNA0123456789',
      },
    ]);
    if (iso20022Dir) expect(await xsdErrors(xml, 'camt.053.001.02.xsd', iso20022Dir)).toEqual([]);

    const notification = await fetch(`${statementUrl}?format=camt.054`, { headers: auth });
    const camt054 = parseCamt(await notification.text());
    expect(camt054.format).toBe('camt.054');
    expect(camt054.entries.filter((e) => e.isReturn).map((e) => e.transactions[0]?.returnReason)).toEqual(['MD06']);
  });

  it('matches return rules on remittance text, for batches received after the change', async () => {
    bank.setReturnRules([{ remittanceContains: 'jaarpremie', reason: 'AM04' }]);
    const accepted = await post(buildPain008(input('BANK-TEST-2'), { version: '001.08' }));
    expect(accepted.status).toBe(202);
    const { batchId } = (await accepted.json()) as { batchId: string };
    const statement = parseCamt(await (await fetch(`${bank.url}/statements/${batchId}`, { headers: auth })).text());
    expect(statement.entries.filter((e) => e.isReturn).flatMap((e) => e.transactions.map((t) => [t.endToEndId, t.returnReason]))).toEqual([
      ['DF-INV-2026-0104', 'AM04'],
    ]);
  });

  it('batch only (one Btch entry per PmtInf, no TxDtls), returns in a later camt.054 (.001.08), a reject in a pain.002 left out of the credit', async () => {
    bank.setReturnRules([
      { endToEndId: 'DF-INV-2026-0103', reason: 'MD06' },
      { endToEndId: 'DF-INV-2026-0101', reason: 'AM04', stage: 'reject' },
    ]);
    const accepted = await post(buildPain008(input('BANK-TEST-6')));
    expect(accepted.status).toBe(202);
    // The setting for this batch only, as query parameters of the request.
    const later = await fetch(`${bank.collectionsUrl}?credit=batch&returns=later&version=001.08`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', ...auth },
      body: buildPain008(input('BANK-TEST-7')),
    });
    expect(later.status).toBe(202);
    const answer = (await later.json()) as { batchId: string; reporting: unknown; files: { kind: string; url: string }[] };
    expect(answer.reporting).toEqual({ credit: 'batch', returns: 'later', version: '001.08' });
    expect(answer.files.map((f) => f.kind)).toEqual(['status-report', 'statement', 'returns']);
    expect(answer.files.map((f) => f.url)).toEqual([
      `${bank.url}/statements/${answer.batchId}/status-report`,
      `${bank.url}/statements/${answer.batchId}`,
      `${bank.url}/statements/${answer.batchId}/returns`,
    ]);
    const [reportXml, statementXml, returnsXml] = await Promise.all(answer.files.map(async (f) => (await fetch(f.url, { headers: auth })).text()));

    const report = parsePain002(reportXml!);
    expect(report).toMatchObject({ originalMessageId: 'BANK-TEST-7', originalMessageType: 'pain.008.001.02', groupStatus: 'PART' });
    expect(report.paymentInfos).toEqual([
      {
        paymentInfoId: 'BANK-TEST-7-FRST',
        numberOfTransactions: 2,
        controlSumCents: 12500 + 4995,
        status: 'PART',
        transactions: [{ endToEndId: 'DF-INV-2026-0101', status: 'RJCT', reasonCode: 'AM04', amountCents: 12500, creditorIban: 'NL91ABNA0417164300' }],
      },
    ]);

    expect(statementXml).toContain('urn:iso:std:iso:20022:tech:xsd:camt.053.001.08');
    const statement = parseCamt(statementXml!);
    // One entry per PmtInf, the rejected collection left out, the returned one still credited; no debit here.
    expect(statement.entries.map((e) => [e.creditDebit, e.amountCents, e.transactions.length, e.batches])).toEqual([
      ['CRDT', 4995, 0, [{ messageId: 'BANK-TEST-7', paymentInfoId: 'BANK-TEST-7-FRST', numberOfTransactions: 1, totalCents: 4995, currency: 'EUR', creditDebit: 'CRDT', firstTransaction: 0, transactionCount: 0 }]],
      ['CRDT', 1230 + 99999, 0, [{ messageId: 'BANK-TEST-7', paymentInfoId: 'BANK-TEST-7-RCUR', numberOfTransactions: 2, totalCents: 101229, currency: 'EUR', creditDebit: 'CRDT', firstTransaction: 0, transactionCount: 0 }]],
    ]);
    if (iso20022Dir) expect(await xsdErrors(statementXml!, 'camt.053.001.08.xsd', iso20022Dir)).toEqual([]);

    expect(returnsXml).toContain('urn:iso:std:iso:20022:tech:xsd:camt.054.001.08');
    const returns = parseCamt(returnsXml!);
    expect(returns.format).toBe('camt.054');
    expect(returns.messageId).not.toBe(statement.messageId);
    expect(returns.entries.map((e) => [e.creditDebit, e.isReturn, e.amountCents, e.transactions[0]?.endToEndId, e.transactions[0]?.returnReason])).toEqual([
      ['DBIT', true, 1230, 'DF-INV-2026-0103', 'MD06'],
    ]);
    if (iso20022Dir) expect(await xsdErrors(returnsXml!, 'camt.054.001.08.xsd', iso20022Dir)).toEqual([]);

    // The batch received before (default setting): no status report file, returns in the statement.
    const { batchId: first } = (await accepted.json()) as { batchId: string };
    const plain = parseCamt(await (await fetch(`${bank.url}/statements/${first}`, { headers: auth })).text());
    expect(plain.entries.map((e) => [e.creditDebit, e.amountCents, e.batches === undefined])).toEqual([
      ['CRDT', 4995 + 1230 + 99999, true],
      ['DBIT', 1230, true],
    ]);
    expect((await fetch(`${bank.url}/statements/${first}/returns`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${bank.url}/statements/${first}/status-report`, { headers: auth })).status).toBe(200);
  });

  it('batch with TxDtls and returns delivered before the credit, set over HTTP for batches received afterwards', async () => {
    bank.setReturnRules([{ endToEndId: 'DF-INV-2026-0104', reason: 'AC04' }]);
    const set = await fetch(`${bank.url}/admin/reporting`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credit: 'batch-details', returns: 'before-credit' }),
    });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ reporting: { credit: 'batch-details', returns: 'before-credit', version: '001.02' } });
    const accepted = await post(buildPain008(input('BANK-TEST-8')));
    const { batchId, files } = (await accepted.json()) as { batchId: string; files: { kind: string; url: string }[] };
    expect(files.map((f) => f.kind)).toEqual(['returns', 'statement']);
    expect((await fetch(`${bank.url}/statements/${batchId}/status-report`, { headers: auth })).status).toBe(404);

    const statementXml = await (await fetch(`${bank.url}/statements/${batchId}?format=camt.054`, { headers: auth })).text();
    const [statement] = parseCamtStatements(statementXml);
    expect(statement?.format).toBe('camt.054');
    expect(statement?.entries.map((e) => [e.amountCents, e.batches?.[0]?.paymentInfoId, e.batches?.[0]?.numberOfTransactions, e.transactions.map((t) => t.endToEndId)])).toEqual([
      [12500 + 4995, 'BANK-TEST-8-FRST', 2, ['DF-INV-2026-0101', 'DF-INV-2026-0102']],
      [1230 + 99999, 'BANK-TEST-8-RCUR', 2, ['DF-INV-2026-0103', 'DF-INV-2026-0104']],
    ]);
    if (iso20022Dir) expect(await xsdErrors(statementXml, 'camt.054.001.02.xsd', iso20022Dir)).toEqual([]);
    const returns = parseCamt(await (await fetch(`${bank.url}/statements/${batchId}/returns`, { headers: auth })).text());
    expect(returns.entries.flatMap((e) => e.transactions.map((t) => [t.endToEndId, t.returnReason]))).toEqual([['DF-INV-2026-0104', 'AC04']]);

    // A shape asked on the request overrides the batch's: the returns back in the statement, per transaction.
    const asked = parseCamt(await (await fetch(`${bank.url}/statements/${batchId}?credit=transactions&returns=with-credit`, { headers: auth })).text());
    expect(asked.entries.map((e) => [e.creditDebit, e.amountCents])).toEqual([
      ['CRDT', 12500 + 4995 + 1230 + 99999],
      ['DBIT', 99999],
    ]);
    expect((await fetch(`${bank.url}/statements/${batchId}?credit=weekly`, { headers: auth })).status).toBe(400);

    const bad = await fetch(`${bank.url}/admin/reporting`, { method: 'PUT', body: JSON.stringify({ returns: 'never' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toBe('returns must be one of with-credit, later, before-credit');
    expect(((await (await fetch(`${bank.url}/admin/reporting`)).json()) as { reporting: unknown }).reporting).toEqual({
      credit: 'batch-details',
      returns: 'before-credit',
      version: '001.02',
    });
    bank.setReporting({ credit: 'transactions', returns: 'with-credit' });
    bank.setReturnRules([]);
  });

  it('refuses without token, duplicates, bad XML, foreign accounts and bad rules', async () => {
    expect((await post(buildPain008(input('BANK-TEST-3')), {})).status).toBe(401);
    expect((await fetch(`${bank.url}/statements/BXYZ`, {})).status).toBe(401);
    expect((await fetch(`${bank.url}/statements/BXYZ`, { headers: auth })).status).toBe(404);

    const xml = buildPain008(input('BANK-TEST-4'));
    expect((await post(xml)).status).toBe(202);
    const duplicate = await post(xml);
    expect(duplicate.status).toBe(409);

    const broken = await post(xml.replace('<NbOfTxs>4</NbOfTxs>', '<NbOfTxs>5</NbOfTxs>'));
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { detail: string }).detail).toBe('Document/CstmrDrctDbtInitn/GrpHdr/NbOfTxs says 5 transactions, there are 4');
    expect((await post('<!DOCTYPE x><Document/>')).status).toBe(400);

    const other = input('BANK-TEST-5');
    other.creditor = { ...other.creditor, iban: 'NL20INGB0001234567', bic: 'INGBNL2A' };
    expect((await post(buildPain008(other))).status).toBe(422);

    const badRules = await fetch(`${bank.url}/admin/returns`, { method: 'PUT', body: JSON.stringify([{ reason: 'MD06' }]) });
    expect(badRules.status).toBe(400);
    expect(((await badRules.json()) as { detail: string }).detail).toBe('rule 1: give endToEndId or remittanceContains');
  });
});
