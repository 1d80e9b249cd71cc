/**
 * Billing end to end, over HTTP only, against the real parts: three SEPA contracts invoice
 * themselves (contract and invoice workflows on the real worker process), a pain.008 export goes
 * to the simulated bank (its own HTTP server), the bank's camt.053 comes back with one MD06
 * return, and the import books it: the reversed invoice changes status at once and its
 * reminder mail reaches the SMTP peer. Importing the same camt again changes nothing.
 *
 * Then the other ways banks write statements, each from the simulated bank over HTTP: one
 * credit per PmtInf with only NtryDtls/Btch (no per-transaction credit) in .001.08 with the
 * return in a later camt.054 and a reject in a pain.002 before the credit; and a batch with
 * TxDtls whose return arrives in a camt.054 BEFORE the credit statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { nextTargetBusinessDay } from '../../integrations/sepa/calendar.js';
import { startBankSimulator, type BankSimulator } from '../../simulators/bank/index.js';
import { startE2ePlatform, type E2ePlatform, type HttpResult } from '../helpers/e2e-platform.js';
import { historySettled } from '../helpers/history.js';

let platform: E2ePlatform;
let bank: BankSimulator;
const bankToken = 'bank-e2e-token';
const iban = (bankCode: string, account: string): string => `NL${ibanCheckDigits('NL', `${bankCode}${account}`)}${bankCode}${account}`;
const creditorIban = iban('ABNA', '0417164300');

beforeAll(async () => {
  platform = await startE2ePlatform();
  bank = await startBankSimulator({ port: 0, token: bankToken, accountIban: creditorIban, log: () => undefined });
});

afterAll(async () => {
  await bank?.stop();
  await platform?.stop();
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Client {
  email: string;
  productId: string;
  contractId: string;
  invoiceId: string;
  invoiceNumber: string;
}

async function contractFor(n: number, suffix: string): Promise<Client> {
  const { api } = platform;
  const email = `klant${n}.${suffix}@example.nl`;
  const dossier = await api.post('/dossiers', {
    applicants: [{ person: { firstName: `Klant${n}`, lastName: `Incasso-${suffix}`, birthDate: `198${n}-02-0${n}`, email } }],
  });
  expect(dossier.status, JSON.stringify(dossier.body)).toBe(201);
  const product = await api.post(`/dossiers/${dossier.body.id}/products`, { type: 'service', parts: [{ description: 'Abonnement hypotheekservice' }] });
  expect(product.status, JSON.stringify(product.body)).toBe(201);
  const today = todayInAmsterdam(new Date());
  const contract = await api.post(`/products/${product.body.id}/contract`, {
    description: 'Servicepakket hypotheek',
    amountCents: 2_500,
    vatRate: 21,
    period: 'month',
    startDate: addDays(today, -1),
    paymentMethod: 'sepa',
    mandate: { id: `MANDAAT-${suffix}-${n}`, signedOn: addDays(today, -10), iban: iban('RABO', `03000000${n}${n}`), name: `Klant${n} Incasso` },
    delivery: 'email',
  });
  expect(contract.status, JSON.stringify(contract.body)).toBe(201);
  const invoice = await until(`the first invoice of contract ${n}`, async () => {
    const list = await api.get(`/invoices?contractId=${contract.body.id}`);
    const first = (list.body.items as { id: string; number: string; status: string }[] | undefined)?.[0];
    return first && first.status === 'sent' ? first : undefined;
  });
  return { email, productId: product.body.id, contractId: contract.body.id, invoiceId: invoice.id, invoiceNumber: invoice.number };
}

const status = async (invoiceId: string): Promise<string> => (await platform.api.get(`/invoices/${invoiceId}`)).body.status as string;

/** Waits until the invoice is in `expected` with `openCents` open, and returns its booking lines as kind:reason:amount. */
async function settledAs(c: Client, expected: string, openCents: number): Promise<string[]> {
  const detail = await until(`${c.invoiceNumber} ${expected} with ${openCents} open`, async () => {
    const body = (await platform.api.get(`/invoices/${c.invoiceId}`)).body;
    return body.status === expected && body.openCents === openCents ? body : undefined;
  });
  return (detail.bookingLines as { kind: string; reasonCode: string | null; amountCents: number }[]).map((b) => `${b.kind}:${b.reasonCode ?? ''}:${b.amountCents}`);
}

