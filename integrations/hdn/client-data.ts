/**
 * The HDN-structured client-data document (issue 19 deliverable 7): what an advice package
 * imports so the adviser does not retype the client.
 *
 * HDN has no public client-data-only message (REFERENCE.md lists AX/SX/OX/DA/DX/MX/KX/LX/IA/IX/WX)
 * and advice packages in practice read AX-structured files. So this is **the client parts of an
 * AX**: the Header and the applicants (*Aanvrager*, with gender and marital status) and the
 * household's children (*Kind*), without loan parts (*Lening*) nor property (*Onderpand*),
 * written and read by the same versioned mapping (mapping/versions/<v>.json) as every AX. It is
 * NOT an application: `readHdnMessage` refuses it (an application has at least one loan part),
 * and `readHdnClientData` refuses anything that carries loan parts or a property. The element
 * names of gender, marital status and children are our guesses (marked unverified in the data
 * file), like most AX names; an office with the member XSD can correct them as data.
 *
 * Platform values travel as the version's codes: gender and marital status are written as the
 * code whose `meaning` in the code list is the platform's value (domain/crm/family.ts), and read
 * back the same way.
 */
import { genders, maritalStatuses, type Gender, type MaritalStatus } from '../../domain/crm/family.js';
import { codeFor, headerToMapped } from './mapping/builders.js';
import { hdnMappingFor, hdnMappingVersionsDir, type HdnMapping } from './mapping/load.js';
import { writeMappedMessage, type MappedFields, type MappedMessage, type MappedValue } from './mapping/tree.js';
import { applicationView } from './mapping/views.js';
import { readPublicMapped, type HdnReadOptions } from './read.js';
import type { HdnHeader } from './types.js';
import { publicHdnWriteVersion, type HdnWriteOptions } from './write.js';
import { hdnXmlText, invalid } from './xml-fields.js';

export interface HdnClientApplicant {
  /** 1 or 2: the order in the document. */
  position: number;
  firstName: string;
  infix?: string;
  lastName: string;
  /** YYYY-MM-DD; the AX mapping requires it. */
  birthDate: string;
  gender?: Gender;
  maritalStatus?: MaritalStatus;
  email?: string;
  phone?: string;
  street?: string;
  houseNumber?: number;
  houseNumberSuffix?: string;
  postcode?: string;
  city?: string;
}

export interface HdnClientChild {
  firstName: string;
  infix?: string;
  lastName: string;
  birthDate: string;
}

export interface HdnClientData {
  header: Omit<HdnHeader, 'extra'>;
  applicants: HdnClientApplicant[];
  /** The household's children (of either applicant, each once). */
  children: HdnClientChild[];
}

function fields(values: Record<string, MappedValue | undefined>): MappedFields {
  const out: MappedFields = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out;
}

function listOf(mapping: HdnMapping, field: 'gender' | 'maritalStatus'): string {
  const list = mapping.data.messages.AX.groups?.applicants?.fields[field]?.codeList;
  if (list === undefined) throw invalid(`AX/${mapping.data.messages.AX.groups?.applicants?.path ?? 'Aanvrager'}`, `HDN ${mapping.version} maps no ${field}: the data file must map it for the client-data document`);
  return list;
}

/** The platform value whose code the list has (by `meaning`), or undefined for a code we do not know. */
function valueOfCode<T extends string>(mapping: HdnMapping, list: string, code: string, values: readonly T[]): T | undefined {
  const meaning = mapping.code(list, code).entry?.meaning;
  return values.find((v) => v === meaning);
}

/** The mapped form of the document (type AX, no loan parts, no property). */
export function clientDataToMapped(mapping: HdnMapping, data: HdnClientData): MappedMessage {
  const root = mapping.data.messages.AX.root;
  const applicantsPath = `${root}/${mapping.data.messages.AX.groups?.applicants?.path ?? 'Aanvrager'}`;
  const applicants = [...data.applicants].sort((a, b) => a.position - b.position);
  const groups: MappedMessage['groups'] = {
    applicants: applicants.map((a, i) => {
      const where = `${applicantsPath}${applicants.length > 1 ? `[${i + 1}]` : ''}`;
      return {
        fields: fields({
          firstName: a.firstName,
          infix: a.infix,
          lastName: a.lastName,
          birthDate: a.birthDate,
          gender: a.gender === undefined ? undefined : codeFor(mapping, listOf(mapping, 'gender'), a.gender, `${where}/Geslacht`),
          maritalStatus: a.maritalStatus === undefined ? undefined : codeFor(mapping, listOf(mapping, 'maritalStatus'), a.maritalStatus, `${where}/BurgerlijkeStaat`),
          email: a.email,
          phone: a.phone,
          street: a.street,
          houseNumber: a.houseNumber,
          houseNumberSuffix: a.houseNumberSuffix,
          postcode: a.postcode,
          city: a.city,
        }),
      };
    }),
  };
  if (data.children.length > 0) {
    if (mapping.data.messages.AX.groups?.children === undefined) throw invalid(`${root}/Kind`, `HDN ${mapping.version} maps no children`);
    groups.children = data.children.map((c) => ({ fields: fields({ firstName: c.firstName, infix: c.infix, lastName: c.lastName, birthDate: c.birthDate }) }));
  }
  return { type: 'AX', version: mapping.version, header: headerToMapped({ ...data.header, messageType: 'AX' }), fields: {}, groups, codes: [] };
}

