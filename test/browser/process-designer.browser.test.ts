/**
 * The designer's workbench in Chromium against the real platform: the demo designer starts a
 * draft of the service process, adds a step, sees the validation problem at the field it
 * points to (and in the summary, whose link focuses the field), fixes it, dry-runs the draft
 * with a script and sees the status trail, compares it with the published version, publishes
 * the next version and migrates a running product (made through the API) after a preview.
 *
 * The process definitions are shared by every test on the database, so the step gets a code
 * of its own and the versions are read, not assumed (v2 on a fresh database).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;

beforeAll(async () => {
  session = await openBrowserPlatform();
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe("the designer's workbench, in Chromium", () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const stepCode = `welkom-${suffix}`;

  it('adds a step, fixes the problem shown at its field, dry-runs, publishes the next version and migrates a running product', async () => {
    const { platform, page } = session;
    const designer = platform.tokens.designer!;
    expect(designer).toBeTruthy();
    // A draft another run left behind would be edited instead of a fresh one.
    await platform.send('/process-drafts/service', { method: 'DELETE', token: designer });
    const versions = await platform.api.get('/process-definitions/service/versions');
    expect(versions.status).toBe(200);
    const current = versions.body.items.at(-1).version as number;
    const next = current + 1;

    // A running service product (on the current version) of the designer's office.
    const n = 1000 + Math.floor(Math.random() * 8999);
    const dossier = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Mila', lastName: `Migratie-${suffix}`, birthDate: '1985-02-03', email: `mila.${suffix}@example.nl`, address: { street: 'Dorpsstraat', houseNumber: n, postcode: `${n} AB`, city: 'Utrecht' } } }],
    });
    expect(dossier.status, JSON.stringify(dossier.body)).toBe(201);
    const product = await platform.api.post(`/dossiers/${dossier.body.id}/products`, { type: 'service', parts: [{ description: 'Dienstverlening' }] });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    const productId = product.body.id as string;
    expect((await platform.api.get(`/products/${productId}`)).body.processVersion).toBe(current);

    await signIn(page, platform.api.url, designer);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Processen' }).click();
    const card = page.getByRole('article', { name: 'Dienst (Dienst) · service', exact: true });
    await card.getByRole('button', { name: `Concept starten vanaf versie ${current}` }).click();
    await card.getByRole('heading', { name: new RegExp(`Concept voor versie ${next}`) }).waitFor();

    // Add a step with a code that breaks the rule (capitals and a space), allowed from 'Stukkenlijst gekozen'.
    const stepCount = await card.getByRole('group', { name: /^Stap \d+:/ }).count();
    await card.getByRole('button', { name: 'Stap toevoegen' }).click();
    const stepGroup = card.getByRole('group', { name: new RegExp(`^Stap ${stepCount + 1}:`) });
    await stepGroup.getByLabel('Code').fill('Welkom gesprek');
    await stepGroup.getByLabel('Omschrijving').fill('Welkomstgesprek');
    await stepGroup.getByRole('group', { name: 'Toegestaan vanuit' }).getByLabel('Stukkenlijst gekozen').check();
    await card.getByRole('button', { name: 'Concept opslaan' }).click();

    // The problem shows at the Code field (aria-invalid, described by the message) and in the summary.
    const code = stepGroup.getByLabel('Code');
    await expect.poll(() => code.getAttribute('aria-invalid'), { timeout: 30_000 }).toBe('true');
    const describedBy = (await code.getAttribute('aria-describedby')) ?? '';
    await waitForText(page.locator(`[id="${describedBy.split(' ')[0]}"]`), /Fout: /);
    const summaryLink = card.getByRole('link', { name: `Fout bij Stap ${stepCount + 1} (Welkomstgesprek) › Code` });
    await summaryLink.click();
    await expect.poll(() => code.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await expect(card.getByRole('button', { name: `Publiceren als versie ${next}` }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'process-designer-field-problem');
    await expectNoSeriousAxeViolations(page, 'the workbench with a field problem');

    // Fix it and save: the draft is valid.
    await code.fill(stepCode);
    await card.getByRole('button', { name: 'Concept opslaan' }).click();
    await waitForText(card.getByRole('status').filter({ hasText: 'Het concept is geldig' }), /kan gepubliceerd worden/);
    expect(await card.locator('[aria-invalid="true"]').count()).toBe(0);

    // Dry run: choose the checklist, then the new step; the trail and the history show it.
    await card.getByLabel('Script (één regel per gebeurtenis)').fill(`stap choose-checklist profile=loondienst\nstap ${stepCode}`);
    await card.getByRole('button', { name: 'Proefrit starten' }).click();
    const result = card.getByTestId('dry-run-result');
    await waitForText(result, /Proefrit geslaagd/, 120_000);
    expect(await result.getByRole('list', { name: 'Statusverloop' }).getByRole('listitem').allTextContents()).toEqual(['Nieuw', 'Stukkenlijst gekozen']);
    await waitForText(result.getByRole('table'), /Welkomstgesprek/);

    // Diff against the published version.
    await card.getByLabel('Vergelijk het opgeslagen concept met').selectOption(String(current));
    await card.getByRole('button', { name: 'Vergelijken' }).click();
    await waitForText(card.getByTestId('draft-diff'), new RegExp(`Toegevoegd: Welkomstgesprek \\(${stepCode}\\)`));
    await screenshot(page, 'process-designer-dry-run-diff');

    // Publish.
    await card.getByRole('button', { name: `Publiceren als versie ${next}` }).click();
    await waitForText(card.getByRole('status').filter({ hasText: 'gepubliceerd' }), new RegExp(`Versie ${next} is gepubliceerd`));

    // Migrate: the preview lists the product as movable, then the bulk migration moves it.
    await card.getByLabel('Van versie').selectOption(String(current));
    await card.getByLabel('Naar versie').selectOption(String(next));
    await card.getByRole('button', { name: 'Voorbeeld tonen' }).click();
    const preview = card.getByTestId('migration-preview');
    const row = preview.getByRole('row').filter({ hasText: `product ${productId.slice(0, 8)}` });
    await waitForText(row, /Nieuw.*gaat mee/);
    await card.getByRole('button', { name: new RegExp(`product\\(en\\) migreren naar versie ${next}`) }).click();
    await waitForText(row, new RegExp(`gemigreerd naar versie ${next}`), 60_000);
    await screenshot(page, 'process-designer-migrated');
    await expectNoSeriousAxeViolations(page, 'the workbench after the migration');

    const after = await platform.api.get(`/products/${productId}`);
    expect(after.body).toMatchObject({ processVersion: next, status: 'new' });
    const published = await platform.api.get(`/process-definitions/service/versions/${next}`);
    expect(published.body.steps.map((s: { id: string }) => s.id)).toContain(stepCode);
  }, 300_000);

  it('shows a draft saved through the API in a shape the form cannot walk as its reasons and JSON, and lets the designer throw it away', async () => {
    const { platform, page } = session;
    const designer = platform.tokens.designer!;
    const key = `kapot-${suffix}`;
    const name = `Kapot ${suffix}`;
    const json = (body: unknown) => ({ method: 'PUT', token: designer, contentType: 'application/json', body: JSON.stringify(body) });
    // A process of its own (a copy of the service process), published as version 1 ...
    const service = await platform.api.get('/process-definitions/service/versions/1');
    expect(service.status).toBe(200);
    const definition = { ...service.body, key, name };
    expect((await platform.send(`/process-drafts/${key}`, json({ definition }))).status).toBe(200);
    expect((await platform.send(`/process-drafts/${key}/publish`, { token: designer })).status).toBe(201);
    // ... and then a draft whose steps are an object: the API keeps it, with its problems.
    const broken = await platform.send(`/process-drafts/${key}`, json({ definition: { ...definition, steps: { welkom: {} } } }));
    expect(broken.status).toBe(200);
    expect(broken.body.validation.ok).toBe(false);

    // Still signed in as the designer from the test above.
    await page.goto(`${platform.api.url}/ui/processes`);
    const card = page.getByRole('article', { name: `${name} (Dienst) · ${key}`, exact: true });
    const notice = card.getByRole('region', { name: 'Dit concept kan niet als formulier worden getoond' });
    await waitForText(notice, /Stappen is geen lijst/);
    // The other processes are still shown as usual.
    await page.getByRole('article', { name: 'Dienst (Dienst) · service', exact: true }).getByRole('heading', { name: 'Statussen' }).first().waitFor();
    await expectNoSeriousAxeViolations(page, 'a draft the form cannot show');

    await card.getByRole('button', { name: 'Concept weggooien' }).click();
    await card.getByRole('button', { name: 'Concept starten vanaf versie 1' }).click();
    await card.getByRole('form', { name: `Concept ${key} bewerken` }).waitFor();
    expect((await platform.send(`/process-drafts/${key}`, { method: 'DELETE', token: designer })).status).toBe(204);
  }, 180_000);
});
