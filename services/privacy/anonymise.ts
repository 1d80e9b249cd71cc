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
import { newId } from '../../db/ids.js';
import { anonymisePersonRow } from '../crm/store.js';
import { anonymiseBillingOf } from '../billing/store.js';
import { scrubRows } from './scrub-rows.js';
import { deleteActivationsOfPerson } from '../portal/store.js';
import { anonymiseHdnOfPerson } from '../hdn/store.js';
import { anonymiseRiskDataOfPerson } from '../insurance/store.js';
import type { Principal } from '../../domain/roles.js';
import { refuse } from '../../domain/errors.js';
import { isoDate, isoInstant, looksLikeUuid, one, rows, type Row } from '../../db/sql.js';
import { anonymiseCrmCard } from '../crm/privacy.js';
import {
  REDACTED,
  REDACTED_EMAIL,
  needlesOf,
  type PersonIdentity,
} from './scrub.js';

export type ChangeCounts = Record<string, number>;

export interface AnonymiseResult {
  personId: string;
  auditId: string;
  anonymisedAt: string;
  alreadyAnonymised: boolean;
  changes: ChangeCounts;
}

interface PersonRow extends Row {
  id: string;
  first_name: string;
  infix: string | null;
  last_name: string;
  birth_date: unknown;
  email: string | null;
  phone: string | null;
  street: string | null;
  house_number: number | null;
  house_number_suffix: string | null;
  postcode: string | null;
  city: string | null;
  anonymised_at: unknown;
}

/** The person's dossiers, split by whether they are its only applicant. */
export interface DossierScope {
  sole: string[];
  shared: string[];
  all: string[];
}

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

/** `(?, ?, ...)` for an IN list; never empty (an impossible uuid stands in for "none"). */
export function inList(ids: string[]): { sql: string; params: string[] } {
  const list = ids.length > 0 ? ids : ['00000000-0000-0000-0000-000000000000'];
  return { sql: `(${list.map(() => '?').join(', ')})`, params: list };
}

async function affected(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result = (await em.execute(sql, params as never[], 'run')) as { affectedRows?: number; rowCount?: number };
  return Number(result.affectedRows ?? result.rowCount ?? 0);
}