/**
 * The document's XML, written with the data file of the header's BerichtVersie (or the newest
 * we have; the header then names the version written). Read back before it is returned, so we
 * never hand out what we would refuse to read.
 */
export function buildHdnClientData(data: HdnClientData, options: HdnWriteOptions = {}): string {
  const dir = options.mappingDir ?? hdnMappingVersionsDir;
  const version = publicHdnWriteVersion(data.header.messageVersion, options);
  const { mapping } = hdnMappingFor(version, { dir });
  const xml = hdnXmlText(writeMappedMessage(mapping, clientDataToMapped(mapping, { ...data, header: { ...data.header, messageVersion: version } })));
  readHdnClientData(xml, { mappingDir: dir });
  return xml;
}

/** Reads a client-data document; refuses an application (loan parts or a property) and anything the mapping refuses. */
export function readHdnClientData(xml: string | Uint8Array, options: HdnReadOptions = {}): HdnClientData {
  const read = readPublicMapped(xml, { maxBytes: 5_000_000 }, options);
  if (read === 'legacy') throw invalid('HDN', 'is the legacy <HDN> shape, not a client-data document');
  const { mapping, mapped, root } = read;
  if (mapped.type !== 'AX') throw invalid(root, `is an ${mapped.type}, not an AX-structured client-data document`);
  const view = applicationView(mapping, mapped);
  if (view.loanParts.length > 0 || view.property !== undefined) {
    throw invalid(root, 'carries loan parts or a property: that is an application (AX), not a client-data document');
  }
  if (view.applicants.length === 0) throw invalid(`${root}/Aanvrager`, 'is missing (the document is about at least one client)');
  const genderList = listOf(mapping, 'gender');
  const maritalList = listOf(mapping, 'maritalStatus');
  const h = view.header;
  return {
    header: {
      senderNode: h.senderNode,
      receiverNode: h.receiverNode,
      ...(h.senderName !== undefined ? { senderName: h.senderName } : {}),
      ...(h.receiverName !== undefined ? { receiverName: h.receiverName } : {}),
      messageType: 'AX',
      messageVersion: h.messageVersion,
      ...(h.receiverCode !== undefined ? { receiverCode: h.receiverCode } : {}),
      sentDate: h.sentDate ?? '',
      sentTime: h.sentTime ?? '',
      ...(h.packageName !== undefined ? { packageName: h.packageName } : {}),
      ...(h.packageVersion !== undefined ? { packageVersion: h.packageVersion } : {}),
      applicationNumber: h.applicationNumber,
      applicationVersion: h.applicationVersion,
    },
    applicants: view.applicants.map((a, i) => {
      const gender = a.gender === undefined ? undefined : valueOfCode(mapping, genderList, a.gender.code, genders);
      const maritalStatus = a.maritalStatus === undefined ? undefined : valueOfCode(mapping, maritalList, a.maritalStatus.code, maritalStatuses);
      const out: HdnClientApplicant = { position: i + 1, firstName: a.firstName ?? '', lastName: a.lastName ?? '', birthDate: a.birthDate ?? '' };
      if (a.infix !== undefined) out.infix = a.infix;
      if (gender !== undefined) out.gender = gender;
      if (maritalStatus !== undefined) out.maritalStatus = maritalStatus;
      for (const k of ['email', 'phone', 'street', 'houseNumberSuffix', 'postcode', 'city'] as const) if (a[k] !== undefined) out[k] = a[k];
      if (a.houseNumber !== undefined) out.houseNumber = a.houseNumber;
      return out;
    }),
    children: view.children.map((c) => ({ firstName: c.firstName ?? '', ...(c.infix !== undefined ? { infix: c.infix } : {}), lastName: c.lastName ?? '', birthDate: c.birthDate ?? '' })),
  };
}
