/**
 * The type of an upload from its content (services/uploads/sniff.ts): the accepted types from
 * their real first bytes, what is refused, and a zip left undecided until the whole file is in
 * (a DOCX is a zip whose identifying entries may come later).
 */
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { sniffHead, sniffWhole } from '../../services/uploads/sniff.js';

const pad = (head: Buffer, size = 5000) => Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 0)]);

/** A PNG signature and a real IHDR chunk (CRC not checked by the sniffer). */
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]), Buffer.from([0x90, 0x77, 0x53, 0xde]),
  Buffer.from([0, 0, 0, 0]), Buffer.from('IEND'), Buffer.from([0xae, 0x42, 0x60, 0x82]),
]);
/** An HEIC (ISO BMFF) ftyp box with the major brand `heic`, as iPhones write. */
const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic')]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);

async function* of(...parts: Buffer[]): AsyncIterable<Buffer> {
  for (const p of parts) yield p;
}

describe('sniffHead', () => {
  it.each([
    ['a PDF', Buffer.from('%PDF-1.4\n'), 'application/pdf'],
    ['a JPEG', jpeg, 'image/jpeg'],
    ['a PNG', png, 'image/png'],
    ['an HEIC photo', heic, 'image/heic'],
  ])('accepts %s', async (_what, head, contentType) => {
    expect(await sniffHead(pad(head))).toEqual({ kind: 'allowed', contentType });
  });

  it.each([
    ['plain text', Buffer.from('Beste adviseur, hierbij mijn loonstrook.\n'.repeat(150)), 'unknown'],
    ['a GIF', Buffer.from('GIF89a'), 'image/gif'],
    ['a Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 0x90)]), 'application/x-msdownload'],
    ['nothing', Buffer.alloc(0), 'unknown'],
  ])('refuses %s', async (_what, head, detected) => {
    const sniffed = await sniffHead(head.length === 0 ? head : pad(head));
    expect(sniffed.kind).toBe('refused');
    if (detected !== 'application/x-msdownload') expect(sniffed).toEqual({ kind: 'refused', detected });
  });

  it('leaves a zip undecided', async () => {
    const zip = new JSZip();
    zip.file('a.txt', 'x');
    expect(await sniffHead(await zip.generateAsync({ type: 'nodebuffer' }))).toEqual({ kind: 'undecided' });
  });
});

describe('sniffWhole', () => {
  it('tells a DOCX from another zip over the whole file, read in parts', async () => {
    const docx = new JSZip();
    docx.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
    docx.file('word/document.xml', '<w:document/>');
    const bytes = await docx.generateAsync({ type: 'nodebuffer' });
    expect(await sniffWhole(of(bytes.subarray(0, 100), bytes.subarray(100)))).toEqual({
      kind: 'allowed',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
    const other = new JSZip();
    other.file('a.txt', 'x');
    expect(await sniffWhole(of(await other.generateAsync({ type: 'nodebuffer' })))).toEqual({ kind: 'refused', detected: 'application/zip' });
  });
});
