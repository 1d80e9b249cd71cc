/**
 * The loopback SMTP peer: it speaks real SMTP (sent to with nodemailer), keeps every mail as
 * .eml on disk across restarts, and shows them over HTTP (page and JSON).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type StoredMail } from './smtp-peer.js';

const dir = mkdtempSync(path.join(tmpdir(), 'smtp-peer-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function send(smtpUrl: string, subject: string): Promise<void> {
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    await transport.sendMail({
      from: 'Kantoor <noreply@kantoor.nl>',
      to: 'Anna Jansen <anna@example.nl>',
      cc: 'bram@example.nl',
      subject,
      text: 'Beste Anna, tot ziens.',
      html: '<p>Beste Anna, <b>tot ziens</b>.</p>',
      headers: { 'X-Dossierflow-Key': 'mail:abc' },
      attachments: [{ filename: 'verslag.pdf', content: Buffer.from('%PDF-1.7 test'), contentType: 'application/pdf' }],
    });
  } finally {
    transport.close();
  }
}

describe('SMTP peer', () => {
  it('stores what it receives, serves it over HTTP and keeps it across a restart', async () => {
    const peer = await startSmtpPeer({ smtpPort: 0, httpPort: 0, dir, log: () => undefined });
    await send(peer.smtpUrl, 'Gespreksverslag – één');

    const list = (await (await fetch(`${peer.uiUrl}/messages`)).json()) as StoredMail[];
    expect(list).toHaveLength(1);
    const mail = list[0]!;
    expect(mail).toMatchObject({
      from: 'noreply@kantoor.nl',
      subject: 'Gespreksverslag – één',
      to: ['anna@example.nl', 'bram@example.nl'],
      envelopeTo: ['anna@example.nl', 'bram@example.nl'],
      headers: { 'x-dossierflow-key': 'mail:abc' },
      attachments: [{ filename: 'verslag.pdf', contentType: 'application/pdf', size: 13 }],
    });
    expect(mail.text).toContain('Beste Anna');

    const one = await fetch(`${peer.uiUrl}/messages/${mail.id}`);
    expect(((await one.json()) as StoredMail).id).toBe(mail.id);
    const raw = await fetch(`${peer.uiUrl}/messages/${mail.id}/raw`);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(await raw.text()).toMatch(/^Subject: /m);
    const attachment = await fetch(`${peer.uiUrl}/messages/${mail.id}/attachments/0`);
    expect(Buffer.from(await attachment.arrayBuffer()).toString()).toBe('%PDF-1.7 test');
    const page = await (await fetch(`${peer.uiUrl}/`)).text();
    expect(page).toContain('Gespreksverslag – één');
    expect((await fetch(`${peer.uiUrl}/messages/nope`)).status).toBe(404);
    await peer.stop();

    const again = await startSmtpPeer({ smtpPort: 0, httpPort: 0, dir, log: () => undefined });
    expect((await again.messages()).map((m) => m.id)).toEqual([mail.id]);
    const waiting = again.waitFor((m) => m.subject === 'Tweede', 10_000);
    await send(again.smtpUrl, 'Tweede');
    expect((await waiting).subject).toBe('Tweede');
    expect(await again.messages()).toHaveLength(2);

    expect((await fetch(`${again.uiUrl}/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(await again.messages()).toEqual([]);
    await again.stop();
  });
});
