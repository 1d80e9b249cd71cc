/**
 * Typed views over a MappedMessage (docs/design/hdn-mapping.md, migration step 1): the generic
 * reader gives `Record<string, MappedValue>`; these functions give our domain's fields with the
 * right types, each code together with what the version's code list says about it (meaning,
 * category, rank, terminal, and whether it counts as known).
 *
 * A view refuses only what the data file cannot deliver in the kind the view needs (a data file
 * mapping statusCode as an integer is a configuration error: HdnMappingError naming the field).
 * Missing optional values stay absent; unknown codes stay in the view as sent and in `codes`.
 */
import { invalid } from '../xml-fields.js';
import { HdnMappingError, type CodeStatus, type HdnMapping } from './load.js';
import type { CodeObservation, MappedFields, MappedMessage, MappedValue } from './tree.js';
import type { HdnMappedMessageType } from './schema.js';

/** A code as sent, with what the version's code list says about it. */
export interface HdnCodeView {
  code: string;
  /** known / unverified (in the list, not enabled) / unknown (not in the list). */
  status: CodeStatus;
  meaning?: string;
  label?: string;
  category?: string;
  rank?: number;
  terminal?: boolean;
}

export interface HdnHeaderView {
  senderNode: string;
  receiverNode: string;
  senderName?: string;
  receiverName?: string;
  messageType: string;
  messageVersion: string;
  receiverCode?: string;
  sentDate?: string;
  sentTime?: string;
  packageName?: string;
  packageVersion?: string;
  /** *AanvraagVolgNr*. */
  applicationNumber: string;
  /** *AanvraagVersie*. */
  applicationVersion: string;
}

interface ViewBase {
  /** The data file's version that read the message. */
  hdnVersion: string;
  header: HdnHeaderView;
  codes: CodeObservation[];
}

export interface HdnStatusView extends ViewBase {
  type: 'SX';
  status: HdnCodeView;
  /** *Kenmerk*. */
  reference?: string;
  statusDate?: string;
  statusTime?: string;
  statusText: string[];
  /** Document-level status: *DocumentMijNr* and its status code. */
  documentNumber?: string;
  documentStatus?: HdnCodeView;
}

export interface HdnOfferLoanPartView {
  amountCents?: number;
  durationMonths?: number;
  fixedRateMonths?: number;
  repaymentType?: HdnCodeView;
}

export interface HdnOfferView extends ViewBase {
  type: 'OX';
  /** *OfferteData/Kenmerk*. */
  offerNumber: string;
  offerType?: HdnCodeView;
  acceptanceDate?: string;
  validityDate?: string;
  extensionPossible?: boolean;
  extensionDate?: string;
  automaticallyExtended?: boolean;
  extended?: boolean;
  latestPassingDate?: string;
  latestPassingDateAfterExtension?: string;
  loanParts: HdnOfferLoanPartView[];
  /** *PrintDoc/EncodedData*, base64 without whitespace. */
  attachments: { contentBase64: string }[];
}

export interface HdnDocumentLineView {
  /** *DocumentKenmerk*. */
  reference?: string;
  /** *DocumentMijNr*. */
  lenderNumber?: string;
  documentKind?: HdnCodeView;
  status?: HdnCodeView;
  /** *OpgevraagdViaBronJN*. */
  fetchedByLender?: boolean;
}

export interface HdnDocumentRequestView extends ViewBase {
  type: 'DA';
  lines: HdnDocumentLineView[];
}

/** Reads typed values from one field set; `where` is the data-file path for errors. */
class FieldReader {
  constructor(
    private readonly mapping: HdnMapping,
    private readonly fields: MappedFields,
    private readonly where: string,
  ) {}

  private value(name: string): MappedValue | undefined {
    return this.fields[name];
  }

  private wrongKind(name: string, want: string): HdnMappingError {
    return new HdnMappingError(this.mapping.file, [`${this.where}/${name} must be of a kind that reads as ${want} for the typed view`]);
  }

