/**
 * Shared types of the API: what buildApp needs, who is calling, and the Fastify type
 * augmentations (request.principal, route config.roles).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Role } from '../domain/roles.js';

export interface TemporalDeps {
  client: Client;
  taskQueue: string;
  /** Throws when the Temporal frontend is not reachable. */
  checkHealth(): Promise<void>;
}

export interface HdnDeps {
  /** Our own HDN node number (settings `hdnNode`); inbound messages must be addressed to it. */
  node: string;
}

export interface AppDeps {
  orm: MikroORM;
  temporal: TemporalDeps;
  /** HDN settings; absent = node 'DFL001' (the settings default). */
  hdn?: HdnDeps;
  logger?: boolean | object;
}

/** The authenticated caller: a credential of one office with one role. */
export interface Principal {
  credentialId: string;
  officeId: string;
  role: Role;
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
  }
  interface FastifyInstance {
    deps: AppDeps;
  }
}
