import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { addressOf, composeMessage, encodeAddress, quotedPrintable } from './compose.js';

describe('composeMessage', () => {
  const cases = [
    { name: 'plain ASCII', subject: 'Factuur 2026-00001', text: 'Beste klant,\n\nIn de bijlage uw factuur.\n', from: 'Kantoor <facturen@kantoor.nl>' },
    {
      name: 'accents, euro sign, long lines, a dot at a line start, trailing spaces',
      subject: 'Uw factuur van € 30,25 — Zoë Çelik, ŉ Łódź 中文 '.repeat(3).trim(),
      text: `Beste Zoë,\n${'Een lange regel over hypotheekadvies met € en ë. '.repeat(6)}\n.\n.begin met een punt\neinde met spaties   \n= is gelijk aan`,
      from: 'Kantoor "De Hoek" B.V. <facturen@kantoor.nl>',
    },
    { name: 'non-ASCII sender name', subject: 'x', text: 'y', from: 'Adviesbureau Zoë <info@zoe.nl>' },
  ];
  it.each(cases)('mailparser reads back what was written: $name', async (c) => {
    const html = `<p>${c.text.replace(/\n/g, '<br>')}</p>`;
    const raw = composeMessage(
      { from: c.from, to: 'klant@example.nl', subject: c.subject, text: c.text, html, messageId: '<df.abc@kantoor.nl>', headers: { 'X-Dossierflow-Template': 'invoice' } },
      new Date('2026-12-06T06:00:00Z'),
    );
    for (const line of raw.toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(c.subject);
    expect(parsed.text?.replace(/\n$/, '')).toBe(c.text.replace(/\n$/, ''));
    expect(parsed.html).toBe(html);
    expect(parsed.messageId).toBe('<df.abc@kantoor.nl>');
    expect(parsed.from?.value[0]?.address).toBe(addressOf(c.from));
    expect(parsed.from?.value[0]?.name).toBe(c.from.slice(0, c.from.lastIndexOf('<')).trim().replace(/^"(.*)"$/, '$1'));
    expect(parsed.headers.get('x-dossierflow-template')).toBe('invoice');
    expect(parsed.date?.toISOString()).toBe('2026-12-06T06:00:00.000Z');
  });

  it('text only: one text/plain part', async () => {
    const parsed = await simpleParser(composeMessage({ from: 'a@b.nl', to: 'c@d.nl', subject: 's', text: 'één', messageId: '<x@b.nl>' }));
    expect(parsed.text).toBe('één');
    expect(parsed.html).toBe(false);
  });

  it.each([true, false])('attachments (with HTML: %s): multipart/mixed, the file read back byte for byte with its type and name', async (withHtml) => {
    const ics = 'BEGIN:VCALENDAR\r\nSUMMARY:Oriëntatiegesprek\r\nEND:VCALENDAR\r\n';
    const raw = composeMessage({
      from: 'a@b.nl',
      to: 'c@d.nl',
      subject: 'Afspraak',
      text: 'Tot dan.',
      ...(withHtml ? { html: '<p>Tot dan.</p>' } : {}),
      messageId: '<x@b.nl>',
      attachments: [{ filename: 'afspraak.ics', contentType: 'text/calendar; method=REQUEST; charset=utf-8', content: ics }],
    });
    for (const line of raw.toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    const parsed = await simpleParser(raw);
    expect(parsed.text?.trim()).toBe('Tot dan.');
    expect(parsed.html).toBe(withHtml ? '<p>Tot dan.</p>' : false);
    expect(parsed.attachments).toHaveLength(1);
    const [a] = parsed.attachments;
    expect(a?.filename).toBe('afspraak.ics');
    expect(a?.contentType).toBe('text/calendar');
    expect(a?.content.toString('utf8')).toBe(ics);
  });

  it('quoted-printable keeps lines at 76 characters and escapes "=" and trailing spaces', () => {
    const qp = quotedPrintable(`${'a'.repeat(200)}\nb = c \n`);
    for (const line of qp.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(qp).toContain('b =3D c=20');
    expect(encodeAddress('a@b.nl')).toBe('a@b.nl');
    expect(encodeAddress('A B <a@b.nl>')).toBe('"A B" <a@b.nl>');
  });
});