export async function anonymisePerson(em: EntityManager, principal: Principal, personId: string): Promise<AnonymiseResult> {
  if (!looksLikeUuid(personId)) throw refuse.notFound('Person', personId);
  return em.transactional(async (tem) => {
    const p = await one<PersonRow>(
      tem,
      `select id, first_name, infix, last_name, birth_date, email, phone, street, house_number, house_number_suffix,
              postcode, city, anonymised_at
         from persons where office_id = ? and id = ? for update`,
      [principal.officeId, personId],
    );
    if (!p) throw refuse.notFound('Person', personId);
    if (p.anonymised_at !== null && p.anonymised_at !== undefined) {
      const audit = await one<{ id: string; changes: ChangeCounts }>(
        tem,
        `select id, changes from privacy_audit where office_id = ? and person_id = ? and action = 'anonymise' order by at limit 1`,
        [principal.officeId, personId],
      );
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
    const ownMails = { sql: `(dossier_id in ${sole.sql} or (? ::text is not null and lower(to_address) = lower(?)))`, params: [...sole.params, p.email, p.email] };
    add('mails', await affected(
      tem,
      `update mails set to_address = ?, subject = ?, body_text = ?, last_error = null where ${ownMails.sql} and to_address <> ?`,
      [REDACTED_EMAIL, REDACTED, REDACTED, ...ownMails.params, REDACTED_EMAIL],
    ));
    add('mails', await scrubRows(tem, 'mails', 'id', [
      { name: 'to_address', kind: 'text', notNull: true },
      { name: 'subject', kind: 'text', notNull: true },
      { name: 'body_text', kind: 'text', notNull: true },
      { name: 'last_error', kind: 'text' },
    ], { sql: `dossier_id in ${shared.sql}`, params: shared.params }, needles.scoped));

    // Documents of a dossier that is only theirs: deleted, except what the tax authority needs.
    add('documents', await affected(
      tem,
      `delete from documents d where d.dossier_id in ${sole.sql}
         and not exists (select 1 from invoices i where i.pdf_document_id = d.id)
         and not exists (select 1 from reminder_executions r where r.document_id = d.id)`,
      sole.params,
    ));
    add('documents', await scrubRows(tem, 'documents', 'id', [{ name: 'filename', kind: 'text', notNull: true }],
      { sql: `dossier_id in ${all.sql}`, params: all.params }, needles.scoped));

    // Free text entered in steps and contact moments.
    add('step_payloads', await scrubRows(tem, 'step_payloads', 'id', [{ name: 'data', kind: 'jsonb' }],
      { sql: `product_id in (${productsOf(sole)})`, params: sole.params }, [], 'redact'));
    add('step_payloads', await scrubRows(tem, 'step_payloads', 'id', [{ name: 'data', kind: 'jsonb' }],
      { sql: `product_id in (${productsOf(shared)})`, params: shared.params }, needles.scoped));
    add('contact_moments', await scrubRows(tem, 'contact_moments', 'id', [{ name: 'summary', kind: 'text' }],
      { sql: `dossier_id in ${sole.sql}`, params: sole.params }, [], 'redact'));
    add('contact_moments', await scrubRows(tem, 'contact_moments', 'id', [{ name: 'summary', kind: 'text' }],
      { sql: `dossier_id in ${shared.sql}`, params: shared.params }, needles.scoped));
    add('tasks', await scrubRows(tem, 'tasks', 'id', [{ name: 'title', kind: 'text', notNull: true }],
      { sql: `dossier_id in ${all.sql}`, params: all.params }, needles.scoped));
    add('product_parts', await scrubRows(tem, 'product_parts', 'id', [{ name: 'description', kind: 'text', notNull: true }],
      { sql: `product_id in (${productsOf(all)})`, params: all.params }, needles.scoped));
    add('checklist_items', await scrubRows(tem, 'checklist_items', 'id', [{ name: 'label', kind: 'text', notNull: true }],
      { sql: `checklist_id in (select id from checklists where dossier_id in ${all.sql})`, params: all.params }, needles.scoped));

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
    add('ockto_source_data', await affected(
      tem,
      `update ockto_source_data set data = null, deleted_at = now()
        where data is not null and retrieval_id in (select id from ockto_retrievals where person_id = ?)`,
      [personId],
    ));
    add('ockto_retrievals', await affected(
      tem,
      `update ockto_retrievals set session_url = null, session_qr = null, updated_at = now()
        where person_id = ? and (session_url is not null or session_qr is not null)`,
      [personId],
    ));
    add('ockto_retrievals', await scrubRows(tem, 'ockto_retrievals', 'id', [
      { name: 'status_reason', kind: 'text' },
      { name: 'reminder_note', kind: 'text' },
    ], { sql: 'person_id = ?', params: [personId] }, needles.scoped));
    add('risk_class_history', await scrubRows(tem, 'risk_class_history', 'id', [{ name: 'motivation', kind: 'text' }],
      { sql: 'person_id = ?', params: [personId] }, needles.scoped));
    add('portal_activations', await deleteActivationsOfPerson(tem, personId));
    // The CRM card: notes, signals, properties, indicators, relations go; identification kept without the document.
    for (const [table, n] of Object.entries(await anonymiseCrmCard(tem, officeId, personId, needles))) add(table, n);

    // Last, the person: the row stays (dossiers, products and history keep pointing at it).
    await anonymisePersonRow(tem, personId, REDACTED);
    add('persons', 1);

    const auditId = newId();
    await tem.execute(
      `insert into privacy_audit (id, office_id, person_id, action, actor, changes) values (?, ?, ?, 'anonymise', ?, ?::jsonb)`,
      [auditId, officeId, personId, principal.credentialId, JSON.stringify(changes)],
    );
    const stamped = await one<{ anonymised_at: unknown }>(tem, 'select anonymised_at from persons where id = ?', [personId]);
    return { personId, auditId, anonymisedAt: isoInstant(stamped?.anonymised_at) ?? '', alreadyAnonymised: false, changes };
  });
}
