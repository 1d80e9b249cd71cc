/**
 * The office's billing settings (`office_billing_settings`, one row per office): the SEPA
 * creditor, the payment term, the storno policy and which side runs reminders. An office
 * without a row has the defaults (reminders in the workflow, 14 days, the default policy).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReminderMode } from '../../domain/billing/closed-lists.js';
import { DEFAULT_MANUAL_BOOKING_LIMIT_FACTOR } from '../../domain/billing/plausibility.js';
import { defaultStornoPolicy, validateStornoPolicy, type StornoPolicy } from '../../domain/billing/storno-policy.js';
import { checkIban } from '../../domain/iban.js';
import { checkCreditorId } from '../../integrations/sepa/creditor-id.js';
import type { BillingSettings, BillingSettingsUpdate } from './schemas.js';
import { DomainError } from '../../domain/errors.js';
import { isoInstant } from '../../db/sql.js';
import { billingSettingsRow, upsertBillingSettings, type BillingSettingsRow } from './store.js';

export interface Creditor {
  name: string;
  iban: string;
  bic: string | null;
  creditorId: string;
}

function creditorOf(r: BillingSettingsRow | undefined): Creditor | null {
  if (!r?.creditor_name || !r.creditor_iban || !r.creditor_id) return null;
  return { name: r.creditor_name, iban: r.creditor_iban, bic: r.creditor_bic, creditorId: r.creditor_id };
}

export async function getBillingSettings(em: EntityManager, officeId: string): Promise<BillingSettings> {
  const r = await billingSettingsRow(em, officeId);
  return {
    reminderMode: r?.reminder_mode ?? 'workflow',
    creditor: creditorOf(r),
    paymentTermDays: r ? Number(r.payment_term_days) : 14,
    stornoPolicy: r?.storno_policy ?? defaultStornoPolicy,
    stornoPolicyIsDefault: !r?.storno_policy,
    manualBookingLimitFactor: manualBookingLimitFactorOf(r),
    updatedAt: r ? isoInstant(r.updated_at) : null,
  };
}

function manualBookingLimitFactorOf(r: BillingSettingsRow | undefined): number {
  return r ? Number(r.manual_booking_limit_factor) : DEFAULT_MANUAL_BOOKING_LIMIT_FACTOR;
}

/** The office's plausibility factor for manual bookings (domain/billing/plausibility.ts). */
export async function manualBookingLimitFactor(em: EntityManager, officeId: string): Promise<number> {
  return manualBookingLimitFactorOf(await billingSettingsRow(em, officeId));
}

export async function reminderModeOf(em: EntityManager, officeId: string): Promise<ReminderMode> {
  return (await billingSettingsRow(em, officeId))?.reminder_mode ?? 'workflow';
}

/** The creditor for a pain.008, or a 409 that says where to set it. */
export async function requireCreditor(em: EntityManager, officeId: string): Promise<Creditor> {
  const creditor = creditorOf(await billingSettingsRow(em, officeId));
  if (!creditor) {
    throw new DomainError('conflict', 'creditor-missing', 'This office has no SEPA creditor (name, IBAN, creditor id): set the creditor in /billing/settings first');
  }
  return creditor;
}

/** Checks everything first and lists every problem; nothing is stored when one is found. */
function checkUpdate(body: BillingSettingsUpdate): { creditor: Creditor | null; policy: StornoPolicy | null } {
  const errors: { path: string; message: string }[] = [];
  let creditor: Creditor | null = null;
  if (body.creditor) {
    const iban = checkIban(body.creditor.iban);
    if (!iban.ok) errors.push({ path: '/body/creditor/iban', message: iban.reason });
    const id = checkCreditorId(body.creditor.creditorId);
    if (!id.ok) errors.push({ path: '/body/creditor/creditorId', message: id.reason });
    if (iban.ok && id.ok) {
      creditor = {
        name: body.creditor.name.trim(),
        iban: iban.iban,
        bic: body.creditor.bic ? body.creditor.bic.toUpperCase() : null,
        creditorId: id.creditorId,
      };
    }
  }
  let policy: StornoPolicy | null = null;
  if (body.stornoPolicy) {
    const checked = validateStornoPolicy(body.stornoPolicy);
    if (checked.ok) policy = checked.value;
    else for (const message of checked.errors) errors.push({ path: '/body/stornoPolicy', message });
  }
  if (errors.length > 0) {
    throw new DomainError('invalid', 'invalid-billing-settings', errors.map((e) => e.message).join('; '), { errors });
  }
  return { creditor, policy };
}

/** PUT semantics: the body is the whole setting; `stornoPolicy` null or absent = the default policy. */
export async function putBillingSettings(em: EntityManager, officeId: string, body: BillingSettingsUpdate): Promise<BillingSettings> {
  const { creditor, policy } = checkUpdate(body);
  await upsertBillingSettings(em, officeId, {
    reminderMode: body.reminderMode,
    creditor,
    paymentTermDays: body.paymentTermDays,
    stornoPolicy: policy,
    manualBookingLimitFactor: body.manualBookingLimitFactor ?? DEFAULT_MANUAL_BOOKING_LIMIT_FACTOR,
  });
  return getBillingSettings(em, officeId);
}
