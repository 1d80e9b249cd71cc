/**
 * The demo office's mailbox for `npm start`: two mails put in by IMAP APPEND the first time the
 * mailbox is empty: one from the demo client Jan de Vries (seeded by scripts/seed.ts; his card
 * shows it, with its attachment) and one from an unknown address (it waits in the inbox of
 * unmatched mail, to be linked by hand).
 */
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { ImapAccount } from '../../integrations/imap/account.js';

export const DEMO_CLIENT_ADDRESS = 'jan.de.vries@example.nl';

async function demoMails(): Promise<Buffer[]> {
  const fromClient = await new MailComposer({
    from: { name: 'Jan de Vries', address: DEMO_CLIENT_ADDRESS },
    to: 'info@demo-advies.example',
    subject: 'Mijn loonstrook van november – graag bevestigen',
    messageId: '<demo-loonstrook-1@example.nl>',
    text: 'Beste adviseur,\n\nIn de bijlage mijn loonstrook van november.\n\nMet vriendelijke groet,\nJan de Vries',
    html: '<p>Beste adviseur,</p><p>In de bijlage mijn <b>loonstrook</b> van november.</p><p>Met vriendelijke groet,<br>Jan de Vries</p>',
    attachments: [{ filename: 'loonstrook-november.txt', content: 'Loonstrook november (demo)\nBruto: 4.250,00\n', contentType: 'text/plain' }],
  })
    .compile()
    .build();
  const unknown = await new MailComposer({
    from: { name: 'Petra Smit', address: 'p.smit@voorbeeld.example' },
    to: 'info@demo-advies.example',
    subject: 'Vraag over oversluiten',
    messageId: '<demo-vraag-1@voorbeeld.example>',
    text: 'Goedemiddag,\n\nKunt u mij bellen over het oversluiten van mijn hypotheek?\n\nPetra Smit',
  })
    .compile()
    .build();
  return [fromClient, unknown];
}

/** Appends the demo mails when the mailbox is empty; returns how many were put in. */
export async function seedDemoMailbox(account: ImapAccount): Promise<number> {
  const client = new ImapFlow({ host: account.host, port: account.port, secure: account.secure, auth: { user: account.user, pass: account.password }, logger: false });
  await client.connect();
  try {
    const status = await client.status(account.mailbox, { messages: true });
    if (status && (status.messages ?? 0) > 0) return 0;
    const mails = await demoMails();
    for (const mail of mails) await client.append(account.mailbox, mail);
    return mails.length;
  } finally {
    await client.logout().catch(() => undefined);
  }
}