  text(name: string): string | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw this.wrongKind(name, 'text');
    return v;
  }

  requiredText(name: string): string {
    const v = this.text(name);
    // The reader already refuses a missing required field; absent here means the data file does not mark it required.
    if (v === undefined) throw new HdnMappingError(this.mapping.file, [`${this.where}/${name} must be mapped and required for the typed view`]);
    return v;
  }

  lines(name: string): string[] {
    const v = this.value(name);
    if (v === undefined) return [];
    if (typeof v === 'string') return [v];
    if (!Array.isArray(v)) throw this.wrongKind(name, 'text lines');
    return [...(v as readonly string[])];
  }

  integer(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'number') throw this.wrongKind(name, 'a number');
    return v;
  }

  boolean(name: string): boolean | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw this.wrongKind(name, 'J/N');
    return v;
  }

  code(name: string, list: string): HdnCodeView | undefined {
    const code = this.text(name);
    if (code === undefined) return undefined;
    const { entry, status } = this.mapping.code(list, code);
    const view: HdnCodeView = { code, status };
    if (entry?.meaning !== undefined) view.meaning = entry.meaning;
    if (entry?.label !== undefined) view.label = entry.label;
    if (entry?.category !== undefined) view.category = entry.category;
    if (entry?.rank !== undefined) view.rank = entry.rank;
    if (entry?.terminal !== undefined) view.terminal = entry.terminal;
    return view;
  }
}

/** Drops undefined-valued keys, so an absent optional field is an absent property. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

/** The code list a field names in the data file (views read the list from data, not from code). */
function listOf(mapping: HdnMapping, type: HdnMappedMessageType, field: string, group?: string): string {
  const spec = mapping.data.messages[type];
  const fieldSpec = group === undefined ? spec.fields[field] : spec.groups?.[group]?.fields[field];
  const list = fieldSpec?.codeList;
  if (list === undefined) {
    const where = group === undefined ? `/messages/${type}/fields/${field}` : `/messages/${type}/groups/${group}/fields/${field}`;
    throw new HdnMappingError(mapping.file, [`${where} must be a mapped code field for the typed view`]);
  }
  return list;
}

function checkType(mapping: HdnMapping, message: MappedMessage, type: HdnMappedMessageType): void {
  if (message.type !== type) throw new HdnMappingError(mapping.file, [`a ${message.type} message is not a ${type}`]);
}

export function headerView(mapping: HdnMapping, message: MappedMessage): HdnHeaderView {
  const r = new FieldReader(mapping, message.header, '/header/fields');
  return compact({
    senderNode: r.requiredText('senderNode'),
    receiverNode: r.requiredText('receiverNode'),
    senderName: r.text('senderName'),
    receiverName: r.text('receiverName'),
    messageType: r.requiredText('messageType'),
    messageVersion: r.requiredText('messageVersion'),
    receiverCode: r.text('receiverCode'),
    sentDate: r.text('sentDate'),
    sentTime: r.text('sentTime'),
    packageName: r.text('packageName'),
    packageVersion: r.text('packageVersion'),
    applicationNumber: r.requiredText('applicationNumber'),
    applicationVersion: r.requiredText('applicationVersion'),
  });
}

export function statusView(mapping: HdnMapping, message: MappedMessage): HdnStatusView {
  checkType(mapping, message, 'SX');
  const r = new FieldReader(mapping, message.fields, '/messages/SX/fields');
  const status = r.code('statusCode', listOf(mapping, 'SX', 'statusCode'));
  if (status === undefined) throw new HdnMappingError(mapping.file, ['/messages/SX/fields/statusCode must be mapped and required for the typed view']);
  const documentList = mapping.data.messages.SX.fields.documentStatusCode?.codeList;
  return compact({
    type: 'SX' as const,
    hdnVersion: message.version,
    header: headerView(mapping, message),
    status,
    reference: r.text('reference'),
    statusDate: r.text('statusDate'),
    statusTime: r.text('statusTime'),
    statusText: r.lines('statusText'),
    documentNumber: r.text('documentNumber'),
    documentStatus: documentList === undefined ? undefined : r.code('documentStatusCode', documentList),
    codes: message.codes,
  });
}

