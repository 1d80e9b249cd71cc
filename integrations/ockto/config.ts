/**
 * The worker's Ockto configuration from the validated settings (config/settings.ts):
 *
 *   OCKTO_URL / OCKTO_TOKEN     the Ockto adapter and our token (unset: retrievals fail with a clear reason)
 *   OCKTO_REMINDER_HOURS        default 48: reminder mail to the client when not shared yet
 *   OCKTO_TIMEOUT_DAYS          default 14: then the retrieval ends 'expired'
 *   OCKTO_POLL_SECONDS          default 300: polling next to the callbacks (a lost callback costs at most this)
 *   OCKTO_RETENTION_DAYS        default 30: raw source data is deleted this long after it arrived
 */
import { OCKTO_DEFAULTS, type Settings } from '../../config/settings.js';
import { createOcktoClient, type OcktoClient } from './client.js';

export interface OcktoPolicyDefaults {
  reminderAfterSeconds: number;
  expireAfterSeconds: number;
  pollIntervalSeconds: number;
  retentionSeconds: number;
}

export interface OcktoConfig {
  client: OcktoClient | undefined;
  defaults: OcktoPolicyDefaults;
}

export type OcktoSettings = Pick<
  Settings,
  'ocktoUrl' | 'ocktoToken' | 'ocktoReminderHours' | 'ocktoTimeoutDays' | 'ocktoPollSeconds' | 'ocktoRetentionDays'
>;

function policyOf(s: Omit<OcktoSettings, 'ocktoUrl' | 'ocktoToken'>): OcktoPolicyDefaults {
  return {
    reminderAfterSeconds: s.ocktoReminderHours * 3600,
    expireAfterSeconds: s.ocktoTimeoutDays * 86_400,
    pollIntervalSeconds: s.ocktoPollSeconds,
    retentionSeconds: s.ocktoRetentionDays * 86_400,
  };
}

/** The timings when nothing is configured (the settings' defaults). */
export const defaultOcktoPolicy: OcktoPolicyDefaults = policyOf({
  ocktoReminderHours: OCKTO_DEFAULTS.reminderHours,
  ocktoTimeoutDays: OCKTO_DEFAULTS.timeoutDays,
  ocktoPollSeconds: OCKTO_DEFAULTS.pollSeconds,
  ocktoRetentionDays: OCKTO_DEFAULTS.retentionDays,
});

export function ocktoConfigFromSettings(settings: OcktoSettings): OcktoConfig {
  const client = settings.ocktoUrl && settings.ocktoToken ? createOcktoClient({ url: settings.ocktoUrl, token: settings.ocktoToken }) : undefined;
  return { client, defaults: policyOf(settings) };
}
