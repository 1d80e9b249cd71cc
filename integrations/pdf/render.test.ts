import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFRawStream, StandardFonts } from 'pdf-lib';
import { renderDocumentPdf, sanitizeForFont } from './render.js';

describe('renderDocumentPdf', () => {
  it('produces a valid A4 PDF with metadata', async () => {
    const bytes = await renderDocumentPdf({ title: 'Opdracht tot dienstverlening', paragraphs: ['## Partijen', 'Eén regel\nTwee regels'], author: 'Demo Advies B.V.' });
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe('Opdracht tot dienstverlening');
    expect(pdf.getCreator()).toBe('dossierflow');
    expect(pdf.getAuthor()).toBe('Demo Advies B.V.');
    const { width, height } = pdf.getPage(0).getSize();
    expect(Math.round(width)).toBe(595);
    expect(Math.round(height)).toBe(842);
  });

  it('wraps long text and breaks pages; unsupported characters do not throw', async () => {
    const long = 'Dit is een lange zin over hypotheekadvies en de werkwijze van het kantoor. '.repeat(40);
    const paragraphs = Array.from({ length: 30 }, (_, i) => `${i + 1}. ${long} 中文 ✓ 😀 Łódź ŉ Zoë Çelik €`);
    paragraphs.push('x'.repeat(500)); // one unbreakable word
    const bytes = await renderDocumentPdf({ title: 'Lang document ✓', paragraphs, footer: 'Demo Advies B.V. - dossier 2026-000001' });
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBeGreaterThan(3);
  });

  it('writes the text as WinAnsi in each page\'s content stream, with the footer and page numbers; pdf-lib reads the metadata', async () => {
    const createdAt = new Date('2026-12-06T05:00:00Z');
    const bytes = await renderDocumentPdf({
      title: 'Factuur 2026-00001',
      paragraphs: ['## Uw factuur', 'Servicepakket hypotheek (btw 21%): € 30,25\nZoë Çelik'],
      author: 'Kantoor B.V.',
      subject: 'Factuur 2026-00001',
      footer: 'Kantoor B.V. - 2026-00001',
      createdAt,
    });
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getSubject()).toBe('Factuur 2026-00001');
    expect(pdf.getCreationDate()?.toISOString()).toBe(createdAt.toISOString());
    const contents = pdf.getPage(0).node.Contents();
    expect(contents).toBeInstanceOf(PDFRawStream);
    const ops = inflateSync((contents as PDFRawStream).getContents()).toString('latin1');
    // Every shown string, decoded from its WinAnsi hex codes.
    const shown = [...ops.matchAll(/<([0-9a-f]*)> Tj/g)].map((m) => Buffer.from(m[1]!, 'hex').toString('latin1').replace(/\x80/g, '€'));
    expect(shown).toEqual(['Factuur 2026-00001', 'Uw factuur', 'Servicepakket hypotheek (btw 21%): € 30,25', 'Zoë Çelik', 'Pagina 1 van 1', 'Kantoor B.V. - 2026-00001']);
    expect(ops).toContain('/F2 17 Tf'); // the title in bold
  });

  it('sanitizeForFont folds accents and replaces the rest', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const supported = new Set(font.getCharacterSet());
    expect(sanitizeForFont('Zoë Çelik €5', supported)).toBe('Zoë Çelik €5');
    expect(sanitizeForFont('Łódź', supported)).toBe('?ódz');
    expect(sanitizeForFont('a\tb ✓', supported)).toBe('a    b ?');
  });
});
