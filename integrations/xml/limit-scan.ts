/**
 * The lexer's limit checks (lexer.ts `scanXml`) on bytes as they arrive, for the API's body
 * reader: a small resumable state machine fed chunk by chunk, so a body that breaks a limit is
 * refused after the bytes that break it, not after all of them.
 *
 * It tracks only what decides the cheap-to-send hostile bodies: the element count
 * (maxElements), attributes per element and in total (maxAttributesPerElement, maxAttributes),
 * nesting depth (maxDepth) and DTD declarations (`<!DOCTYPE`, `<!ENTITY`, any `<!` that is not a
 * comment or CDATA section). Everything else (text lengths, references, characters, UTF-8,
 * well-formedness) stays with the whole-document reader in the pool.
 *
 * Its verdict is a cut: a byte offset such that the lexer's scan of the bytes before it fails
 * exactly as the scan of the whole document does (same type, message, line, column, path). The
 * cut is never inside a UTF-8 sequence (every byte it decides on is ASCII, and UTF-8 sequences
 * hold no ASCII bytes). So the caller stops reading and hands the prefix to the usual reader,
 * which answers with the error it would have answered for the whole body. It follows the
 * lexer's notion of markup exactly wherever the lexer's scan has not failed yet; where the lexer
 * fails on something this scanner does not track, what it does afterwards does not matter: the
 * prefix fails at that earlier point, as the whole document does.
 */

/** The limits this scanner decides on (a subset of XmlLimits). */
export interface StreamScanLimits {
  maxDepth: number;
  maxElements: number;
  maxAttributesPerElement: number;
  maxAttributes: number;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const DASH = 0x2d;
const RBRACKET = 0x5d;

const enum State {
  /** Character data (or whitespace outside the root): until "<". */
  Text,
  /** After "<". */
  Open,
  /** A start tag's name (up to whitespace, "/" or ">"). */
  Name,
  /** Inside a start tag after its name. */
  Tag,
  /** Inside a quoted attribute value. */
  Quote,
  /** After "</": up to ">". */
  EndTag,
  /** After "<?": up to "?>". */
  Pi,
  /** After "<!": matching "--" or "[CDATA[". */
  Decl,
  /** Inside a comment: up to "-->". */
  Comment,
  /** Inside a CDATA section: up to "]]>". */
  Cdata,
  /** A refused "<!" declaration: reading its keyword (letters, at most 18) for the message. */
  Keyword,
}

const CDATA_OPEN = [0x5b, 0x43, 0x44, 0x41, 0x54, 0x41, 0x5b]; // [CDATA[
const COMMENT_OPEN = [DASH, DASH];
/** The lexer reads a refused declaration's keyword from the 20 characters at "<!". */
const KEYWORD_MAX = 18;

function isNameEnd(ch: number): boolean {
  return ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d || ch === SLASH || ch === GT;
}

/** Bytes looked at one by one before a search goes native (Buffer.indexOf's call costs more than a few bytes). */
const SHORT_RUN = 32;

/** Offset of `byte` in `chunk` from `from`, or -1. */
function find(chunk: Uint8Array, byte: number, from: number): number {
  const short = Math.min(chunk.length, from + SHORT_RUN);
  for (let i = from; i < short; i += 1) if (chunk[i] === byte) return i;
  return short === chunk.length ? -1 : chunk.indexOf(byte, short);
}

function isLetter(ch: number): boolean {
  return (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x61 && ch <= 0x7a);
}

export class XmlLimitScanner {
  private state = State.Text;
  /** Offset of the first byte of the next chunk. */
  private offset = 0;
  private depth = 0;
  private elements = 0;
  private attributes = 0;
  private attributesHere = 0;
  private quote = 0;
  /** The byte before the current one (a start tag ending in "/>" is self-closing). */
  private previous = 0;
  /** Bytes of "--" or "[CDATA[" matched after "<!"; which of the two. */
  private declMatched = 0;
  private declTarget: number[] = COMMENT_OPEN;
  /** "-" or "]" seen in a row (comment, CDATA), "?" just seen (PI). */
  private run = 0;
  private keywordLength = 0;
  private cutAt: number | undefined;

  constructor(private readonly limits: StreamScanLimits) {}

  /** Where the scan decided (see the module comment), or undefined while it has not. */
  get cut(): number | undefined {
    return this.cutAt;
  }

  /** Bytes fed so far. */
  get bytes(): number {
    return this.offset;
  }

