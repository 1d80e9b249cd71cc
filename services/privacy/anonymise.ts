/**
 * Anonymising a person (GDPR art. 17, DOMAIN process 9) in one transaction: the persons row and
 * every row elsewhere that holds their data. What is replaced, removed or kept (and why) is
 * listed in README "Privacy"; in short:
 *
 * - "Own" rows (a dossier where they are the only applicant, mails to their address): free text
 *   is redacted whole, generated and uploaded documents are deleted, except invoice PDFs and
 *   reminder letters, which the office must keep for the tax authority (AWR art. 52, 7 years;
 *   GDPR art. 17(3)(b)).
 * - "Shared" rows (a dossier with a second applicant, the office's SEPA exports and bank
 *   statements): only the strings that identify them are replaced, so the other person's file
 *   stays readable.
 * - HDN AX messages: the applicant element that is theirs is rewritten through the HDN codec
 *   (parse → replace → build), so the stored message stays a valid HDN message.
 * - Contracts where they are the debtor: the contract stays (the invoices refer to it), the
 *   IBAN and debtor name are removed, the payment method becomes transfer and the mandate is
 *   flagged, so no direct debit is ever exported for it again.
 * - Ockto raw source data is wiped; the four answers and the risk class history stay (Wwft
 *   art. 33 retention), with names removed from free-text motivations.
 *
 * Idempotent: the person row is locked first; once `anonymised_at` is set a second call changes
 * nothing and answers the first call's audit record.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { anonymiseAppointments } from '../appointments/store.js';
import { anonymiseBillingOf } from '../billing/store.js';
import { anonymiseCrmCard, anonymisePersonRow, isAnonymised, personOfOffice } from '../crm/store.js';
import { anonymiseOcktoOfPerson } from '../ockto/store.js';
import { anonymiseProductParts, anonymiseStepPayloads } from '../products/store.js';
import { anonymiseChecklistFiles, anonymiseChecklistItems, anonymiseContactMoments, anonymiseDocuments, anonymiseMails, anonymiseTasks } from '../work/store.js';
import { firstAuditOf, insertPrivacyAudit, type ChangeCounts } from './store.js';
import { inList, type DossierScope } from './scrub-rows.js';
import { deleteActivationsOfPerson, deleteSessionsOfPerson } from '../portal/store.js';
import { anonymiseUploadsOf } from '../uploads/store.js';
import { deletePersonFilesOf } from '../person-files/store.js';
import { deleteInboundMailsOf } from '../mailbox/store.js';
import { anonymiseHdnOfPerson } from '../hdn/store.js';
import { anonymiseRiskDataOfPerson } from '../insurance/store.js';
import type { Principal } from '../../domain/roles.js';
import { refuse } from '../../domain/errors.js';
import { isoDate, isoInstant, looksLikeUuid, one, rows } from '../../db/sql.js';
import {
  REDACTED,
  needlesOf,
  type PersonIdentity,
} from './scrub.js';

export { inList, type ChangeCounts, type DossierScope };

export interface AnonymiseResult {
  personId: string;
  auditId: string;
  anonymisedAt: string;
  alreadyAnonymised: boolean;
  changes: ChangeCounts;
}

/** The person's dossiers, split by whether they are its only applicant. */
export async function dossierScopeOf(em: EntityManager, personId: string): Promise<DossierScope> {
  const found = await rows<{ dossier_id: string; applicants: number }>(
    em,
    `select a.dossier_id, (select count(*)::int from dossier_applicants x where x.dossier_id = a.dossier_id) as applicants
       from dossier_applicants a where a.person_id = ? order by a.dossier_id`,
    [personId],
  );
  const sole = found.filter((r) => Number(r.applicants) === 1).map((r) => r.dossier_id);
  const shared = found.filter((r) => Number(r.applicants) > 1).map((r) => r.dossier_id);
  return { sole, shared, all: [...sole, ...shared] };
}

