/**
 * The adviser's day of issue 18, in Chromium against the real platform (worker, Temporal,
 * PostgreSQL, SMTP peer): the adviser edits the client's address on the card and sees the history
 * line; plans an appointment on the dossier page and the confirmation with its .ics reaches the
 * SMTP peer; chooses the checklist and sends the portal activation (process steps); the client
 * opens the link from the mail, lands in the portal, uploads a 20 MB PDF payslip and a JPEG photo
 * (tus, resumable) to their own lines; the adviser approves the payslip and rejects the photo with
 * a reason on the dossier page; the client gets the rejection mail (at the SMTP peer) and sees the
 * reason in the portal. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startE2ePlatform, type E2ePlatform } from '../helpers/e2e-platform.js';
import { ensureUiBuilt, launchChromium, screenshot, signIn, waitForText } from './support.js';

let platform: E2ePlatform;
let browser: Browser;
let clientContext: BrowserContext;
let adviserContext: BrowserContext;

beforeAll(async () => {
  ensureUiBuilt();
  platform = await startE2ePlatform();
  browser = await launchChromium();
  clientContext = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
  adviserContext = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await clientContext?.close().catch(() => undefined);
  await adviserContext?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await platform?.stop();
});

/** A PDF of `size` bytes: a real header, a body of filler, a trailer. */
function pdfOf(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  Buffer.from('%PDF-1.7\n', 'latin1').copy(bytes);
  Buffer.from('\n%%EOF\n', 'latin1').copy(bytes, size - 7);
  return bytes;
}

/** A JPEG-looking file (SOI + JFIF APP0 header, filler): what the type sniffing needs. */
function jpegOf(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x00);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]).copy(bytes);
  Buffer.from([0xff, 0xd9]).copy(bytes, size - 2);
  return bytes;
}

