/**
 * The appointment workflow against the time-skipping test server with an in-memory mail
 * activity: the confirmation goes at once, the reminder on the day before at 09:00 Amsterdam
 * (across the spring and autumn DST changes), never after a cancel, and a reschedule moves it.
 * The instants come from the domain rules the service uses (localToInstant, reminderInstant).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { AppointmentActivities, SendAppointmentMailInput } from '../../activities/appointments.contract.js';
import { localToInstant, reminderInstant } from '../../domain/appointments/appointment.js';
import { workflowIds } from '../../domain/workflow-ids.js';
import type { appointmentWorkflow } from '../../workflows/index.js';
import { appointmentStateQuery, cancelAppointmentUpdate, rescheduleAppointmentUpdate } from '../../workflows/appointments/appointment.messages.js';
import { eventually, timeSkippingEnv, workflowBundle } from './product-harness.js';

const env = timeSkippingEnv('each');

interface SentMail extends SendAppointmentMailInput {
  atMs: number;
}

function fakeMails() {
  const sent: SentMail[] = [];
  const activities: AppointmentActivities = {
    async sendAppointmentMail(input) {
      sent.push({ ...input, atMs: await env.currentTimeMs() });
      return { mailIds: [randomUUID()] };
    },
  };
  return { activities, sent };
}

/** The instant of a wall-clock time in Amsterdam (must exist). */
function amsterdam(date: string, time: string): Date {
  const r = localToInstant(date, time);
  if (!r.ok) throw new Error(`${date} ${time}: ${r.problem}`);
  return r.instant;
}

/** The first year whose date (MM-DD) is still ahead of the test server's clock by a month. */
async function yearAhead(monthDay: string): Promise<number> {
  const now = await env.currentTimeMs();
  let y = new Date(now).getUTCFullYear();
  while (Date.parse(`${y}-${monthDay}T00:00:00Z`) < now + 30 * 86_400_000) y += 1;
  return y;
}

/** The last Sunday of a month ('YYYY-MM-DD'): the DST change in the EU. */
function lastSunday(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0));
  d.setUTCDate(d.getUTCDate() - d.getUTCDay());
  return d.toISOString().slice(0, 10);
}

