/**
 * Appointments (*afspraken*) of a dossier: plan, list, read, reschedule, cancel. Planning writes
 * the row and starts `appointment:<id>` with the id, the SEQUENCE and two instants; the workflow
 * mails the confirmation and keeps the reminder timer. A reschedule or cancel raises the
 * SEQUENCE in PostgreSQL and tells the workflow by an Update in the same transaction: when the
 * workflow refuses (its validator) or cannot be reached, nothing is recorded.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DateTime } from 'luxon';
import { newId } from '../../db/ids.js';
import { isoInstant, looksLikeUuid, one } from '../../db/sql.js';
import { instantToLocal, localToInstant, MAX_PLANNING_DAYS, reminderInstant } from '../../domain/appointments/appointment.js';
import { AMSTERDAM } from '../../domain/dates.js';
import { DomainError, refuse } from '../../domain/errors.js';
import type { Principal } from '../../domain/roles.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { TemporalDeps } from '../../integrations/temporal/connection.js';
import { cancelAppointmentUpdate, rescheduleAppointmentUpdate } from '../../workflows/appointments/appointment.messages.js';
import type { appointmentWorkflow } from '../../workflows/index.js';
import { requireDossier } from '../dossiers/dossiers.js';
import type { Appointment, AppointmentCreate, AppointmentReschedule, AppointmentTime } from './schemas.js';
import {
  appointmentById,
  appointmentsOfDossier,
  cancelAppointmentRow,
  deleteAppointment,
  insertAppointment,
  rescheduleAppointmentRow,
  type AppointmentRow,
} from './store.js';

const DEADLINE_MS = 5_000;
const DEFAULT_TITLE = 'Oriëntatiegesprek';

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
/** An instant as ISO with the Amsterdam offset of that day ("2026-03-30T10:00:00+02:00"). */
const amsterdamIso = (d: Date): string => DateTime.fromJSDate(d, { zone: AMSTERDAM }).toISO({ suppressMilliseconds: true }) ?? d.toISOString();

export function toAppointment(r: AppointmentRow): Appointment {
  const startsAt = asDate(r.starts_at);
  const endsAt = asDate(r.ends_at);
  const s = instantToLocal(startsAt);
  const e = instantToLocal(endsAt);
  return {
    id: r.id,
    dossierId: r.dossier_id,
    productId: r.product_id,
    title: r.title,
    startsAt: amsterdamIso(startsAt),
    endsAt: amsterdamIso(endsAt),
    start: { date: s.date, time: s.time, zone: AMSTERDAM },
    end: { date: e.date, time: e.time, zone: AMSTERDAM },
    durationMinutes: Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000),
    location: r.location,
    videoUrl: r.video_url,
    notes: r.notes,
    status: r.status,
    sequence: Number(r.sequence),
    reminderAt: r.reminder_at === null ? null : amsterdamIso(asDate(r.reminder_at)),
    reminderSentAt: isoInstant(r.reminder_sent_at),
    adviser: { credentialId: r.adviser_credential_id, name: r.adviser_name },
    workflowId: r.workflow_id,
    createdAt: isoInstant(r.created_at) ?? '',
    updatedAt: isoInstant(r.updated_at) ?? '',
  };
}

/** The instant of a time as the API takes it; a local time in the spring gap is refused (400). */
export function instantOf(t: AppointmentTime, path: string): Date {
  if ('instant' in t) return new Date(t.instant);
  const r = localToInstant(t.date, t.time, t.zone);
  if (r.ok) return r.instant;
  if (r.problem === 'nonexistent') {
    throw refuse.invalid('nonexistent-local-time', `${t.date} ${t.time} does not exist in ${t.zone}: the clocks go from 02:00 to 03:00 that night`, {
      errors: [{ path: `${path}/time`, message: 'does not exist in Europe/Amsterdam (DST change)' }],
    });
  }
  throw refuse.invalidField(path, 'is not a valid date and time');
}

function requireFuture(startsAt: Date, now: Date): void {
  if (startsAt.getTime() <= now.getTime()) throw refuse.unprocessable('appointment-in-past', 'An appointment starts in the future');
  if (startsAt.getTime() > now.getTime() + MAX_PLANNING_DAYS * 86_400_000) {
    throw refuse.unprocessable('appointment-too-far', `An appointment is planned at most ${MAX_PLANNING_DAYS} days ahead`);
  }
}

async function requireAppointment(em: EntityManager, officeId: string, id: string, forUpdate = false): Promise<AppointmentRow> {
  const found = looksLikeUuid(id) ? await appointmentById(em, id, officeId, forUpdate) : undefined;
  if (!found) throw refuse.notFound('Appointment', id);
  return found;
}

