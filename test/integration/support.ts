/**
 * Support for integration tests of db/ and activities/: a migrated PostgreSQL (DATABASE_URL
 * from the vitest global setup, else an embedded one started here), a real in-process SMTP
 * peer, and fixture rows that each test creates for itself (tables are shared, never empty).
 */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { MikroORM } from '@mikro-orm/postgresql';
import { freePort } from '../../config/ports.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded-postgres.js';
import { createOrm } from '../../db/orm.js';
import { newId } from '../../db/ids.js';
import { nextDossierNumber } from '../../services/dossiers/store.js';
import { serviceProcessV1 } from '../../domain/processes/index.js';
import { defaultTemplates } from '../../services/templates/defaults.js';

export interface TestDatabase {
  url: string;
  /** Set when this helper started its own PostgreSQL. */
  embedded?: EmbeddedPostgres;
  stop(): Promise<void>;
}

/** DATABASE_URL (migrated here too; migrations are idempotent) or an embedded PostgreSQL. */
export async function testDatabase(): Promise<TestDatabase> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    await migrateUp(fromEnv);
    return { url: fromEnv, stop: async () => {} };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'df-pg-'));
  chmodSync(dir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), fast: true, log: () => {} });
  await migrateUp(embedded.url);
  return {
    url: embedded.url,
    embedded,
    stop: async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function migrateUp(url: string): Promise<void> {
  const orm = await createOrm(url);
  try {
    await orm.migrator.up();
  } finally {
    await orm.close(true);
  }
}

export interface ReceivedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpPeer {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Recipients matching get a permanent 550 (contains "reject") or a transient 451 ("defer"). */
  stop(): Promise<void>;
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.includes('reject')) {
        const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        return callback(err);
      }
      if (address.address.includes('defer')) {
        const err = Object.assign(new Error('try again later'), { responseCode: 451 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Fixture {
  officeId: string;
  dossierId: string;
  productId: string;
  personIds: [string, string];
  emails: [string, string];
  workflowId: string;
}

/** A fresh office with a dossier of two applicants and a service product with two parts. */
export async function createFixture(
  orm: MikroORM,
  opts: { secondEmail?: string | null; firstEmail?: string | null } = {},
): Promise<Fixture> {
  const em = orm.em.fork();
  const officeId = newId();
  const dossierId = newId();
  const productId = newId();
  const personIds: [string, string] = [newId(), newId()];
  const tag = officeId.slice(0, 8);
  const emails: [string, string] = [
    opts.firstEmail === undefined ? `anna.${tag}@example.nl` : (opts.firstEmail ?? ''),
    opts.secondEmail === undefined ? `bram.${tag}@example.nl` : (opts.secondEmail ?? ''),
  ];
  await em.transactional(async (tem) => {
    await tem.execute('insert into offices (id, name) values (?, ?)', [officeId, `Test Advies ${tag}`]);
    const number = await nextDossierNumber(tem, officeId);
    await tem.execute("insert into dossiers (id, office_id, number, status) values (?, ?, ?, 'prospect')", [dossierId, officeId, number]);
    await tem.execute(
      `insert into persons (id, office_id, first_name, infix, last_name, birth_date, email) values
        (?, ?, 'Anna', 'van der', 'Meer', '1984-05-06', ?), (?, ?, 'Bram', null, 'Zoë-Çelik', '1982-12-31', ?)`,
      [personIds[0], officeId, emails[0] || null, personIds[1], officeId, emails[1] || null],
    );
    await tem.execute('insert into dossier_applicants (dossier_id, person_id, position) values (?, ?, 1), (?, ?, 2)', [
      dossierId, personIds[0], dossierId, personIds[1],
    ]);
    await tem.execute(
      `insert into process_definitions (id, key, version, product_type, name, definition)
       values (?, ?, ?, ?, ?, ?::jsonb) on conflict (key, version) do nothing`,
      [newId(), serviceProcessV1.key, serviceProcessV1.version, serviceProcessV1.productType, serviceProcessV1.name, JSON.stringify(serviceProcessV1)],
    );
    await tem.execute(
      `insert into products (id, office_id, dossier_id, type, process_key, process_version, status, category, workflow_id)
       values (?, ?, ?, 'service', 'service', 1, 'new', 'new', ?)`,
      [productId, officeId, dossierId, `product:${productId}`],
    );
    await tem.execute(
      `insert into product_parts (id, product_id, number, description, status, category, follows_product) values
        (?, ?, 1, 'Hypotheekadvies en bemiddeling', 'new', 'new', true),
        (?, ?, 2, 'Advies overlijdensrisicoverzekering', 'fixed', 'new', false)`,
      [newId(), productId, newId(), productId],
    );
    for (const t of defaultTemplates) {
      await tem.execute(
        `insert into templates (id, key, version, kind, subject, body) values (?, ?, 1, ?, ?, ?) on conflict (key, version) do nothing`,
        [newId(), t.key, t.kind, t.subject, t.body],
      );
    }
  });
  return { officeId, dossierId, productId, personIds, emails, workflowId: `product:${productId}` };
}