export function offerView(mapping: HdnMapping, message: MappedMessage): HdnOfferView {
  checkType(mapping, message, 'OX');
  const r = new FieldReader(mapping, message.fields, '/messages/OX/fields');
  const repaymentList = listOf(mapping, 'OX', 'repaymentType', 'loanParts');
  return compact({
    type: 'OX' as const,
    hdnVersion: message.version,
    header: headerView(mapping, message),
    offerNumber: r.requiredText('offerNumber'),
    offerType: r.code('offerType', listOf(mapping, 'OX', 'offerType')),
    acceptanceDate: r.text('acceptanceDate'),
    validityDate: r.text('validityDate'),
    extensionPossible: r.boolean('extensionPossible'),
    extensionDate: r.text('extensionDate'),
    automaticallyExtended: r.boolean('automaticallyExtended'),
    extended: r.boolean('extended'),
    latestPassingDate: r.text('latestPassingDate'),
    latestPassingDateAfterExtension: r.text('latestPassingDateAfterExtension'),
    loanParts: (message.groups.loanParts ?? []).map((item) => {
      const p = new FieldReader(mapping, item.fields, '/messages/OX/groups/loanParts/fields');
      return compact({
        amountCents: p.integer('amountCents'),
        durationMonths: p.integer('durationMonths'),
        fixedRateMonths: p.integer('fixedRateMonths'),
        repaymentType: p.code('repaymentType', repaymentList),
      });
    }),
    attachments: (message.groups.attachments ?? []).map((item) => ({
      contentBase64: new FieldReader(mapping, item.fields, '/messages/OX/groups/attachments/fields').requiredText('contentBase64'),
    })),
    codes: message.codes,
  });
}

export function documentRequestView(mapping: HdnMapping, message: MappedMessage): HdnDocumentRequestView {
  checkType(mapping, message, 'DA');
  const kindList = listOf(mapping, 'DA', 'documentKind', 'lines');
  const statusList = listOf(mapping, 'DA', 'status', 'lines');
  return {
    type: 'DA',
    hdnVersion: message.version,
    header: headerView(mapping, message),
    lines: (message.groups.lines ?? []).map((item) => {
      const l = new FieldReader(mapping, item.fields, '/messages/DA/groups/lines/fields');
      return compact({
        reference: l.text('reference'),
        lenderNumber: l.text('lenderNumber'),
        documentKind: l.code('documentKind', kindList),
        status: l.code('status', statusList),
        fetchedByLender: l.boolean('fetchedByLender'),
      });
    }),
    codes: message.codes,
  };
}

export interface HdnApplicantView {
  /** 1-based order in the message (the public sources name no position element). */
  position: number;
  firstName?: string;
  infix?: string;
  lastName?: string;
  birthDate?: string;
  /** *Geslacht* (issue 19). */
  gender?: HdnCodeView;
  /** *BurgerlijkeStaat* (issue 19). */
  maritalStatus?: HdnCodeView;
  email?: string;
  phone?: string;
  street?: string;
  houseNumber?: number;
  houseNumberSuffix?: string;
  postcode?: string;
  city?: string;
}

export interface HdnPropertyView {
  street?: string;
  houseNumber?: number;
  houseNumberSuffix?: string;
  postcode?: string;
  city?: string;
  purchasePriceCents?: number;
  marketValueCents?: number;
}

export interface HdnApplicationLoanPartView extends HdnOfferLoanPartView {
  /** Decimal string, when the advice package sends one. */
  interestRate?: string;
}

export interface HdnApplicationView extends ViewBase {
  type: 'AX';
  applicants: HdnApplicantView[];
  property?: HdnPropertyView;
  loanParts: HdnApplicationLoanPartView[];
  children: HdnChildView[];
  nhg?: boolean;
  financingConditionDate?: string;
}

export interface HdnChildView {
  firstName?: string;
  infix?: string;
  lastName?: string;
  birthDate?: string;
}

/** The code list of an applicant field when the data file maps it (older data files do not map gender or marital status). */
function optionalListOf(mapping: HdnMapping, field: string): string | undefined {
  return mapping.data.messages.AX.groups?.applicants?.fields[field]?.codeList;
}

