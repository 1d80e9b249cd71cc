/**
 * Browser tests: Debian's Chromium driven by playwright-core (it never downloads a browser).
 * The binary comes from CHROMIUM, else .tools/tools.env (written by scripts/install-tools.sh),
 * else /usr/bin/chromium. The UI is built first (ui/build.sh, a no-op when up to date) so the
 * in-process API of startE2ePlatform serves it at /ui/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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
