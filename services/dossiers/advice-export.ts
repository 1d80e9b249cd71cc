/**
 * Export of a dossier's client data for advice software (issue 19 deliverable 7; seed 003:
 * "Exporteer het klantdossier naar uw adviessoftware", so the adviser does not retype it before an
 * AX comes back). Two forms of the same content:
 * - JSON in our own versioned format (advice-export.schemas.ts, docs/advice-export.md);
 * - an HDN-structured client-data document (integrations/hdn/client-data.ts): the client parts of
 *   an AX, written by the HDN mapping of the configured version.
 *
 * What it reads: the applicants (persons), their family data (services/crm/family.ts), the
 * newest Ockto source data still held for each (income; registrations and tax arrears as
 * obligations: the raw data is wiped when its retention ends, then they are null), and the
 * dossier's products as context. Every export is audited in privacy_audit (action
 * `advice_export`, the dossier id, counts only) for each person whose data went out: the
 * applicants and their partners and ex-partners.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isoDate, isoInstant, rows, type Row } from '../../db/sql.js';
import { todayInAmsterdam, timeInAmsterdam } from '../../domain/dates.js';
import { refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import { buildHdnClientData, type HdnClientData } from '../../integrations/hdn/client-data.js';
import type { OcktoSourceData } from '../../integrations/ockto/types.js';
import { familyPartsOf } from '../crm/family.js';
import { personColumns, type PersonRow } from '../crm/store.js';
import { insertPrivacyAudit } from '../privacy/store.js';
import { adviceExportFormat, adviceExportSchemaVersion, type AdviceExport, type AdviceExportClient } from './advice-export.schemas.js';
import { requireDossier } from './dossiers.js';

interface ApplicantRow extends PersonRow {
  position: number;
}

interface SourceRow extends Row {
  person_id: string;
  data: OcktoSourceData;
  received_at: unknown;
}

/** The newest Ockto source data still held per person of the office. */
async function ocktoDataOf(em: EntityManager, officeId: string, personIds: readonly string[]): Promise<Map<string, SourceRow>> {
  const found = await rows<SourceRow>(
    em,
    `select distinct on (r.person_id) r.person_id, s.data, s.received_at
       from ockto_retrievals r join ockto_source_data s on s.retrieval_id = r.id
      where r.office_id = ? and r.person_id in (${personIds.map(() => '?').join(', ')}) and s.data is not null
      order by r.person_id, s.received_at desc`,
    [officeId, ...personIds],
  );
  return new Map(found.map((r) => [r.person_id, r]));
}

function incomeOf(src: SourceRow | undefined): AdviceExportClient['income'] {
  const income = src?.data.income;
  if (!src || !income) return null;
  return {
    origin: 'ockto',
    retrievedAt: isoInstant(src.received_at) ?? '',
    lines: [
      ...income.employment.map((l) => ({ kind: 'employment' as const, source: l.employer, yearlyCents: l.yearlyCents })),
      ...income.pension.map((l) => ({ kind: 'pension' as const, source: l.fund, yearlyCents: l.yearlyCents })),
      ...income.benefits.map((l) => ({ kind: 'benefit' as const, source: l.kind, yearlyCents: l.yearlyCents })),
    ],
  };
}

function obligationsOf(src: SourceRow | undefined): AdviceExportClient['obligations'] {
  const reg = src?.data.registrations;
  if (!src || !reg) return null;
  return { origin: 'ockto', retrievedAt: isoInstant(src.received_at) ?? '', negativeCreditRegistrations: reg.negativeCreditRegistrations, taxArrearsCents: reg.taxArrearsCents };
}

