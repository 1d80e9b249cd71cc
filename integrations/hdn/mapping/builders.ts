/**
 * Typed builders: our domain messages (HdnApplication, HdnDocumentDelivery) -> MappedMessage,
 * the reverse of the typed views (views.ts) for what WE send (AX, DX). `writeMappedMessage`
 * then gives the object form for the XML builder (see ../write.ts for the XML text).
 *
 * Only our field names are used here; element names come from the data file. What the domain
 * holds that no element carries in the public shape:
 * - applicant `position` and loan part `number` are the order in the message (sorted by
 *   position / kept in loan part order);
 * - a repayment type that is a legacy word ("annuiteit", from a stored `<HDN>` AX) is written
 *   as the code whose label in the version's code list matches; a word no label matches is
 *   refused with the element path (we do not send a word where HDN expects a code).
 * Unknown elements (`extra`) are kept: they become the `rest` of their container.
 */
import type { HdnApplication, HdnDocumentDelivery, HdnExtra, HdnHeader } from '../types.js';
import { invalid } from '../xml-fields.js';
import type { HdnMapping } from './load.js';
import type { MappedFields, MappedGroupItem, MappedMessage, MappedValue } from './tree.js';

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops undefined values (an absent optional field is not written). */
function fields(values: Record<string, MappedValue | undefined>): MappedFields {
  const out: MappedFields = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out;
}

function item(values: Record<string, MappedValue | undefined>, extra: HdnExtra | undefined): MappedGroupItem {
  const f = fields(values);
  return extra !== undefined && Object.keys(extra).length > 0 ? { fields: f, rest: structuredClone(extra) } : { fields: f };
}

export function headerToMapped(h: HdnHeader): MappedFields {
  return fields({
    senderNode: h.senderNode,
    receiverNode: h.receiverNode,
    senderName: h.senderName,
    receiverName: h.receiverName,
    messageType: h.messageType,
    messageVersion: h.messageVersion,
    receiverCode: h.receiverCode,
    sentDate: h.sentDate,
    sentTime: h.sentTime,
    packageName: h.packageName,
    packageVersion: h.packageVersion,
    applicationNumber: h.applicationNumber,
    applicationVersion: h.applicationVersion,
  });
}

