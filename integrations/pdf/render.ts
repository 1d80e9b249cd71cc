/**
 * Renders a simple A4 document (title, paragraphs, optional footer) to PDF with the standard
 * Helvetica fonts: text is wrapped, pages break, and characters that WinAnsi cannot encode are
 * replaced (accents folded where possible, else "?").
 *
 * Paragraph conventions: a paragraph starting with "## " is a heading; "\n" inside a
 * paragraph is a line break.
 *
 * The PDF is written directly (header, catalog, pages, the two standard Type1 fonts, the
 * metadata, one compressed content stream per page and the cross-reference table), with
 * pdf-lib's font metrics (widths and kerning of Helvetica and Helvetica-Bold, WinAnsi encoding)
 * for the layout. Building the same document as pdf-lib objects and serialising them cost about
 * 1.7 ms of CPU per one-page invoice, which the invoice run pays 100,000 times; this costs a
 * fraction of it. pdf-lib reads what it writes (render.test.ts).
 */
import { deflateSync } from 'node:zlib';
import { StandardFontEmbedder, StandardFonts } from 'pdf-lib';

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

/** What wrapping needs of a font: the width of a text at a size, in points. */
export interface TextMeasure {
  widthOfTextAtSize(text: string, size: number): number;
}

/** A standard font as this module uses it: its resource name, WinAnsi codes, widths with kerning (pdf-lib's metrics). */
class StandardFont implements TextMeasure {
  private readonly embedder: StandardFontEmbedder;
  /** WinAnsi code of a UTF-16 code unit (-1: not looked up yet; WinAnsi text is in the BMP). */
  private readonly codeOf = new Int16Array(0x10000).fill(-1);
  /** Width in 1/1000 em and glyph name of a WinAnsi code. */
  private readonly widthOf = new Uint16Array(256);
  private readonly nameOf: string[] = [];
  /** Kerning of a pair of WinAnsi codes (left * 256 + right), looked up once. */
  private readonly kerning = new Int32Array(0x10000).fill(KERN_UNKNOWN);

  constructor(
    readonly resource: string,
    readonly baseFont: string,
    fontName: StandardFonts,
  ) {
    // pdf-lib's StandardFonts has the values of the metrics package's FontNames.
    this.embedder = StandardFontEmbedder.for(fontName as unknown as Parameters<typeof StandardFontEmbedder.for>[0]);
  }

  private code(unit: number): number {
    let code = this.codeOf[unit]!;
    if (code < 0) {
      const glyph = this.embedder.encoding.encodeUnicodeCodePoint(unit);
      code = glyph.code;
      this.codeOf[unit] = code;
      this.nameOf[code] = glyph.name;
      this.widthOf[code] = this.embedder.font.getWidthOfGlyph(glyph.name) || 250;
    }
    return code;
  }

  private kern(left: number, right: number): number {
    const pair = left * 256 + right;
    let k = this.kerning[pair]!;
    if (k === KERN_UNKNOWN) {
      k = this.embedder.font.getXAxisKerningForPair(this.nameOf[left]!, this.nameOf[right]!) || 0;
      this.kerning[pair] = k;
    }
    return k;
  }

  /** The code points this font encodes (WinAnsi). */
  characterSet(): number[] {
    return this.embedder.encoding.supportedCodePoints.slice();
  }

  /** The same sum as pdf-lib's StandardFontEmbedder (whole units, scaled at the end), so lines wrap where they did. */
  widthOfTextAtSize(text: string, size: number): number {
    let units = 0;
    let prev = -1;
    for (let i = 0; i < text.length; i++) {
      const code = this.code(text.charCodeAt(i));
      if (prev >= 0) units += this.kern(prev, code);
      units += this.widthOf[code]!;
      prev = code;
    }
    return units * (size / 1000);
  }

  /** The text as a PDF hex string of WinAnsi codes. */
  hex(text: string): string {
    let out = '<';
    for (let i = 0; i < text.length; i++) out += HEX[this.code(text.charCodeAt(i))];
    return `${out}>`;
  }
}

const KERN_UNKNOWN = 0x7fffffff;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const regular = new StandardFont('F1', 'Helvetica', StandardFonts.Helvetica);
const bold = new StandardFont('F2', 'Helvetica-Bold', StandardFonts.HelveticaBold);
const supported: ReadonlySet<number> = new Set(regular.characterSet());

