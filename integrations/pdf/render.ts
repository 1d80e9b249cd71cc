/**
 * Renders a simple A4 document (title, paragraphs, optional footer) to PDF with pdf-lib and
 * the standard Helvetica fonts: text is wrapped, pages break, and characters that WinAnsi
 * cannot encode are replaced (accents folded where possible, else "?").
 *
 * Paragraph conventions: a paragraph starting with "## " is a heading; "\n" inside a
 * paragraph is a line break.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export interface PdfDocumentInput {
  title: string;
  paragraphs: string[];
  author?: string;
  subject?: string;
  /** Shown at the bottom of every page, left of the page number. */
  footer?: string;
  /** Creation date written into the metadata (default now). */
  createdAt?: Date;
  language?: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const BODY_SIZE = 10.5;
const BODY_LEADING = 14.5;
const HEADING_SIZE = 12.5;
const TITLE_SIZE = 17;
const PARAGRAPH_GAP = 8;

/** Makes text encodable in the font: folds accents it lacks, replaces the rest with "?". */
export function sanitizeForFont(text: string, supported: ReadonlySet<number>): string {
  let out = '';
  for (const ch of text.replace(/\t/g, '    ').replace(/\r/g, '')) {
    const cp = ch.codePointAt(0) ?? 63;
    if (ch === '\n' || supported.has(cp)) {
      out += ch;
      continue;
    }
    const folded = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (folded.length > 0 && [...folded].every((c) => supported.has(c.codePointAt(0) ?? 0))) {
      out += folded;
    } else if (/\s/.test(ch)) {
      out += ' ';
    } else {
      out += '?';
    }
  }
  return out;
}

/** Greedy word wrap to `maxWidth`; words longer than a line are broken hard. */
export function wrapLine(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const width = (s: string): number => font.widthOfTextAtSize(s, size);
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/ +/)) {
    const candidate = current ? `${current} ${word}` : word;
    if (width(candidate) <= maxWidth) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = '';
    let rest = word;
    while (width(rest) > maxWidth) {
      let cut = rest.length - 1;
      while (cut > 1 && width(rest.slice(0, cut)) > maxWidth) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  lines.push(current);
  return lines;
}

export async function renderDocumentPdf(input: PdfDocumentInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const createdAt = input.createdAt ?? new Date();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const supported = new Set(regular.getCharacterSet());
  const clean = (s: string): string => sanitizeForFont(s, supported);

  const title = clean(input.title);
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setCreator('dossierflow');
  doc.setProducer('dossierflow (pdf-lib)');
  if (input.author) doc.setAuthor(clean(input.author));
  if (input.subject) doc.setSubject(clean(input.subject));
  doc.setLanguage(input.language ?? 'nl-NL');
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);

  const maxWidth = A4[0] - 2 * MARGIN;
  const bottom = MARGIN + 24; // room for the footer
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;

  const ensureRoom = (height: number): void => {
    if (y - height < bottom) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };
  const drawLines = (lines: string[], font: PDFFont, size: number, leading: number): void => {
    for (const line of lines) {
      ensureRoom(leading);
      y -= leading;
      if (line) page.drawText(line, { x: MARGIN, y, size, font, color: rgb(0.1, 0.1, 0.1) });
    }
  };

  drawLines(wrapLine(title, bold, TITLE_SIZE, maxWidth), bold, TITLE_SIZE, TITLE_SIZE * 1.3);
  y -= PARAGRAPH_GAP * 2;

  for (const raw of input.paragraphs) {
    const paragraph = clean(raw);
    const heading = paragraph.startsWith('## ');
    const text = heading ? paragraph.slice(3) : paragraph;
    const font = heading ? bold : regular;
    const size = heading ? HEADING_SIZE : BODY_SIZE;
    const leading = heading ? HEADING_SIZE * 1.35 : BODY_LEADING;
    const lines = text.split('\n').flatMap((l) => wrapLine(l, font, size, maxWidth));
    // Keep a heading with at least two lines of what follows.
    if (heading) ensureRoom(leading + 2 * BODY_LEADING);
    drawLines(lines, font, size, leading);
    y -= PARAGRAPH_GAP;
  }

  const pages = doc.getPages();
  const footer = input.footer ? clean(input.footer) : '';
  pages.forEach((p, i) => {
    const label = `Pagina ${i + 1} van ${pages.length}`;
    const size = 8;
    p.drawText(label, { x: A4[0] - MARGIN - regular.widthOfTextAtSize(label, size), y: MARGIN - 10, size, font: regular, color: rgb(0.45, 0.45, 0.45) });
    if (footer) {
      const text = wrapLine(footer, regular, size, maxWidth - 90)[0] ?? '';
      p.drawText(text, { x: MARGIN, y: MARGIN - 10, size, font: regular, color: rgb(0.45, 0.45, 0.45) });
    }
  });

  return doc.save({ useObjectStreams: true });
}
