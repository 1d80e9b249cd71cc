/**
 * Sign-in with a password in Chromium against the real platform (issue 20 acceptance): a wrong
 * password is refused in Dutch, the right one opens the dashboard with the session cookie (and an
 * unsafe request from the UI carries the CSRF token: the admin invites a user on the Gebruikers
 * page), sign-out ends the session, and five wrong passwords lock the account with the minutes
 * to wait (even the right password is then refused). The notice an admin set shows on the
 * sign-in page. A user turns on two-step verification on *Mijn account*; sign-in then asks for
 * the code.
 */
import { randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import type { MikroORM } from '../../db/orm.js';
import { ensureActiveUser } from '../../services/access/users.js';
import { openOrm } from '../api/support.js';
import { openBrowserPlatform, screenshot, signInError, signInWithPassword, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;
let orm: MikroORM;
const run = randomUUID().slice(0, 8);
const admin = { email: `beheer-${run}@browser.example`, password: 'lange-zin-als-wachtwoord-1' };
const adviser = { email: `adviseur-${run}@browser.example`, password: 'een-ander-lang-wachtwoord-2' };

beforeAll(async () => {
  session = await openBrowserPlatform();
  ({ platform, page } = session);
  orm = await openOrm();
  await ensureActiveUser(orm.em.fork(), platform.officeId, { email: admin.email, name: 'Bea Beheer', roles: ['admin'], password: admin.password });
  await ensureActiveUser(orm.em.fork(), platform.officeId, { email: adviser.email, name: 'Adam Adviseur', roles: ['adviser'], password: adviser.password });
});

afterAll(async () => {
  await session?.close();
  await orm?.close(true);
});

async function tryPassword(email: string, password: string): Promise<void> {
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen met wachtwoord' }).click();
}

describe('sign-in with a password, in Chromium', () => {
  it('shows the notice, refuses a wrong password in Dutch, signs in with the right one, and signs out', async () => {
    const notice = await platform.api.post(
      '/login-notices',
      { severity: 'maintenance', message: `Onderhoud aan het platform ${run}`, startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 7_200_000).toISOString() },
      { authorization: `Bearer ${platform.tokens.admin}` },
    );
    expect(notice.status, JSON.stringify(notice.body)).toBe(201);

    await page.goto(`${platform.api.url}/`);
    // The demo token of `npm start` is not handed out here: the sign-in page stays.
    await page.getByRole('heading', { name: 'Inloggen bij dossierflow' }).waitFor();
    await waitForText(page.getByRole('region', { name: 'Meldingen' }), new RegExp(`Gepland onderhoud.*Onderhoud aan het platform ${run}`));
    await tryPassword(admin.email, 'helemaal-het-verkeerde-wachtwoord');
    await waitForText(signInError(page), /Onjuist e-mailadres of wachtwoord/);
    await screenshot(page, 'sign-in-wrong-password');

    await signInWithPassword(page, platform.api.url, admin.email, admin.password);
    await waitForText(page.locator('header'), /Bea Beheer/);
    // No token in this tab: the UI works with the cookie alone.
    expect(await page.evaluate(() => sessionStorage.getItem('dossierflow.token'))).toBeNull();
    await screenshot(page, 'sign-in-dashboard');

    // An unsafe request with the cookie (it needs the CSRF token): invite a user on Gebruikers.
    await page.getByRole('link', { name: 'Gebruikers' }).click();
    await page.getByRole('heading', { name: 'Gebruikers', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Gebruiker uitnodigen' });
    await form.getByLabel('Naam').fill('Nina Nieuw');
    await form.getByLabel('E-mailadres').fill(`nina-${run}@browser.example`);
    await form.getByRole('button', { name: 'Uitnodigen' }).click();
    await waitForText(page.getByTestId('invitation-link'), /\/ui\/uitnodiging#[A-Za-z0-9_-]{20,}/);
    await waitForText(page.getByRole('table'), new RegExp(`nina-${run}@browser\\.example.*Uitgenodigd`));
    await screenshot(page, 'users');

    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.getByRole('heading', { name: 'Inloggen bij dossierflow' }).waitFor();
    // The session is over on the server too: the old cookie no longer works.
    const status = await page.evaluate(async () => (await fetch('/auth/session')).status);
    expect(status).toBe(401);
  });

  it('locks the account after five wrong passwords and says for how long', async () => {
    await page.goto(`${platform.api.url}/`);
    await page.getByRole('heading', { name: 'Inloggen bij dossierflow' }).waitFor();
    for (let i = 1; i <= 4; i++) {
      await tryPassword(adviser.email, `verkeerd-wachtwoord-${i}`);
      await waitForText(signInError(page), /Onjuist e-mailadres of wachtwoord/);
      // Wait for the button to be usable again before the next try.
      await page.getByRole('button', { name: 'Inloggen met wachtwoord' }).isEnabled();
    }
    await tryPassword(adviser.email, 'verkeerd-wachtwoord-5');
    await waitForText(signInError(page), /Account tijdelijk geblokkeerd, probeer het over 15 minuten opnieuw/);
    await tryPassword(adviser.email, adviser.password);
    await waitForText(signInError(page), /Account tijdelijk geblokkeerd, probeer het over 1[45] minuten opnieuw/);
    await screenshot(page, 'sign-in-locked');
  });

  it('turns on two-step verification on Mijn account; then sign-in asks for the code', async () => {
    const user = { email: `totp-${run}@browser.example`, password: 'nog-een-lang-wachtwoord-3' };
    await ensureActiveUser(orm.em.fork(), platform.officeId, { email: user.email, name: 'Tom Totp', roles: ['adviser'], password: user.password });
    await signInWithPassword(page, platform.api.url, user.email, user.password);
    await page.getByRole('link', { name: 'Tom Totp' }).click();
    await page.getByRole('button', { name: 'Tweestapsverificatie aanzetten' }).click();
    const link = page.getByRole('link', { name: /^otpauth:\/\/totp\// });
    await link.waitFor();
    const totp = OTPAuth.URI.parse((await link.getAttribute('href'))!) as OTPAuth.TOTP;
    await page.getByLabel('Code uit de app').fill(totp.generate());
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await waitForText(page.locator('main'), /Tweestapsverificatie staat aan/);
    await page.getByRole('button', { name: 'Uitloggen' }).click();

    await page.getByRole('heading', { name: 'Inloggen bij dossierflow' }).waitFor();
    await tryPassword(user.email, user.password);
    await waitForText(signInError(page), /Vul de code uit je authenticator-app in/);
    await page.getByLabel('Code uit de authenticator-app').fill(totp.generate());
    await page.getByRole('button', { name: 'Inloggen met wachtwoord' }).click();
    // Signed in where the tab was (Mijn account), which now says the second step is on.
    await page.getByRole('heading', { name: 'Mijn account', level: 1 }).waitFor({ timeout: 30_000 });
    await waitForText(page.locator('main'), /Tweestapsverificatie staat aan/);
    await screenshot(page, 'sign-in-totp-account');
  });
});