/** Greedy word wrap to `maxWidth`; words longer than a line are broken hard. */
export function wrapLine(text: string, font: TextMeasure, size: number, maxWidth: number): string[] {
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

/** A number as PDF writes it: at most three decimals, no exponent. */
function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Text metadata as a UTF-16BE hex string with its byte order mark (what pdf-lib's setTitle writes). */
function textString(value: string): string {
  let out = '<FEFF';
  for (let i = 0; i < value.length; i++) out += value.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `${out}>`;
}

/** A PDF date, `D:YYYYMMDDHHmmSSZ` (UTC). */
function pdfDate(d: Date): string {
  const iso = d.toISOString();
  return `(D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z)`;
}

const GREY_TEXT = '0.1 0.1 0.1 rg';
const GREY_FOOTER = '0.45 0.45 0.45 rg';

/** One text line in a content stream. */
function textOp(font: StandardFont, size: number, x: number, y: number, colour: string, text: string): string {
  return `BT\n/${font.resource} ${num(size)} Tf\n${colour}\n${num(x)} ${num(y)} Td\n${font.hex(text)} Tj\nET\n`;
}

export async function renderDocumentPdf(input: PdfDocumentInput): Promise<Uint8Array> {
  return renderDocumentPdfSync(input);
}

/** renderDocumentPdf without the promise (the PDF threads and the run call it in a loop). */
export function renderDocumentPdfSync(input: PdfDocumentInput): Uint8Array {
  const createdAt = input.createdAt ?? new Date();
  const clean = (s: string): string => sanitizeForFont(s, supported);
  const title = clean(input.title);

  const maxWidth = A4[0] - 2 * MARGIN;
  const bottom = MARGIN + 24; // room for the footer
  const pages: string[] = [''];
  let y = A4[1] - MARGIN;

  const ensureRoom = (height: number): void => {
    if (y - height < bottom) {
      pages.push('');
      y = A4[1] - MARGIN;
    }
  };
  const drawLines = (lines: string[], font: StandardFont, size: number, leading: number): void => {
    for (const line of lines) {
      ensureRoom(leading);
      y -= leading;
      if (line) pages[pages.length - 1] += textOp(font, size, MARGIN, y, GREY_TEXT, line);
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

  const footer = input.footer ? clean(input.footer) : '';
  const footerText = footer ? (wrapLine(footer, regular, 8, maxWidth - 90)[0] ?? '') : '';
  for (let i = 0; i < pages.length; i++) {
    const label = `Pagina ${i + 1} van ${pages.length}`;
    pages[i] += textOp(regular, 8, A4[0] - MARGIN - regular.widthOfTextAtSize(label, 8), MARGIN - 10, GREY_FOOTER, label);
    if (footerText) pages[i] += textOp(regular, 8, MARGIN, MARGIN - 10, GREY_FOOTER, footerText);
  }

  // Objects: 1 catalog, 2 page tree, 3 and 4 the fonts, 5 the metadata, then per page its page and its content.
  const pageRef = (i: number): number => 6 + 2 * i;
  const info = [
    `/Title ${textString(title)}`,
    input.author ? `/Author ${textString(clean(input.author))}` : '',
    input.subject ? `/Subject ${textString(clean(input.subject))}` : '',
    `/Creator ${textString('dossierflow')}`,
    `/Producer ${textString('dossierflow')}`,
    `/CreationDate ${pdfDate(createdAt)}`,
    `/ModDate ${pdfDate(createdAt)}`,
  ].filter(Boolean);
  const objects: (string | [string, Buffer])[] = [
    `<< /Type /Catalog /Pages 2 0 R /Lang ${textString(input.language ?? 'nl-NL')} /ViewerPreferences << /DisplayDocTitle true >> >>`,
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageRef(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    `<< /Type /Font /Subtype /Type1 /BaseFont /${regular.baseFont} /Encoding /WinAnsiEncoding >>`,
    `<< /Type /Font /Subtype /Type1 /BaseFont /${bold.baseFont} /Encoding /WinAnsiEncoding >>`,
    `<< ${info.join(' ')} >>`,
  ];
  const mediaBox = `[0 0 ${num(A4[0])} ${num(A4[1])}]`;
  for (let i = 0; i < pages.length; i++) {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox ${mediaBox} /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageRef(i) + 1} 0 R >>`,
    );
    const content = deflateSync(Buffer.from(pages[i]!, 'latin1'));
    objects.push([`<< /Length ${content.length} /Filter /FlateDecode >>`, content]);
  }

  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  const push = (b: Buffer): void => {
    parts.push(b);
    offset += b.length;
  };
  objects.forEach((obj, i) => {
    offsets.push(offset);
    if (typeof obj === 'string') {
      push(Buffer.from(`${i + 1} 0 obj\n${obj}\nendobj\n`, 'latin1'));
    } else {
      push(Buffer.from(`${i + 1} 0 obj\n${obj[0]}\nstream\n`, 'latin1'));
      push(obj[1]);
      push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    }
  });
  const xref = offset;
  let table = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) table += `${String(o).padStart(10, '0')} 00000 n \n`;
  table += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  push(Buffer.from(table, 'latin1'));
  // Its own memory (not Node's shared Buffer pool): the PDF threads transfer it to the caller.
  const out = new Uint8Array(offset);
  let at = 0;
  for (const b of parts) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
