/**
 * Appointments on the dossier page, in Chromium against the real platform: the adviser plans an
 * *oriëntatiegesprek* by typing an Amsterdam date and time (first a time that does not exist, the
 * night the clocks go forward: the API's refusal is shown), sees it in the list, and the SMTP peer
 * receives the confirmation with an .ics whose DTSTART is the wall time typed. Then the adviser
 * moves it (a "gewijzigd" mail with SEQUENCE 1) and cancels it (a cancel mail, METHOD:CANCEL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import type { StoredMail } from '../../simulators/smtp/smtp-peer.js';
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

const YEAR = new Date().getUTCFullYear() + 1;
/** The last Sunday of March of YEAR plus some days ('YYYY-MM-DD'). */
function springChange(plusDays = 0): string {
  const d = new Date(Date.UTC(YEAR, 3, 0));
  d.setUTCDate(d.getUTCDate() - d.getUTCDay() + plusDays);
  return d.toISOString().slice(0, 10);
}

async function waitForMail(email: string, match: (m: StoredMail) => boolean): Promise<StoredMail> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = (await platform.mailsTo(email)).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching mail to ${email}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function icsOf(mail: StoredMail): Promise<string> {
  expect(mail.attachments.map((a) => a.contentType)).toEqual(['text/calendar']);
  const res = await fetch(`${process.env.MAIL_UI_URL}/messages/${mail.id}/attachments/0`);
  return (await res.text()).replace(/\r\n[ \t]/g, '');
}

describe('Afspraken on the dossier page, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const email = `bram.${suffix}@example.nl`;

  it('plans an oriëntatiegesprek; the confirmation with the .ics reaches the SMTP peer; moves and cancels it', async () => {
    const created = await platform.api.post('/dossiers', { applicants: [{ person: { firstName: 'Bram', lastName: `Afspraak-${suffix}`, birthDate: '1988-05-06', email } }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const dossierId = created.body.id as string;

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
    const section = page.getByRole('region', { name: 'Afspraken' });
    await waitForText(section, /Nog geen afspraken/);

    // 02:30 on the night the clocks go forward does not exist: the API says so, nothing is planned.
    await section.getByLabel(/^Datum/).fill(springChange(0));
    await section.getByLabel(/^Tijd/).fill('02:30');
    await section.getByLabel('Locatie').fill('Kantoor Utrecht, Stationsplein 1');
    await section.getByRole('button', { name: 'Afspraak plannen' }).click();
    await waitForText(section.getByRole('alert').first(), /Dit tijdstip bestaat niet/);
    await screenshot(page, 'appointment-nonexistent-time');

    // The Monday after: 10:00 CEST.
    const monday = springChange(1);
    await section.getByLabel(/^Datum/).fill(monday);
    await section.getByLabel(/^Tijd/).fill('10:00');
    await section.getByRole('button', { name: 'Afspraak plannen' }).click();
    await waitForText(section.getByRole('status'), /Afspraak gepland/);
    const row = section.getByRole('row').filter({ hasText: 'Oriëntatiegesprek' });
    // The reminder in Nederlandse tijd (the browser runs in UTC here): the day before at 09:00.
    const [y, m, d] = springChange(0).split('-').map(Number) as [number, number, number];
    await waitForText(row, new RegExp(`10:00–11:00.*Kantoor Utrecht, Stationsplein 1.*Gepland.*${String(d).padStart(2, '0')}-${String(m).padStart(2, '0')}-${y},? 09:00`));
    await screenshot(page, 'appointment-planned');

    const confirmation = await waitForMail(email, (m) => m.subject.startsWith('Bevestiging'));
    expect(confirmation.subject).toContain('om 10:00');
    const ics = await icsOf(confirmation);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`DTSTART;TZID=Europe/Amsterdam:${monday.replaceAll('-', '')}T100000`);
    expect(ics).toContain('SEQUENCE:0');

    // Move it to 14:15 the same day.
    await row.getByRole('button', { name: 'Verzetten' }).click();
    await row.getByLabel('Nieuwe tijd').fill('14:15');
    await row.getByRole('button', { name: 'Opslaan' }).click();
    await waitForText(section.getByRole('row').filter({ hasText: 'Oriëntatiegesprek' }), /14:15–15:15.*Verzet/);
    const changed = await icsOf(await waitForMail(email, (m) => m.subject.startsWith('Gewijzigd')));
    expect(changed).toContain(`DTSTART;TZID=Europe/Amsterdam:${monday.replaceAll('-', '')}T141500`);
    expect(changed).toContain('SEQUENCE:1');

    // Cancel it (confirm the dialog).
    page.once('dialog', (d) => void d.accept());
    await section.getByRole('row').filter({ hasText: 'Oriëntatiegesprek' }).getByRole('button', { name: 'Annuleren' }).click();
    await waitForText(section.getByRole('row').filter({ hasText: 'Oriëntatiegesprek' }), /Geannuleerd/);
    const cancelled = await icsOf(await waitForMail(email, (m) => m.subject.startsWith('Geannuleerd')));
    expect(cancelled).toContain('METHOD:CANCEL');
    expect(cancelled).toContain('SEQUENCE:2');
    await screenshot(page, 'appointment-cancelled');
  });
});
