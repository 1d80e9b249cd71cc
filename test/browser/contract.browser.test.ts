/**
 * A contract on a product, in Chromium against the real platform (issue 20): the adviser opens a
 * dossier's service product, fills in a SEPA contract by keyboard with a wrong IBAN (the API's
 * 400 is shown at the IBAN field, nothing is stored), corrects it and saves; the contract shows as
 * running with the masked IBAN, and an invoice of the contract (inserted as the invoice run
 * makes it) appears under it. Then the amount is changed (shown as pending from the next period)
 * and the contract is ended (the end date shows; the API holds both).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newId } from '../../db/ids.js';
import { createOrm } from '../../db/orm.js';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;

beforeAll(async () => {
  session = await openBrowserPlatform();
  ({ platform, page } = session);
});

afterAll(async () => {
  await session?.close();
});

const today = todayInAmsterdam(new Date());
/** The contract starts yesterday (any start works; a past one shows the term's both dates differ from today). */
const start = addDays(today, -1);
const nl = (iso: string) => new Date(`${iso}T00:00:00`).toLocaleDateString('nl-NL');

describe('Contract on a product, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Contract-${suffix}`;
  const goodIban = `NL${ibanCheckDigits('NL', 'ABNA0417164300')}ABNA0417164300`;
  // One digit changed: the check digits no longer fit.
  const badIban = goodIban.replace('0417164300', '0417164301');

  it('creates a SEPA contract (IBAN refused at the field first), sees its invoice, changes the amount and ends it', async () => {
    const dossier = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Cor', lastName, birthDate: '1979-04-05', email: `cor.${suffix}@example.nl` } }],
    });
    expect(dossier.status, JSON.stringify(dossier.body)).toBe(201);
    const product = await platform.api.post(`/dossiers/${dossier.body.id}/products`, { type: 'service', parts: [{ description: 'Abonnement financieel advies' }] });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    const productId = product.body.id as string;

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/dossiers/${dossier.body.id}`);
    const card = page.locator(`[data-product-id="${productId}"]`);
    const section = card.getByRole('region', { name: 'Contract' });
    await waitForText(section, /nog geen contract/);
    await section.getByRole('button', { name: 'Contract vastleggen' }).click();
    const form = section.getByRole('form', { name: 'Contract vastleggen' });

    // By keyboard: focus the first field and Tab through the form.
    await form.getByRole('textbox', { name: /^Omschrijving/ }).focus();
    await page.keyboard.type('Abonnement financieel advies');
    await page.keyboard.press('Tab');
    await page.keyboard.type('25,00');
    await form.getByRole('combobox', { name: /^Factuurperiode/ }).selectOption('month');
    await form.getByLabel(/^Ingangsdatum/).fill(start);
    await form.getByRole('combobox', { name: /^Betaalwijze/ }).selectOption('sepa');
    await form.getByRole('textbox', { name: /^Machtigingskenmerk/ }).fill(`MND-${suffix}`);
    await form.getByLabel(/^Getekend op/).fill(addDays(today, -3));
    const ibanField = form.getByRole('textbox', { name: /^IBAN/ });
    await ibanField.fill(badIban);
    await form.getByRole('textbox', { name: /^Rekeninghouder/ }).fill(`C. ${lastName}`);
    await form.getByRole('button', { name: 'Contract opslaan' }).focus();
    await page.keyboard.press('Enter');

    await expect.poll(() => ibanField.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await ibanField.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    await waitForText(page.locator(`[id="${errorId}"]`), /check digits|IBAN/i);
    expect((await platform.api.get(`/contracts?productId=${productId}`)).body.items).toEqual([]);
    await screenshot(page, 'contract-iban-refused');

    await ibanField.fill(goodIban);
    await form.getByRole('button', { name: 'Contract opslaan' }).click();
    await waitForText(section.getByTestId('contract-status'), /^Lopend$/);
    await waitForText(section.getByTestId('contract-terms'), new RegExp(`Automatische incasso, machtiging MND-${suffix}.*\\*+4300`));
    const stored = (await platform.api.get(`/contracts?productId=${productId}`)).body.items as { id: string; amountCents: number; paymentMethod: string }[];
    expect(stored).toEqual([expect.objectContaining({ amountCents: 2500, paymentMethod: 'sepa' })]);
    const contractId = stored[0]!.id;

    // The first period's invoice, as the office's invoice run makes it (at 06:00 Amsterdam time on
    // its date, so not within this test at every hour; services/billing tests cover the run). It
    // is inserted with SQL and must show under this contract, and only there.
    const invoiceId = newId();
    const number = `2026-${suffix.toUpperCase()}`;
    const orm = await createOrm(process.env.DATABASE_URL ?? '');
    try {
      await orm.em.fork().execute(
        `insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
           net_cents, vat_cents, total_cents, status, payment_method, delivery, workflow_id)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2500, 525, 3025, 'sent', 'sepa', 'email', ?)`,
        [invoiceId, `test:${invoiceId}`, platform.officeId, contractId, dossier.body.id, productId, number, start, addDays(start, 14), start, addDays(start, 30), `invoice:${invoiceId}`],
      );
    } finally {
      await orm.close(true);
    }
    const invoiceRow = section.getByRole('table', { name: 'Facturen van dit contract' }).getByRole('row').filter({ hasText: number });
    await waitForText(invoiceRow, new RegExp(`${number}.*Verzonden.*€\\s30,25`));
    await screenshot(page, 'contract-created');

    // Change the amount: it applies from the next period.
    await section.getByText('Contract wijzigen', { exact: true }).click();
    const change = section.getByRole('form', { name: 'Contract wijzigen' });
    await change.getByRole('textbox', { name: /^Nieuw bedrag/ }).fill('30,00');
    await change.getByRole('button', { name: 'Wijziging opslaan' }).click();
    await waitForText(section.getByTestId('contract-terms'), /wordt €\s30,00 vanaf/);

    // End it: the last day shows in the term.
    const endDate = addDays(today, 40);
    await section.getByText('Contract beëindigen', { exact: true }).click();
    const end = section.getByRole('form', { name: 'Contract beëindigen' });
    await end.getByLabel(/^Laatste dag van het contract/).fill(endDate);
    await end.getByRole('button', { name: 'Einddatum vastleggen' }).click();
    await waitForText(section.getByTestId('contract-term'), new RegExp(`${nl(start).replace(/\./g, '\\.')} – ${nl(endDate).replace(/\./g, '\\.')}`));
    const after = await platform.api.get(`/contracts/${contractId}`);
    expect(after.body).toMatchObject({ amountCents: 2500, pendingAmountCents: 3000, endDate });
    await screenshot(page, 'contract-changed-and-ended');
  }, 240_000);
});
