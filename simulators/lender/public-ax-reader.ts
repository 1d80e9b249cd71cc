/**
 * The simulated lender's OWN reader of what it receives in the public HDN shape: an AX
 * (application) or a DX (a document against a DA line), header inside the message.
 *
 * Written on purpose without our codec or mapping layer (integrations/hdn/codec.ts,
 * integrations/hdn/mapping): it reads fast-xml-parser's output by the element names as the
 * public sources give them (shared/REFERENCE.md, "What public HDN sources show") and, where
 * those are silent, by the names HDN 24.0 is assumed to use (marked unverified in
 * integrations/hdn/mapping/versions/24.0.json). So a test where the platform sends and this
 * lender reads checks our writer against a second, independent reading, not against itself.
 * Only the domain TYPES are shared (what the scenarios work with).
 *
 *   <AX> Header Aanvrager+ (VoorNaam AchterNaam GeboorteDt Tussenvoegsels? EmailAdres? TelefoonNr?
 *                           StraatNaam? HuisNr? HuisNrToevoeging? Postcode? PlaatsNaam?)
 *        Onderpand? (StraatNaam? HuisNr? HuisNrToevoeging? Postcode? PlaatsNaam? KoopsomBedrag?
 *                    MarktwaardeBedrag?)
 *        Lening (NHGJN? OntbindendeVoorwaardeDt? LeningDeel+ (LeningDeelBedrag DuurInMnd
 *                RenteVastInMnd? AflossingsVorm RentePct?))
 *   <DX> Header Document (DocumentKenmerk|DocumentMijNr SoortDocument)
 *        PrintDoc (EncodedData BestandsNaam? MimeType?)
 *
 * Amounts are decimal euros (more than two decimals refused), booleans J/N, AflossingsVorm a
 * code. Unknown elements are ignored (a lender reads what it needs). Errors are HdnError with
 * the element path, as the simulator answers them (400 with `element`).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  HdnError,
  HdnErrorType,
  hdnMessageTypes,
  type HdnApplicant,
  type HdnApplication,
  type HdnDocumentDelivery,
  type HdnHeader,
  type HdnLoanPart,
  type HdnMessageType,
} from '../../integrations/hdn/types.js';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, jpath) => ['AX.Aanvrager', 'AX.Lening.LeningDeel'].includes(String(jpath)),
});

const AMOUNT = /^([0-9]+)(?:\.([0-9]{1,2}))?$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const CODE = /^[0-9]{2}$/;

function refuse(element: string, problem: string): HdnError {
  return new HdnError(HdnErrorType.Invalid, `${element} ${problem}`, { element });
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads leaves of one element; `at` is its path for errors. */
class El {
  constructor(
    readonly node: Node,
    readonly at: string,
  ) {}

  child(name: string, required: true): El;
  child(name: string, required?: false): El | undefined;
  child(name: string, required = false): El | undefined {
    const v = this.node[name];
    if (v === undefined || v === '') {
      if (required) throw refuse(`${this.at}/${name}`, 'is missing');
      return undefined;
    }
    if (!isNode(v)) throw refuse(`${this.at}/${name}`, 'must hold elements');
    return new El(v, `${this.at}/${name}`);
  }

  children(name: string): El[] {
    const v = this.node[name];
    if (v === undefined) return [];
    const list = Array.isArray(v) ? v : [v];
    return list.map((item, i) => {
      const at = `${this.at}/${name}${list.length > 1 ? `[${i + 1}]` : ''}`;
      if (!isNode(item)) throw refuse(at, 'must hold elements');
      return new El(item, at);
    });
  }

  text(name: string, required: true): string;
  text(name: string, required?: boolean): string | undefined;
  text(name: string, required = false): string | undefined {
    const v = this.node[name];
    if (v === undefined || v === '') {
      if (required) throw refuse(`${this.at}/${name}`, 'is missing');
      return undefined;
    }
    if (typeof v !== 'string') throw refuse(`${this.at}/${name}`, 'must occur once, as text');
    return v;
  }

  integer(name: string, required = false): number | undefined {
    const t = this.text(name, required);
    if (t === undefined) return undefined;
    if (!/^[0-9]{1,9}$/.test(t)) throw refuse(`${this.at}/${name}`, `must be a whole number, got "${t}"`);
    return Number(t);
  }

  date(name: string, required = false): string | undefined {
    const t = this.text(name, required);
    if (t !== undefined && !DATE.test(t)) throw refuse(`${this.at}/${name}`, `must be a date YYYY-MM-DD, got "${t}"`);
    return t;
  }

  /** Decimal euros -> cents; never rounds. */
  euros(name: string, required = false): number | undefined {
    const t = this.text(name, required);
    if (t === undefined) return undefined;
    const m = AMOUNT.exec(t);
    if (!m) throw refuse(`${this.at}/${name}`, `must be euros with at most two decimals, got "${t}"`);
    return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  }

  jn(name: string): boolean | undefined {
    const t = this.text(name);
    if (t === undefined) return undefined;
    if (t !== 'J' && t !== 'N') throw refuse(`${this.at}/${name}`, `must be J or N, got "${t}"`);
    return t === 'J';
  }
}

/** Sets only defined values (so an absent element is an absent property). */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

function header(root: El, type: HdnMessageType): HdnHeader {
  const h = root.child('Header', true);
  const soort = h.text('BerichtSoort', true);
  if (soort !== type) throw refuse(`${h.at}/BerichtSoort`, `says ${soort} but the message is a ${type}`);
  return defined<HdnHeader>({
    senderNode: h.text('VerzenderNrHDN', true),
    receiverNode: h.text('OntvangerNrHDN', true),
    senderName: h.text('VerzenderNaam'),
    receiverName: h.text('OntvangerNaam'),
    messageType: type,
    messageVersion: h.text('BerichtVersie', true),
    receiverCode: h.text('OntvangerCode'),
    sentDate: h.date('VerzendDt', true) as string,
    sentTime: h.text('VerzendTijd', true),
    packageName: h.text('PakketNaam'),
    packageVersion: h.text('PakketVersie'),
    applicationNumber: h.text('AanvraagVolgNr', true),
    applicationVersion: h.text('AanvraagVersie', true),
  });
}

