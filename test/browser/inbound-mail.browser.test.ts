/**
 * Inbound mail in Chromium: a client's mail (stored through the same path the mailbox poller
 * uses) shows on their card under "Inkomende mail", opens to its text and downloads its
 * attachment; a mail from an unknown address waits under "Ongekoppelde inkomende mail" on the CRM
 * page and, linked there by hand, moves to the card. (The IMAP and worker side is
 * test/api/mailbox.test.ts.)
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { E2ePlatform } from '../helpers/e2e-platform.js';
import { openOrm } from '../api/support.js';
import type { MikroORM } from '../../db/orm.js';
import { storeInboundMessage } from '../../services/mailbox/poll.js';
import { openBrowserPlatform, screenshot, signIn, waitForText, type BrowserPlatform } from './support.js';

let session: BrowserPlatform;
let platform: E2ePlatform;
let page: Page;
let orm: MikroORM;

beforeAll(async () => {
  session = await openBrowserPlatform();
  ({ platform, page } = session);
  orm = await openOrm();
});

afterAll(async () => {
  await orm?.close(true);
  await session?.close();
});

const mime = (opts: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> => new MailComposer(opts).compile().build();

describe('Inkomende mail on the card and the inbox of unmatched mail, in Chromium', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const email = `mila.${suffix}@example.nl`;

  it('shows the client mail on the card, and links an unknown sender’s mail by hand', async () => {
    const n = 1000 + Math.floor(Math.random() * 8999);
    const created = await platform.api.post('/dossiers', {
      applicants: [{ person: { firstName: 'Mila', lastName: `Postbus-${suffix}`, birthDate: '1988-02-03', email, address: { street: 'Laan', houseNumber: 3, postcode: `${n}CD`, city: 'Zwolle' } } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const personId = created.body.applicants[0].person.id as string;

    await storeInboundMessage(
      orm.em.fork(),
      platform.officeId,
      await mime({
        from: { name: 'Mila', address: email },
        to: 'info@kantoor.example',
        subject: `Jaaropgave ${suffix} – bijgevoegd`,
        messageId: `<jaar-${suffix}@example.nl>`,
        text: `Hierbij de jaaropgave ${suffix}.`,
        html: '<p>Hierbij de jaaropgave.</p>',
        attachments: [{ filename: `jaaropgave-${suffix}.txt`, content: `jaaropgave ${suffix}` }],
      }),
    );
    await storeInboundMessage(
      orm.em.fork(),
      platform.officeId,
      await mime({ from: `onbekend.${suffix}@elders.example`, to: 'info@kantoor.example', subject: `Vraag ${suffix}`, messageId: `<vraag-${suffix}@elders.example>`, text: 'Bel mij.' }),
    );

    await signIn(page, platform.api.url, platform.tokens.adviser!);
    await page.goto(`${platform.api.url}/ui/crm/persons/${personId}#mail`);
    const section = page.getByRole('region', { name: 'Inkomende mail' });
    await waitForText(section, new RegExp(`Jaaropgave ${suffix}`));
    await section.getByRole('button', { name: new RegExp(`Jaaropgave ${suffix}`) }).click();
    await waitForText(section.locator('pre'), new RegExp(`Hierbij de jaaropgave ${suffix}`));
    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: `jaaropgave-${suffix}.txt` }).click()]);
    expect(download.suggestedFilename()).toBe(`jaaropgave-${suffix}.txt`);

    await page.goto(`${platform.api.url}/ui/crm`);
    const inbox = page.getByRole('region', { name: 'Ongekoppelde inkomende mail' });
    await waitForText(inbox, new RegExp(`Vraag ${suffix}`));
    const row = inbox.getByRole('row', { name: new RegExp(`Vraag ${suffix}`) });
    await row.getByRole('button', { name: 'Koppel aan relatie' }).click();
    await row.getByRole('searchbox', { name: /Zoek relatie voor deze mail/ }).fill(email);
    await row.getByRole('button', { name: 'Zoeken' }).click();
    await row.getByRole('combobox', { name: 'Relatie' }).waitFor();
    await row.getByRole('button', { name: 'Koppelen' }).click();
    await waitForText(inbox, new RegExp(`Vraag ${suffix}.*is gekoppeld`));
    await screenshot(page, 'inbound-mail-inbox');

    await page.goto(`${platform.api.url}/ui/crm/persons/${personId}#mail`);
    await waitForText(page.getByRole('region', { name: 'Inkomende mail' }), new RegExp(`Vraag ${suffix} \\(met de hand gekoppeld\\)`));
    await expect.poll(async () => page.getByRole('region', { name: 'Inkomende mail' }).getByRole('row').count()).toBe(3);
    await screenshot(page, 'inbound-mail-card');
  });
});