/** Exports every invoice of the office due for collection; waits until `clients` are collection_pending. */
async function exportFor(clients: readonly Client[]): Promise<{ xml: string; endToEnd: (c: Client) => string }> {
  const { api } = platform;
  const exported = await api.post('/billing/sepa-exports', { collectionDate: nextTargetBusinessDay(todayInAmsterdam(new Date()), true) });
  expect(exported.status, JSON.stringify(exported.body)).toBe(201);
  const rows = exported.body.invoices as { invoiceId: string; endToEndId: string }[];
  expect(rows.map((r) => r.invoiceId).sort()).toEqual(clients.map((c) => c.invoiceId).sort());
  const xml = await platform.send(`/billing/sepa-exports/${exported.body.id}/xml`, { method: 'GET', token: platform.tokens.adviser });
  for (const c of clients) await until(`${c.invoiceNumber} pending`, async () => ((await status(c.invoiceId)) === 'collection_pending' ? true : undefined));
  return { xml: String(xml.body), endToEnd: (c) => rows.find((r) => r.invoiceId === c.invoiceId)!.endToEndId };
}

/** The pain.008 to the simulated bank; the files it delivers, in its order, fetched over HTTP. */
async function collectAtBank(xml: string): Promise<{ kind: string; xml: string }[]> {
  const auth = { authorization: `Bearer ${bankToken}` };
  const posted = await fetch(bank.collectionsUrl, { method: 'POST', headers: { ...auth, 'content-type': 'application/xml' }, body: xml });
  expect(posted.status).toBe(202);
  const { files } = (await posted.json()) as { files: { kind: string; url: string }[] };
  return Promise.all(files.map(async (f) => ({ kind: f.kind, xml: await (await fetch(f.url, { headers: auth })).text() })));
}

async function importBankFile(xml: string, expectedStatus = 201): Promise<Record<string, unknown>> {
  const res = await platform.send('/billing/bank-imports', { token: platform.tokens.adviser, contentType: 'application/xml', body: xml });
  expect(res.status, JSON.stringify(res.body)).toBe(expectedStatus);
  return res.body as Record<string, unknown>;
}

