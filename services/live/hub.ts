/**
 * The listening side of live updates: one PostgreSQL connection per API process LISTENs on the
 * live channel and hands each event to the streams of its office (`GET /events`). Every API
 * process (replica) listens for itself, so an event NOTIFYed by the worker or by any other
 * process reaches a browser connected to any of them.
 *
 * The connection is opened on the first subscriber and kept while the process runs. When it
 * breaks, every stream is ended (the browser reconnects, and polls meanwhile: it may have missed
 * events); the next subscriber opens a new one.
 */
import type pg from 'pg';
import { listenOn, type ListenLog } from '../../db/listen.js';
import { DomainError } from '../../domain/errors.js';
import { LIVE_CHANNEL } from './notify.js';
import type { LiveEvent, LiveFact } from './schemas.js';

export interface LiveSubscriber {
  /** One event of the subscriber's office. */
  event(event: LiveEvent): void;
  /** The hub stopped (connection lost, process closing): the stream should end. */
  end(): void;
}

export class LiveHub {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly offices = new Map<string, Set<LiveSubscriber>>();
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly log?: ListenLog,
  ) {}

  /** How many streams are subscribed now (all offices): the leak check of the tests. */
  get subscriberCount(): number {
    let n = 0;
    for (const set of this.offices.values()) n += set.size;
    return n;
  }

  /**
   * Subscribes to the events of one office; resolves once the LISTEN is in place (so no event
   * committed after this resolves is missed). Returns the unsubscribe function (idempotent).
   * Refuses (unavailable) when the database cannot be listened to.
   */
  async subscribe(officeId: string, subscriber: LiveSubscriber): Promise<() => void> {
    if (this.closed) throw new DomainError('unavailable', 'live-closed', 'The live stream is shutting down');
    try {
      await this.listening();
    } catch (err) {
      throw new DomainError('unavailable', 'live-unavailable', `The live stream cannot listen to the database: ${(err as Error).message}`);
    }
    let set = this.offices.get(officeId);
    if (!set) this.offices.set(officeId, (set = new Set()));
    set.add(subscriber);
    return () => {
      const current = this.offices.get(officeId);
      if (!current) return;
      current.delete(subscriber);
      if (current.size === 0) this.offices.delete(officeId);
    };
  }

  /** Ends every stream and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.endAll();
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    this.connecting = undefined;
    await client?.end().catch(() => undefined);
  }

  private listening(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = await listenOn(
        { connectionString: this.connectionString, channel: LIVE_CHANNEL },
        (payload) => {
          if (payload) this.deliver(payload);
        },
        (lostClient, err) => this.lost(lostClient, err),
      );
      if (this.closed) {
        await client.end().catch(() => undefined);
        throw new Error('closed');
      }
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private deliver(payload: string): void {
    let fact: LiveFact;
    try {
      fact = JSON.parse(payload) as LiveFact;
    } catch {
      this.log?.warn({ payload: payload.slice(0, 200) }, 'live: a notification that is not JSON was ignored');
      return;
    }
    const set = this.offices.get(fact.officeId);
    if (!set) return;
    // The office stays on the server: the stream's own principal is of that office.
    const { officeId: _office, ...event } = fact;
    for (const subscriber of [...set]) subscriber.event(event);
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (!this.closed) this.log?.warn({ err: err.message }, 'live: the LISTEN connection was lost; open streams end and reconnect');
    client.end().catch(() => undefined);
    this.endAll();
  }

  private endAll(): void {
    const all = [...this.offices.values()].flatMap((set) => [...set]);
    this.offices.clear();
    for (const subscriber of all) subscriber.end();
  }
}
