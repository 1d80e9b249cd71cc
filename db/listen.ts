/**
 * One PostgreSQL connection that LISTENs on a channel, for a process that must hear what other
 * processes NOTIFY (live updates: services/live/hub.ts; credential changes:
 * services/access/access-listener.ts). Resolves once the LISTEN is in place; when connecting or
 * listening fails the connection is closed and the error thrown. After that, `onLost` is called
 * when the connection errs or ends (it may be called more than once for one connection, and for
 * a connection that failed while opening: the caller ignores a client that is not its current one).
 */
import pg from 'pg';

/** Where a listener reports what goes wrong (a Fastify or pino logger fits). */
export interface ListenLog {
  warn(obj: object, msg: string): void;
}

export async function listenOn(
  opts: { connectionString: string; channel: string; applicationName?: string },
  onNotify: (payload: string | undefined) => void,
  onLost: (client: pg.Client, err: Error) => void,
): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: opts.connectionString, ...(opts.applicationName ? { application_name: opts.applicationName } : {}) });
  client.on('error', (err) => onLost(client, err));
  client.on('end', () => onLost(client, new Error('connection ended')));
  client.on('notification', (n) => {
    if (n.channel === opts.channel) onNotify(n.payload);
  });
  try {
    await client.connect();
    await client.query(`listen ${opts.channel}`);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}