const addDay = (date: string, n: number): string => new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function start(startsAt: Date) {
  const fake = fakeMails();
  const appointmentId = randomUUID();
  const taskQueue = `appointment-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fake.activities });
  const reminderAt = reminderInstant(startsAt, new Date(await env.currentTimeMs()));
  const run = async <T>(fn: (handle: Awaited<ReturnType<typeof env.client.workflow.start<typeof appointmentWorkflow>>>) => Promise<T>): Promise<T> =>
    worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof appointmentWorkflow>('appointmentWorkflow', {
        taskQueue,
        workflowId: workflowIds.appointment(appointmentId),
        args: [{ appointmentId, sequence: 0, startsAt: startsAt.toISOString(), reminderAt: reminderAt?.toISOString() ?? null }],
      });
      return fn(handle);
    });
  return { fake, appointmentId, reminderAt, run };
}

const key = (id: string, what: string): string => `${workflowIds.appointment(id)}/${what}`;

describe('appointment workflow', () => {
  it.each([
    ['the Monday after the spring change, 10:00 CEST', 'reminder on the change day itself, 09:00 CEST = 07:00Z', 3, 1, '10:00'],
    ['the spring change day, 10:00 CEST', 'reminder Saturday 09:00 CET = 08:00Z', 3, 0, '10:00'],
    ['the autumn change day, 10:00 CET', 'reminder Saturday 09:00 CEST = 07:00Z', 10, 0, '10:00'],
    ['the Monday after the autumn change, 08:30 CET', 'reminder Sunday 09:00 CET = 08:00Z', 10, 1, '08:30'],
  ] as const)('%s: confirmation at once, the reminder the day before at 09:00 Amsterdam (%s), then the workflow ends', async (_name, _note, month, offsetDays, time) => {
    const year = await yearAhead(`${String(month).padStart(2, '0')}-20`);
    const date = addDay(lastSunday(year, month), offsetDays);
    const startsAt = amsterdam(date, time);
    const { fake, appointmentId, reminderAt, run } = await start(startsAt);
    const dayBefore = addDay(date, -1);
    expect(reminderAt?.toISOString()).toBe(amsterdam(dayBefore, '09:00').toISOString());
    const result = await run((h) => h.result());
    expect(fake.sent.map((m) => [m.kind, m.key, m.sequence])).toEqual([
      ['confirmation', key(appointmentId, 'confirmation'), 0],
      ['reminder', key(appointmentId, 'reminder:0'), 0],
    ]);
    // The durable timer fired at the reminder moment (not 24 h before the start, not on the day).
    const firedAt = fake.sent[1]!.atMs;
    expect(firedAt).toBeGreaterThanOrEqual(reminderAt!.getTime());
    expect(firedAt - reminderAt!.getTime()).toBeLessThan(60_000);
    expect(result).toMatchObject({ status: 'started', reminderSent: true, mailsSent: [key(appointmentId, 'confirmation'), key(appointmentId, 'reminder:0')] });
  }, 60_000);

  it('cancel before the reminder: the cancel mail, never a reminder; later changes are refused by the validator', async () => {
    const year = await yearAhead('03-20');
    const startsAt = amsterdam(addDay(lastSunday(year, 3), 1), '10:00');
    const { fake, appointmentId, run } = await start(startsAt);
    const result = await run(async (h) => {
      await eventually(async () => (await h.query(appointmentStateQuery)).mailsSent.length === 1);
      // A stale SEQUENCE is refused before anything is recorded.
      await expect(h.executeUpdate(cancelAppointmentUpdate, { args: [{ sequence: 0 }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const state = await h.executeUpdate(cancelAppointmentUpdate, { args: [{ sequence: 1 }] });
      expect(state.status).toBe('cancelled');
      await expect(h.executeUpdate(rescheduleAppointmentUpdate, { args: [{ sequence: 2, startsAt: startsAt.toISOString(), reminderAt: null }] })).rejects.toBeInstanceOf(
        WorkflowUpdateFailedError,
      );
      return h.result();
    });
    expect(fake.sent.map((m) => [m.kind, m.key, m.sequence])).toEqual([
      ['confirmation', key(appointmentId, 'confirmation'), 0],
      ['cancelled', key(appointmentId, 'cancelled'), 1],
    ]);
    expect(result).toMatchObject({ status: 'cancelled', reminderSent: false });
  }, 60_000);

  it('reschedule: a "gewijzigd" mail with the new SEQUENCE, the reminder moves to the day before the new date', async () => {
    const year = await yearAhead('03-20');
    const firstDate = addDay(lastSunday(year, 3), -10);
    const newDate = addDay(lastSunday(year, 3), 1);
    const { fake, appointmentId, run } = await start(amsterdam(firstDate, '14:00'));
    const newStart = amsterdam(newDate, '11:15');
    const newReminder = reminderInstant(newStart, new Date(await env.currentTimeMs()))!;
    expect(newReminder.toISOString()).toBe(amsterdam(addDay(newDate, -1), '09:00').toISOString());
    const result = await run(async (h) => {
      await eventually(async () => (await h.query(appointmentStateQuery)).mailsSent.length === 1);
      // A start in the past is refused by the validator.
      await expect(
        h.executeUpdate(rescheduleAppointmentUpdate, { args: [{ sequence: 1, startsAt: new Date((await env.currentTimeMs()) - 60_000).toISOString(), reminderAt: null }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const state = await h.executeUpdate(rescheduleAppointmentUpdate, { args: [{ sequence: 1, startsAt: newStart.toISOString(), reminderAt: newReminder.toISOString() }] });
      expect(state).toMatchObject({ status: 'rescheduled', sequence: 1, startsAt: newStart.toISOString() });
      return h.result();
    });
    expect(fake.sent.map((m) => [m.kind, m.key, m.sequence])).toEqual([
      ['confirmation', key(appointmentId, 'confirmation'), 0],
      ['rescheduled', key(appointmentId, 'rescheduled:1'), 1],
      ['reminder', key(appointmentId, 'reminder:1'), 1],
    ]);
    // Not the day before the first date: the day before the new one, at 09:00 Amsterdam.
    const firedAt = fake.sent[2]!.atMs;
    expect(firedAt).toBeGreaterThanOrEqual(newReminder.getTime());
    expect(firedAt - newReminder.getTime()).toBeLessThan(60_000);
    expect(result).toMatchObject({ status: 'started', sequence: 1, reminderSent: true });
  }, 60_000);

  it('planned too late for a reminder: only the confirmation', async () => {
    const now = await env.currentTimeMs();
    const { fake, appointmentId, reminderAt, run } = await start(new Date(now + 3 * 3_600_000));
    // (three hours ahead: the day before at 09:00 has passed, unless it is before 09:00 on the day before)
    const result = await run((h) => h.result());
    const kinds = fake.sent.map((m) => m.kind);
    expect(kinds).toEqual(reminderAt ? ['confirmation', 'reminder'] : ['confirmation']);
    expect(fake.sent[0]!.key).toBe(key(appointmentId, 'confirmation'));
    expect(result.status).toBe('started');
  }, 60_000);
});
