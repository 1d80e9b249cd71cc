/**
 * Login notices (*meldingen*): an admin announces planned maintenance or an outage, from when
 * until when; the sign-in page shows every office's current ones (it knows no office yet; a
 * notice is about the platform, never about a person), the dashboard those of its office.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { refuse } from '../../domain/errors.js';
import { currentLoginNotices, deleteLoginNotice, insertLoginNotice, type LoginNoticeRow } from './store.js';

import type { LoginNoticeSeverity as NoticeSeverity } from '../../domain/access/lists.js';

export interface LoginNoticeView {
  id: string;
  severity: NoticeSeverity;
  message: string;
  startsAt: string;
  endsAt: string;
}

function view(r: LoginNoticeRow): LoginNoticeView {
  return { id: r.id, severity: r.severity as NoticeSeverity, message: r.message, startsAt: new Date(r.starts_at).toISOString(), endsAt: new Date(r.ends_at).toISOString() };
}

export async function addLoginNotice(
  em: EntityManager,
  officeId: string,
  input: { severity: NoticeSeverity; message: string; startsAt: string; endsAt: string },
): Promise<LoginNoticeView> {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (endsAt.getTime() <= startsAt.getTime()) throw refuse.invalidField('/body/endsAt', 'must be after startsAt');
  const message = input.message.trim();
  if (!message) throw refuse.invalidField('/body/message', 'must not be empty');
  const id = await insertLoginNotice(em, { officeId, severity: input.severity, message, startsAt, endsAt });
  return { id, severity: input.severity, message, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
}

export async function removeLoginNotice(em: EntityManager, officeId: string, id: string): Promise<void> {
  if (!(await deleteLoginNotice(em, officeId, id))) throw refuse.notFound('Notice', id);
}

/** The notices not yet over (those to come too: "maintenance tonight" is announced before it starts). */
export async function currentNotices(em: EntityManager, officeId: string | null, now: Date): Promise<LoginNoticeView[]> {
  return (await currentLoginNotices(em, officeId, now)).map(view);
}