/** Root-level rest: the message's unknown elements plus the header's (under Header). */
function rootRest(header: HdnHeader, extra: HdnExtra | undefined): Tree | undefined {
  const rest: Tree = structuredClone(extra ?? {});
  if (header.extra !== undefined && Object.keys(header.extra).length > 0) {
    const kept = rest.Header;
    rest.Header = isTree(kept) ? { ...kept, ...structuredClone(header.extra) } : structuredClone(header.extra);
  }
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** "Annuïteit " -> "annuiteit": how a legacy word is compared with a code list's labels. */
function normalised(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The code to write for `value` in `list`: the value itself when the list has it (or when it
 * looks like a code the list does not know yet: the lender may), else the code whose label or
 * meaning matches (a legacy word). A word nothing matches is refused at `element`.
 */
export function codeFor(mapping: HdnMapping, list: string, value: string, element: string): string {
  if (mapping.code(list, value).status !== 'unknown') return value;
  const codes = mapping.data.codeLists[list]?.codes ?? [];
  const want = normalised(value);
  const byLabel = codes.find((c) => (c.label !== undefined && normalised(c.label) === want) || normalised(c.meaning) === want);
  if (byLabel !== undefined) return byLabel.code;
  if (/^[0-9]{1,3}$/.test(value)) return value;
  const known = codes.map((c) => `${c.code} ${c.label ?? c.meaning}`).join(', ');
  throw invalid(element, `"${value}" is not a code of HDN ${mapping.version} (${known}) and no label matches it`);
}

/** Our AX as the version's mapping writes it. */
export function applicationToMapped(mapping: HdnMapping, ax: HdnApplication): MappedMessage {
  const spec = mapping.data.messages.AX;
  const partsPath = `${spec.root}/${spec.groups?.loanParts?.path ?? 'Lening/LeningDeel'}`;
  const repaymentList = spec.groups?.loanParts?.fields.repaymentType?.codeList ?? 'repaymentType';
  const applicants = [...ax.applicants].sort((a, b) => a.position - b.position);
  const groups: Record<string, MappedGroupItem[]> = {
    applicants: applicants.map((a) =>
      item(
        {
          firstName: a.firstName,
          infix: a.infix,
          lastName: a.lastName,
          birthDate: a.birthDate,
          gender: a.gender,
          maritalStatus: a.maritalStatus,
          email: a.email,
          phone: a.phone,
          street: a.street,
          houseNumber: a.houseNumber,
          houseNumberSuffix: a.houseNumberSuffix,
          postcode: a.postcode,
          city: a.city,
        },
        a.extra,
      ),
    ),
    loanParts: ax.loanParts.map((p, i) =>
      item(
        {
          amountCents: p.amountCents,
          durationMonths: p.durationMonths,
          fixedRateMonths: p.fixedRateMonths,
          repaymentType: codeFor(mapping, repaymentList, p.repaymentType, `${partsPath}${ax.loanParts.length > 1 ? `[${i + 1}]` : ''}/AflossingsVorm`),
          interestRate: p.interestRate,
        },
        p.extra,
      ),
    ),
  };
  if (ax.children !== undefined && ax.children.length > 0) {
    groups.children = ax.children.map((c) => item({ firstName: c.firstName, infix: c.infix, lastName: c.lastName, birthDate: c.birthDate }, c.extra));
  }
  if (ax.property !== undefined) {
    const p = ax.property;
    const property = item(
      {
        street: p.street,
        houseNumber: p.houseNumber,
        houseNumberSuffix: p.houseNumberSuffix,
        postcode: p.postcode,
        city: p.city,
        purchasePriceCents: p.purchasePriceCents,
        marketValueCents: p.marketValueCents,
      },
      p.extra,
    );
    // An anonymised property may be left with nothing: then no element at all.
    if (Object.keys(property.fields).length > 0 || property.rest !== undefined) groups.property = [property];
  }
  const message: MappedMessage = {
    type: 'AX',
    version: mapping.version,
    header: headerToMapped(ax.header),
    fields: fields({ nhg: ax.nhg, financingConditionDate: ax.financingConditionDate }),
    groups,
    codes: [],
  };
  const rest = rootRest(ax.header, ax.extra);
  if (rest !== undefined) message.rest = rest;
  return message;
}

/** Our DX as the version's mapping writes it; the DA line's id goes into DocumentKenmerk. */
export function documentDeliveryToMapped(mapping: HdnMapping, dx: HdnDocumentDelivery): MappedMessage {
  const message: MappedMessage = {
    type: 'DX',
    version: mapping.version,
    header: headerToMapped(dx.header),
    fields: fields({
      reference: dx.lineId,
      documentKind: dx.documentKind,
      filename: dx.attachment.filename,
      contentType: dx.attachment.contentType,
      contentBase64: dx.attachment.contentBase64,
    }),
    groups: {},
    codes: [],
  };
  const rest = rootRest(dx.header, dx.extra) ?? {};
  const printDocPath = mapping.data.messages.DX.fields.contentBase64?.path.split('/') ?? [];
  const container = printDocPath.length > 1 ? printDocPath[0] : undefined;
  if (container !== undefined && dx.attachment.extra !== undefined && Object.keys(dx.attachment.extra).length > 0) {
    const kept = rest[container];
    rest[container] = isTree(kept) ? { ...kept, ...structuredClone(dx.attachment.extra) } : structuredClone(dx.attachment.extra);
  }
  if (Object.keys(rest).length > 0) message.rest = rest;
  return message;
}
