/**
 * `tsx scripts/seed.ts`: idempotent demo data on DATABASE_URL. Safe to run on every start:
 * - the demo office "Demo Advies B.V.";
 * - the shipped process definitions (published once, never changed afterwards);
 * - the default templates (version 1), and a check that every template a shipped process
 *   uses exists;
 * - one demo credential per role, written once (plain text, mode 0600) to
 *   `${DATA_DIR}/demo-credentials.json` as `{ role: token }`; restarts keep the tokens;
 * - demo user accounts (sign-in with e-mail and password): an adviser and an admin, their
 *   random passwords written once (mode 0600) to `${DATA_DIR}/demo-users.json`;
 * - a demo dossier with two applicants.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import { allRoles, isRole, type Role, type UserRole } from '../domain/roles.js';
import { ensureActiveUser } from '../services/access/users.js';
import { randomBytes } from 'node:crypto';
import { shippedProcesses, templateKeysUsed } from '../domain/processes/index.js';
import { ApiCredential, DossierApplicant, Person, ProcessDefinitionRecord, Template } from '../db/entities/index.js';
import { loadSettings } from '../config/settings.js';
import { createOrm } from '../db/orm.js';
import { newId } from '../db/ids.js';
import { generateToken, hashToken } from '../services/access/tokens.js';
import { ensureOffice, registerCredential, revokeCredentialsNamed, setHdnNodeIfMissing } from '../services/access/store.js';
import { insertPerson } from '../services/crm/store.js';
import { insertBillingSettingsIfAbsent } from '../services/billing/store.js';
import { insertDossier } from '../services/dossiers/store.js';
import { ensureLender, storeInbound } from '../services/hdn/store.js';
import { insertPublishedVersion } from '../services/process/store.js';
import { insertTemplateVersion } from '../services/templates/store.js';
import { defaultTemplates } from '../services/templates/defaults.js';
import { inboundKey } from '../integrations/hdn/keys.js';
import { hdnMessageSummary } from '../integrations/hdn/codec.js';
import { buildPublicHdn } from '../integrations/hdn/write.js';
import type { HdnApplication } from '../integrations/hdn/types.js';

export const DEMO_OFFICE_NAME = 'Demo Advies B.V.';
export const CREDENTIALS_FILE = 'demo-credentials.json';
/** The demo user accounts and their passwords: `[{ email, password, name, roles }]`. */
export const DEMO_USERS_FILE = 'demo-users.json';
export const DEMO_USERS = [
  { email: 'adviseur@demo.dossierflow.test', name: 'Demo Adviseur', roles: ['adviser'] },
  { email: 'beheer@demo.dossierflow.test', name: 'Demo Beheerder', roles: ['admin'] },
] as const satisfies readonly { email: string; name: string; roles: readonly UserRole[] }[];
export interface DemoUser {
  email: string;
  password: string;
  name: string;
  roles: UserRole[];
}
/** The simulated lender (simulators/lender) as the demo office knows it. */
export const DEMO_LENDER = { code: 'VBH', name: 'Voorbeeld Hypotheken N.V.', node: 'LND001' } as const;
/** The demo office's creditor for SEPA direct debits (its account is at the simulated bank). */
export const DEMO_CREDITOR = { name: 'Demo Advies B.V.', iban: 'NL20INGB0001234567', creditorId: 'NL69ZZZ123456780000' } as const;
/** HDN node numbers of the demo party credentials. */
export const DEMO_HDN_NODES = { lender: DEMO_LENDER.node, advice_software: 'ADV001' } as const;

export interface SeedOptions {
  dataDir: string;
  /** Our HDN node (settings `hdnNode`); the demo AX in the inbox is addressed to it. Default DFL001. */
  hdnNode?: string;
  officeName?: string;
  log?: (line: string) => void;
}

export interface SeedResult {
  officeId: string;
  dossierId: string;
  credentialsFile: string;
  created: { processes: number; templates: number; credentials: number; dossier: boolean; office: boolean };
}