export async function anonymisePerson(em: EntityManager, principal: Principal, personId: string): Promise<AnonymiseResult> {
  if (!looksLikeUuid(personId)) throw refuse.notFound('Person', personId);
  return em.transactional(async (tem) => {
    const p = await personOfOffice(tem, principal.officeId, personId, { forUpdate: true });
    if (!p) throw refuse.notFound('Person', personId);
    if (isAnonymised(p)) {
      const audit = await firstAuditOf(tem, principal.officeId, personId, 'anonymise');
      return {
        personId,
        auditId: audit?.id ?? '',
        anonymisedAt: isoInstant(p.anonymised_at) ?? '',
        alreadyAnonymised: true,
        changes: audit?.changes ?? {},
      };
    }

    const scope = await dossierScopeOf(tem, personId);
    const all = inList(scope.all);
    const sole = inList(scope.sole);
    const shared = inList(scope.shared);
    const officeId = principal.officeId;
    const fullName = [p.first_name, p.infix, p.last_name].filter((s) => s && s.trim()).join(' ');

    // Contracts where they are the debtor: in a dossier that is only theirs, or named after them.
    const contracts = await rows<{ id: string; debtor_iban: string | null; debtor_name: string | null }>(
      tem,
      `select id, debtor_iban, debtor_name from contracts
        where office_id = ? and (dossier_id in ${sole.sql}
          or (dossier_id in ${shared.sql} and debtor_name is not null
              and (lower(debtor_name) like '%' || lower(?) || '%' or lower(debtor_name) = lower(?))))
        for update`,
      [officeId, ...sole.params, ...shared.params, p.last_name, fullName],
    );
    const identity: PersonIdentity = {
      firstName: p.first_name,
      infix: p.infix,
      lastName: p.last_name,
      birthDate: isoDate(p.birth_date),
      email: p.email,
      phone: p.phone,
      street: p.street,
      houseNumber: p.house_number === null ? null : Number(p.house_number),
      houseNumberSuffix: p.house_number_suffix,
      postcode: p.postcode,
      city: p.city,
      debtorNames: contracts.flatMap((c) => (c.debtor_name ? [c.debtor_name] : [])),
      ibans: contracts.flatMap((c) => (c.debtor_iban ? [c.debtor_iban] : [])),
    };
    const needles = needlesOf(identity);
    const changes: ChangeCounts = {};
    const add = (table: string, n: number): void => {
      if (n > 0) changes[table] = (changes[table] ?? 0) + n;
    };

    const productsOf = (dossiers: { sql: string }): string => `select id from products where dossier_id in ${dossiers.sql}`;

    // Mails: to their address, or in a dossier that is only theirs → redacted whole; in a shared
    // dossier → their identifiers replaced. The row stays (reminder executions refer to mails).
    add('mails', await anonymiseMails(tem, scope, p.email, needles.scoped));
    // Inbound mail they sent (linked to them, or waiting unlinked from their address): deleted
    // with attachments and links (services/mailbox/store.ts says why).
    add('inbound_mails', await deleteInboundMailsOf(tem, officeId, personId, p.email));

    // Documents of a dossier that is only theirs: deleted, except what the tax authority needs.
    add('documents', await anonymiseDocuments(tem, scope, needles.scoped));

    // Free text entered in steps and contact moments.
    add('step_payloads', await anonymiseStepPayloads(tem, scope, needles.scoped));
    add('contact_moments', await anonymiseContactMoments(tem, scope, needles.scoped));
    // Appointment notes and places (a home visit names the address).
    add('appointments', await anonymiseAppointments(tem, scope, needles.scoped));
    add('tasks', await anonymiseTasks(tem, scope, needles.scoped));
    add('product_parts', await anonymiseProductParts(tem, scope, needles.scoped));
    add('checklist_items', await anonymiseChecklistItems(tem, scope, needles.scoped));
    add('checklist_item_files', await anonymiseChecklistFiles(tem, scope, needles.scoped));
    // The files themselves (before the portal sessions that uploaded some of them end, below).
    add('uploads', await anonymiseUploadsOf(tem, personId, scope, needles.scoped));
    // Their CRM card files (bestanden): the bytes went with the uploads above; the rows and their
    // history go too (file names are theirs; a file moved to a shared dossier was still theirs).
    add('person_files', await deletePersonFilesOf(tem, personId));

    // HDN: AX messages naming them (their products' messages, or an inbox AX that was never
    // converted) through the codec; every message of their products scrubbed as text.
    const hdn = await anonymiseHdnOfPerson(tem, { officeId, products: { sql: productsOf(all), params: all.params }, identity, needles });
    for (const [table, n] of Object.entries(hdn)) add(table, n);

    // Billing: their contracts keep existing without the IBAN; direct debit stops for good.
    const billing = await anonymiseBillingOf(tem, { officeId, contractIds: contracts.map((c) => c.id), dossiers: all, needles });
    for (const [table, n] of Object.entries(billing)) add(table, n);

    // RISK: their messages (of their products, or naming them) and the relation number link.
    for (const [table, n] of Object.entries(await anonymiseRiskDataOfPerson(tem, { officeId, personId, dossierIds: scope.all, needles }))) add(table, n);

    // Ockto: the raw source data goes; answers and class history stay (Wwft retention).
    for (const [table, n] of Object.entries(await anonymiseOcktoOfPerson(tem, personId, needles.scoped))) add(table, n);
    // Their portal: open sessions end now, the links go.
    add('portal_sessions', await deleteSessionsOfPerson(tem, personId));
    add('portal_activations', await deleteActivationsOfPerson(tem, personId));
    // The CRM card: notes, signals, properties, indicators, relations go; identification kept without the document.
    for (const [table, n] of Object.entries(await anonymiseCrmCard(tem, officeId, personId, needles))) add(table, n);

    // Last, the person: the row stays (dossiers, products and history keep pointing at it).
    await anonymisePersonRow(tem, personId, REDACTED);
    add('persons', 1);

    const auditId = await insertPrivacyAudit(tem, { officeId, personId, action: 'anonymise', actor: principal.credentialId, changes });
    const stamped = await one<{ anonymised_at: unknown }>(tem, 'select anonymised_at from persons where id = ?', [personId]);
    return { personId, auditId, anonymisedAt: isoInstant(stamped?.anonymised_at) ?? '', alreadyAnonymised: false, changes };
  });
}
