/**
 * The simulated RISK's OWN AFD writer: it builds RISK's messages from the public AFD structure
 * (shared/REFERENCE.md "What public SIVI AFD sources show") by plain string building, without
 * integrations/afd or integrations/risk, so the platform's reader is tested against an
 * independent writer rather than against itself.
 *
 * SYNTHETIC definition. RISK's AFD definition (function codes, branch coverage entities, document
 * entity, event-version label) is not public; the simulator uses made-up values that match
 * integrations/risk/fixtures/afd-mapping.synthetic.json (a test checks the two agree). A branch
 * it has no entity for gets its coverages in its default entity Z1 (the platform then records an
 * "unknown branch" note).
 *
 * AFD 1.0 XML:  <Contractdocument> > AL (no VOLGNUM) , PP (VOLGNUM 1) > VP (1), coverage entities (1..n), Z9 documents (1..n)
 * AFD 2.0 JSON: the shape integrations/risk/afd2-json.ts expects (UNVERIFIED: not public), written here on its own.
 */

export type SimEventKind = 'quote' | 'final' | 'mutation' | 'cancellation';

/** The simulated RISK's AFD definition (synthetic, see above). */
export const simulatedAfdDefinition = Object.freeze({
  kind: 'Contractdocument',
  functionCodes: Object.freeze({ quote: '91', final: '92', mutation: '93', cancellation: '94' } as Record<SimEventKind, string>),
  branchEntities: Object.freeze({ 'SYN-AUTO': 'Z1', 'SYN-WOON': 'Z2' } as Record<string, string>),
  defaultCoverageEntity: 'Z1',
  versionLabel: 'AL_SYNVOLG',
  documentEntity: 'Z9',
});

export interface SimMessage {
  reference: string;
  kind: SimEventKind;
  version: number;
  /** ISO instant; written as Amsterdam wall clock. */
  eventAt: string;
  adviserReference?: string;
  policyNumber: string;
  insurer: string;
  branch: string;
  startDate?: string;
  premiumCents: number;
  paymentTermMonths?: number;
  holder: { relationNumber?: string; lastName: string; initials?: string; birthDate: string };
  coverages: { code: string; description?: string; premiumCents: number; insuredAmountCents?: number }[];
  documents: { name: string; mimeType: string; contentBase64: string }[];
}

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const euros = (cents: number) => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/** Amsterdam wall clock of an instant: [YYYY-MM-DD, HH:MM:SS] (Intl, independent of the platform's zone code). */
function amsterdam(isoInstant: string): [string, string] {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(isoInstant))
      .map((p) => [p.type, p.value]),
  );
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}:${parts.second}`];
}

function entityXml(code: string, labels: [string, string | undefined][], indent: string, children = '', sequence?: number): string {
  const lines = [[`ENTITEI`, code] as [string, string | undefined], ...(sequence !== undefined ? [[`VOLGNUM`, String(sequence)] as [string, string]] : []), ...labels]
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => `${indent}  <${code}_${name}>${esc(v as string)}</${code}_${name}>\n`)
    .join('');
  return `${indent}<${code}>\n${lines}${children}${indent}</${code}>\n`;
}

/** RISK's message as SIVI AFD 1.0 XML. */
export function writeSimAfd1(m: SimMessage): string {
  const d = simulatedAfdDefinition;
  const [day, time] = amsterdam(m.eventAt);
  const entity = d.branchEntities[m.branch] ?? d.defaultCoverageEntity;
  const al = entityXml(
    'AL',
    [
      ['BERRFNR', m.reference],
      ['FUNCTIE', d.functionCodes[m.kind]],
      ['ADATMSG', day.replace(/-/g, '')],
      ['ATIJDMSG', time.replace(/:/g, '')],
      [d.versionLabel.slice(3), String(m.version)],
      ['ADVREF', m.adviserReference],
    ],
    '  ',
  );
  const vp = entityXml(
    'VP',
    [
      ['RELNUM', m.holder.relationNumber],
      ['ANAAM', m.holder.lastName],
      ['VOORL', m.holder.initials],
      ['GEBDAT', m.holder.birthDate.replace(/-/g, '')],
    ],
    '    ',
    '',
    1,
  );
  const coverages = m.coverages
    .map((c, i) =>
      entityXml(
        entity,
        [
          ['CODE', c.code],
          ['BTP', euros(c.premiumCents)],
          ['VERZSOM', c.insuredAmountCents === undefined ? undefined : euros(c.insuredAmountCents)],
          ['OMSCHR', c.description],
        ],
        '    ',
        '',
        i + 1,
      ),
    )
    .join('');
  const documents = m.documents
    .map((doc, i) => entityXml(d.documentEntity, [['NAAM', doc.name], ['MIME', doc.mimeType], ['INHOUD', doc.contentBase64]], '    ', '', i + 1))
    .join('');
  const pp = entityXml(
    'PP',
    [
      ['NUMMER', m.policyNumber],
      ['MYAAND', m.insurer],
      ['BRANCHE', m.branch],
      ['INGDAT', m.startDate?.replace(/-/g, '')],
      ['BETTERM', m.paymentTermMonths === undefined ? undefined : String(m.paymentTermMonths)],
      ['TTOT', euros(m.premiumCents)],
    ],
    '  ',
    vp + coverages + documents,
    1,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${d.kind}>\n${al}${pp}</${d.kind}>\n`;
}

