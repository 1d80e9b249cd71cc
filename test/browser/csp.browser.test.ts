/**
 * The content security policy of the web UI (api/plugins/security-headers.ts), in a real
 * browser: Debian's Chromium loads every UI page (and the API docs) from the real platform and
 * the test fails on any CSP violation (a `securitypolicyviolation` event, reported to the
 * console by an init script), any console error and any uncaught page error. A last probe
 * injects an inline `<style>` and waits for the violation it must cause, so the detector is
 * known to work. Every wait is on an element or event, never on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startE2ePlatform, type E2ePlatform } from '../helpers/e2e-platform.js';
import { ensureUiBuilt, launchChromium, screenshot, signIn } from './support.js';

let platform: E2ePlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
/**
 * Answers the UI expects and handles: "no draft yet" of the process designer is a 404 of
 * GET /process-drafts/:key. Chromium logs every 4xx as a console error; one such console line
 * per expected answer is not a problem, anything beyond is.
 */
const expectedMisses = [/\/process-drafts\/[a-z0-9-]+$/];
let expectedMissCount = 0;

/** The problems left after discounting one "Failed to load resource: 404" console line per expected miss. */
function unexpected(): string[] {
  let discount = expectedMissCount;
  return problems.filter((p) => {
    if (discount > 0 && /Failed to load resource: the server responded with a status of 404/.test(p)) {
      discount -= 1;
      return false;
    }
    return true;
  });
}

function reset(): void {
  problems.length = 0;
  expectedMissCount = 0;
}

beforeAll(async () => {
  ensureUiBuilt();
  platform = await startE2ePlatform();
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
  // Runs in every document before its own scripts; not subject to the page's policy.
  // (Browser code as text: this project's TypeScript has no DOM types outside ui/.)
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => {
      console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' in ' + (e.sourceFile || e.documentURI) + ':' + e.lineNumber);
    });`,
  });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  // Names the resource behind a "Failed to load resource" console error.
  page.on('response', (res) => {
    if (res.status() === 404 && expectedMisses.some((m) => m.test(new URL(res.url()).pathname))) expectedMissCount += 1;
    else if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
  });
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await platform?.stop();
});

describe('content security policy of the web UI, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const lastName = `Csp-${suffix}`;

  it('serves the UI with the strict policy', async () => {
    const res = await fetch(`${platform.api.url}/ui/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('loads every page without a CSP violation or console error', async () => {
    const created = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Cato', lastName, birthDate: '1984-03-02', email: `cato.${suffix}@example.nl`, address: { street: 'Lijnmarkt', houseNumber: 7, postcode: '3511 KE', city: 'Utrecht' } } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const dossierId = created.body.id as string;
    const personId = created.body.applicants[0].person.id as string;
    const ui = `${platform.api.url}/ui`;

    await page.goto(`${ui}/`);
    await page.getByRole('heading', { name: 'Inloggen bij dossierflow' }).waitFor();
    await signIn(page, platform.api.url, platform.tokens.adviser!);
    for (const heading of ['HDN-inbox', 'Werkvoorraad']) await page.getByRole('heading', { name: heading, level: 2 }).waitFor();

    const visits: [string, (p: Page) => Promise<void>][] = [
      ['/dossiers', (p) => p.locator('caption').filter({ hasText: /dossier\(s\)/ }).waitFor()],
      ['/dossiers/new', (p) => p.getByRole('heading', { name: 'Nieuw dossier', level: 1 }).waitFor()],
      [`/dossiers/${dossierId}`, (p) => p.getByText(new RegExp(lastName)).first().waitFor()],
      ['/crm', (p) => p.getByRole('status').filter({ hasText: 'Zoekvragenbeheer' }).waitFor()],
      [`/crm/persons/${personId}`, (p) => p.getByRole('heading', { name: new RegExp(`Relatiekaart: .*${lastName}`) }).waitFor()],
      ['/billing', (p) => p.getByRole('heading', { name: 'Historie' }).waitFor()],
      ['/processes', (p) => p.getByText('Stukkenlijst kiezen').first().waitFor()],
      ['/', (p) => p.getByRole('heading', { name: 'Werkvoorraad', level: 2 }).waitFor()],
      // The client portal without a link: its own page, saying to open the link from the mail.
      ['/portal', (p) => p.getByRole('alert').filter({ hasText: /link uit de mail/ }).waitFor()],
    ];
    for (const [path, loaded] of visits) {
      await page.goto(`${ui}${path}`);
      await loaded(page);
      await screenshot(page, `csp${path.replace(/[^a-z0-9]+/gi, '-')}`);
    }
    expect(unexpected()).toEqual([]);
    reset();
  });

  it('loads the API docs (Swagger UI, its own policy) without a violation', async () => {
    await page.goto(`${platform.api.url}/docs`);
    await page.getByText('dossierflow API').first().waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(unexpected()).toEqual([]);
    reset();
  });

  it('would notice a violation: an injected inline style is refused and reported', async () => {
    await page.goto(`${platform.api.url}/ui/`);
    await page.getByRole('heading', { name: 'Werkvoorraad', level: 2 }).waitFor();
    const directive = await page.evaluate<string>(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
      const style = document.createElement('style');
      style.textContent = 'body { outline: 1px solid red }';
      document.head.appendChild(style);
    })`);
    expect(directive).toMatch(/^style-src/);
    expect(problems.some((p) => p.includes('CSP violation: style-src'))).toBe(true);
    reset();
  });
});