export interface HdnDocumentDeliveryView extends ViewBase {
  type: 'DX';
  /** *DocumentKenmerk*. */
  reference?: string;
  /** *DocumentMijNr*. */
  lenderNumber?: string;
  documentKind?: HdnCodeView;
  filename?: string;
  contentType?: string;
  /** *PrintDoc/EncodedData*, base64 without whitespace. */
  contentBase64: string;
}

export function applicationView(mapping: HdnMapping, message: MappedMessage): HdnApplicationView {
  checkType(mapping, message, 'AX');
  const r = new FieldReader(mapping, message.fields, '/messages/AX/fields');
  const repaymentList = listOf(mapping, 'AX', 'repaymentType', 'loanParts');
  const properties = message.groups.property ?? [];
  // The group form keeps unknown elements per occurrence; an application is about one property.
  if (properties.length > 1) throw invalid(`AX/${mapping.data.messages.AX.groups?.property?.path ?? 'Onderpand'}`, `occurs ${properties.length} times: an application has one property`);
  const property = properties[0];
  const p = property && new FieldReader(mapping, property.fields, '/messages/AX/groups/property/fields');
  return compact({
    type: 'AX' as const,
    hdnVersion: message.version,
    header: headerView(mapping, message),
    applicants: (message.groups.applicants ?? []).map((item, i) => {
      const a = new FieldReader(mapping, item.fields, '/messages/AX/groups/applicants/fields');
      return compact({
        position: i + 1,
        firstName: a.text('firstName'),
        infix: a.text('infix'),
        lastName: a.text('lastName'),
        birthDate: a.text('birthDate'),
        gender: ((list) => (list === undefined ? undefined : a.code('gender', list)))(optionalListOf(mapping, 'gender')),
        maritalStatus: ((list) => (list === undefined ? undefined : a.code('maritalStatus', list)))(optionalListOf(mapping, 'maritalStatus')),
        email: a.text('email'),
        phone: a.text('phone'),
        street: a.text('street'),
        houseNumber: a.integer('houseNumber'),
        houseNumberSuffix: a.text('houseNumberSuffix'),
        postcode: a.text('postcode'),
        city: a.text('city'),
      });
    }),
    property:
      p &&
      compact({
        street: p.text('street'),
        houseNumber: p.integer('houseNumber'),
        houseNumberSuffix: p.text('houseNumberSuffix'),
        postcode: p.text('postcode'),
        city: p.text('city'),
        purchasePriceCents: p.integer('purchasePriceCents'),
        marketValueCents: p.integer('marketValueCents'),
      }),
    loanParts: (message.groups.loanParts ?? []).map((item) => {
      const l = new FieldReader(mapping, item.fields, '/messages/AX/groups/loanParts/fields');
      return compact({
        amountCents: l.integer('amountCents'),
        durationMonths: l.integer('durationMonths'),
        fixedRateMonths: l.integer('fixedRateMonths'),
        repaymentType: l.code('repaymentType', repaymentList),
        interestRate: l.text('interestRate'),
      });
    }),
    children: (message.groups.children ?? []).map((item) => {
      const c = new FieldReader(mapping, item.fields, '/messages/AX/groups/children/fields');
      return compact({ firstName: c.text('firstName'), infix: c.text('infix'), lastName: c.text('lastName'), birthDate: c.text('birthDate') });
    }),
    nhg: r.boolean('nhg'),
    financingConditionDate: r.text('financingConditionDate'),
    codes: message.codes,
  });
}

export function documentDeliveryView(mapping: HdnMapping, message: MappedMessage): HdnDocumentDeliveryView {
  checkType(mapping, message, 'DX');
  const r = new FieldReader(mapping, message.fields, '/messages/DX/fields');
  return compact({
    type: 'DX' as const,
    hdnVersion: message.version,
    header: headerView(mapping, message),
    reference: r.text('reference'),
    lenderNumber: r.text('lenderNumber'),
    documentKind: r.code('documentKind', listOf(mapping, 'DX', 'documentKind')),
    filename: r.text('filename'),
    contentType: r.text('contentType'),
    contentBase64: r.requiredText('contentBase64'),
    codes: message.codes,
  });
}
