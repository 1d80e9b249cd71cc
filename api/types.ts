/**
 * Shared types of the API: what buildApp needs, who is calling, and the Fastify type
 * augmentations (request.principal, route config.roles).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Principal, Role } from '../domain/roles.js';
import type { SignInSettings } from '../services/access/users.js';
import type { Mailer } from '../integrations/mail/transport.js';
import type { RiskClient } from '../integrations/risk/client.js';
import type { RiskAfdMapping } from '../integrations/risk/afd-mapping.js';
import type { TemporalDeps } from '../integrations/temporal/connection.js';
import type { XmlParsePool } from '../integrations/xml/index.js';
import type { RefusedXmlBodies } from './plugins/xml-refusals.js';
import type { LiveHub } from '../services/live/hub.js';
import type { XsdHook } from '../integrations/xml/schema-hook.js';

export type { Principal, TemporalDeps };

export interface HdnDeps {
  /** Our own HDN node number (settings `hdnNode`); inbound messages must be addressed to it. */
  node: string;
  /** Unverified HDN codes the office accepts as known (settings HDN_ENABLED_UNVERIFIED_CODES); absent = none. */
  enabledUnverifiedCodes?: Readonly<Record<string, readonly string[]>>;
}

export interface RiskDeps {
  /** The RISK API (settings RISK_URL / RISK_TOKEN) that `POST /risk/poll` asks; undefined = none configured (503). */
  client: RiskClient | undefined;
  /** The RISK AFD mapping (settings RISK_AFD_MAPPING, loaded and checked at start); absent = the built-in default. */
  mapping?: RiskAfdMapping;
}

export interface UiDeps {
  /** Demo adviser token GET /ui-config hands the web UI (settings DEMO_UI_TOKEN); absent = the adviser pastes one. */
  demoToken?: string;
}

/** The largest XML body per party, in bytes (settings XML_BODY_LIMIT_*). */
export interface XmlBodyLimits {
  /** HDN messages from a lender (SX, OX, DA). */
  lender: number;
  /** HDN messages from advice software (AX). */
  adviceSoftware: number;
  /** camt files an adviser uploads (POST /billing/bank-imports). */
  bankFile: number;
  /** RISK webhook messages. */
  risk: number;
}

export interface XmlDeps {
  /** Worker threads that parse inbound XML off the event loop, with a time budget. The app closes it. */
  pool: XmlParsePool;
  bodyLimits: XmlBodyLimits;
  /** Refused bodies per credential (api/plugins/xml-refusals.ts); absent = one with the defaults (XML_REFUSAL_DEFAULTS). */
  refusals?: RefusedXmlBodies;
  /** XSD validation of inbound messages (XSD_DIR_HDN / XSD_DIR_AFD); absent or empty = none. */
  xsd?: XsdHook;
}

export interface AppDeps {
  /** Session cookie and lockout settings (SESSION_IDLE_MINUTES, SESSION_MAX_MINUTES, SESSION_COOKIE_SECURE); absent: the defaults of services/access/users.ts. */
  signIn?: SignInSettings;
  orm: MikroORM;
  temporal: TemporalDeps;
  /** HDN settings; absent = node 'DFL001' (the settings default). */
  hdn?: HdnDeps;
  /** RISK; absent = no RISK connection (`POST /risk/poll` answers 503; webhooks still work). */
  risk?: RiskDeps;
  /**
   * Mail sent by the API itself (a checklist rejection): the SMTP mailer and sender. Absent =
   * such mails are written to the outbox and stay pending there.
   */
  mail?: { mailer: Mailer; mailFrom: string };
  /** The web UI's sign-in; absent = no demo token. */
  ui?: UiDeps;
  /** The XML reader's pool and body limits; absent = a pool with the settings defaults. */
  xml?: XmlDeps;
  /** Party endpoint rate limit (settings PARTY_RATE_LIMIT / PARTY_RATE_WINDOW_SECONDS); absent = the settings defaults. */
  rateLimit?: RateLimitDeps;
  /** Uploads: the virus scanner (settings CLAMD_ADDRESS; absent = not scanned, logged per upload). */
  uploads?: UploadsDeps;
  /** Live updates (`GET /events`); absent = a hub of the app's own on the ORM's database, opened on the first stream. */
  live?: LiveDeps;
  /**
   * How long the auth plugin remembers a bearer credential's or session's look-up (ms); absent =
   * PRINCIPAL_CACHE_TTL_MS (5 s, services/access/principal-cache.ts), 0 = look up every request.
   */
  principalCacheTtlMs?: number;
  logger?: boolean | object;
}

export interface UploadsDeps {
  /** clamd host:port, scanned over INSTREAM (integrations/clamd/). */
  clamdAddress?: string;
  /** Bytes per stored chunk (services/uploads/receive.ts FLUSH_BYTES when absent); tests use a small one. */
  flushBytes?: number;
}


export interface RateLimitDeps {
  /** Requests per window per credential on a party endpoint. */
  partyMax: number;
  windowSeconds: number;
}

export interface LiveDeps {
  /** The LISTEN side shared with its owner (who closes it); absent = the app's own. */
  hub?: LiveHub;
  /** Milliseconds between keep-alive comments on an idle stream (default 25 000: below common proxy idle timeouts). */
  keepAliveMs?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent = public (only for health, docs, portal activation). */
    roles?: readonly Role[];
    /** Marks a route as public on purpose (no credentials needed). */
    public?: boolean;
    /** Opts a route into the per-credential party rate limit (api/plugins/rate-limit.ts); routes with a party role have it anyway. */
    partyLimit?: boolean;
    /** The answer is an endless stream (`text/event-stream`): tests that call every route read only its head. */
    eventStream?: boolean;
  }
  interface FastifyInstance {
    deps: AppDeps & { xml: XmlDeps & { refusals: RefusedXmlBodies } };
  }
}
