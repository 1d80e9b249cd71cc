/**
 * Credit control in Chromium against the real platform (issue 19's acceptance): the adviser
 * ticks three overdue invoices in the overview (client, payment and delivery method shown), runs
 * "Eerste herinnering" of an action group on exactly those, opens the run's history and downloads
 * one letter, which is the PDF the run stored. A fourth overdue invoice, not ticked, is untouched.
 * Invoices are inserted with SQL (the contract activities make them in production).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newId } from '../../db/ids.js';
import { createOrm, type MikroORM } from '../../db/orm.js';
import { addDays, todayInAmsterdam } from '../../domain/dates.js';
import { ibanCheckDigits } from '../../domain/iban.js';
import { creditorIdCheckDigits } from '../../integrations/sepa/creditor-id.js';
import { startE2ePlatform, type E2ePlatform } from '../helpers/e2e-platform.js';
import { ensureUiBuilt, launchChromium, screenshot, signIn, waitForText } from './support.js';

let platform: E2ePlatform;
let orm: MikroORM;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ensureUiBuilt();
  platform = await startE2ePlatform();
  orm = await createOrm(process.env.DATABASE_URL ?? '');
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await orm?.close(true);
  await platform?.stop();
});

const today = todayInAmsterdam(new Date());
const json = (body: unknown) => ({ contentType: 'application/json', body: JSON.stringify(body) });

describe('Debiteurenbeheer in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Debiteur-${suffix}`;

  it('ticks three overdue invoices, runs "Eerste herinnering", opens the run\'s history and downloads one letter', async () => {
    // The office runs reminders from the module, with a group whose first action is a letter.
    const iban = `NL${ibanCheckDigits('NL', 'ABNA0417164300')}ABNA0417164300`;
    const creditorId = `NL${creditorIdCheckDigits('NL', '123456780000')}ZZZ123456780000`;
    const settings = await platform.send('/billing/settings', {
      method: 'PUT',
      token: platform.tokens.admin!,
      ...json({ reminderMode: 'module', paymentTermDays: 14, creditor: { name: 'E2E Advies B.V.', iban, creditorId } }),
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const group = await platform.send('/billing/action-groups', {
      token: platform.tokens.designer!,
      ...json({
        name: `Herinneringen ${suffix}`,
        actions: [
          { name: 'Eerste herinnering', type: 'letter', template: 'reminder-letter', daysAfterDue: 7, statusAfter: 'reminded' },
          { name: '14-dagenbrief', type: 'letter', daysAfterDue: 21, statusAfter: 'final_notice', fourteenDayLetter: true, audience: 'consumer' },
        ],
      }),
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);

    const dossier = await platform.api.post('/dossiers', { applicants: [{ person: { firstName: 'Dirk', lastName, birthDate: '1980-01-02', email: `dirk.${suffix}@example.nl` } }] });
    expect(dossier.status, JSON.stringify(dossier.body)).toBe(201);
    const product = await platform.api.post(`/dossiers/${dossier.body.id}/products`, { type: 'service', parts: [{ description: 'Abonnement financieel advies' }] });
    expect(product.status).toBe(201);
    const contract = await platform.api.post(`/products/${product.body.id}/contract`, {
      description: 'Abonnement financieel advies',
      amountCents: 2500,
      vatRate: 21,
      period: 'month',
      startDate: addDays(today, 60),
      paymentMethod: 'transfer',
      delivery: 'letter',
    });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    const invoices: { id: string; number: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const id = newId();
      const number = `2026-${suffix.toUpperCase()}${i}`;
      const due = addDays(today, -20 - i);
      await orm.em.fork().execute(
        `insert into invoices (id, key, office_id, contract_id, dossier_id, product_id, number, invoice_date, due_date, period_start, period_end,
           net_cents, vat_cents, total_cents, status, payment_method, delivery, workflow_id)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2500, 525, 3025, 'sent', 'transfer', 'letter', ?)`,
        [id, `test:${id}`, platform.officeId, contract.body.id, dossier.body.id, product.body.id, number, addDays(due, -14), due, addDays(due, -14), addDays(due, 16), `invoice:${id}`],
      );
      invoices.push({ id, number });
    }
    const ticked = invoices.slice(0, 3);
    const notTicked = invoices[3]!;

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/billing`);
    await page.getByRole('heading', { name: 'Facturatie', level: 1 }).waitFor();
    // The overview shows the client, payment and delivery method.
    const row = page.getByRole('row').filter({ hasText: ticked[0]!.number });
    await waitForText(row, new RegExp(`Dirk ${lastName}.*Overboeking.*Post`));
    for (const inv of ticked) await page.getByRole('checkbox', { name: `Factuur ${inv.number} selecteren` }).check();
    const reminders = page.getByRole('region', { name: 'Aanmaningsmodule' });
    await reminders.getByLabel('Actiegroep').selectOption({ label: `Herinneringen ${suffix}` });
    await reminders.getByLabel('Actie', { exact: true }).selectOption({ label: 'Eerste herinnering' });
    await screenshot(page, 'credit-control-ticked');
    await reminders.getByRole('button', { name: 'Actie uitvoeren op 3 facturen' }).click();
    await waitForText(reminders.getByRole('status', { name: 'Resultaat van de run' }), /3 van 3 uitgevoerd/);

    await reminders.getByRole('link', { name: 'Historie van deze run' }).click();
    await page.getByRole('heading', { name: /^Aanmaningsrun van/ }).waitFor();
    const executions = page.getByRole('table', { name: 'Uitgevoerde acties' });
    for (const inv of ticked) await waitForText(executions.getByRole('row').filter({ hasText: inv.number }), /Eerste herinnering/);
    expect(await executions.getByRole('row').filter({ hasText: notTicked.number }).count()).toBe(0);
    await screenshot(page, 'credit-control-run-history');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      executions.getByRole('button', { name: `Brief downloaden (factuur ${ticked[0]!.number})` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`aanmaning-${ticked[0]!.number}.pdf`);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Archiving the group (designers and admins: the office manager signs in): no longer offered
    // for a run, the run's history stays readable.
    await page.evaluate(() => sessionStorage.clear());
    await signIn(page, platform.api.url, platform.tokens.admin!);
    await page.goto(`${platform.api.url}/ui/billing`);
    const groups = page.getByRole('region', { name: 'Actiegroepen' });
    page.once('dialog', (dialog) => void dialog.accept());
    await groups.getByRole('button', { name: `Archiveren (Herinneringen ${suffix})` }).click();
    await waitForText(groups.getByRole('row').filter({ hasText: `Herinneringen ${suffix}` }), /Gearchiveerd op/);
    await expect.poll(async () => (await page.getByRole('region', { name: 'Aanmaningsmodule' }).getByRole('option').allTextContents()).join('|')).not.toContain(`Herinneringen ${suffix}`);
    await page.getByRole('region', { name: 'Aanmaningsmodule' }).getByRole('link', { name: /^Bekijken/ }).first().click();
    await waitForText(page.getByRole('table', { name: 'Uitgevoerde acties' }).getByRole('row').filter({ hasText: ticked[1]!.number }), /Eerste herinnering.*Brief downloaden/);

    // The API says the same: the run acted on exactly the three ticked invoices.
    const runs = await platform.api.get('/billing/reminder-runs');
    const run = runs.body.items.find((r: { actionGroupId: string }) => r.actionGroupId === group.body.id);
    expect([...run.invoiceIds].sort()).toEqual(ticked.map((i) => i.id).sort());
  });
});