/** The content of the export (no audit): what both forms are made of. */
async function collect(em: EntityManager, principal: Principal, dossierId: string, now: Date): Promise<AdviceExport> {
  const { officeId } = principal;
  const dossier = await requireDossier(em, officeId, dossierId);
  const applicants = await rows<ApplicantRow>(
    em,
    `select a.position, ${personColumns.split(',').map((c) => `p.${c.trim()}`).join(', ')}
       from dossier_applicants a join persons p on p.id = a.person_id and p.office_id = ?
      where a.dossier_id = ? order by a.position`,
    [officeId, dossier.id],
  );
  if (applicants.length === 0) throw refuse.conflict('no-applicants', `Dossier ${dossierId} has no applicants to export`);
  const anonymised = applicants.find((a) => a.anonymised_at !== null && a.anonymised_at !== undefined);
  if (anonymised) throw refuse.conflict('anonymised', `An applicant of dossier ${dossierId} is anonymised: there is no client data to export`);
  const ids = applicants.map((a) => a.id);
  const family = await familyPartsOf(em, officeId, ids);
  const ockto = await ocktoDataOf(em, officeId, ids);
  const [office] = await rows<{ name: string }>(em, 'select name from offices where id = ?', [officeId]);
  const products = await rows<{ id: string; type: string; company: string | null; status: string }>(
    em,
    'select id, type, company, status from products where office_id = ? and dossier_id = ? order by created_at, id',
    [officeId, dossier.id],
  );
  const clients = applicants.map((a): AdviceExportClient => {
    const partnerships = family.partnerships.get(a.id) ?? [];
    const current = partnerships.find((p) => p.current);
    const partnerRow = current ? family.partners.get(current.partner.id) : undefined;
    return {
      position: Number(a.position),
      personId: a.id,
      firstName: a.first_name,
      infix: a.infix,
      lastName: a.last_name,
      birthDate: isoDate(a.birth_date),
      gender: a.gender,
      maritalStatus: a.marital_status,
      dateOfDeath: isoDate(a.date_of_death),
      contact: { email: a.email, phone: a.phone },
      address:
        a.street !== null && a.house_number !== null && a.postcode !== null && a.city !== null
          ? { street: a.street, houseNumber: Number(a.house_number), houseNumberSuffix: a.house_number_suffix, postcode: a.postcode, city: a.city, country: 'NL' }
          : null,
      currentPartner:
        current && partnerRow
          ? {
              personId: partnerRow.id,
              firstName: partnerRow.first_name,
              infix: partnerRow.infix,
              lastName: partnerRow.last_name,
              birthDate: isoDate(partnerRow.birth_date),
              gender: partnerRow.gender,
              dateOfDeath: isoDate(partnerRow.date_of_death),
              kind: current.kind,
              startDate: current.startDate,
              coApplicant: ids.includes(partnerRow.id),
            }
          : null,
      exPartners: partnerships
        .filter((p) => !p.current)
        .flatMap((p) => {
          const row = family.partners.get(p.partner.id);
          if (!row || p.endDate === null || p.endReason === null) return [];
          return [
            {
              personId: row.id,
              firstName: row.first_name,
              infix: row.infix,
              lastName: row.last_name,
              birthDate: isoDate(row.birth_date),
              dateOfDeath: isoDate(row.date_of_death),
              kind: p.kind,
              startDate: p.startDate,
              endDate: p.endDate,
              endReason: p.endReason,
            },
          ];
        }),
      children: (family.children.get(a.id) ?? []).map((c) => ({ firstName: c.firstName, infix: c.infix, lastName: c.lastName, birthDate: c.birthDate, gender: c.gender, dateOfDeath: c.dateOfDeath })),
      income: incomeOf(ockto.get(a.id)),
      obligations: obligationsOf(ockto.get(a.id)),
    };
  });
  return {
    format: adviceExportFormat,
    schemaVersion: adviceExportSchemaVersion,
    exportedAt: now.toISOString(),
    exportedBy: principal.credentialId,
    office: { id: officeId, name: office?.name ?? '' },
    dossier: { id: dossier.id, number: dossier.number, status: dossier.status },
    clients,
    products,
  };
}

/**
 * Records who exported which persons' data from which dossier (one privacy_audit row per person
 * whose data went out; counts of what went out, never values), in one transaction.
 */