  /**
   * Scans the next chunk of the body. Returns the cut once a limit is exceeded (and on every
   * later call); undefined while none is.
   */
  feed(chunk: Uint8Array): number | undefined {
    if (this.cutAt !== undefined) return this.cutAt;
    const base = this.offset;
    const n = chunk.length;
    let i = 0;
    let state = this.state;
    let previous = this.previous;
    // The counters live in locals while the chunk is scanned (written back on the way out).
    let { attributesHere, attributes, elements, depth, quote, run, declMatched, keywordLength } = this;
    const { maxDepth, maxElements, maxAttributesPerElement, maxAttributes } = this.limits;
    // No closures over these locals (they would live in a context, not in registers).
    let cut: number | undefined;
    scan: while (i < n) {
      const ch = chunk[i]!;
      switch (state) {
        case State.Text: {
          // Character data: a short run is skipped here, a long one natively (base64
          // attachments cost a memchr; a call per "<a/>" would cost more than the bytes).
          const lt = find(chunk, LT, i);
          if (lt === -1) {
            i = n;
            previous = chunk[n - 1]!;
            continue;
          }
          i = lt + 1;
          previous = LT;
          state = State.Open;
          continue;
        }
        case State.Open:
          if (ch === BANG) {
            state = State.Decl;
            declMatched = 0;
          } else if (ch === QUESTION) {
            state = State.Pi;
            run = 0;
          } else if (ch === SLASH) {
            state = State.EndTag;
          } else {
            // The lexer counts the element before it reads the name.
            elements += 1;
            // The cut keeps the "<" only: the lexer fails there before looking further.
            if (elements > maxElements) {
              cut = base + i;
              break scan;
            }
            attributesHere = 0;
            state = State.Name;
            continue; // this byte is the name's first (or ends an empty name)
          }
          break;
        case State.Name:
          if (isNameEnd(ch)) {
            state = State.Tag;
            continue;
          }
          break;
        case State.Tag:
          if (ch === DQUOTE || ch === SQUOTE) {
            attributesHere += 1;
            attributes += 1;
            if (attributesHere > maxAttributesPerElement || attributes > maxAttributes) {
              cut = base + i + 1;
              break scan;
            }
            quote = ch;
            state = State.Quote;
          } else if (ch === GT) {
            state = State.Text;
            if (previous !== SLASH) {
              depth += 1;
              if (depth > maxDepth) {
              cut = base + i + 1;
              break scan;
            }
            }
          } else if (ch === LT) {
            // The lexer refuses this tag as not closed; what follows does not matter.
            state = State.Open;
          }
          break;
        case State.Quote: {
          const close = find(chunk, quote, i);
          if (close === -1) {
            i = n;
            previous = chunk[n - 1]!;
            continue;
          }
          i = close + 1;
          previous = quote;
          state = State.Tag;
          continue;
        }
        case State.EndTag: {
          const gt = find(chunk, GT, i);
          if (gt === -1) {
            i = n;
            previous = chunk[n - 1]!;
            continue;
          }
          if (depth > 0) depth -= 1;
          i = gt + 1;
          previous = GT;
          state = State.Text;
          continue;
        }
        case State.Pi:
          if (ch === GT && run === 1) state = State.Text;
          else run = ch === QUESTION ? 1 : 0;
          break;
        case State.Decl:
          if (declMatched === 0) {
            this.declTarget = ch === 0x5b ? CDATA_OPEN : COMMENT_OPEN;
          }
          if (ch === this.declTarget[declMatched]) {
            declMatched += 1;
            if (declMatched === this.declTarget.length) {
              state = this.declTarget === COMMENT_OPEN ? State.Comment : State.Cdata;
              run = 0;
            }
          } else if (declMatched === 0 && isLetter(ch)) {
            state = State.Keyword;
            keywordLength = 1;
            if (keywordLength === KEYWORD_MAX) {
              cut = base + i + 1;
              break scan;
            }
          } else {
            // Neither a comment nor a CDATA section: a declaration without a keyword.
            {
              cut = base + i;
              break scan;
            }
          }
          break;
        case State.Keyword:
          if (!isLetter(ch)) {
              cut = base + i;
              break scan;
            }
          keywordLength += 1;
          if (keywordLength === KEYWORD_MAX) {
              cut = base + i + 1;
              break scan;
            }
          break;
        case State.Comment:
        case State.Cdata: {
          const mark = state === State.Comment ? DASH : RBRACKET;
          if (ch === GT && run >= 2) state = State.Text;
          else run = ch === mark ? run + 1 : 0;
          break;
        }
      }
      previous = ch;
      i += 1;
    }
    Object.assign(this, { state, previous, attributesHere, attributes, elements, depth, quote, run, declMatched, keywordLength });
    this.offset = base + n;
    this.cutAt = cut;
    return cut;
  }
}
