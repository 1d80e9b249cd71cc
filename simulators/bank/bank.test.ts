import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCamt } from '../../integrations/sepa/camt.js';
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