describe("The adviser's day: address edit, appointment, portal upload, review and rejection mail, in Chromium", () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const email = `sanne.${suffix}@example.nl`;
  const reason = `Foto onscherp: het documentnummer is niet leesbaar (${suffix})`;

  it('edits the address, plans an appointment; the client uploads a 20 MB payslip and a photo; the adviser approves one and rejects the other; the client is mailed', async () => {
    const created = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Sanne', lastName: `Portaal-${suffix}`, birthDate: '1990-06-01', email, address: { street: 'Dorpsstraat', houseNumber: 5, postcode: '3511AB', city: 'Utrecht' } } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const dossierId = created.body.id as string;
    const personId = created.body.applicants[0].person.id as string;

    // Monday morning: the client moved. The adviser edits the address on the card and sees the history.
    const adviser: Page = await adviserContext.newPage();
    await signIn(adviser, platform.api.url, platform.tokens.adviser!);
    await adviser.goto(`${platform.api.url}/ui/crm/persons/${personId}`);
    await adviser.getByRole('button', { name: 'Gegevens wijzigen' }).click();
    const form = adviser.getByRole('form', { name: 'Gegevens wijzigen' });
    await form.getByRole('textbox', { name: /^Straat/ }).fill('Kerkweg');
    await form.getByRole('spinbutton', { name: /^Huisnummer/ }).fill('21');
    await form.getByRole('textbox', { name: /^Postcode/ }).fill('3811AA');
    await form.getByRole('textbox', { name: /^Plaats/ }).fill('Amersfoort');
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await adviser.getByRole('tab', { name: 'Wijzigingshistorie' }).click();
    const history = adviser.getByRole('region', { name: 'Wijzigingshistorie' });
    await waitForText(history.getByRole('row').filter({ hasText: 'Straat' }), /Dorpsstraat → Kerkweg/);
    await waitForText(history.getByRole('row').filter({ hasText: 'Plaats' }), /Utrecht → Amersfoort/);

    // The first conversation: planned on the dossier page; the confirmation carries the .ics.
    await adviser.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
    const appointments = adviser.getByRole('region', { name: 'Afspraken' });
    const day = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await appointments.getByLabel(/^Datum/).fill(day);
    await appointments.getByLabel(/^Tijd/).fill('10:00');
    await appointments.getByLabel('Locatie').fill('Kantoor Amersfoort');
    await appointments.getByRole('button', { name: 'Afspraak plannen' }).click();
    await waitForText(appointments.getByRole('status'), /Afspraak gepland/);
    await expect
      .poll(async () => (await platform.mailsTo(email)).filter((m) => m.subject.startsWith('Bevestiging')).map((m) => m.attachments.map((a) => a.contentType)), { timeout: 30_000, interval: 500 })
      .toEqual([['text/calendar']]);
    const product = await platform.api.post(`/dossiers/${dossierId}/products`, { type: 'service', parts: [{ description: 'Hypotheekadvies' }] });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    for (const [stepId, input] of [
      ['choose-checklist', { profile: 'loondienst' }],
      ['send-portal-activation', {}],
    ] as const) {
      const res = await platform.api.post(`/products/${product.body.id}/steps/${stepId}`, { input });
      expect(res.status, `${stepId}: ${JSON.stringify(res.body)}`).toBe(200);
    }

    // The activation mail at the SMTP peer: the client follows its link (on this platform's address).
    let link = '';
    await expect
      .poll(
        async () => {
          const mails = await platform.mailsTo(email);
          const text = mails.map((m) => m.text).join('\n');
          link = /\/portal\/activate\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
          return link;
        },
        { timeout: 30_000, interval: 500 },
      )
      .not.toBe('');

    const client: Page = await clientContext.newPage();
    await client.goto(`${platform.api.url}/portal/activate/${link}`);
    await client.getByRole('heading', { name: 'Uw documenten', level: 1 }).waitFor();
    // The token left the address bar once exchanged.
    await expect.poll(() => client.url()).toBe(`${platform.api.url}/ui/portal`);
    const payslipRow = client.getByTestId('portal-line-salarisstrook');
    const idRow = client.getByTestId('portal-line-id-document');
    await waitForText(payslipRow.getByTestId('line-status'), /^Opgevraagd$/);

    await client.getByLabel('Bestand voor Recente salarisstrook').setInputFiles({ name: 'loonstrook-november.pdf', mimeType: 'application/pdf', buffer: pdfOf(20 * 1024 * 1024) });
    await waitForText(payslipRow.getByTestId('line-status'), /^Aangeleverd$/, 120_000);
    await waitForText(payslipRow, /loonstrook-november\.pdf \(20,0 MB\)/);
    await client.getByLabel('Bestand voor Kopie geldig identiteitsbewijs').setInputFiles({ name: 'paspoort.jpg', mimeType: 'image/jpeg', buffer: jpegOf(300_000) });
    await waitForText(idRow.getByTestId('line-status'), /^Aangeleverd$/, 60_000);
    await screenshot(client, 'checklist-portal-uploaded');

    // The adviser on the dossier page: approve the payslip, reject the photo with a reason.
    await adviser.goto(`${platform.api.url}/ui/dossiers/${dossierId}`);
    const section = adviser.getByRole('region', { name: 'Stukkenlijst' });
    const payslip = section.getByTestId('checklist-line-salarisstrook');
    const photo = section.getByTestId('checklist-line-id-document');
    await waitForText(payslip.getByTestId('line-status'), /^Aangeleverd$/);
    await waitForText(payslip, /loonstrook-november\.pdf.*door de klant/);
    await payslip.getByRole('button', { name: 'Goedkeuren Recente salarisstrook' }).click();
    await waitForText(payslip.getByTestId('line-status'), /^Goedgekeurd$/);

    await photo.getByRole('button', { name: 'Afkeuren Kopie geldig identiteitsbewijs' }).click();
    await photo.getByLabel('Reden van afkeuren').fill(reason);
    await photo.getByRole('button', { name: 'Afkeuren bevestigen' }).click();
    await waitForText(photo.getByTestId('line-status'), /^Afgekeurd$/);
    await waitForText(photo, new RegExp(`Reden: ${reason.replace(/[()]/g, '\\$&')}`));
    await screenshot(adviser, 'checklist-adviser-reviewed');

    // The rejection mail reaches the client, with the reason.
    await expect
      .poll(async () => (await platform.mailsTo(email)).filter((m) => /afgekeurd/.test(m.subject ?? '')).map((m) => m.text), { timeout: 30_000, interval: 500 })
      .toEqual([expect.stringContaining(reason)]);

    // And the client sees it in the portal.
    await client.reload();
    await waitForText(client.getByTestId('portal-line-id-document').getByTestId('rejection-reason'), new RegExp(reason.replace(/[()]/g, '\\$&')));
    await waitForText(client.getByTestId('portal-line-salarisstrook').getByTestId('line-status'), /^Goedgekeurd$/);
    await screenshot(client, 'checklist-portal-rejected');

    // The adviser's download is the client's file, byte for byte.
    const lines = await platform.api.get(`/dossiers/${dossierId}/checklist`);
    const payslipLine = (lines.body.lines as { id: string; code: string }[]).find((l) => l.code === 'salarisstrook')!;
    const file = await platform.api.getBytes(`/dossiers/${dossierId}/checklist/lines/${payslipLine.id}/file`);
    expect(file.status).toBe(200);
    expect(Buffer.from(file.bytes).equals(pdfOf(20 * 1024 * 1024))).toBe(true);
  });
});
