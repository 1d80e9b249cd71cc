/**
 * SEPA export and bank import screens (issue 20 deliverable 3), in Chromium against the real
 * platform and the simulated bank: two clients with a SEPA mandate get their first invoice; the
 * adviser makes the direct-debit file on the billing page and downloads the pain.008; the bank
 * accepts it and returns one collection (MD06); the adviser uploads the bank's camt.053 and sees
 * the reconciliation: the collection booked, the storno with its reason and the invoice now
 * reversed. A second statement with a transfer that names no invoice shows as not matched, and
 * the adviser matches it to the reversed invoice by hand.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { buildCamt053 } from '../../integrations/sepa/camt-build.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { nextTargetBusinessDay } from '../../integrations/sepa/calendar.js';
import { startBankSimulator, type BankSimulator } from '../../simulators/bank/index.js';
import { createRunInvoices } from '../../services/billing/invoice-run.js';
import { one } from '../../db/sql.js';
import type { MikroORM } from '../../db/orm.js';
import { openOrm } from '../api/support.js';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;
let bank: BankSimulator;
let orm: MikroORM;
const bankToken = 'bank-browser-token';
const iban = (bankCode: string, account: string): string => `NL${ibanCheckDigits('NL', `${bankCode}${account}`)}${bankCode}${account}`;
const creditorIban = iban('ABNA', '0417164300');
const dir = mkdtempSync(path.join(tmpdir(), 'sepa-browser-'));

beforeAll(async () => {
  session = await openBrowserPlatform();
  ({ platform, page } = session);
  bank = await startBankSimulator({ port: 0, token: bankToken, accountIban: creditorIban, log: () => undefined });
  orm = await openOrm();
});

afterAll(async () => {
  await bank?.stop();
  await orm?.close(true);
  await session?.close();
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('SEPA export and bank import in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 7);

  async function client(n: number): Promise<{ invoiceId: string; number: string }> {
    const { api } = platform;
    const dossier = await api.post('/dossiers', { applicants: [{ person: { firstName: `Klant${n}`, lastName: `Incasso-${suffix}`, birthDate: `198${n}-03-0${n}`, email: `klant${n}.${suffix}@example.nl` } }] });
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
    // The office's invoice run of today makes the invoice at 06:00 Amsterdam time. Once the
    // contract workflow has handed the contract to the runs (its next invoice date set), run the
    // run's chunk now, as its activity does: before 06:00 it invoices the contract, after it
    // finds it invoiced already and claims nothing.
    await until(`contract ${n} handed to the invoice runs`, async () => {
      const row = await one<{ next_invoice_date: unknown }>(orm.em.fork(), 'select next_invoice_date from contracts where id = ?', [contract.body.id]);
      return row?.next_invoice_date ? true : undefined;
    });
    await createRunInvoices(orm.em.fork(), { officeId: platform.officeId, date: today, runKey: `invoice-run:${platform.officeId}:${today}`, limit: 50 });
    let last: unknown;
    // Open or sent: either is due for collection (the invoice mail may still be on its way).
    return until(`the first invoice of client ${n}`, async () => {
      const list = await api.get(`/invoices?contractId=${contract.body.id}`);
      last = list.body;
      const first = (list.body.items as { id: string; number: string; status: string }[] | undefined)?.[0];
      return first && (first.status === 'sent' || first.status === 'open') ? { invoiceId: first.id, number: first.number } : undefined;
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}: last answer ${JSON.stringify(last)}`);
    });
  }

  it('exports the pain.008, imports the camt.053 with a storno, and matches an unknown transfer by hand', async () => {
    const nationalId = '123456780000';
    const settings = await platform.send('/billing/settings', {
      method: 'PUT',
      token: platform.tokens.admin,
      contentType: 'application/json',
      body: JSON.stringify({ reminderMode: 'workflow', paymentTermDays: 14, creditor: { name: 'Browser Advies B.V.', iban: creditorIban, creditorId: `NL${creditorIdCheckDigits('NL', nationalId)}ZZZ${nationalId}` } }),
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const paid = await client(1);
    const returned = await client(2);

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Facturatie' }).click();
    await page.getByRole('heading', { name: 'SEPA-incasso', level: 2 }).waitFor();

    // The export: the collection date typed, the file made, both invoices in it.
    await page.getByLabel('Incassodatum').fill(nextTargetBusinessDay(todayInAmsterdam(new Date()), true));
    await page.getByRole('button', { name: 'Incassobestand maken' }).click();
    const exported = page.getByRole('table', { name: 'Geïncasseerde facturen' });
    await exported.waitFor();
    const exportedText = (await exported.textContent()) ?? '';
    expect(exportedText).toContain(paid.number);
    expect(exportedText).toContain(returned.number);
    expect(exportedText).toContain('Eerste (FRST)');
    const returnedE2e = ((await exported.getByRole('row').filter({ hasText: returned.number }).getByRole('cell').nth(3).textContent()) ?? '').trim();
    expect(returnedE2e).not.toBe('');
    await screenshot(page, 'billing-sepa-export');

    // The download is the pain.008 as the API keeps it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'pain.008 downloaden' }).click()]);
    const painPath = path.join(dir, 'pain008.xml');
    await download.saveAs(painPath);
    const pain = readFileSync(painPath, 'utf8');
    expect(pain).toContain('pain.008.001.02');
    expect(pain).toContain(returnedE2e);

    // The bank returns the second collection (MD06) and reports both in one camt.053.
    bank.setReturnRules([{ endToEndId: returnedE2e, reason: 'MD06' }]);
    const posted = await fetch(bank.collectionsUrl, { method: 'POST', headers: { authorization: `Bearer ${bankToken}`, 'content-type': 'application/xml' }, body: pain });
    expect(posted.status).toBeLessThan(300);
    const { statementUrl } = (await posted.json()) as { statementUrl: string };
    const camt = await (await fetch(new URL(statementUrl, bank.url), { headers: { authorization: `Bearer ${bankToken}` } })).text();
    expect(camt).toContain('MD06');
    const camtPath = path.join(dir, 'camt053.xml');
    writeFileSync(camtPath, camt);

    await page.getByLabel(/^Bankbestand \(camt/).setInputFiles(camtPath);
    await page.getByRole('button', { name: 'Importeren', exact: true }).click();
    await page.getByRole('status', { name: 'Resultaat van de import' }).filter({ hasText: /Rekeningafschrift \(camt\.053\) geïmporteerd: [1-9]\d* boeking/ }).waitFor();
    const processed = page.getByRole('table', { name: 'Verwerkte posten' });
    await processed.waitFor();
    // The storno: its reason, and the invoice reversed (the invoice process is told after the import).
    let seen = '';
    await until('the storno to show its reversed invoice', async () => {
      seen = (await processed.textContent().catch(() => '')) ?? '';
      const storno = (await processed.getByRole('row').filter({ hasText: 'Storno' }).textContent().catch(() => '')) ?? '';
      if (storno.includes('MD06') && storno.includes(`${returned.number} (nu Gestorneerd)`)) return true;
      await page.getByRole('table', { name: 'Geïmporteerde bankbestanden' }).getByRole('button', { name: /Afletteren bekijken/ }).first().click();
      return undefined;
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}; the table showed: ${seen}`);
    });
    expect(await processed.textContent()).toContain(paid.number);
    await screenshot(page, 'billing-bank-reconciliation');

    // A transfer that names no invoice: not matched; the adviser matches it to the reversed invoice.
    const today = todayInAmsterdam(new Date());
    const unknown = buildCamt053({
      format: 'camt.053',
      messageId: `STMT-${suffix}-2`,
      createdAt: `${today}T10:00:00`,
      accountIban: creditorIban,
      entries: [
        {
          bookingDate: today,
          amountCents: 3_025,
          currency: 'EUR',
          creditDebit: 'CRDT',
          reversal: false,
          status: 'BOOK',
          isReturn: false,
          bankTransactionCode: { domain: 'PMNT', family: 'RCDT', subFamily: 'ESCT' },
          transactions: [{ remittance: 'abonnement maart', amountCents: 3_025, counterpartyName: 'Klant2 Incasso', counterpartyIban: iban('RABO', '0300000022') }],
        },
      ],
    });
    const unknownPath = path.join(dir, 'camt053-unknown.xml');
    writeFileSync(unknownPath, unknown);
    await page.getByLabel(/^Bankbestand \(camt/).setInputFiles(unknownPath);
    await page.getByRole('button', { name: 'Importeren', exact: true }).click();
    await page.getByRole('status', { name: 'Resultaat van de import' }).filter({ hasText: '0 boekingen, 1 niet gematcht' }).waitFor();
    const item = page.getByRole('group', { name: /^Niet gematcht: Bijschrijving van/ });
    await item.waitFor();
    expect(await item.textContent()).toContain('abonnement maart');
    const invoice = item.getByRole('combobox', { name: 'Factuur' });
    await invoice.locator(`option:has-text("${returned.number}")`).waitFor({ state: 'attached' });
    const value = await invoice.locator(`option:has-text("${returned.number}")`).getAttribute('value');
    await invoice.selectOption(value!);
    await item.getByRole('textbox', { name: 'Toelichting' }).fill('Klant betaalde na de storno per overboeking');
    await item.getByRole('button', { name: 'Matchen' }).click();
    await page.getByRole('table', { name: 'Verwerkte posten' }).filter({ hasText: 'Handmatig gematcht' }).waitFor();
    await page.getByText('Alle posten zijn gematcht.').waitFor();
    await screenshot(page, 'billing-bank-match-by-hand');
    await until('the reversed invoice paid by the transfer', async () => {
      const body = (await platform.api.get(`/invoices/${returned.invoiceId}`)).body as { openCents: number };
      return body.openCents === 0 ? true : undefined;
    });
  });
});
