/**
 * Hears other processes' changes to bearer credentials: one PostgreSQL connection per API
 * process LISTENs on `dossierflow_access` (NOTIFYed by a trigger on `api_credentials`, migration
 * 20261215110000, at the commit of any revocation or role change, whoever made it) and empties
 * this process's memory of bearer tokens (`accessChanged`, principal-cache.ts). So a credential
 * revoked through one API replica, by `npm run seed` or by SQL stops working on every replica at
 * once, not after the cache's time to live.
 *
 * While the connection is down (PostgreSQL restarting, the connection killed) notifications are
 * missed: the memory is emptied when the connection is lost and again once it listens anew, and
 * in between the time to live (5 s) is the bound, as it was without this listener. It reconnects
 * with a growing pause (0.1 s doubling to 5 s).
 */
import type pg from 'pg';
import { listenOn, type ListenLog } from '../../db/listen.js';
import { accessChanged } from './principal-cache.js';

/** The channel the trigger on api_credentials NOTIFYs. */
export const ACCESS_CHANNEL = 'dossierflow_access';


const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 5_000;

export class AccessListener {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pauseMs = FIRST_PAUSE_MS;
  private closed = false;
  private opened: Promise<void> | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly log?: ListenLog,
    /** Shown in pg_stat_activity, so an operator (or a test) can tell this connection. */
    private readonly applicationName = 'dossierflow access listener',
  ) {}

  /** Starts listening; resolves once the first LISTEN is in place or has failed (then it retries by itself). */
  start(): Promise<void> {
    this.opened ??= this.connect();
    return this.opened;
  }

  /** Whether a LISTEN is in place now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    let client: pg.Client;
    try {
      client = await listenOn(
        { connectionString: this.connectionString, channel: ACCESS_CHANNEL, applicationName: this.applicationName },
        () => accessChanged(),
        (lostClient, err) => this.lost(lostClient, err),
      );
    } catch (err) {
      if (!this.closed) this.log?.warn({ err: (err as Error).message, retryInMs: this.pauseMs }, 'access: cannot listen for credential changes; bearer tokens are remembered at most their time to live meanwhile');
      this.retry();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.pauseMs = FIRST_PAUSE_MS;
    // Changes made while nobody listened are not known: forget everything remembered.
    accessChanged();
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    accessChanged();
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.log?.warn({ err: err.message }, 'access: the LISTEN connection for credential changes was lost; reconnecting');
    this.retry();
  }

  private retry(): void {
    if (this.closed || this.timer) return;
    const pause = this.pauseMs;
    this.pauseMs = Math.min(MAX_PAUSE_MS, this.pauseMs * 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, pause);
    this.timer.unref();
  }
}
