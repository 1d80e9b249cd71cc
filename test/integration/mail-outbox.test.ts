/**
 * The mail outbox's claims and marks (services/work/mail-outbox.ts) against a real PostgreSQL and
 * a real SMTP peer: a batch send marks each mail sent (committed) before its sender takes the
 * next, so a sender whose database session dies (what kill -9 of the worker does) leaves every
 * accepted mail marked and its claims free, and the retry sends only the rest; a second attempt
 * never sends what the first holds; a single send waits for a batch that holds its key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../db/orm.js';
import { createMailer, type Mailer, type OutgoingMail, type SentMail } from '../../integrations/mail/transport.js';
import { sendMailOnce, sendMailsOnce, type OutboxMail } from '../../services/work/mail-outbox.js';
import { createFixture, startSmtpPeer, testDatabase, type Fixture, type SmtpPeer, type TestDatabase } from './support.js';

let db: TestDatabase;
let smtp: SmtpPeer;
let orm: MikroORM;
let mailer: Mailer;
const MAIL_FROM = 'Test Advies <noreply@test-advies.nl>';

beforeAll(async () => {
  db = await testDatabase();
  smtp = await startSmtpPeer();
  orm = await createOrm(db.url);
  mailer = createMailer(smtp.url);
}, 120_000);

afterAll(async () => {
  mailer?.close();
  await orm?.close(true);
  await smtp?.stop();
  await db?.stop();
});

/** A promise the test settles by hand. */
function gate(): { wait: Promise<void>; open(): void; fail(err: Error): void } {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const wait = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { wait, open, fail };
}

/**
 * The real transport, except that from the `holdFrom`-th send on (1-based) each send first waits
 * for the gate; `reached` settles when the first held send is waiting.
 */
function holdingMailer(holdFrom: number) {
  const held = gate();
  const reached = gate();
  let sends = 0;
  const wrapped: Mailer = {
    async send(mail: OutgoingMail): Promise<SentMail> {
      sends += 1;
      if (sends >= holdFrom) {
        reached.open();
        await held.wait;
      }
      return mailer.send(mail);
    },
    verify: () => mailer.verify(),
    close: () => {},
  };
  return { mailer: wrapped, held, reached: reached.wait };
}

function mailsFor(f: Fixture, n: number, tag: string): OutboxMail[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `outbox-test:${tag}:${String(i + 1).padStart(2, "0")}`,
    dossierId: f.dossierId,
    productId: null,
    template: 'invoice',
    toAddress: `m${i + 1}.${tag}@example.nl`,
    subject: `Mail ${i + 1}`,
    bodyText: `Mail ${i + 1} of ${tag}`,
  }));
}

async function statusOf(keys: string[]): Promise<Map<string, string>> {
  const rows = await orm.em.fork().execute<{ key: string; status: string }[]>('select key, status from mails where key = any(?::text[])', [
    `{${keys.join(',')}}`,
  ] as never[]);
  return new Map(rows.map((r) => [r.key, r.status]));
}

/** Deliveries at the SMTP peer per recipient of these mails. */
function deliveries(mails: OutboxMail[]): number[] {
  return mails.map((m) => smtp.received.filter((r) => r.envelopeTo.includes(m.toAddress)).length);
}

/** The sessions holding the claim (advisory lock) of one of these keys: the batch sender's own connection. */
async function holdersOf(keys: string[]): Promise<number[]> {
  const rows = await orm.em.fork().execute<{ pid: number }[]>(
    `select distinct l.pid from pg_locks l
      where l.locktype = 'advisory' and l.granted
        and ((l.classid::bigint << 32) | l.objid::bigint) in (select hashtextextended('mails:' || k, 0) from unnest(?::text[]) as k)`,
    [`{${keys.join(',')}}`] as never[],
  );
  return rows.map((r) => r.pid);
}

describe('mail outbox: claims and marks', () => {
  it('marks each accepted mail sent at once; a dead sender leaves only its unsent mails to the retry', async () => {
    const f = await createFixture(orm);
    const mails = mailsFor(f, 12, f.officeId.slice(0, 8));
    const keys = mails.map((m) => m.key);
    const first = holdingMailer(6);
    const attempt = sendMailsOnce(orm.em.fork(), first.mailer, mails, MAIL_FROM, { batchSize: 50, concurrency: 1 }).then(
      () => 'resolved',
      (err: unknown) => String(err),
    );
    await first.reached;
    try {
      // The batch is still running (its 6th send waits), yet the five before it are committed as sent.
      const during = await statusOf(keys);
      expect(keys.map((k) => during.get(k))).toEqual([...Array(5).fill('sent'), ...Array(7).fill('pending')]);

      // A second attempt meanwhile sends nothing: the five are sent, the rest claimed by the first.
      const second = await sendMailsOnce(orm.em.fork(), mailer, mails, MAIL_FROM, { batchSize: 50, concurrency: 4 });
      expect(second.sent.sort()).toEqual(keys.slice(0, 5));
      expect(second.busy.sort()).toEqual(keys.slice(5));

      // The first sender's database session dies, as it does when its worker is killed: its claims go with it.
      const holders = await holdersOf(keys);
      expect(holders).toHaveLength(1);
      await orm.em.fork().execute('select pg_terminate_backend(?)', [holders[0]!]);

      const retry = await sendMailsOnce(orm.em.fork(), mailer, mails, MAIL_FROM, { batchSize: 5, concurrency: 3 });
      expect(retry.busy).toEqual([]);
      expect(retry.sent.sort()).toEqual(keys);
    } finally {
      // The dead attempt's held send fails (its process would be gone): it never reaches the peer.
      first.held.fail(new Error('worker killed'));
    }
    expect(await attempt).not.toBe('resolved');
    expect(deliveries(mails)).toEqual(Array(12).fill(1));
    const after = await statusOf(keys);
    expect(keys.map((k) => after.get(k))).toEqual(Array(12).fill('sent'));
    expect(await holdersOf(keys)).toEqual([]);
  });

  it('a single send of a key a batch holds waits for the batch and does not send again', async () => {
    const f = await createFixture(orm);
    const mails = mailsFor(f, 3, `single-${f.officeId.slice(0, 8)}`);
    const batch = holdingMailer(2);
    const running = sendMailsOnce(orm.em.fork(), batch.mailer, mails, MAIL_FROM, { concurrency: 1 });
    await batch.reached;
    let singleDone = false;
    const single = sendMailOnce(orm.em.fork(), mailer, mails[1]!, MAIL_FROM).finally(() => {
      singleDone = true;
    });
    try {
      // The single send waits on the batch's claim of its key: it is still waiting after a round trip of its own.
      expect(await holdersOf([mails[1]!.key])).toHaveLength(1);
      await orm.em.fork().execute('select 1');
      expect(singleDone).toBe(false);
    } finally {
      batch.held.open();
    }
    const outcome = await running;
    expect(outcome.sent.sort()).toEqual(mails.map((m) => m.key));
    await single;
    expect(deliveries(mails)).toEqual([1, 1, 1]);
  });
});