/** RISK's message as AFD 2.0 JSON (our unverified guess of the shape, written independently). */
export function writeSimAfd2Json(m: SimMessage): string {
  const d = simulatedAfdDefinition;
  const [day, time] = amsterdam(m.eventAt);
  const money = (cents: number) => cents / 100;
  const drop = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return JSON.stringify({
    afdVersion: '2.0',
    messageKind: d.kind,
    message: drop({ reference: m.reference, function: d.functionCodes[m.kind], date: day, time, version: m.version, adviserReference: m.adviserReference }),
    policy: drop({
      contractNumber: m.policyNumber,
      porCompany: m.insurer,
      businessLine: m.branch,
      startDate: m.startDate,
      paymentTerm: m.paymentTermMonths,
      totalPremium: money(m.premiumCents),
      policyholder: drop({ ...m.holder }),
      coverages: m.coverages.map((c) =>
        drop({ code: c.code, grossPremium: money(c.premiumCents), insuredAmount: c.insuredAmountCents === undefined ? undefined : money(c.insuredAmountCents), description: c.description }),
      ),
      ...(m.documents.length > 0 ? { documents: m.documents.map((doc) => ({ name: doc.name, mimeType: doc.mimeType, content: doc.contentBase64 })) } : {}),
    }),
  });
}

// ---------------------------------------------------------------------------------------------
// The quote request (our JSON to RISK), read by RISK's own reader
// ---------------------------------------------------------------------------------------------

export interface SimQuoteRequest {
  reference: string;
  branch: string;
  insurerCode?: string;
  startDate: string;
  coverages: { code: string; description: string; insuredAmountCents?: number }[];
  relation: { relationNumber?: string; lastName: string; initials?: string; birthDate: string };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** RISK's check of a quote request; the problem in words, or the request. */
export function readSimQuoteRequest(body: unknown): SimQuoteRequest | string {
  if (!isObj(body)) return 'a quote request is a JSON object';
  const { reference, branch, insurerCode, startDate, coverages, relation } = body;
  if (!str(reference, 100)) return 'reference is missing';
  if (!str(branch, 40)) return 'branch is missing';
  if (insurerCode !== undefined && !str(insurerCode, 40)) return 'insurerCode must be a code';
  if (typeof startDate !== 'string' || !DATE.test(startDate)) return 'startDate must be YYYY-MM-DD';
  if (!Array.isArray(coverages) || coverages.length === 0) return 'coverages must list at least one coverage';
  const covs: SimQuoteRequest['coverages'] = [];
  for (const [i, c] of coverages.entries()) {
    if (!isObj(c) || !str(c.code, 40) || !str(c.description)) return `coverages[${i}] needs a code and a description`;
    if (c.insuredAmountCents !== undefined && (typeof c.insuredAmountCents !== 'number' || !Number.isSafeInteger(c.insuredAmountCents) || c.insuredAmountCents < 0)) {
      return `coverages[${i}].insuredAmountCents must be whole cents`;
    }
    covs.push({ code: c.code, description: c.description, ...(c.insuredAmountCents !== undefined ? { insuredAmountCents: c.insuredAmountCents } : {}) });
  }
  if (!isObj(relation) || !str(relation.lastName) || typeof relation.birthDate !== 'string' || !DATE.test(relation.birthDate)) {
    return 'relation needs a lastName and a birthDate YYYY-MM-DD';
  }
  if (relation.relationNumber !== undefined && !str(relation.relationNumber, 40)) return 'relation.relationNumber must be a text';
  if (relation.initials !== undefined && !str(relation.initials, 40)) return 'relation.initials must be a text';
  return {
    reference,
    branch,
    ...(insurerCode !== undefined ? { insurerCode } : {}),
    startDate,
    coverages: covs,
    relation: {
      lastName: relation.lastName,
      birthDate: relation.birthDate,
      ...(relation.relationNumber !== undefined ? { relationNumber: relation.relationNumber as string } : {}),
      ...(relation.initials !== undefined ? { initials: relation.initials as string } : {}),
    },
  };
}
