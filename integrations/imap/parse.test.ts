import { describe, expect, it } from 'vitest';
import { imapAccountFromUrl } from './account.js';
import { mailDigest, parseInboundMail } from './parse.js';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');

const multipart = crlf([
  'From: =?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <Jose@Example.NL>',
  'To: info@kantoor.example, "Tweede" <twee@kantoor.example>',
  'Cc: cc@kantoor.example',
  'Subject: =?UTF-8?B?TG9vbnN0cm9vayDigqwgbm92ZW1iZXI=?=',
  'Message-ID: <ABC.1@Mail.Example.NL>',
  'Date: Tue, 01 Dec 2026 10:00:00 +0100',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: multipart/alternative; boundary="alt"',
  '',
  '--alt',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Hierbij mijn loonstrook, groet Jos=C3=A9',
  '--alt',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Hierbij mijn <b>loonstrook</b></p>',
  '--alt--',
  '--outer',
  'Content-Type: application/pdf; name="loonstrook.pdf"',
  'Content-Disposition: attachment; filename="loonstrook.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 test').toString('base64'),
  '--outer--',
  '',
]);

describe('parseInboundMail', () => {
  it('reads sender, recipients, an encoded-word subject, both bodies of a multipart/alternative and the attachment', async () => {
    const mail = await parseInboundMail(multipart);
    expect(mail).toMatchObject({
      messageId: 'ABC.1@mail.example.nl',
      syntheticId: false,
      fromAddress: 'Jose@Example.NL',
      fromName: 'José Müller',
      toAddresses: ['info@kantoor.example', 'twee@kantoor.example', 'cc@kantoor.example'],
      subject: 'Loonstrook € november',
      text: expect.stringContaining('groet José'),
      html: expect.stringContaining('<b>loonstrook</b>'),
    });
    expect(mail.sentAt?.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'loonstrook.pdf', contentType: 'application/pdf' });
    expect(mail.attachments[0]!.content.toString()).toBe('%PDF-1.4 test');
  });

  const bare = ['From: a@b.nl', 'To: c@d.nl', 'Subject: Zonder id', 'Date: Tue, 01 Dec 2026 10:00:00 +0100', '', 'Tekst', ''];
  it('gives a mail without Message-ID a synthetic id that trace headers do not change', async () => {
    const first = await parseInboundMail(crlf(bare));
    const relayed = await parseInboundMail(crlf(['Received: from mx1 by mx2; Tue, 01 Dec 2026 10:00:05 +0100', 'Return-Path: <a@b.nl>', ...bare]));
    expect(first.syntheticId).toBe(true);
    expect(first.messageId).toMatch(/^synthetic:[0-9a-f]{64}$/);
    expect(relayed.messageId).toBe(first.messageId);
  });

  it.each([
    ['another body', bare.map((l) => (l === 'Tekst' ? 'Andere tekst' : l))],
    ['another subject', bare.map((l) => (l.startsWith('Subject') ? 'Subject: Anders' : l))],
    ['another sender', bare.map((l) => (l.startsWith('From') ? 'From: x@b.nl' : l))],
    ['another date', bare.map((l) => (l.startsWith('Date') ? 'Date: Wed, 02 Dec 2026 10:00:00 +0100' : l))],
  ])('a mail with %s gets another synthetic id', async (_what, lines) => {
    expect((await parseInboundMail(crlf(lines))).messageId).not.toBe((await parseInboundMail(crlf(bare))).messageId);
  });

  it('reads the same digest with LF or CRLF line ends in the headers', () => {
    expect(mailDigest(Buffer.from(bare.join('\n')))).toHaveLength(64);
  });
});

describe('imapAccountFromUrl', () => {
  it.each([
    ['imap://kantoor:geheim@127.0.0.1:1143/INBOX', { host: '127.0.0.1', port: 1143, secure: false, user: 'kantoor', password: 'geheim', mailbox: 'INBOX' }],
    ['imaps://info%40kantoor.nl:p%40ss%3Aw@mail.kantoor.nl', { host: 'mail.kantoor.nl', port: 993, secure: true, user: 'info@kantoor.nl', password: 'p@ss:w', mailbox: 'INBOX' }],
    ['imap://u:p@mail.example/Klanten%2FPost', { port: 143, mailbox: 'Klanten/Post' }],
  ])('%s', (url, expected) => {
    expect(imapAccountFromUrl(url)).toMatchObject(expected);
  });
  it('refuses another scheme', () => {
    expect(() => imapAccountFromUrl('pop3://u:p@x')).toThrow(/imap/);
  });
});
