/**
 * Browser tests: Debian's Chromium driven by playwright-core (it never downloads a browser).
 * The binary comes from CHROMIUM, else .tools/tools.env (written by scripts/install-tools.sh),
 * else /usr/bin/chromium. The UI is built first (ui/build.sh, a no-op when up to date) so the
 * in-process API of startE2ePlatform serves it at /ui/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { projectRoot } from '../../config/settings.js';
import { startE2ePlatform, type E2eOptions, type E2ePlatform } from '../helpers/e2e-platform.js';

export const screenshotDir = path.join(projectRoot, 'test-results', 'screenshots');

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM?.trim();
  if (fromEnv) return fromEnv;
  const toolsEnv = path.join(projectRoot, '.tools', 'tools.env');
  if (existsSync(toolsEnv)) {
    const m = /^CHROMIUM=(.+)$/m.exec(readFileSync(toolsEnv, 'utf8'));
    if (m?.[1] && existsSync(m[1].trim())) return m[1].trim();
  }
  return '/usr/bin/chromium';
}

/** Builds the UI when its sources are newer than ui/dist (must run before startE2ePlatform). */
export function ensureUiBuilt(): void {
  execFileSync('bash', [path.join(projectRoot, 'ui', 'build.sh')], { cwd: projectRoot, stdio: 'pipe' });
  if (!existsSync(path.join(projectRoot, 'ui', 'dist', 'index.html'))) {
    throw new Error('ui/dist/index.html is missing after `bash ui/build.sh`: run `npm run build:ui` and look at its output');
  }
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: run \`npm run install:tools\` (installs Debian's chromium package) or set CHROMIUM`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** One axe-core finding, as printed when a test fails: impact, rule id, what it is about, the elements. */
export interface AxeFinding {
  impact: string;
  id: string;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/** axe-core on the page as it is now: the serious and critical violations (issue 20 asks for none). */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated over the DevTools protocol, which the page's CSP (script-src 'self') does not govern, unlike a script tag.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] };
    const g = globalThis as unknown as { axe: { run: (ctx: unknown) => Promise<Result> }; document: unknown };
    return (await g.axe.run(g.document)).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ impact: v.impact ?? '', id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
}

/** Fails with the rule ids and the elements (CSS selectors) when axe-core finds a serious or critical violation. */
export async function expectNoSeriousAxeViolations(page: Page, label: string): Promise<void> {
  const found = await seriousAxeViolations(page);
  const lines = found.map((f) => `${f.impact} ${f.id} (${f.help}): ${f.targets.join(' | ')}`);
  expect(lines, `axe-core on ${label}: serious or critical violations:\n${lines.join('\n')}\n`).toEqual([]);
}

/** Waits until the locator's text matches (the UI updates itself; no fixed sleeps). */
export async function waitForText(locator: Locator, pattern: RegExp, timeout = 30_000): Promise<void> {
  await expect.poll(async () => (await locator.first().textContent({ timeout: 2_000 }).catch(() => '')) ?? '', { timeout, interval: 200 }).toMatch(pattern);
}

/** Opens the UI and signs in by pasting the adviser token on the sign-in page. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor({ timeout: 30_000 });
}

/** Opens the UI and signs in with e-mail and password (the session cookie of a user account). */
export async function signInWithPassword(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen met wachtwoord' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor({ timeout: 30_000 });
}

/** The real platform with one Chromium page signed out, as a browser test file needs it. */
export interface BrowserPlatform {
  platform: E2ePlatform;
  page: Page;
  close(): Promise<void>;
}

/** Starts the platform and Chromium (Dutch locale, 1280 × 900) for a test file's beforeAll; `close` in its afterAll. */
export async function openBrowserPlatform(options?: E2eOptions): Promise<BrowserPlatform> {
  ensureUiBuilt();
  const platform = await startE2ePlatform(options);
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  try {
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  } catch (err) {
    // No session to close in afterAll: stop what started here.
    await browser?.close().catch(() => undefined);
    await platform.stop();
    throw err;
  }
  return {
    platform,
    page,
    async close() {
      await context.close().catch(() => undefined);
      await browser?.close().catch(() => undefined);
      await platform.stop();
    },
  };
}

/** What has focus after a Tab: where it is in the document, whether it shows and whether its focus shows. */
interface FocusStop {
  /** Position in document order (index among all elements); -1 when nothing in the page has focus. */
  order: number;
  description: string;
  shown: boolean;
  focusShown: boolean;
}

/** Runs in the page (a string: the tests are compiled without the DOM types). */
const focusStopScript = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { order: -1, description: '(nothing)', shown: false, focusShown: false };
  const order = Array.prototype.indexOf.call(document.getElementsByTagName('*'), el);
  const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  const role = el.getAttribute('role');
  const description = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (role ? '[role=' + role + ']' : '') + ' "' + name + '"';
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return { order, description, shown: box.width > 0 && box.height > 0, focusShown: outline || style.boxShadow !== 'none' };
})()`;

async function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate<FocusStop>(focusStopScript);
}

/** The id of the element with focus ('' when none has one). */
export async function focusedId(page: Page): Promise<string> {
  return page.evaluate<string>("document.activeElement?.id ?? ''");
}

/** The text of the element with focus. */
export async function focusedText(page: Page): Promise<string> {
  return page.evaluate<string>("document.activeElement?.textContent ?? ''");
}

/**
 * The page is usable with the keyboard (issue 20): Tab goes through every focusable element in
 * document order (no positive tabindex), each one shows and shows its focus, and Tab leaves the
 * page at the end (no keyboard trap). With `skipLink`, the first stop is the skip link, and
 * Enter on it moves focus to the main content: the next Tab lands after the navigation.
 * Call it right after loading the page (the focus starts at the top). Answers the number of stops.
 */
export async function expectKeyboardUsable(page: Page, label: string, options: { skipLink: boolean }): Promise<number> {
  const positive = await page.locator('[tabindex]:not([tabindex^="-"]):not([tabindex="0"])').count();
  expect(positive, `${label}: elements with a positive tabindex change the tab order`).toBe(0);
  // A date field takes a Tab per part (day, month, year, hours, minutes): up to six per element.
  // More Tabs than that means the focus went round without leaving the page: a trap. (Counted
  // again when the budget runs out: a list may have grown in the meantime.)
  const candidates = async () => (await page.locator('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex^="-"]), [contenteditable="true"]').count()) * 6 + 2;
  let budget = await candidates();
  const stops: FocusStop[] = [];
  for (let presses = 0; ; presses++) {
    if (presses >= budget) {
      const again = await candidates();
      expect(again, `${label}: Tab never leaves the page (a keyboard trap after ${stops.at(-1)?.description})`).toBeGreaterThan(budget);
      budget = again;
    }
    await page.keyboard.press('Tab');
    const stop = await focusStop(page);
    if (stop.order < 0) break;
    const before = stops.at(-1);
    if (before?.order === stop.order) continue; // the next part of the same date field
    const n = stops.length + 1;
    expect(stop.shown, `${label}: Tab stop ${n} ${stop.description} is not visible`).toBe(true);
    expect(stop.focusShown, `${label}: Tab stop ${n} ${stop.description} shows no focus indicator`).toBe(true);
    if (before) expect(stop.order, `${label}: Tab went from ${before.description} back to ${stop.description}`).toBeGreaterThan(before.order);
    stops.push(stop);
  }
  expect(stops.length, `${label}: nothing on the page takes focus`).toBeGreaterThan(0);

  if (options.skipLink) {
    expect(stops[0]!.description, `${label}: the first Tab stop is not the skip link`).toMatch(/^a.*"Naar de inhoud"$/);
    await page.getByRole('link', { name: 'Naar de inhoud' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page), { message: `${label}: Enter on the skip link does not focus the main content` }).toBe('main');
    const mainOrder = await page.evaluate<number>("Array.prototype.indexOf.call(document.getElementsByTagName('*'), document.getElementById('main'))");
    const firstInMain = stops.find((s) => s.order > mainOrder);
    if (firstInMain) {
      await page.keyboard.press('Tab');
      expect((await focusStop(page)).description, `${label}: Tab after the skip link`).toBe(firstInMain.description);
    }
  }
  return stops.length;
}

/**
 * The sign-in page's own error ("Inloggen mislukt: ..."), not a notice an admin set: other tests in the same run
 * may leave an outage notice, which is an alert too.
 */
export function signInError(page: Page): Locator {
  return page.getByRole('alert').filter({ hasText: /^Inloggen mislukt/ });
}
