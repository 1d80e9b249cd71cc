/**
 * Deleting a person (admins only; DOMAIN process 9): only when nothing is linked any more.
 *
 * Linked, and so blocking (answered 409 with counts):
 * - in a dossier where they are the ONLY applicant: products, documents, mails, tasks, contact
 *   moments, contracts and invoices (that file is theirs: it would be left without anyone);
 * - mails sent to their address anywhere in the office;
 * - contracts where they are the debtor in a shared dossier (debtor name is theirs);
 * - HDN messages that name them (AX of their products or in the inbox);
 * - insurance policies that point at them, Ockto retrievals, risk class history and the CRM
 *   identification record (Wwft).
 *
 * Not blocking: being an applicant of a dossier. The applicant link is removed, the dossier stays
 * (with the other applicant moved to position 1, or with none) and gets an `applicant-removed`
 * event. Portal activations, RISK relation numbers and the rest of the CRM card (notes, signals,
 * properties, indicators, relations on both cards) go with the person. The act is audited.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { deletePersonRow, isAnonymised, type PersonRow } from '../crm/store.js';
import { removeApplicantEverywhere } from '../dossiers/store.js';
import type { Principal } from '../../domain/roles.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { looksLikeUuid, one } from '../../db/sql.js';
import { dossierScopeOf } from './anonymise.js';
import { likePatterns } from './scrub.js';
import { inList } from './scrub-rows.js';
import { insertPrivacyAudit, type ChangeCounts } from './store.js';

export interface DeleteResult {
  personId: string;
  auditId: string;
  dossiersLeft: string[];
}

async function n(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const r = await one<{ n: number | string }>(em, sql, params);
  return Number(r?.n ?? 0);
}

/** What still links to the person, as counts per kind (zero counts left out). */
export async function linksOf(em: EntityManager, officeId: string, personId: string): Promise<Record<string, number>> {
  const p = await one<Pick<PersonRow, 'email' | 'first_name' | 'infix' | 'last_name' | 'anonymised_at'>>(
    em,
    'select email, first_name, infix, last_name, anonymised_at from persons where office_id = ? and id = ?',
    [officeId, personId],
  );
  if (!p) return {};
  const scope = await dossierScopeOf(em, personId);
  const sole = inList(scope.sole);
  const shared = inList(scope.shared);
  const all = inList(scope.all);
  const fullName = [p.first_name, p.infix, p.last_name].filter((s) => s && s.trim()).join(' ');
  const named = !isAnonymised(p);
  const namePatterns = likePatterns([fullName, ...(p.email ? [p.email] : [])]);
  const counts: Record<string, number> = {
    products:
      (await n(em, `select count(*) as n from products where dossier_id in ${sole.sql}`, sole.params)) +
      (await n(em, 'select count(*) as n from insurance_policies where person_id = ?', [personId])),
    documents: await n(em, `select count(*) as n from documents where dossier_id in ${sole.sql}`, sole.params),
    // Files kept on their CRM card (bestanden): deleting the person would lose them unseen.
    personFiles: await n(em, 'select count(*) as n from person_files where person_id = ? and deleted_at is null', [personId]),
    mails: await n(
      em,
      `select count(*) as n from mails where dossier_id in ${sole.sql} or (?::text is not null and lower(to_address) = lower(?))`,
      [...sole.params, p.email, p.email],
    ),
    tasks: await n(em, `select count(*) as n from tasks where dossier_id in ${sole.sql}`, sole.params),
    contactMoments: await n(em, `select count(*) as n from contact_moments where dossier_id in ${sole.sql}`, sole.params),
    invoices: await n(em, `select count(*) as n from invoices where dossier_id in ${sole.sql}`, sole.params),
    contracts: await n(
      em,
      `select count(*) as n from contracts where dossier_id in ${sole.sql}
          or (dossier_id in ${shared.sql} and debtor_name is not null and lower(debtor_name) like '%' || lower(?) || '%')`,
      [...sole.params, ...shared.params, p.last_name],
    ),
    hdnMessages: await n(
      em,
      `select count(*) as n from hdn_messages where office_id = ? and type = 'AX'
          and (product_id in (select id from products where dossier_id in ${all.sql})
               or (?::boolean and raw_xml ilike any(array[?]::text[])))`,
      [officeId, ...all.params, named, namePatterns],
    ),
    ocktoRetrievals: await n(em, 'select count(*) as n from ockto_retrievals where person_id = ?', [personId]),
    riskClassHistory: await n(em, 'select count(*) as n from risk_class_history where person_id = ?', [personId]),
    // Inbound mail linked to them (mailbox): anonymising deletes it, deleting the person refuses.
    inboundMails: await n(em, 'select count(*) as n from inbound_mail_links where person_id = ?', [personId]),
    // Wwft: the record of how their identity was checked is kept like the risk class history.
    identifications: await n(em, 'select count(*) as n from crm_identifications where person_id = ?', [personId]),
  };
  return Object.fromEntries(Object.entries(counts).filter(([, v]) => v > 0));
}

export async function deletePerson(em: EntityManager, principal: Principal, personId: string): Promise<DeleteResult> {
  if (!looksLikeUuid(personId)) throw refuse.notFound('Person', personId);
  return em.transactional(async (tem) => {
    const locked = await one<{ id: string }>(tem, 'select id from persons where office_id = ? and id = ? for update', [principal.officeId, personId]);
    if (!locked) throw refuse.notFound('Person', personId);
    const linked = await linksOf(tem, principal.officeId, personId);
    if (Object.keys(linked).length > 0) {
      const scope = await dossierScopeOf(tem, personId);
      const list = Object.entries(linked).map(([k, v]) => `${k}: ${v}`).join(', ');
      throw new DomainError('conflict', 'person-still-linked',
        `Person ${personId} cannot be deleted while data is linked to them (${list}). Remove or move it first, ` +
          'or anonymise the person instead. Nothing was deleted.',
        { linked, dossiers: scope.all },
      );
    }
    const dossiersLeft = await removeApplicantEverywhere(tem, personId, principal.credentialId);
    const changes: ChangeCounts = {};
    if (dossiersLeft.length > 0) changes.dossier_applicants = dossiersLeft.length;
    const portal = await one<{ n: number }>(tem, 'select count(*)::int as n from portal_activations where person_id = ?', [personId]);
    if (portal && portal.n > 0) changes.portal_activations = portal.n;
    const relations = await one<{ n: number }>(tem, 'select count(*)::int as n from risk_relations where person_id = ?', [personId]);
    if (relations && relations.n > 0) changes.risk_relations = relations.n;
    // portal_activations, risk_relations and campaign_recipients cascade with the person.
    await deletePersonRow(tem, personId);
    changes.persons = 1;
    const auditId = await insertPrivacyAudit(tem, { officeId: principal.officeId, personId, action: 'delete', actor: principal.credentialId, changes });
    return { personId, auditId, dossiersLeft };
  });
}
