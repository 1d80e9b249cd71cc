/**
 * The appointment workflow (`appointment:<appointmentId>`): sends the confirmation, sleeps on a
 * durable timer until the reminder moment (the day before at 09:00 Amsterdam, computed by the
 * service with domain/appointments and passed in as an instant), sends the reminder, and ends
 * when the appointment starts. A reschedule (Update) queues a "gewijzigd" mail and moves the
 * timer; a cancel (Update) queues the cancel mail and ends without a reminder.
 *
 * Every mail goes through the outbox on a key made here, so a retried activity or a replayed
 * workflow never mails twice. The validators refuse a change that makes no sense (after a
 * cancel, an older SEQUENCE, a start in the past) before anything is recorded.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AppointmentActivities } from '../../activities/appointments.contract.js';
import type { AppointmentMailKind } from '../../domain/appointments/appointment.js';
import {
  appointmentStateQuery,
  cancelAppointmentUpdate,
  rescheduleAppointmentUpdate,
  type AppointmentWorkflowInput,
  type AppointmentWorkflowState,
} from './appointment.messages.js';

const acts = proxyActivities<AppointmentActivities>({
  startToCloseTimeout: '1 minute',
  // SMTP away or the row not yet at the SEQUENCE: keep trying; the outbox never sends twice.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function appointmentWorkflow(input: AppointmentWorkflowInput): Promise<AppointmentWorkflowState> {
  const id = workflowInfo().workflowId;
  const state: AppointmentWorkflowState = {
    appointmentId: input.appointmentId,
    status: 'planned',
    sequence: input.sequence,
    startsAt: input.startsAt,
    reminderAt: input.reminderAt,
    mailsSent: [],
    reminderSent: false,
  };
  const outbox: { kind: AppointmentMailKind; sequence: number; key: string }[] = [{ kind: 'confirmation', sequence: input.sequence, key: `${id}/confirmation` }];

  const refuseStale = (sequence: number): void => {
    if (state.status === 'cancelled') throw new Error('The appointment is cancelled');
    if (state.status === 'started') throw new Error('The appointment has started');
    if (sequence <= state.sequence) throw new Error(`Sequence ${sequence} is not newer than ${state.sequence}`);
  };
  setHandler(
    rescheduleAppointmentUpdate,
    (req) => {
      state.sequence = req.sequence;
      state.startsAt = req.startsAt;
      state.reminderAt = req.reminderAt;
      state.reminderSent = false;
      state.status = 'rescheduled';
      outbox.push({ kind: 'rescheduled', sequence: req.sequence, key: `${id}/rescheduled:${req.sequence}` });
      return { ...state, mailsSent: [...state.mailsSent] };
    },
    {
      validator: (req) => {
        refuseStale(req.sequence);
        if (Date.parse(req.startsAt) <= Date.now()) throw new Error('The new start is not in the future');
      },
    },
  );
  setHandler(
    cancelAppointmentUpdate,
    (req) => {
      state.sequence = req.sequence;
      state.status = 'cancelled';
      state.reminderAt = null;
      outbox.push({ kind: 'cancelled', sequence: req.sequence, key: `${id}/cancelled` });
      return { ...state, mailsSent: [...state.mailsSent] };
    },
    { validator: (req) => refuseStale(req.sequence) },
  );
  setHandler(appointmentStateQuery, () => ({ ...state, mailsSent: [...state.mailsSent] }));

  const changed = (): boolean => outbox.length > 0;
  for (;;) {
    while (outbox.length > 0) {
      const mail = outbox.shift()!;
      await acts.sendAppointmentMail({ appointmentId: input.appointmentId, kind: mail.kind, sequence: mail.sequence, key: mail.key });
      state.mailsSent.push(mail.key);
    }
    if (state.status === 'cancelled') break;
    const now = Date.now();
    const reminderAt = state.reminderAt === null ? null : Date.parse(state.reminderAt);
    if (!state.reminderSent && reminderAt !== null && now < reminderAt) {
      // The durable timer: a reschedule or cancel ends the wait at once.
      if (await condition(changed, reminderAt - now)) continue;
      state.reminderSent = true;
      outbox.push({ kind: 'reminder', sequence: state.sequence, key: `${id}/reminder:${state.sequence}` });
      continue;
    }
    const startsAt = Date.parse(state.startsAt);
    if (now < startsAt) {
      if (await condition(changed, startsAt - now)) continue;
    }
    if (outbox.length === 0) {
      state.status = 'started';
      break;
    }
  }
  await condition(allHandlersFinished);
  return { ...state, mailsSent: [...state.mailsSent] };
}
