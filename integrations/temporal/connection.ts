/** One place that connects to Temporal with the platform settings. */
import { Client, Connection } from '@temporalio/client';
import type { Settings } from '../../config/settings.js';

/** What the services need of Temporal: a client, the task queue of the platform and a health check. */
export interface TemporalDeps {
  client: Client;
  taskQueue: string;
  /** Throws when the Temporal frontend is not reachable. */
  checkHealth(): Promise<void>;
  /** The hour (Amsterdam time) an office's invoice run of a date starts (setting INVOICE_RUN_HOUR); the workflow's own default (06:00) when left out. */
  invoiceRunHour?: number;
}

export interface TemporalConnection {
  connection: Connection;
  client: Client;
}

/**
 * Connects to `settings.temporalAddress` (default `127.0.0.1:<temporalPort>`) and returns a
 * Client bound to `settings.temporalNamespace`. Close with `connection.close()`.
 */
export async function connectTemporal(
  settings: Pick<Settings, 'temporalAddress' | 'temporalPort' | 'temporalNamespace'>,
): Promise<TemporalConnection> {
  const address = settings.temporalAddress ?? `127.0.0.1:${settings.temporalPort}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: settings.temporalNamespace });
  return { connection, client };
}