export async function seed(orm: MikroORM, options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? ((line: string) => console.log(`seed: ${line}`));
  const officeName = options.officeName ?? DEMO_OFFICE_NAME;
  const em = orm.em.fork();
  const created = { processes: 0, templates: 0, credentials: 0, dossier: false, office: false };

  // Office
  const ensured = await ensureOffice(em, officeName);
  if (ensured.created) {
    created.office = true;
    log(`created office "${officeName}"`);
  }
  const officeId = ensured.office.id;

  // Process definitions (immutable once published)
  for (const def of shippedProcesses) {
    const inserted = await insertPublishedVersion(em, def);
    if (inserted) {
      created.processes++;
      log(`published process ${def.key} v${def.version}`);
    } else {
      const stored = await em.findOneOrFail(ProcessDefinitionRecord, { key: def.key, version: def.version });
      if (JSON.stringify(stored.definition) !== JSON.stringify(def) && stableJson(stored.definition) !== stableJson(def)) {
        log(`WARNING: process ${def.key} v${def.version} in the database differs from the shipped one; published versions are immutable, publish a new version instead`);
      }
    }
  }

  // Templates
  for (const t of defaultTemplates) {
    const inserted = await insertTemplateVersion(em, { key: t.key, version: 1, kind: t.kind, subject: t.subject, body: t.body });
    if (inserted) {
      created.templates++;
      log(`created template ${t.key} v1`);
    }
  }
  const missing: string[] = [];
  for (const def of shippedProcesses) {
    for (const key of templateKeysUsed(def)) {
      if (!(await em.count(Template, { key }))) missing.push(`${def.key} v${def.version} uses template "${key}"`);
    }
  }
  if (missing.length) throw new Error(`seed: missing templates:\n  - ${missing.join('\n  - ')}`);

  // Demo credentials
  mkdirSync(options.dataDir, { recursive: true });
  const credentialsFile = path.join(options.dataDir, CREDENTIALS_FILE);
  let tokens: Partial<Record<Role, string>> = {};
  if (existsSync(credentialsFile)) {
    const parsed = JSON.parse(readFileSync(credentialsFile, 'utf8')) as Record<string, unknown>;
    for (const [role, token] of Object.entries(parsed)) if (isRole(role) && typeof token === 'string') tokens[role] = token;
  }
  let fileChanged = false;
  for (const role of allRoles) {
    const token = tokens[role];
    if (token) {
      // Keep the token; (re)register it if this database does not know it (e.g. a reset DB).
      const known = await em.count(ApiCredential, { tokenHash: hashToken(token) });
      if (!known) {
        await registerCredential(em, { officeId, name: `demo-${role}`, role, token });
        created.credentials++;
      }
      continue;
    }
    const fresh = generateToken(role);
    // A demo credential of this role whose token was lost is revoked: only the file's tokens work.
    await revokeCredentialsNamed(em, officeId, `demo-${role}`);
    await registerCredential(em, { officeId, name: `demo-${role}`, role, token: fresh });
    tokens = { ...tokens, [role]: fresh };
    created.credentials++;
    fileChanged = true;
  }
  await em.flush();
  // HDN parties: the demo lender and advice software credentials carry their node numbers, and
  // the simulated lender is known by its code.
  for (const [role, node] of Object.entries(DEMO_HDN_NODES)) {
    await setHdnNodeIfMissing(em, officeId, `demo-${role}`, node);
  }
  await ensureLender(em, { code: DEMO_LENDER.code, name: DEMO_LENDER.name, nodeNumber: DEMO_LENDER.node });

  if (fileChanged) {
    writeFileSync(credentialsFile, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    chmodSync(credentialsFile, 0o600);
    log(`wrote demo credentials to ${credentialsFile}`);
  }

  // Demo user accounts: the password file is the truth; a lost file gives the accounts new passwords.
  const usersFile = path.join(options.dataDir, DEMO_USERS_FILE);
  const known: DemoUser[] = existsSync(usersFile) ? (JSON.parse(readFileSync(usersFile, 'utf8')) as DemoUser[]) : [];
  const demoUsers: DemoUser[] = [];
  // E-mail is unique across offices: another office seeded here (the e2e platforms) gets addresses of its own.
  const own = officeName === DEMO_OFFICE_NAME ? '' : `+${officeId.slice(0, 8)}`;
  for (const base of DEMO_USERS) {
    const u = { ...base, email: base.email.replace('@', `${own}@`) };
    const kept = known.find((k) => k.email === u.email);
    const password = kept?.password ?? `demo-${randomBytes(12).toString('base64url')}`;
    const ensured = await ensureActiveUser(em, officeId, { ...u, password, resetPassword: !kept });
    if (ensured.created) log(`created demo user ${u.email}`);
    demoUsers.push({ email: u.email, password, name: u.name, roles: [...u.roles] });
  }
  if (JSON.stringify(demoUsers) !== JSON.stringify(known)) {
    writeFileSync(usersFile, `${JSON.stringify(demoUsers, null, 2)}\n`, { mode: 0o600 });
    chmodSync(usersFile, 0o600);
    log(`wrote demo user passwords to ${usersFile}`);
  }

  // Demo dossier with two applicants
  const demoEmail = 'jan.de.vries@example.nl';
  let dossierId: string;
  const jan = await em.findOne(Person, { officeId, email: demoEmail });
  const link = jan ? await em.findOne(DossierApplicant, { personId: jan.id, position: 1 }) : null;
  if (link) {
    dossierId = link.dossierId;
  } else {
    dossierId = await em.transactional(async (tem) => {
      const address = { street: 'Keizersgracht', houseNumber: 123, houseNumberSuffix: 'A', postcode: '1015CJ', city: 'Amsterdam' };
      const personA = insertPerson(tem, officeId, {
        firstName: 'Jan', infix: 'de', lastName: 'Vries', birthDate: '1985-03-14', email: demoEmail, phone: '0612345678', address,
      });
      const personB = insertPerson(tem, officeId, {
        firstName: 'Sanne', lastName: 'Bakker', birthDate: '1987-11-02', email: 'sanne.bakker@example.nl', phone: '0687654321', address,
      });
      const { id, number } = await insertDossier(tem, { officeId, personIds: [personA, personB], actor: 'seed' });
      log(`created demo dossier ${number}`);
      return id;
    });
    created.dossier = true;
  }
  // Billing: the demo creditor and the reminder ladder run by the invoice workflows.
  await insertBillingSettingsIfAbsent(em, officeId, { reminderMode: 'workflow', creditor: DEMO_CREDITOR });

  // A demo advice (AX) waiting in the HDN inbox, for the demo applicants: converting it shows
  // how existing persons are matched instead of duplicated.
  const demoAx = demoAdvice(options.hdnNode ?? 'DFL001');
  const { stored: axInserted } = await storeInbound(em, {
    id: newId(),
    officeId,
    credentialId: null,
    type: 'AX',
    key: `${inboundKey(demoAx)}|office:${officeId}`,
    senderNode: demoAx.header.senderNode,
    receiverNode: demoAx.header.receiverNode,
    applicationNumber: demoAx.header.applicationNumber,
    applicationVersion: 1,
    statusCode: null,
    summary: hdnMessageSummary(demoAx),
    // As an advice package sends it: the public HDN structure (integrations/hdn/mapping/versions).
    rawXml: buildPublicHdn(demoAx),
  });
  if (axInserted) log('put a demo advice (HDN AX) in the inbox');

  return { officeId, dossierId, credentialsFile, created };
}

/** The demo advice from the demo advice software, for Jan de Vries and Sanne Bakker (repayment types as HDN codes: 01 annuity, 02 linear). */
function demoAdvice(receiverNode: string): HdnApplication {
  return {
    type: 'AX',
    header: {
      senderNode: DEMO_HDN_NODES.advice_software,
      senderName: 'Demo Adviespakket',
      receiverNode,
      receiverName: 'dossierflow',
      messageType: 'AX',
      messageVersion: '24.0',
      receiverCode: DEMO_LENDER.code,
      sentDate: '2026-11-20',
      sentTime: '10:30:00',
      packageName: 'Demo Adviespakket',
      packageVersion: '1.0',
      applicationNumber: '2026000001',
      applicationVersion: '1',
    },
    applicants: [
      { position: 1, firstName: 'Jan', infix: 'de', lastName: 'Vries', birthDate: '1985-03-14', email: 'jan.de.vries@example.nl', phone: '0612345678' },
      { position: 2, firstName: 'Sanne', lastName: 'Bakker', birthDate: '1987-11-02', email: 'sanne.bakker@example.nl' },
    ],
    property: { street: 'Prinsengracht', houseNumber: 263, postcode: '1016GV', city: 'Amsterdam', purchasePriceCents: 62_500_000, marketValueCents: 64_000_000 },
    loanParts: [
      { number: '1', repaymentType: '01', amountCents: 40_000_000, durationMonths: 360, fixedRateMonths: 120 },
      { number: '2', repaymentType: '02', amountCents: 15_000_000, durationMonths: 360, fixedRateMonths: 120 },
    ],
    nhg: false,
  };
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

async function main(): Promise<void> {
  const settings = (() => {
    try {
      return loadSettings();
    } catch (err) {
      console.error(`seed: FAILED: ${err instanceof Error ? err.message : String(err)}`);
      return process.exit(2);
    }
  })();
  const { databaseUrl: url, dataDir, hdnNode } = settings;
  if (!url) {
    console.error('seed: FAILED: DATABASE_URL is not set');
    process.exit(2);
  }
  const orm = await createOrm(url);
  try {
    const result = await seed(orm, { dataDir, hdnNode });
    console.log(`seed: done (office ${result.officeId}, demo dossier ${result.dossierId})`);
  } catch (err) {
    console.error(`seed: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  } finally {
    await orm.close(true);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