export async function planAppointment(em: EntityManager, temporal: TemporalDeps, principal: Principal, dossierId: string, body: AppointmentCreate, now: Date): Promise<Appointment> {
  await requireDossier(em, principal.officeId, dossierId);
  // Neither a place nor a link: the appointment is at the office (the usual oriëntatiegesprek).
  const office = body.location || body.videoUrl ? undefined : await one<{ name: string }>(em, 'select name from offices where id = ?', [principal.officeId]);
  const location = body.location ?? (office ? `Op kantoor bij ${office.name}` : null);
  const startsAt = instantOf(body.start, '/start');
  requireFuture(startsAt, now);
  const endsAt = new Date(startsAt.getTime() + body.durationMinutes * 60_000);
  if (body.productId) {
    const product = looksLikeUuid(body.productId) ? await one(em, 'select 1 as ok from products where id = ? and dossier_id = ?', [body.productId, dossierId]) : undefined;
    if (!product) throw refuse.unprocessable('unknown-product', `Product ${body.productId} is not in dossier ${dossierId}`);
  }
  const adviserId = body.adviserCredentialId ?? principal.credentialId;
  const adviser = looksLikeUuid(adviserId)
    ? await one(em, `select 1 as ok from api_credentials where id = ? and office_id = ? and role = 'adviser' and revoked_at is null`, [adviserId, principal.officeId])
    : undefined;
  if (!adviser) throw refuse.unprocessable('unknown-adviser', `${adviserId} is not an adviser of the office`);

  const id = newId();
  const reminderAt = reminderInstant(startsAt, now);
  await insertAppointment(em, {
    id,
    officeId: principal.officeId,
    dossierId,
    productId: body.productId ?? null,
    adviserCredentialId: adviserId,
    title: body.title?.trim() || DEFAULT_TITLE,
    startsAt,
    endsAt,
    location,
    videoUrl: body.videoUrl ?? null,
    notes: body.notes ?? null,
    reminderAt,
    createdBy: principal.credentialId,
  });
  try {
    const { client, taskQueue } = temporal;
    await client.withDeadline(Date.now() + DEADLINE_MS, () =>
      client.workflow.start<typeof appointmentWorkflow>('appointmentWorkflow', {
        workflowId: workflowIds.appointment(id),
        taskQueue,
        args: [{ appointmentId: id, sequence: 0, startsAt: startsAt.toISOString(), reminderAt: reminderAt?.toISOString() ?? null }],
      }),
    );
  } catch (err) {
    // No workflow mails for it: the row goes, so no appointment stands without its confirmation.
    await deleteAppointment(em, id);
    throw new DomainError('unavailable', 'workflow-unavailable', `The appointment was not planned (the process engine did not answer: ${err instanceof Error ? err.message : String(err)})`);
  }
  return toAppointment(await requireAppointment(em, principal.officeId, id));
}

export async function listAppointments(em: EntityManager, officeId: string, dossierId: string): Promise<{ items: Appointment[] }> {
  await requireDossier(em, officeId, dossierId);
  return { items: (await appointmentsOfDossier(em, officeId, dossierId)).map(toAppointment) };
}

export async function getAppointment(em: EntityManager, officeId: string, id: string): Promise<Appointment> {
  return toAppointment(await requireAppointment(em, officeId, id));
}

/** A change the workflow must accept, run inside the transaction that records it. */
async function tellWorkflow(temporal: TemporalDeps, row: AppointmentRow, run: (handle: ReturnType<TemporalDeps['client']['workflow']['getHandle']>) => Promise<unknown>): Promise<void> {
  const { client } = temporal;
  try {
    await client.withDeadline(Date.now() + DEADLINE_MS, () => run(client.workflow.getHandle(row.workflow_id)));
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw refuse.conflict('appointment-refused', `The appointment cannot be changed: ${err.cause?.message ?? err.message}`);
    if (err instanceof WorkflowNotFoundError) throw refuse.conflict('appointment-ended', `The appointment's process has ended (it has started or was cancelled)`);
    throw new DomainError('unavailable', 'workflow-unavailable', `The change was not made (the process engine did not answer: ${err instanceof Error ? err.message : String(err)})`);
  }
}

function requireChangeable(row: AppointmentRow, now: Date): void {
  if (row.status === 'cancelled') throw refuse.conflict('appointment-cancelled', `Appointment ${row.id} is cancelled`);
  if (asDate(row.starts_at).getTime() <= now.getTime()) throw refuse.conflict('appointment-started', `Appointment ${row.id} has started`);
}

export async function rescheduleAppointment(em: EntityManager, temporal: TemporalDeps, officeId: string, id: string, body: AppointmentReschedule, now: Date): Promise<Appointment> {
  await em.transactional(async (tem) => {
    const row = await requireAppointment(tem, officeId, id, true);
    requireChangeable(row, now);
    const startsAt = instantOf(body.start, '/start');
    requireFuture(startsAt, now);
    const minutes = body.durationMinutes ?? Math.round((asDate(row.ends_at).getTime() - asDate(row.starts_at).getTime()) / 60_000);
    const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
    const location = body.location === undefined ? row.location : body.location;
    const videoUrl = body.videoUrl === undefined ? row.video_url : body.videoUrl;
    if (!location && !videoUrl) throw refuse.invalidField('/location', 'a place or a video link is required');
    const sequence = Number(row.sequence) + 1;
    const reminderAt = reminderInstant(startsAt, now);
    await rescheduleAppointmentRow(tem, row.id, { startsAt, endsAt, location, videoUrl, sequence, reminderAt });
    await tellWorkflow(temporal, row, (h) =>
      h.executeUpdate(rescheduleAppointmentUpdate, { args: [{ sequence, startsAt: startsAt.toISOString(), reminderAt: reminderAt?.toISOString() ?? null }] }),
    );
  });
  return toAppointment(await requireAppointment(em, officeId, id));
}

export async function cancelAppointment(em: EntityManager, temporal: TemporalDeps, officeId: string, id: string, now: Date): Promise<Appointment> {
  await em.transactional(async (tem) => {
    const row = await requireAppointment(tem, officeId, id, true);
    requireChangeable(row, now);
    const sequence = Number(row.sequence) + 1;
    await cancelAppointmentRow(tem, row.id, sequence);
    await tellWorkflow(temporal, row, (h) => h.executeUpdate(cancelAppointmentUpdate, { args: [{ sequence }] }));
  });
  return toAppointment(await requireAppointment(em, officeId, id));
}
