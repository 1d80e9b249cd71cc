/**
 * The worker's Ockto configuration from the environment (read where the activities are made,
 * so the worker entry needs no Ockto-specific code):
 *
 *   OCKTO_URL / OCKTO_TOKEN     the Ockto adapter and our token (unset: retrievals fail with a clear reason)
 *   OCKTO_REMINDER_HOURS        default 48: reminder mail to the client when not shared yet
 *   OCKTO_TIMEOUT_DAYS          default 14: then the retrieval ends 'expired'
 *   OCKTO_POLL_SECONDS          default 300: polling next to the callbacks (a lost callback costs at most this)
 *   OCKTO_RETENTION_DAYS        default 30: raw source data is deleted this long after it arrived
 */
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

export const defaultOcktoPolicy: OcktoPolicyDefaults = {
  reminderAfterSeconds: 48 * 3600,
  expireAfterSeconds: 14 * 86_400,
  pollIntervalSeconds: 300,
  retentionSeconds: 30 * 86_400,
};

export class OcktoConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ockto settings are invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'OcktoConfigError';
  }
}

export function ocktoConfigFromEnv(env: Readonly<Record<string, string | undefined>>): OcktoConfig {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const int = (name: string, fallback: number, min: number, max: number, unit: number): number => {
    const v = raw(name);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      problems.push(`${name}: must be an integer ${min}-${max}, got ${JSON.stringify(v)}`);
      return fallback;
    }
    return Number(v) * unit;
  };
  const defaults: OcktoPolicyDefaults = {
    reminderAfterSeconds: int('OCKTO_REMINDER_HOURS', defaultOcktoPolicy.reminderAfterSeconds, 1, 24 * 60, 3600),
    expireAfterSeconds: int('OCKTO_TIMEOUT_DAYS', defaultOcktoPolicy.expireAfterSeconds, 1, 90, 86_400),
    pollIntervalSeconds: int('OCKTO_POLL_SECONDS', defaultOcktoPolicy.pollIntervalSeconds, 1, 86_400, 1),
    retentionSeconds: int('OCKTO_RETENTION_DAYS', defaultOcktoPolicy.retentionSeconds, 1, 3650, 86_400),
  };
  const url = raw('OCKTO_URL');
  const token = raw('OCKTO_TOKEN');
  if (url && !token) problems.push('OCKTO_TOKEN: required when OCKTO_URL is set');
  let client: OcktoClient | undefined;
  if (url && token) {
    try {
      client = createOcktoClient({ url, token });
    } catch (err) {
      problems.push(`OCKTO_URL/OCKTO_TOKEN: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) throw new OcktoConfigError(problems);
  return { client, defaults };
}
