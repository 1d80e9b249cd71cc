/**
 * The one writer of `appointments` (*afspraken*): planned with a dossier, moved (a new time and a
 * higher iCalendar SEQUENCE), cancelled, and the reminder's moment and sending. Every function
 * runs on the EntityManager it is given, so callers decide the transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { one, rows, type Row } from '../../db/sql.js';
import type { AppointmentStatus } from '../../domain/appointments/appointment.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import { inList, scrubRows, type DossierScope } from '../privacy/scrub-rows.js';

export const ownedTables = ['appointments'] as const;

/** An `appointments` row with its adviser's name (`select a.*, c.name as adviser_name`). */
export interface AppointmentRow extends Row {
  id: string;
  office_id: string;
  dossier_id: string;
  product_id: string | null;
  adviser_credential_id: string;
  adviser_name: string | null;
  title: string;
  starts_at: unknown;
  ends_at: unknown;
  location: string | null;
  video_url: string | null;
  notes: string | null;
  status: AppointmentStatus;
  sequence: number;
  reminder_at: unknown;
  reminder_sent_at: unknown;
  workflow_id: string;
  created_by: string;
  created_at: unknown;
  updated_at: unknown;
}

const SELECT = `select a.*, c.name as adviser_name from appointments a left join api_credentials c on c.id = a.adviser_credential_id`;

/** The appointment (of the office, when given); `forUpdate` locks the row for the caller's transaction. */
export async function appointmentById(em: EntityManager, id: string, officeId?: string, forUpdate = false): Promise<AppointmentRow | undefined> {
  const lock = forUpdate ? ' for update of a' : '';
  return officeId === undefined
    ? one<AppointmentRow>(em, `${SELECT} where a.id = ?${lock}`, [id])
    : one<AppointmentRow>(em, `${SELECT} where a.office_id = ? and a.id = ?${lock}`, [officeId, id]);
}

/** The dossier's appointments, soonest first. */
export async function appointmentsOfDossier(em: EntityManager, officeId: string, dossierId: string): Promise<AppointmentRow[]> {
  return rows<AppointmentRow>(em, `${SELECT} where a.office_id = ? and a.dossier_id = ? order by a.starts_at, a.id`, [officeId, dossierId]);
}

export interface NewAppointment {
  id: string;
  officeId: string;
  dossierId: string;
  productId: string | null;
  adviserCredentialId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  videoUrl: string | null;
  notes: string | null;
  reminderAt: Date | null;
  createdBy: string;
}

/** A new planned appointment (SEQUENCE 0, workflow id `appointment:<id>`). */
export async function insertAppointment(em: EntityManager, a: NewAppointment): Promise<void> {
  await em.execute(
    `insert into appointments (id, office_id, dossier_id, product_id, adviser_credential_id, title, starts_at, ends_at, location, video_url, notes, status, sequence, reminder_at, workflow_id, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', 0, ?, ?, ?)`,
    [a.id, a.officeId, a.dossierId, a.productId, a.adviserCredentialId, a.title, a.startsAt, a.endsAt, a.location, a.videoUrl, a.notes, a.reminderAt, workflowIds.appointment(a.id), a.createdBy],
    'run',
  );
}

/** Removes an appointment whose workflow could not be started (nothing else refers to it yet). */
export async function deleteAppointment(em: EntityManager, id: string): Promise<void> {
  await em.execute('delete from appointments where id = ?', [id], 'run');
}

/** A new time (and place): status `rescheduled`, the SEQUENCE given, the reminder moment recomputed and not yet sent. */
export async function rescheduleAppointmentRow(
  em: EntityManager,
  id: string,
  change: { startsAt: Date; endsAt: Date; location: string | null; videoUrl: string | null; sequence: number; reminderAt: Date | null },
): Promise<void> {
  await em.execute(
    `update appointments set starts_at = ?, ends_at = ?, location = ?, video_url = ?, sequence = ?, reminder_at = ?, reminder_sent_at = null,
            status = 'rescheduled', updated_at = now() where id = ?`,
    [change.startsAt, change.endsAt, change.location, change.videoUrl, change.sequence, change.reminderAt, id],
    'run',
  );
}

/** Cancelled for good with the SEQUENCE of the cancel; no reminder any more. */
export async function cancelAppointmentRow(em: EntityManager, id: string, sequence: number): Promise<void> {
  await em.execute(`update appointments set status = 'cancelled', sequence = ?, reminder_at = null, updated_at = now() where id = ?`, [sequence, id], 'run');
}

/** The reminder went out (idempotent: the first moment stays). */
export async function markReminderSent(em: EntityManager, id: string, at: Date): Promise<void> {
  await em.execute('update appointments set reminder_sent_at = coalesce(reminder_sent_at, ?) where id = ?', [at, id], 'run');
}

/**
 * Anonymisation: the notes and the place of their appointments may name them (a home address as
 * the place). In a dossier that is only theirs both are redacted; in a shared one their
 * identifiers are replaced. The appointment itself (when, with whom at the office) stays.
 */
export async function anonymiseAppointments(tem: EntityManager, scope: DossierScope, needles: string[]): Promise<number> {
  const sole = inList(scope.sole);
  const shared = inList(scope.shared);
  const columns = [
    { name: 'notes', kind: 'text' as const },
    { name: 'location', kind: 'text' as const },
  ];
  return (
    (await scrubRows(tem, 'appointments', 'id', columns, { sql: `dossier_id in ${sole.sql}`, params: sole.params }, [], 'redact')) +
    (await scrubRows(tem, 'appointments', 'id', columns, { sql: `dossier_id in ${shared.sql}`, params: shared.params }, needles))
  );
}