/** The simulated bank's reporting, set over its HTTP admin endpoint. */
async function bankReports(reporting: Record<string, string>, rules: unknown[]): Promise<void> {
  const put = (path: string, body: unknown) => fetch(`${bank.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await put('/admin/reporting', reporting)).status).toBe(200);
  expect((await put('/admin/returns', rules)).status).toBe(200);
}

describe('billing over HTTP: contracts, SEPA export, bank statement with a storno', () => {
  it('invoices three contracts, collects them, and a returned collection (MD06) reverses its invoice at once', async () => {
    const { api } = platform;
    const nationalId = '123456780000';
    const creditorId = `NL${creditorIdCheckDigits('NL', nationalId)}ZZZ${nationalId}`;
    const settings = await platform.send('/billing/settings', {
      method: 'PUT',
      token: platform.tokens.admin,
      contentType: 'application/json',
      body: JSON.stringify({ reminderMode: 'workflow', paymentTermDays: 14, creditor: { name: 'E2E Advies B.V.', iban: creditorIban, creditorId } }),
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);

    const suffix = Math.random().toString(36).slice(2, 7);
    const clients = [await contractFor(1, suffix), await contractFor(2, suffix), await contractFor(3, suffix)];
    for (const c of clients) {
      const invoice = await api.get(`/invoices/${c.invoiceId}`);
      expect(invoice.body).toMatchObject({ netCents: 2_500, vatCents: 525, totalCents: 3_025 });
      const pdf = await api.getBytes(`/invoices/${c.invoiceId}/pdf`);
      expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
      await until(`the invoice mail to ${c.email}`, async () => ((await platform.mailsTo(c.email)).some((m) => m.subject.includes(c.invoiceNumber)) ? true : undefined));
      // The product card shows the last and next invoice date.
      const product = await api.get(`/products/${c.productId}`);
      expect(product.body.contract.lastInvoiceDate).toBe(todayInAmsterdam(new Date()));
      expect(product.body.contract.nextInvoiceDate).toBeTruthy();
    }

    // The export: FRST for these new mandates, on the next SEPA business day.
    const collectionDate = nextTargetBusinessDay(todayInAmsterdam(new Date()), true);
    const exported = await api.post('/billing/sepa-exports', { collectionDate });
    expect(exported.status, JSON.stringify(exported.body)).toBe(201);
    const xml = await platform.send(`/billing/sepa-exports/${exported.body.id}/xml`, { method: 'GET', token: platform.tokens.adviser });
    expect(xml.status).toBe(200);
    const painXml = String(xml.body);
    expect(painXml).toContain('<SeqTp>FRST</SeqTp>');
    expect(exported.body.transactions).toBe(3);
    for (const c of clients) await until(`${c.invoiceNumber} pending`, async () => ((await status(c.invoiceId)) === 'collection_pending' ? true : undefined));

    // The bank: the second client's bank returns the collection (MD06, refund on request).
    const returned = clients[1]!;
    const e2e = (await api.get(`/invoices/${returned.invoiceId}`)).body.endToEndId as string;
    expect(e2e).toBeTruthy();
    bank.setReturnRules([{ endToEndId: e2e, reason: 'MD06' }]);
    const posted = await fetch(bank.collectionsUrl, { method: 'POST', headers: { authorization: `Bearer ${bankToken}`, 'content-type': 'application/xml' }, body: painXml });
    expect(posted.status).toBe(202);
    const { statementUrl } = (await posted.json()) as { statementUrl: string };
    const camt = await (await fetch(new URL(statementUrl, bank.url), { headers: { authorization: `Bearer ${bankToken}` } })).text();
    expect(camt).toContain('MD06');

    const imported = await platform.send('/billing/bank-imports', { token: platform.tokens.adviser, contentType: 'application/xml', body: camt });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.booked).toBe(4); // three collections, one reversal

    for (const c of [clients[0]!, clients[2]!]) await until(`${c.invoiceNumber} collected`, async () => ((await status(c.invoiceId)) === 'collected' ? true : undefined));
    await until(`${returned.invoiceNumber} reversed`, async () => ((await status(returned.invoiceId)) === 'reversed' ? true : undefined));
    const detail = (await api.get(`/invoices/${returned.invoiceId}`)).body;
    expect(detail.openCents).toBe(3_025);
    expect((detail.bookingLines as { kind: string; reasonCode: string | null }[]).map((b) => `${b.kind}:${b.reasonCode ?? ''}`)).toEqual(['collection:', 'reversal:MD06']);

    // Its reminder mail (the storno notice) reaches the client; the others get none.
    const stornoMail = await until('the storno mail', async () => (await platform.mailsTo(returned.email)).find((m) => /teruggeboekt/.test(m.subject)));
    expect(stornoMail.text).toContain(returned.invoiceNumber);
    expect(stornoMail.text).toContain('MD06');
    for (const c of [clients[0]!, clients[2]!]) expect((await platform.mailsTo(c.email)).filter((m) => /teruggeboekt/.test(m.subject))).toEqual([]);

    // The same camt again: the same answer, nothing booked, nothing mailed.
    const again = await platform.send('/billing/bank-imports', { token: platform.tokens.adviser, contentType: 'application/xml', body: camt });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: imported.body.id, duplicate: true });
    // Whatever the duplicate delivered (bookings still owed) has been handled once the invoice's
    // workflow has no open task or activity: the explicit state, not a one-second pause.
    const invoiceRun = platform.temporal.client.workflow.getHandle(workflowIds.invoice(returned.invoiceId));
    await until('the invoice workflow to settle', async () => (historySettled(await invoiceRun.fetchHistory()) ? true : undefined));
    expect((await api.get(`/invoices/${returned.invoiceId}`)).body.bookingLines).toHaveLength(2);
    expect(await status(returned.invoiceId)).toBe('reversed');
    expect((await platform.mailsTo(returned.email)).filter((m) => /teruggeboekt/.test(m.subject))).toHaveLength(1);
  });

  it('batch only in .001.08 with a reject (pain.002) before it and the return (MD06) in a later camt.054: every invoice as the money says', async () => {
    const suffix = Math.random().toString(36).slice(2, 7);
    const clients = [await contractFor(4, suffix), await contractFor(5, suffix), await contractFor(6, suffix)];
    const [rejected, fine, returned] = clients as [Client, Client, Client];
    const { xml, endToEnd } = await exportFor(clients);
    await bankReports({ credit: 'batch', returns: 'later', version: '001.08' }, [
      { endToEndId: endToEnd(rejected), reason: 'MS02', stage: 'reject' },
      { endToEndId: endToEnd(returned), reason: 'MD06' },
    ]);
    const files = await collectAtBank(xml);
    expect(files.map((f) => f.kind)).toEqual(['status-report', 'statement', 'returns']);
    expect(files[1]!.xml).toContain('camt.053.001.08');
    expect(files[1]!.xml).not.toContain('<TxDtls>');

    expect(await importBankFile(files[0]!.xml)).toMatchObject({ format: 'pain.002', booked: 1, unmatched: [] });
    expect(await settledAs(rejected, 'reversed', 3_025)).toEqual(['rejection:MS02:3025']);
    // The batch credit: the two collections that were not rejected, by count and total.
    expect(await importBankFile(files[1]!.xml)).toMatchObject({ format: 'camt.053', entries: 1, booked: 2, unmatched: [] });
    expect(await settledAs(fine, 'collected', 0)).toEqual(['collection::3025']);
    expect(await settledAs(returned, 'collected', 0)).toEqual(['collection::3025']);
    // The return, a file later.
    expect(await importBankFile(files[2]!.xml)).toMatchObject({ format: 'camt.054', booked: 1, unmatched: [] });
    expect(await settledAs(returned, 'reversed', 3_025)).toEqual(['collection::3025', 'reversal:MD06:3025']);
    await until('the storno mail', async () => (await platform.mailsTo(returned.email)).find((m) => /teruggeboekt/.test(m.subject)));

    // Each file again: nothing changes.
    for (const f of files) expect(await importBankFile(f.xml, 200)).toMatchObject({ duplicate: true });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await settledAs(rejected, 'reversed', 3_025)).toEqual(['rejection:MS02:3025']);
    expect(await settledAs(fine, 'collected', 0)).toEqual(['collection::3025']);
    expect(await settledAs(returned, 'reversed', 3_025)).toEqual(['collection::3025', 'reversal:MD06:3025']);

    // The reconciliation of the statement: one batch, booked for both invoices.
    const list = await platform.api.get('/billing/bank-imports');
    const statementImport = (list.body.items as { id: string; format: string; booked: number }[]).find((i) => i.format === 'camt.053' && i.booked === 2)!;
    const detail = await platform.api.get(`/billing/bank-imports/${statementImport.id}`);
    expect(detail.body.items).toEqual([expect.objectContaining({ kind: 'batch', outcome: 'booked', transactions: 2, amountCents: 6_050 })]);
  });

  it('batch + TxDtls whose return (AC04) arrives in a camt.054 BEFORE the credit statement', async () => {
    const suffix = Math.random().toString(36).slice(2, 7);
    const clients = [await contractFor(7, suffix), await contractFor(8, suffix)];
    const [fine, returned] = clients as [Client, Client];
    const { xml, endToEnd } = await exportFor(clients);
    await bankReports({ credit: 'batch-details', returns: 'before-credit', version: '001.02' }, [{ endToEndId: endToEnd(returned), reason: 'AC04' }]);
    const files = await collectAtBank(xml);
    expect(files.map((f) => f.kind)).toEqual(['returns', 'statement']);
    expect(files[1]!.xml).toContain('<Btch>');
    expect(files[1]!.xml).toContain('<TxDtls>');

    expect(await importBankFile(files[0]!.xml)).toMatchObject({ format: 'camt.054', booked: 1, unmatched: [] });
    expect(await importBankFile(files[1]!.xml)).toMatchObject({ format: 'camt.053', booked: 2, unmatched: [] });
    expect(await settledAs(fine, 'collected', 0)).toEqual(['collection::3025']);
    expect(await settledAs(returned, 'reversed', 3_025)).toEqual(['reversal:AC04:3025', 'collection::3025']);
    for (const f of files) expect(await importBankFile(f.xml, 200)).toMatchObject({ duplicate: true });
    await bankReports({ credit: 'transactions', returns: 'with-credit', version: '001.02' }, []);
  });

  it('refuses a malformed camt, an invalid IBAN and a negative amount with a readable reason, booking nothing', async () => {
    const { api } = platform;
    const bad: HttpResult = await platform.send('/billing/bank-imports', {
      token: platform.tokens.adviser,
      contentType: 'application/xml',
      body: '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr>',
    });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    expect(String(bad.body.detail)).not.toBe('');

    const dossier = await api.post('/dossiers', { applicants: [{ person: { firstName: 'Foute', lastName: `Invoer-${Date.now()}`, birthDate: '1970-01-01' } }] });
    const product = await api.post(`/dossiers/${dossier.body.id}/products`, { type: 'service', parts: [{ description: 'x' }] });
    const today = todayInAmsterdam(new Date());
    const base = { description: 'Abonnement', vatRate: 21, period: 'month', startDate: today, paymentMethod: 'sepa', delivery: 'email' };
    const wrongIban = await api.post(`/products/${product.body.id}/contract`, {
      ...base,
      amountCents: 1_000,
      mandate: { id: 'M-1', signedOn: today, iban: 'NL91ABNA0417164301', name: 'X' },
    });
    expect(wrongIban.status).toBe(400);
    expect(String(wrongIban.body.detail)).toMatch(/IBAN/);
    const negative = await api.post(`/products/${product.body.id}/contract`, {
      ...base,
      amountCents: -1_000,
      mandate: { id: 'M-1', signedOn: today, iban: creditorIban, name: 'X' },
    });
    expect(negative.status).toBe(400);
    expect((await api.get(`/contracts?productId=${product.body.id}`)).body.items).toEqual([]);
  });
});