async function audit(em: EntityManager, principal: Principal, content: AdviceExport, form: 'json' | 'hdn'): Promise<void> {
  await em.transactional(async (tem) => {
    const seen = new Set<string>();
    const write = async (personId: string, changes: Record<string, number>): Promise<void> => {
      if (seen.has(personId)) return;
      seen.add(personId);
      await insertPrivacyAudit(tem, { officeId: principal.officeId, personId, action: 'advice_export', actor: principal.credentialId, changes, dossierId: content.dossier.id });
    };
    const formCount: Record<string, number> = { [form === 'json' ? 'export_json' : 'export_hdn']: 1 };
    for (const c of content.clients) {
      await write(c.personId, {
        ...formCount,
        persons: 1,
        crm_children: c.children.length,
        crm_partnerships: c.exPartners.length + (c.currentPartner ? 1 : 0),
        ockto_source_data: c.income !== null || c.obligations !== null ? 1 : 0,
      });
    }
    for (const c of content.clients) {
      for (const p of [...(c.currentPartner ? [c.currentPartner] : []), ...c.exPartners]) await write(p.personId, { ...formCount, persons: 1 });
    }
  });
}

/** GET /dossiers/:id/advice-export: the JSON export, audited. */
export async function exportDossierForAdvice(em: EntityManager, principal: Principal, dossierId: string, now = new Date()): Promise<AdviceExport> {
  const content = await collect(em, principal, dossierId, now);
  await audit(em, principal, content, 'json');
  return content;
}

/**
 * The HDN form's content: the applicants' client parts and the household's children (a child
 * recorded on both parents is written once: same name and birth date). The AX mapping requires
 * an applicant's birth date: without it the HDN form is refused (the JSON form has it as null).
 */
export function hdnClientDataOf(content: AdviceExport, header: { ourNode: string; version: string }, now: Date): HdnClientData {
  const children = new Map<string, HdnClientData['children'][number]>();
  for (const c of content.clients) {
    for (const k of c.children) {
      const key = JSON.stringify([k.firstName.toLowerCase(), (k.infix ?? '').toLowerCase(), k.lastName.toLowerCase(), k.birthDate]);
      if (!children.has(key)) children.set(key, { firstName: k.firstName, ...(k.infix ? { infix: k.infix } : {}), lastName: k.lastName, birthDate: k.birthDate });
    }
  }
  return {
    header: {
      senderNode: header.ourNode,
      receiverNode: header.ourNode,
      // The header's mandatory names (REFERENCE): the office sends it; the receiver is the
      // adviser's own advice package, which has no HDN code of a lender (our convention: ADVIES).
      senderName: content.office.name,
      receiverName: 'adviessoftware',
      receiverCode: 'ADVIES',
      messageType: 'AX',
      messageVersion: header.version,
      sentDate: todayInAmsterdam(now),
      sentTime: timeInAmsterdam(now),
      packageName: 'dossierflow',
      packageVersion: adviceExportSchemaVersion,
      applicationNumber: content.dossier.number,
      applicationVersion: '1',
    },
    applicants: content.clients.map((c) => {
      if (c.birthDate === null) {
        throw refuse.conflict('birth-date-missing', `Applicant ${c.position} has no birth date: the HDN form needs one (the JSON export does not)`);
      }
      return {
        position: c.position,
        firstName: c.firstName,
        ...(c.infix ? { infix: c.infix } : {}),
        lastName: c.lastName,
        birthDate: c.birthDate,
        ...(c.gender ? { gender: c.gender } : {}),
        ...(c.maritalStatus ? { maritalStatus: c.maritalStatus } : {}),
        ...(c.contact.email ? { email: c.contact.email } : {}),
        ...(c.contact.phone ? { phone: c.contact.phone } : {}),
        ...(c.address
          ? { street: c.address.street, houseNumber: c.address.houseNumber, ...(c.address.houseNumberSuffix ? { houseNumberSuffix: c.address.houseNumberSuffix } : {}), postcode: c.address.postcode, city: c.address.city }
          : {}),
      };
    }),
    children: [...children.values()],
  };
}

/** GET /dossiers/:id/advice-export/hdn: the HDN-structured client-data document (XML), audited. */
export async function exportDossierForAdviceHdn(
  em: EntityManager,
  principal: Principal,
  dossierId: string,
  hdn: { ourNode: string; version: string },
  now = new Date(),
): Promise<{ xml: string; filename: string }> {
  const content = await collect(em, principal, dossierId, now);
  const xml = buildHdnClientData(hdnClientDataOf(content, hdn, now));
  await audit(em, principal, content, 'hdn');
  return { xml, filename: `klantgegevens-${content.dossier.number}-hdn.xml` };
}