function application(root: El): HdnApplication {
  const applicants = root.children('Aanvrager').map(
    (a, i): HdnApplicant =>
      defined<HdnApplicant>({
        position: i + 1,
        firstName: a.text('VoorNaam', true),
        infix: a.text('Tussenvoegsels'),
        lastName: a.text('AchterNaam', true),
        birthDate: a.date('GeboorteDt', true) as string,
        email: a.text('EmailAdres'),
        phone: a.text('TelefoonNr'),
        street: a.text('StraatNaam'),
        houseNumber: a.integer('HuisNr'),
        houseNumberSuffix: a.text('HuisNrToevoeging'),
        postcode: a.text('Postcode'),
        city: a.text('PlaatsNaam'),
      }),
  );
  if (applicants.length === 0) throw refuse(`${root.at}/Aanvrager`, 'is missing (an application has at least one applicant)');
  const lening = root.child('Lening', true);
  const loanParts = lening.children('LeningDeel').map((p, i): HdnLoanPart => {
    const code = p.text('AflossingsVorm', true);
    if (!CODE.test(code)) throw refuse(`${p.at}/AflossingsVorm`, `must be a code like "01", got "${code}"`);
    return defined<HdnLoanPart>({
      number: String(i + 1),
      repaymentType: code,
      amountCents: p.euros('LeningDeelBedrag', true) as number,
      durationMonths: p.integer('DuurInMnd', true) as number,
      fixedRateMonths: p.integer('RenteVastInMnd'),
      interestRate: p.text('RentePct'),
    });
  });
  if (loanParts.length === 0) throw refuse(`${lening.at}/LeningDeel`, 'is missing (an application has at least one loan part)');
  const o = root.child('Onderpand');
  return defined<HdnApplication>({
    type: 'AX',
    header: header(root, 'AX'),
    applicants,
    property:
      o &&
      defined({
        street: o.text('StraatNaam'),
        houseNumber: o.integer('HuisNr'),
        houseNumberSuffix: o.text('HuisNrToevoeging'),
        postcode: o.text('Postcode'),
        city: o.text('PlaatsNaam'),
        purchasePriceCents: o.euros('KoopsomBedrag'),
        marketValueCents: o.euros('MarktwaardeBedrag'),
      }),
    loanParts,
    nhg: lening.jn('NHGJN'),
    financingConditionDate: lening.date('OntbindendeVoorwaardeDt'),
  });
}

function documentDelivery(root: El): HdnDocumentDelivery {
  const doc = root.child('Document', true);
  const lineId = doc.text('DocumentKenmerk') ?? doc.text('DocumentMijNr');
  if (lineId === undefined) throw refuse(`${doc.at}/DocumentKenmerk`, 'is missing (and no DocumentMijNr): which DA line is this?');
  const print = root.child('PrintDoc', true);
  const content = print.text('EncodedData', true).replace(/\s+/g, '');
  if (content.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) throw refuse(`${print.at}/EncodedData`, 'must be base64');
  return {
    type: 'DX',
    header: header(root, 'DX'),
    lineId,
    documentKind: doc.text('SoortDocument', true),
    attachment: {
      filename: print.text('BestandsNaam') ?? `${lineId}.pdf`,
      contentType: print.text('MimeType') ?? 'application/octet-stream',
      contentBase64: content,
    },
  };
}

/** The root element of a public-shape message, after the same checks as for any body the lender reads. */
function rootOf(body: string | Uint8Array, limits: { maxBytes: number }): El {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size > limits.maxBytes) throw new HdnError(HdnErrorType.TooLarge, `message is ${size} bytes, more than ${limits.maxBytes}`);
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  // A lender has no use for DTDs; entity tricks are refused before any parsing.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new HdnError(HdnErrorType.ForbiddenConstruct, 'DOCTYPE/ENTITY is not allowed');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new HdnError(HdnErrorType.Malformed, `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as Node;
  const roots = Object.keys(doc);
  const rootName = roots[0];
  if (roots.length !== 1 || rootName === undefined) throw refuse('/', 'must have one root element');
  const rootValue = doc[rootName];
  if (!isNode(rootValue)) throw refuse(rootName, 'must hold elements');
  return new El(rootValue, rootName);
}

/**
 * Reads a public-shape AX or DX the lender received. Any other root (including SX/OX/DA, which a
 * lender sends rather than receives) is refused at the root.
 */
export function readPublicLenderInbound(body: string | Uint8Array, limits: { maxBytes: number }): HdnApplication | HdnDocumentDelivery {
  const root = rootOf(body, limits);
  if (root.at === 'AX') return application(root);
  if (root.at === 'DX') return documentDelivery(root);
  const known = (hdnMessageTypes as readonly string[]).includes(root.at);
  throw refuse(root.at, known ? `is a ${root.at}: a lender receives AX and DX` : 'is not an HDN message this lender reads (AX or DX)');
}

/** The header of any public-shape HDN message (the lender's platform sender puts its facts on the envelope). */
export function readPublicHeader(body: string | Uint8Array, limits: { maxBytes: number }): HdnHeader {
  const root = rootOf(body, limits);
  if (!(hdnMessageTypes as readonly string[]).includes(root.at)) throw refuse(root.at, 'is not an HDN message');
  return header(root, root.at as HdnMessageType);
}
