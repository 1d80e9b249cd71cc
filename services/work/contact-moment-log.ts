/**
 * The contact log (*contactmomenten*) read model: the contact moments of a dossier or of a person
 * (across that person's dossiers in the office), newest first, each with the report mail and
 * follow-up task of the same process step. Reads only; contact_moments is written by store.ts.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isoDate, isoInstant, rows } from '../../db/sql.js';
import type { MailStatus, TaskStatus } from '../../domain/work/items.js';
import type { ContactMomentItem } from './contact-moments.schemas.js';

export type ContactMomentScope =
  | { kind: 'dossier'; dossierId: string; productId?: string | undefined }
  | { kind: 'person'; personId: string };

interface MomentRow {
  [key: string]: unknown;
  id: string;
  dossier_id: string;
  dossier_number: string;
  product_id: string;
  product_type: string;
  product_company: string | null;
  at: unknown;
  channel: string;
  summary: string | null;
  actor: string;
  actor_name: string | null;
  mails: { id: string; subject: string; status: MailStatus }[] | null;
  task: { id: string; title: string; status: TaskStatus; due_date: string | null } | null;
}

// The mail and task of the same step share the moment's idempotency key up to "/action:<n>"
// (domain/workflow-ids.ts actionKey): that key is the only link, no column joins them. Compared
// with left() rather than LIKE so a "_" or "%" in a workflow id matches only itself.
const stepPrefix = `regexp_replace(cm.key, '/action:[0-9]+$', '') || '/action:'`;
const selectMoments = `
  select cm.id, cm.dossier_id, d.number as dossier_number, cm.product_id, p.type as product_type, p.company as product_company,
         cm.at, cm.channel, cm.summary, cm.actor, c.name as actor_name,
         (select json_agg(json_build_object('id', m.id, 'subject', m.subject, 'status', m.status) order by m.created_at, m.id)
            from mails m
           where m.dossier_id = cm.dossier_id and m.product_id = cm.product_id
             and left(m.key, length(${stepPrefix})) = ${stepPrefix}) as mails,
         (select json_build_object('id', t.id, 'title', t.title, 'status', t.status, 'due_date', t.due_date)
            from tasks t
           where t.dossier_id = cm.dossier_id and t.product_id = cm.product_id
             and left(t.key, length(${stepPrefix})) = ${stepPrefix}
           order by t.created_at, t.id limit 1) as task`;

/** One page of contact moments in the scope, newest first; the caller has checked the dossier or person is the office's. */
export async function listContactMoments(
  em: EntityManager,
  officeId: string,
  scope: ContactMomentScope,
  page: { limit: number; offset: number },
): Promise<{ items: ContactMomentItem[]; total: number }> {
  let where = 'd.office_id = ?';
  const params: unknown[] = [officeId];
  if (scope.kind === 'dossier') {
    where += ' and cm.dossier_id = ?';
    params.push(scope.dossierId);
    if (scope.productId !== undefined) {
      where += ' and cm.product_id::text = ?';
      params.push(scope.productId);
    }
  } else {
    where += ' and cm.dossier_id in (select a.dossier_id from dossier_applicants a where a.person_id = ?)';
    params.push(scope.personId);
  }
  // The actor is a credential id when an adviser ran the step (text: a timer or system actor is not one).
  const from = `from contact_moments cm join dossiers d on d.id = cm.dossier_id join products p on p.id = cm.product_id
                left join api_credentials c on c.id::text = cm.actor and c.office_id = d.office_id`;
  const [count] = await rows<{ n: string }>(em, `select count(*) as n ${from} where ${where}`, params);
  const found = await rows<MomentRow>(
    em,
    `${selectMoments} ${from} where ${where} order by cm.at desc, cm.created_at desc, cm.id desc limit ? offset ?`,
    [...params, page.limit, page.offset],
  );
  return { total: Number(count?.n ?? 0), items: found.map(toItem) };
}

function toItem(r: MomentRow): ContactMomentItem {
  return {
    id: r.id,
    dossierId: r.dossier_id,
    dossierNumber: r.dossier_number,
    productId: r.product_id,
    productType: r.product_type,
    productCompany: r.product_company,
    at: isoInstant(r.at) ?? '',
    channel: r.channel,
    summary: r.summary,
    registeredBy: { actor: r.actor, name: r.actor_name },
    reportMails: (r.mails ?? []).map((m) => ({ id: m.id, subject: m.subject, status: m.status })),
    followUpTask: r.task ? { id: r.task.id, title: r.task.title, status: r.task.status, dueDate: isoDate(r.task.due_date) } : null,
  };
}
